"""Spreadsheet readers for imports: .xlsx (streamed), .xls, and CSV in the encodings Chinese offices
use (UTF-8 with or without BOM, GBK/GB18030, UTF-16 "Unicode text").

``open_sheet`` yields (row number as Excel shows it, raw cell values) one row at a time, so a file
of 100k rows is read in bounded memory. Whatever a parser underneath raises on a broken or junk
file becomes an ``ImportFileError`` with a Chinese sentence saying what to do.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
import xlrd
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_COLUMNS = 200
# What an .xlsx may unpack to: 200,000 rows of a wide roster are about 200 MB of XML. A
# "zip bomb" of 20 MB unpacks to many GB and would exhaust the server's memory.
MAX_UNPACKED_MB = 256
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024
EXTENSIONS = (".xlsx", ".xls", ".csv")

FILE_TOO_LARGE = f"文件超过 {MAX_UPLOAD_MB} MB，无法导入。请把名册拆分为几个较小的文件，分别导入。"
FILE_TYPE = (
    "只能导入 Excel 文件（.xlsx、.xls）或 CSV 文件（.csv）。"
    "请在 Excel 中“另存为”其中一种格式后重新上传。"
)
FILE_EMPTY = "文件是空的。请选择填好人员信息的名册文件。"
FILE_UNREADABLE = (
    "无法读取该文件：它不是有效的 Excel 或 CSV 文件，可能已损坏，或扩展名与内容不符。"
    "请用 Excel 打开后另存为 .xlsx 再上传。"
)
FILE_HTML = (
    "该文件实际是网页（HTML）格式，只是扩展名为 Excel。请用 Excel 打开后另存为 .xlsx 再上传。"
)
FILE_UNPACKS_TOO_LARGE = (
    f"文件解压后超过 {MAX_UNPACKED_MB} MB，不是正常的名册（可能已损坏）。"
    "请用 Excel 打开后另存为 .xlsx，或拆分为几个较小的文件后重新上传。"
)
FILE_ENCRYPTED = "文件设置了打开密码，无法读取。请在 Excel 中取消密码并保存后再上传。"
CSV_ENCODING = "无法识别 CSV 文件的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传。"
CSV_ENCODING_AT = (
    "CSV 文件第{row}行有无法识别的字符，文件可能已损坏或混用了多种编码。"
    "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传。"
)
CSV_MALFORMED = (
    "CSV 文件第{row}行格式不正确（如引号不成对或内容过长）。请检查该行后重新保存再上传。"
)

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAMPLE = 64 * 1024
_CHUNK = 1024 * 1024
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref="
    rb"\"([A-Za-z]{1,3}\d+(?::[A-Za-z]{1,3}\d+)?)\""
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r(?!$)|\n)")

CellRange = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col; 1-based, inclusive


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


@dataclass(frozen=True)
class CellProblem:
    """A cell whose value cannot be used: an error value (#N/A) or a formula never calculated."""

    shown: str


UNCALCULATED = CellProblem("")


@dataclass
class Sheet:
    rows: Iterator[tuple[int, list[Any]]]
    merged: list[CellRange] = field(default_factory=list)


def check_upload(name: str, size: int) -> None:
    """The checks that need only the name and size, made before anything is read or stored."""
    if not name.lower().endswith(EXTENSIONS):
        raise ImportFileError(FILE_TYPE)
    if size <= 0:
        raise ImportFileError(FILE_EMPTY)
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(FILE_TOO_LARGE)


@contextlib.contextmanager
def open_sheet(file: IO[bytes], name: str) -> Iterator[Sheet]:
    """The first worksheet of ``file``. The kind is told by the content, not the extension: offices
    rename files freely, and a web page saved as “.xls” is common."""
    file.seek(0)
    head = file.read(_SAMPLE)
    file.seek(0)
    if not head:
        raise ImportFileError(FILE_EMPTY)
    if head.startswith(_XLSX_MAGIC):
        with _xlsx(file) as sheet:
            yield sheet
    elif head.startswith(_OLE_MAGIC):
        yield _xls(file)
    elif name.lower().endswith(".csv"):
        yield _csv(file, head)
    elif _looks_like_html(head):
        raise ImportFileError(FILE_HTML)
    else:
        raise ImportFileError(FILE_UNREADABLE)


def _looks_like_html(head: bytes) -> bool:
    start = head[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml"))


def _guarded(
    rows: Iterator[tuple[int, list[Any]]], message: str
) -> Iterator[tuple[int, list[Any]]]:
    """Parsers raise anything at all on corrupted input (BadZipFile, KeyError, struct.error, …);
    each becomes one Chinese sentence, so a broken file never ends in a server error."""
    while True:
        try:
            item = next(rows)
        except StopIteration:
            return
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(message) from exc
        yield item


# --- .xlsx ----------------------------------------------------------------------------------------


class _CellParser(WorkSheetParser):
    """openpyxl's streaming parser, reading cached values (``data_only``) while telling a formula
    never calculated (no cached value) and error values (#N/A) apart from an empty cell."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["data_type"] == "e":
            cell["value"] = CellProblem(str(cell["value"] or "#错误"))
        elif cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cached = element.find(VALUE_TAG)
            # An empty cached text is a formula that gave "" (=IF(A2="","",…)); an empty or
            # missing cached number means the formula was never calculated (files written by
            # programs rather than by Excel).
            is_text = element.get("t") in ("str", "s", "inlineStr")
            if cached is None or (not cached.text and not is_text):
                cell["value"] = UNCALCULATED
        return cell


@contextlib.contextmanager
def _xlsx(file: IO[bytes]) -> Iterator[Sheet]:
    try:
        _refuse_bombs(file)
        with warnings.catch_warnings():
            # openpyxl warns about extensions it ignores (data validation, conditional formats).
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Private attributes of openpyxl's read-only worksheet (pinned openpyxl<4): the public
        # iterator has no way to tell a formula without a cached value from an empty cell.
        archive: zipfile.ZipFile = book._archive
        path: str = sheet._worksheet_path
        merged = _xlsx_merges(archive, path)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(FILE_UNREADABLE) from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with archive.open(path) as source:
            parser = _CellParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for number, cells in parser.parse():
                values: list[Any] = []
                for cell in cells:
                    column = cell["column"]
                    if column > MAX_COLUMNS:
                        continue
                    if len(values) < column:
                        values.extend([None] * (column - len(values)))
                    values[column - 1] = cell["value"]
                yield number, values

    try:
        yield Sheet(rows=_guarded(rows(), FILE_UNREADABLE), merged=merged)
    finally:
        book.close()


def _refuse_bombs(file: IO[bytes]) -> None:
    """Refuse an archive by the sizes it declares, before unpacking anything: reading never
    unpacks more than the declared size of a member (zipfile stops there)."""
    with zipfile.ZipFile(file) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    file.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(FILE_UNPACKS_TOO_LARGE)


def _xlsx_merges(archive: zipfile.ZipFile, path: str) -> list[CellRange]:
    """Merged ranges, found by scanning the sheet's XML: they are listed after the rows, and the
    file must be refused before its rows are checked."""
    refs: set[bytes] = set()
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(_CHUNK):
            data = tail + chunk
            refs.update(match.group(1) for match in _MERGE.finditer(data))
            tail = data[-512:]
    ranges = []
    for ref in sorted(refs):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        ranges.append((min_row, min_col, max_row, max_col))
    return ranges


# --- .xls -----------------------------------------------------------------------------------------


def _xls(file: IO[bytes]) -> Sheet:
    # .xls is at most 20 MB here and xlrd reads a whole workbook anyway.
    data = file.read()
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        sheet = book.sheet_by_index(0)
    except xlrd.XLRDError as exc:
        raise ImportFileError(
            FILE_ENCRYPTED if "encrypt" in str(exc).lower() else FILE_UNREADABLE
        ) from exc
    except Exception as exc:
        raise ImportFileError(FILE_UNREADABLE) from exc
    merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        columns = min(sheet.ncols, MAX_COLUMNS)
        for r in range(sheet.nrows):
            yield r + 1, [_xls_value(sheet.cell(r, c), book.datemode) for c in range(columns)]

    return Sheet(rows=_guarded(rows(), FILE_UNREADABLE), merged=merged)


def _xls_value(cell: Any, datemode: int) -> Any:
    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment: datetime.datetime = xlrd.xldate.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
        return moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return CellProblem(xlrd.error_text_from_code.get(value, "#错误"))
    if kind == xlrd.XL_CELL_NUMBER and float(value).is_integer():
        return int(value)
    return value


# --- CSV ------------------------------------------------------------------------------------------


def _csv(file: IO[bytes], head: bytes) -> Sheet:
    encoding = detect_encoding(head, complete=len(head) < _SAMPLE)
    delimiter = _delimiter(head, encoding)
    state = {"row": 0}

    def lines() -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(encoding)()
        pending = ""
        while True:
            chunk = file.read(_CHUNK)
            broken = None
            try:
                pending += decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # The rows before the bad bytes are read first, so the error names its row.
                pending += exc.object[: exc.start].decode(encoding, errors="ignore")
                broken = exc
            end = 0
            for match in _LINE.finditer(pending):
                end = match.end()
                yield match.group()
            pending = pending[end:]
            if broken is not None:
                raise ImportFileError(CSV_ENCODING_AT.format(row=state["row"] + 1)) from broken
            if not chunk:
                if pending:
                    yield pending
                return

    def rows() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(lines(), delimiter=delimiter)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(CSV_MALFORMED.format(row=state["row"] + 1)) from exc
            state["row"] += 1
            yield state["row"], list(values[:MAX_COLUMNS])

    return Sheet(rows=_guarded(rows(), FILE_UNREADABLE))


def detect_encoding(sample: bytes, *, complete: bool = False) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK and GB2312): Chinese
    text in GBK is almost never valid UTF-8, while plain ASCII is both."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_binary(sample):
        raise ImportFileError(FILE_UNREADABLE)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError(CSV_ENCODING)


def _looks_binary(sample: bytes) -> bool:
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in (0x09, 0x0A, 0x0D))
    return b"\x00" in sample or controls > len(sample) // 100


def _delimiter(head: bytes, encoding: str) -> str:
    first = head.decode(encoding, errors="ignore").lstrip("\ufeff").splitlines()[:1]
    line = first[0] if first else ""
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
