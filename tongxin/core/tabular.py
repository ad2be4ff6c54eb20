"""Lists out as .xlsx or CSV: one engine for every list the app shows.

A ``Table`` names what is exported (its title, the audit's object type), its columns (label and a
getter per row), the rows (an iterator streaming from the database in chunks) and their count,
and the filter in words. The writers put the exporter and the time in the first rows, neutralize
every cell a spreadsheet could take for a formula (= + - @, tab, CR) with a single quote, and
keep memory flat (openpyxl write-only mode, streamed CSV). ``record`` writes the one audit row of
the export, before the first byte is sent."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import audit
from .models import AuditAction, User

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def neutralize(value: str) -> str:
    """Text a spreadsheet would run as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)) stays text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass(frozen=True)
class Column:
    label: str
    get: Callable[[Any], Any]
    width: int = 14


@dataclass
class Table:
    title: str  # 活动列表, 统战对象名册 … (sheet name, file name, audit)
    object_type: str  # the audit's object type, e.g. "work.activity"
    columns: list[Column]
    rows: Callable[[], Iterable[Any]]  # called once per writer: streams from the database
    count: int
    description: str = "全部"  # the filter in words
    unit: str = "条"  # 人, 条, 个 …
    notes: list[str] = field(default_factory=list)  # e.g. "身份证号码、手机号码已脱敏"
    count_label: str = "数量"  # in the audit row: 人数 for people
    audit_note: str = ""  # added to the audit row's words, e.g. "已脱敏"
    audit_changes: dict[str, Any] = field(default_factory=dict)

    def head_rows(self, user: User) -> list[list[str]]:
        now = timezone.localtime(timezone.now())
        who = f"{user.name}（{user.username}）" if user.name else user.username
        tail = "；".join([f"共 {self.count} {self.unit}", *self.notes])
        return [
            [f"导出人：{who}　导出时间：{now:%Y-%m-%d %H:%M}"],
            [f"筛选条件：{self.description}；{tail}"],
            [c.label for c in self.columns],
        ]

    def values(self, row: Any) -> list[str]:
        return [neutralize(cell_text(c.get(row))) for c in self.columns]

    def filename(self, fmt: str) -> str:
        return f"{self.title}_{timezone.localtime(timezone.now()):%Y%m%d_%H%M}.{fmt}"


def record(user: User, table: Table, fmt: str) -> None:
    what = [fmt, f"{table.count}{table.unit}", *([table.audit_note] if table.audit_note else [])]
    audit.record(
        AuditAction.EXPORT,
        actor=user,
        object_type=table.object_type,
        object_repr=table.title,
        detail=f"导出{table.title}（{'，'.join(what)}）；筛选条件：{table.description}",
        changes={
            "格式": [None, fmt],
            "筛选条件": [None, table.description],
            table.count_label: [None, table.count],
            "列": [None, [c.label for c in table.columns]],
            **{k: [None, v] for k, v in table.audit_changes.items()},
        },
    )


def write_xlsx(user: User, table: Table) -> IO[bytes]:
    """The workbook in a temporary file (write-only mode keeps memory flat), rewound."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    for index, column in enumerate(table.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    head = table.head_rows(user)
    for row in head[:-1]:
        sheet.append(row)
    bold = Font(bold=True)
    sheet.append([_bold(sheet, value, bold) for value in head[-1]])
    for row in table.rows():
        sheet.append(table.values(row))
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    book.save(out)
    out.seek(0)
    return out


def _bold(sheet: Any, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(user: User, table: Table) -> Iterator[str]:
    """CSV in UTF-8 with a BOM, so that Excel opens the Chinese text right."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in table.head_rows(user):
        yield writer.writerow([neutralize(v) for v in row])
    for item in table.rows():
        yield writer.writerow(table.values(item))


def response(user: User, table: Table, fmt: str) -> HttpResponseBase:
    """The download, audited first."""
    record(user, table, fmt)
    if fmt == "xlsx":
        return FileResponse(
            write_xlsx(user, table),
            as_attachment=True,
            filename=table.filename("xlsx"),
            content_type=XLSX,
        )
    stream = StreamingHttpResponse(csv_lines(user, table), content_type="text/csv; charset=utf-8")
    stream["Content-Disposition"] = content_disposition_header(True, table.filename("csv"))
    return stream
