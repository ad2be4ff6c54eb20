"""Rosters built in memory for the import tests: .xlsx, .xls (a minimal BIFF8 writer: xlwt is not
a dependency) and CSV in any encoding, and the messy roster a department really sends."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tongxin.core import ids, text
from tongxin.core.ids import make_id_number
from tongxin.registry import import_rows

Row = Sequence[Any]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def xlsx_bytes(rows: Iterable[Row], *, merges: Iterable[str] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patch_sheet(data: bytes, *replacements: tuple[str, str]) -> bytes:
    """Rewrite the first sheet's XML with regular expressions (what openpyxl cannot write)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                for pattern, replacement in replacements:
                    xml = re.sub(pattern, replacement, xml)
                content = xml.encode()
            target.writestr(item, content)
    return out.getvalue()


def with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Give formula cells the cached text Excel would have saved beside them (openpyxl writes
    formulas without results: ``<v/>``, or ``<v></v>`` when lxml is installed)."""
    return patch_sheet(
        data,
        *[
            (
                rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*(?:/>|>\s*</v>)',
                rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>',
            )
            for ref, value in values.items()
        ],
    )


def csv_bytes(rows: Iterable[Row], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


# --- .xls: one worksheet of text and numbers in a compound document ------------------------------


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _unicode(value: str, length_bytes: int = 1) -> bytes:
    head = struct.pack("<B" if length_bytes == 1 else "<H", len(value))
    return head + b"\x01" + value.encode("utf-16-le")


def _biff8(rows: Sequence[Row], merges: Sequence[tuple[int, int, int, int]]) -> bytes:
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0, 1997, 0, 6)
    sheet_bof = struct.pack("<HHHHII", 0x0600, 0x0010, 0, 1997, 0, 6)
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial")
    style_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    workbook = (
        _record(0x0809, bof)
        + _record(0x0042, struct.pack("<H", 1200))
        + _record(0x0031, font) * 5
        + _record(0x00E0, style_xf) * 15
        + _record(0x00E0, cell_xf)
    )
    name = "名册".encode("utf-16-le")
    sheet_name = struct.pack("<BB", 2, 1) + name
    eof = _record(0x000A)
    offset = len(workbook) + 4 + 6 + len(sheet_name) + len(eof)
    workbook += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + sheet_name) + eof
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
            else:
                cells += _record(0x0204, struct.pack("<HHH", r, c, 15) + _unicode(str(value), 2))
    if merges:
        ranges = b"".join(struct.pack("<HHHH", *m) for m in merges)
        cells += _record(0x00E5, struct.pack("<H", len(merges)) + ranges)
    return workbook + _record(0x0809, sheet_bof) + cells + eof


def xls_bytes(rows: Sequence[Row], merges: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """``merges`` as (first row, last row, first column, last column), 0-based."""
    stream = _biff8(rows, merges)
    size = 512
    padded = max(4096, -(-len(stream) // size) * size)  # past the mini-stream cutoff
    stream += b"\x00" * (padded - len(stream))
    sectors = len(stream) // size
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(sectors - 1)] + [0xFFFFFFFE]
    assert len(fat) <= 128, "roster too large for this writer"
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name: str, kind: int, start: int, length: int, child: int = 0xFFFFFFFF) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\x00" * 36
            + struct.pack("<II", start, length)
            + b"\x00" * 4
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry(
        "Workbook", 2, 2, len(stream)
    )
    directory = directory.ljust(size, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108))
    )
    return header + struct.pack("<128I", *fat) + directory + stream


# --- the messy roster -----------------------------------------------------------------------------

HEADER = [
    "序号", " 姓 名 ", "性别", "民族", "出生年月", "身份证号", "联系电话", "区县", "工作单位",
    "职务", "人员类别", "政治面貌", "备注", "籍贯",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曾彭萧蔡潘田董袁"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Messy:
    """The roster's rows (header included) and what a department expects from it."""

    rows: list[list[Any]]
    errors: dict[int, str] = field(default_factory=dict)  # Excel row → one expected message
    duplicates: set[int] = field(default_factory=set)
    warnings: set[int] = field(default_factory=set)
    good: dict[int, dict[str, Any]] = field(default_factory=dict)  # rows to be created
    blank: set[int] = field(default_factory=set)

    @property
    def data_rows(self) -> int:
        return len(self.rows) - 1 - len(self.blank)


def _good_row(i: int, *, serial_as_number: bool) -> tuple[list[Any], dict[str, Any]]:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=61 * i + 7)
    gender = "M" if i % 2 else "F"
    number = make_id_number("510603", birth, i % 100, gender)
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)]
    shown_name = name
    if i % 10 == 3:
        shown_name = text.t2s(name).replace("陈", "陳").replace("刘", "劉").replace("赵", "趙")
        shown_name = f"  {shown_name} "
    shown_id = number
    if i % 5 == 0:
        shown_id = number.translate(FULLWIDTH)
    if number.endswith("X") and i % 2:
        shown_id = shown_id[:-1] + "x"
    phone = f"139{i:08d}"
    shown_phone: Any = phone
    if i % 4 == 0:
        shown_phone = phone.translate(FULLWIDTH)
    elif i % 6 == 1:
        shown_phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    elif i % 6 == 5:
        shown_phone = f"+86 {phone}"
    if i % 9 == 0:
        shown_phone, phone = "", ""
    serial = (birth - EXCEL_EPOCH).days
    shown_birth: Any = [
        serial if serial_as_number else str(serial),
        f"{birth.year}.{birth.month:02d}",
        f"{birth.year}年{birth.month}月",
        birth.isoformat(),
    ][i % 4]
    ethnicity = ["汉", "漢族", "回族"][i % 3]
    region = ["旌阳区", "510603", "德阳市旌阳区", ""][i % 4]
    categories = ["新的社会阶层人士、非公有制经济人士", "新阶，无党派人士", ""][i % 3]
    status = ["群眾", "中共党员", "民盟盟员", "無黨派人士"][i % 4]
    employer = f"德阳{i}号科技有限公司"
    if i % 7 == 2:
        employer = employer.translate(FULLWIDTH)
    row = [
        i + 1, shown_name, "男" if gender == "M" else "女", ethnicity, shown_birth, shown_id,
        shown_phone, region, employer, "总经理", categories, status, "", "四川德阳",
    ]  # fmt: skip
    expected = {
        "name": text.clean(shown_name),
        "id_number": number,
        "phone": phone,
        "birth_date": birth,
        "gender": gender,
        "employer": f"德阳{i}号科技有限公司",
        "ethnicity": "回族" if i % 3 == 2 else "汉族",
        "categories": {
            0: {"新的社会阶层人士", "非公有制经济人士"},
            1: {"新的社会阶层人士", "无党派人士"},
            2: set(),
        }[i % 3],
        "political_status": ["群众", "中共党员", "民盟盟员", "无党派人士"][i % 4],
    }
    return row, expected


def messy_roster(size: int, *, existing_id: str, serial_as_number: bool = False) -> Messy:
    """``size`` rows of a real-looking roster; every 10th row onward carries a known problem.
    ``existing_id`` is the ID number of a person already registered (a duplicate, not an error)."""
    m = Messy(rows=[HEADER])
    first_existing = 0
    for i in range(size):
        number = len(m.rows) + 1  # the Excel row this one will be
        row, expected = _good_row(i, serial_as_number=serial_as_number)
        kind = i % 23 if i >= 10 else -1
        if kind == 0:
            row[5] = expected["id_number"][:-1] + ("1" if expected["id_number"][-1] != "1" else "2")
            m.errors[number] = ids.ID_CHECKSUM
        elif kind == 1:
            row[6] = "1234"
            m.errors[number] = ids.PHONE_INVALID
        elif kind == 2:
            earlier = max(r for r in m.good if r < number - 3)
            row[5] = m.good[earlier]["id_number"]
            m.errors[number] = import_rows.REPEAT_ID.format(row=earlier)
        elif kind == 3:
            row[7] = "火星区"
            m.errors[number] = import_rows.REGION_UNKNOWN.format(value="火星区")
        elif kind == 4:
            row[7] = "罗江区"
            m.errors[number] = import_rows.REGION_OUT_OF_SCOPE.format(value="罗江区")
        elif kind == 5:
            row[3] = "精灵族"
            m.errors[number] = import_rows.CODE_UNKNOWN.format(
                label="民族", value="精灵族", examples="汉族、蒙古族、回族、藏族"
            )
        elif kind == 6:
            row[1] = "  "
            m.errors[number] = import_rows.NAME_REQUIRED
        elif kind == 7:
            row[5], row[4] = "", "1990-13-45"
            m.errors[number] = text.DATE_IMPOSSIBLE.format(value="1990-13-45")
        elif kind == 8:
            row[5] = existing_id
            if first_existing:
                m.errors[number] = import_rows.REPEAT_ID.format(row=first_existing)
            else:
                first_existing = number
                m.duplicates.add(number)
        elif kind == 9:
            row[2] = "女" if row[2] == "男" else "男"
            m.warnings.add(number)
            m.good[number] = expected
        else:
            m.good[number] = expected
        m.rows.append(row)
        if i % 37 == 36:
            m.rows.append([None] * len(HEADER))
            m.blank.add(len(m.rows))
    return m
