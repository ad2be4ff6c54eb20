"""Hypothesis over the importers (registry.importing with its readers, and the kinds persons,
activities and trainees), through the services and through the /imports API: valid rosters are
generated, then damaged — truncated, bytes flipped or inserted, the wrong extension or content
type, a huge claimed sheet size or a far cell, formulas and error values, merged cells, empty
sheets, huge strings, impossible dates, repeated and wrong ID numbers, wide rows, CSV in mixed
encodings or with NUL bytes.

Whatever the file, the upload either previews or is refused with a Chinese sentence, never an
unhandled exception or a server error; a refused upload or a failed commit leaves every table's
row count as it was (audit log and events included); a commit writes every good row the preview
promised, or nothing. Each example runs in a savepoint rolled back afterwards, so examples do not
see each other's rows. Bounded by tests/fuzz/budget.py (TONGXIN_FUZZ_EXAMPLES)."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from tongxin.registry import import_kinds, import_readers, importing
from tongxin.registry.models import CodeItem, ImportJob, Person
from tongxin.registry.services import person_create
from tongxin.work.models import Activity, Participation, Trainee

from ..conftest import Cast, bearer
from ..registry.rosters import csv_bytes, messy_roster, patch_sheet, xls_bytes, xlsx_bytes
from .budget import fuzz_settings

EXAMPLES = 80
CJK = re.compile(r"[\u4e00-\u9fff]")
MARK = "模糊测试"

ACTIVITY_HEADER = ["活动类型", "活动名称", "日期", "地点", "所属区域", "参加人员", "名册外",
                   "角色", "身份/职务"]  # fmt: skip
TRAINEE_HEADER = ["姓名", "工作单位", "公民身份号码", "学时", "是否结业", "备注"]
TRAINEES = ["模糊学员甲", "模糊学员乙", "模糊学员丙", "模糊学员丁"]
BAD_DATES = ["2023-02-30", "1990-13-45", "0000-00-00", "9999-99-99", 99999999, -1, "昨天", 1.5e300]
NASTY = ["=1/0", "=A2", "=SUM(A1:A1048576)", "#N/A", "\u202e反转", "𠀀𠀁", " ", "\t", "'", '"']


@dataclass
class Upload:
    kind: str
    name: str
    data: bytes
    content_type: str = "application/octet-stream"
    options: dict[str, Any] = field(default_factory=dict)


# --- valid rosters --------------------------------------------------------------------------------


def person_rows(size: int, existing_id: str) -> list[list[Any]]:
    return messy_roster(size, existing_id=existing_id).rows


def activity_rows(size: int) -> list[list[Any]]:
    rows: list[list[Any]] = [ACTIVITY_HEADER]
    for i in range(size):
        meeting = i // 3
        rows.append(
            [
                ["恳谈会", "推进会", "座谈会"][meeting % 3],
                f"旌阳区{MARK}会议{meeting}",
                (dt.date(2024, 1, 1) + dt.timedelta(days=meeting)).isoformat(),
                "旌阳区会议中心",
                "旌阳区",
                f"{MARK}领导{i}",
                "是",
                ["出席", "出席并讲话", "主持", "参加"][i % 4],
                "副区长",
            ]
        )
    return rows


def trainee_rows(size: int, known_id: str) -> list[list[Any]]:
    rows: list[list[Any]] = [TRAINEE_HEADER]
    for i in range(size):
        name = TRAINEES[i % len(TRAINEES)] if i < len(TRAINEES) else f"{MARK}无此人{i}"
        rows.append([name, "", known_id if i == size - 1 else "", str(8 + i % 5), "是", ""])
    return rows


# --- damage ---------------------------------------------------------------------------------------

Rows = list[list[Any]]
RowEdit = Callable[[Rows], Rows]


def _cell(rows: Rows, at: int) -> tuple[int, int]:
    r = 1 + at % max(len(rows) - 1, 1) if len(rows) > 1 else 0
    return r, at % max(len(rows[r]), 1) if rows and rows[r] else 0


def set_cell(value: Any, at: int) -> RowEdit:
    def edit(rows: Rows) -> Rows:
        if not rows:
            return rows
        r, c = _cell(rows, at)
        if not rows[r]:
            rows[r] = [value]
        else:
            rows[r][c] = value
        return rows

    return edit


def repeat_row(at: int) -> RowEdit:
    def edit(rows: Rows) -> Rows:
        if len(rows) > 1:
            rows.append(list(rows[1 + at % (len(rows) - 1)]))
        return rows

    return edit


def wrong_check_digit(at: int) -> RowEdit:
    def edit(rows: Rows) -> Rows:
        for row in rows[1:][at % max(len(rows) - 1, 1) :]:
            for c, value in enumerate(row):
                if isinstance(value, str) and re.fullmatch(r"\d{17}[\dXx]", value):
                    row[c] = value[:17] + ("0" if value[17] != "0" else "1")
                    return rows
        return rows

    return edit


def blank_rows(count: int) -> RowEdit:
    return lambda rows: rows[:1] + [[None] * len(rows[0])] * count + rows[1:] if rows else rows


def wide_row(width: int) -> RowEdit:
    return lambda rows: [*rows, ["宽"] * width]


def header_only(rows: Rows) -> Rows:
    return rows[:1]


def nothing(rows: Rows) -> Rows:
    return []


# Any text a worksheet can hold (control characters are for the CSV damage below).
TEXT = st.characters(blacklist_categories=("Cc", "Cs"))
row_edits = st.one_of(
    st.builds(set_cell, st.sampled_from(BAD_DATES + NASTY), st.integers(0, 10_000)),
    st.builds(set_cell, st.integers(1, 6).map(lambda n: "长" * 10**n), st.integers(0, 10_000)),
    st.builds(set_cell, st.text(TEXT, max_size=30), st.integers(0, 10_000)),
    st.builds(repeat_row, st.integers(0, 100)),
    st.builds(wrong_check_digit, st.integers(0, 100)),
    st.builds(blank_rows, st.integers(1, 40)),
    st.builds(wide_row, st.integers(150, 400)),
    st.just(header_only),
    st.just(nothing),
)


def truncate(at: int) -> Callable[[bytes], bytes]:
    return lambda data: data[: at % max(len(data), 1)]


def flip(at: int, byte: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        if not data:
            return data
        i = at % len(data)
        return data[:i] + bytes([byte]) + data[i + 1 :]

    return edit


def insert(at: int, extra: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        i = at % (len(data) + 1)
        return data[:i] + extra + data[i:]

    return edit


byte_edits = st.one_of(
    st.builds(truncate, st.integers(0, 10**6)),
    st.builds(flip, st.integers(0, 10**6), st.integers(0, 255)),
    st.builds(insert, st.integers(0, 10**6), st.binary(min_size=1, max_size=16)),
)

FAR_ROW = (
    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>远</t></is></c></row></sheetData>'
)
# Rewrites of an .xlsx sheet's XML that openpyxl would never write.
SHEET_PATCHES = [
    # A sheet claiming the largest size Excel allows.
    (r"<dimension ref=\"[^\"]*\"", '<dimension ref="A1:XFD1048576"'),
    # A cell at the last row and column, far from the rest.
    (r"</sheetData>", FAR_ROW),
    # An error value where a name should be.
    (r'<c r="B2"( [^>]*)?>.*?</c>', '<c r="B2" t="e"><v>#N/A</v></c>'),
    # A row number repeated and out of order.
    (r'<row r="3"', '<row r="2"'),
    # A cell reference that is not one.
    (r'<c r="A2"', '<c r="!!"'),
]


@st.composite
def uploads(draw: st.DrawFn, existing_id: str, training: int) -> Upload:
    kind = draw(st.sampled_from(["persons", "activities", "trainees"]))
    size = draw(st.integers(1, 24))
    rows = {
        "persons": lambda: person_rows(size, existing_id),
        "activities": lambda: activity_rows(size),
        "trainees": lambda: trainee_rows(size, existing_id),
    }[kind]()
    for edit in draw(st.lists(row_edits, max_size=3)):
        rows = edit(rows)
    form = draw(st.sampled_from(["xlsx", "xls", "csv"]))
    if form == "xlsx":
        merges = draw(st.sampled_from([(), ("A2:B3",), ("A1:C1",), ("B5:B9",)]))
        data = xlsx_bytes(rows, merges=merges)
        patches = draw(st.lists(st.sampled_from(SHEET_PATCHES), max_size=2))
        if patches:
            data = patch_sheet(data, *patches)
    elif form == "xls" and len(rows) <= 30 and all(len(r) <= 30 for r in rows):
        data = xls_bytes([[_xls_cell(v) for v in row] for row in rows])
    else:
        form = "csv"
        data = _csv(rows, draw(st.sampled_from(["utf-8-sig", "utf-8", "gb18030", "utf-16",
                                                "mixed", "nul"])))  # fmt: skip
    for edit_bytes in draw(st.one_of(st.just([]), st.lists(byte_edits, min_size=1, max_size=3))):
        data = edit_bytes(data)
    name = "名册." + draw(st.sampled_from([form, form, form.upper(), "xlsx", "csv", "pdf", "txt"]))
    content_type = draw(
        st.sampled_from(["application/octet-stream", "text/csv", "application/pdf", "text/html"])
    )
    options = {"training": training} if kind == "trainees" else {}
    return Upload(kind, name, data, content_type, options)


def _xls_cell(value: Any) -> Any:
    # The minimal BIFF writer of rosters.py knows text and numbers, and no text past 255 bytes.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)[:100]


def _csv(rows: Rows, encoding: str) -> bytes:
    if encoding == "mixed":
        # The header and first half in UTF-8, the rest in GBK: two offices' files pasted together.
        half = len(rows) // 2 + 1
        return csv_bytes(rows[:half], "utf-8") + csv_bytes(rows[half:], "gb18030")
    if encoding == "nul":
        return csv_bytes(rows, "utf-8").replace(b",", b",\x00", 3)
    return csv_bytes(rows, encoding) if _encodes(rows, encoding) else csv_bytes(rows, "utf-8")


def _encodes(rows: Rows, encoding: str) -> bool:
    try:
        codecs.encode("".join(str(v) for row in rows for v in row), encoding)
    except UnicodeError:
        return False
    return True


# --- the invariants -------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    """Every table's row count, audit log and events included."""
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def assert_chinese(messages: list[str]) -> None:
    assert messages and all(CJK.search(m) for m in messages), messages


@dataclass
class Preview:
    job_id: int | None
    rows_ok: int = 0
    duplicates: int = 0


def preview(cast: Cast, token: dict[str, str], upload: Upload, channel: str) -> Preview:
    file = SimpleUploadedFile(upload.name, upload.data, content_type=upload.content_type)
    if channel == "api":
        url = {
            "persons": "/api/v1/imports/persons",
            "activities": "/api/v1/imports/activities",
            "trainees": f"/api/v1/trainings/{upload.options.get('training')}/trainees/import",
        }[upload.kind]
        response = Client().post(url, {"file": file}, **token)
        assert response.status_code in (201, 422), (response.status_code, response.content)
        body = response.json()
        if response.status_code == 422:
            assert body["code"] == "invalid"
            assert_chinese([body["detail"]])
            event(f"{upload.kind}: refused: {body['detail'][:12]}")
            return Preview(None)
        return Preview(body["id"], body["rows_ok"], len(body["duplicates"]))
    try:
        job = importing.start(
            actor=cast.jingyang, upload=file, kind=upload.kind, options=upload.options
        )
    except ValidationError as exc:
        assert_chinese(exc.messages)
        event(f"{upload.kind}: refused: {exc.messages[0][:12]}")
        return Preview(None)
    return Preview(job.pk, job.rows_ok, len(job.report["duplicates"]))


def commit(
    cast: Cast, token: dict[str, str], job_id: int, channel: str, on_duplicate: str
) -> dict[str, int] | None:
    if channel == "api":
        response = Client().post(
            f"/api/v1/imports/{job_id}/commit",
            {"on_duplicate": on_duplicate},
            content_type="application/json",
            **token,
        )
        assert response.status_code in (200, 422), (response.status_code, response.content)
        if response.status_code == 422:
            assert_chinese([response.json()["detail"]])
            return None
        result: dict[str, int] = response.json()
        return result
    job = ImportJob.objects.get(pk=job_id)
    try:
        return importing.commit(actor=cast.jingyang, job=job, on_duplicate=on_duplicate)
    except ValidationError as exc:
        assert_chinese(exc.messages)
        return None


WRITES = {"persons": Person, "activities": Activity, "trainees": Trainee}


def assert_whole(
    upload: Upload, promised: Preview, result: dict[str, int], diff: dict[str, int]
) -> None:
    """Every row the preview promised is written (counts by row, 条 or 人), and nothing else."""
    assert sum(result.values()) == promised.rows_ok, (result, promised)
    assert diff.get("core.AuditEvent", 0) >= 1, diff  # the import's own audit row at least
    assert ImportJob.objects.get(pk=promised.job_id).rows_ok == promised.rows_ok
    if upload.kind == "activities":
        # Rows are participants: new activities hold the new rows, existing ones take the rest.
        rows = result["created"] + result["updated"]
        assert diff.get(Participation._meta.label, 0) <= rows, (diff, result)
        assert bool(diff.get(Activity._meta.label, 0)) == bool(result["created"]), diff
        return
    assert diff.get(WRITES[upload.kind]._meta.label, 0) == result["created"], (diff, result)
    if promised.duplicates < importing.MAX_REPORTED:
        assert result["updated"] + result["skipped"] == promised.duplicates, result


def run_one(
    cast: Cast, token: dict[str, str], upload: Upload, channel: str, on_duplicate: str
) -> None:
    before = counts()
    promised = preview(cast, token, upload, channel)
    if promised.job_id is None:
        assert changed(before, counts()) == {}, "a refused upload left rows behind"
        return
    assert changed(before, counts()) == {ImportJob._meta.label: 1}, "a preview wrote records"
    before = counts()
    result = commit(cast, token, promised.job_id, channel, on_duplicate)
    diff = changed(before, counts())
    if result is None:
        assert diff == {}, f"a failed commit left rows behind: {diff}"
        event(f"{upload.kind}: previewed, commit refused")
        return
    assert_whole(upload, promised, result, diff)
    event(f"{upload.kind}: committed" + (" (nothing new)" if not result["created"] else ""))


# --- the tests ------------------------------------------------------------------------------------


@pytest.fixture
def trainees(cast: Cast) -> None:
    category = CodeItem.objects.get(kind="category", name="新的社会阶层人士")
    for name in TRAINEES:
        person_create(actor=None, name=name, region=cast.jingyang_region, categories=[category])


@pytest.fixture
def token(cast: Cast) -> dict[str, str]:
    # Made once: each token is a row and an audit event, which the examples count.
    return bearer(cast.jingyang)


@fuzz_settings(EXAMPLES)
@given(data=st.data())
def test_a_damaged_file_is_refused_in_chinese_or_imported_whole(
    cast: Cast, trainees: None, token: dict[str, str], data: st.DataObject
) -> None:
    upload = data.draw(uploads(cast.records.person.id_number, cast.work.training.pk))
    channel = data.draw(st.sampled_from(["service", "api"]))
    on_duplicate = data.draw(st.sampled_from(["skip", "update"]))
    with transaction.atomic():
        run_one(cast, token, upload, channel, on_duplicate)
        transaction.set_rollback(True)


def test_every_kind_is_fuzzed() -> None:
    assert set(WRITES) == set(import_kinds.KINDS)


def zip_bomb(unpacked_mb: int) -> bytes:
    """A roster whose sheet unpacks to ``unpacked_mb`` MB of blanks: a few hundred KB on disk."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["姓名"], ["张三"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, content)
                continue
            head, tail = content.split(b"<sheetData>")
            with target.open(item.filename, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                blanks = b" " * 2**20
                for _ in range(unpacked_mb):
                    member.write(blanks)
                member.write(tail)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cast: Cast, token: dict[str, str]) -> None:
    data = zip_bomb(import_readers.MAX_UNPACKED_MB + 1)
    assert len(data) < 2 * 2**20
    before = counts()
    response = Client().post(
        "/api/v1/imports/persons", {"file": SimpleUploadedFile("名册.xlsx", data)}, **token
    )
    assert response.status_code == 422
    assert response.json()["detail"] == import_readers.FILE_UNPACKS_TOO_LARGE
    assert changed(before, counts()) == {}
