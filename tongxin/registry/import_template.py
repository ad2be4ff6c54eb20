"""The template of a kind of import offered for download: built here with openpyxl from the kind's
fields, never a committed binary, so its headers are always the ones the importer reads."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .import_kinds import ImportKind
from .models import CodeItem

_HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
_REQUIRED_FILL = PatternFill("solid", fgColor="7F1010")


def template_bytes(kind: ImportKind, regions: list[str]) -> bytes:
    """The template of ``kind``: its template fields as headers, its example row, its
    instructions, and a sheet of code tables. ``regions`` are the names of the downloader's
    regions, their own first: the example row and the code sheet offer only those."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.template_sheet
    codes = _code_sheet(book, kind, regions)
    example_values = {**kind.template_example, "region": regions[0] if regions else ""}
    for column, key in enumerate(kind.template_fields, start=1):
        cell = sheet.cell(row=1, column=column, value=kind.labels[key])
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _REQUIRED_FILL if key == kind.header_field else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        value = example_values.get(key, "")
        example = sheet.cell(row=2, column=column, value=value)
        letter = get_column_letter(column)
        width = len(str(value)) * 2 + 2
        sheet.column_dimensions[letter].width = max(10, min(36, width))
        if key in kind.template_text_fields:
            example.number_format = "@"
            for row in range(3, 1001):
                sheet.cell(row=row, column=column).number_format = "@"
        if codes and key in codes:
            validation = DataValidation(type="list", formula1=codes[key], allow_blank=True)
            validation.showErrorMessage = False  # aliases such as “汉” are accepted too
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1000")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for row, line in enumerate(kind.template_instructions, start=1):
        notes.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    if codes is not None:
        book.move_sheet("代码表", offset=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _code_sheet(book: Workbook, kind: ImportKind, regions: list[str]) -> dict[str, str] | None:
    """A sheet listing the regions and the names of the kind's code tables, one column each; the
    template's columns offer them as drop-down lists. Returns field → list formula, or None when
    the kind's template has no such column (and so no code sheet)."""
    columns = [
        (key, kind.labels[key], "region" if key == "region" else kind.field_by_key[key].code_kind)
        for key in kind.template_fields
        if key == "region" or kind.field_by_key[key].code_kind
    ]
    columns.sort(key=lambda column: column[0] != "region")  # regions first
    if not columns:
        return None
    sheet = book.create_sheet("代码表")
    names: dict[str, list[str]] = {"region": regions}
    for item in CodeItem.objects.filter(is_active=True).order_by("kind", "order", "id"):
        names.setdefault(item.kind, []).append(item.name)
    formulas: dict[str, str] = {}
    for column, (key, label, code_kind) in enumerate(columns, start=1):
        values = names.get(code_kind, [])
        sheet.cell(row=1, column=column, value=label).font = Font(bold=True)
        for row, name in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=name)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 24
        if values and not kind.field_by_key[key].multiple:  # several per cell: no single choice
            last = len(values) + 1
            formulas[key] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${last}"
    return formulas


def template_filename(kind: ImportKind) -> str:
    return f"{kind.template_title}_{datetime.date.today():%Y%m%d}.xlsx"
