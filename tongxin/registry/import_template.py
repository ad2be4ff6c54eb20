"""The roster template offered for download: built here with openpyxl, never a committed binary,
so its headers are always the ones the importer reads."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .import_readers import MAX_UPLOAD_MB
from .import_rows import EXAMPLE_ID_NUMBER, FIELD_BY_KEY, FIELDS
from .models import CodeItem

TEMPLATE_FIELDS = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "region", "employer",
    "position", "categories", "stratum_group", "political_status", "religion", "education",
    "title", "representative_level", "notes",
)  # fmt: skip
EXAMPLE = {
    "name": "张三",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1990-05-01",
    "id_number": EXAMPLE_ID_NUMBER,
    "phone": "13800000000",
    "employer": "德阳某某科技有限公司",
    "position": "总经理",
    "categories": "新的社会阶层人士、非公有制经济人士",
    "stratum_group": "民营企业和外商投资企业管理技术人员",
    "political_status": "群众",
    "religion": "无宗教信仰",
    "education": "大学本科",
    "title": "工程师",
    "representative_level": "市级",
    "notes": "示例行，导入前请删除",
}
TEXT_COLUMNS = ("id_number", "phone", "birth_date")
INSTRUCTIONS = (
    "统战对象名册导入说明",
    "",
    "一、在“名册”工作表中从第2行起每行填写一人，第1行表头请勿修改；系统只读取第一个工作表。",
    "二、“姓名”必填；“所属区域”填写区县名称或6位区划代码（见“代码表”，只能填您管辖范围内的区域），"
    "也可留空并在上传时选择默认区域。",
    "三、“公民身份号码”填写18位身份证号（末位X大小写均可）。性别和出生日期以身份证号为准，"
    "与之不符时系统给出提示。请将该列保持为“文本”格式，以免 Excel 把号码存成数字而丢失末几位。",
    "四、出生日期可写为 1990-05-01、1990.05、1990年5月 等格式。",
    "五、“人员类别”可填多项，用顿号、逗号或分号分隔，如：新的社会阶层人士、非公有制经济人士。",
    "六、民族、政治面貌、宗教信仰、学历、新阶类别、代表人士级别请使用“代码表”工作表中的名称"
    "（常见简称如“汉”“本科”“党员”也可识别）。",
    "七、请勿合并单元格、勿使用公式；空行会被跳过。",
    f"八、支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）格式，单个文件不超过 {MAX_UPLOAD_MB} MB。",
    "九、上传后系统先预览：逐行列出错误（按 Excel 行号）、提示和与已有记录重复的人员；"
    "确认无误后再导入，导入时所有无误的行一次写入，遇到已有记录可选择跳过或更新。",
    "十、第2行为示例，导入前请删除（保留也不会被导入）。",
)
_HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
_REQUIRED_FILL = PatternFill("solid", fgColor="7F1010")


def template_bytes(regions: list[str]) -> bytes:
    """The template. ``regions`` are the names of the downloader's regions, their own first:
    the example row and the code sheet offer only those."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名册"
    codes = _code_sheet(book, regions)
    example_values = {**EXAMPLE, "region": regions[0] if regions else ""}
    for column, key in enumerate(TEMPLATE_FIELDS, start=1):
        cell = sheet.cell(row=1, column=column, value=FIELD_BY_KEY[key].label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _REQUIRED_FILL if key == "name" else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        example = sheet.cell(row=2, column=column, value=example_values[key])
        letter = get_column_letter(column)
        width = len(str(example_values[key])) * 2 + 2
        sheet.column_dimensions[letter].width = max(10, min(36, width))
        if key in TEXT_COLUMNS:
            example.number_format = "@"
            for row in range(3, 1001):
                sheet.cell(row=row, column=column).number_format = "@"
        if key in codes:
            validation = DataValidation(type="list", formula1=codes[key], allow_blank=True)
            validation.showErrorMessage = False  # aliases such as “汉” are accepted too
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1000")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for row, line in enumerate(INSTRUCTIONS, start=1):
        notes.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    book.move_sheet("代码表", offset=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _code_sheet(book: Workbook, regions: list[str]) -> dict[str, str]:
    """A sheet listing the regions and every code table's names, one column each; the roster's
    columns offer them as drop-down lists. Returns field → list formula."""
    sheet = book.create_sheet("代码表")
    names: dict[str, list[str]] = {"region": regions}
    for item in CodeItem.objects.filter(is_active=True).order_by("kind", "order", "id"):
        names.setdefault(item.kind, []).append(item.name)
    columns = [("region", "所属区域", "region")] + [
        (f.key, f.label, f.code_kind) for f in FIELDS if f.code_kind and f.key in TEMPLATE_FIELDS
    ]
    formulas: dict[str, str] = {}
    for column, (key, label, kind) in enumerate(columns, start=1):
        values = names.get(kind, [])
        sheet.cell(row=1, column=column, value=label).font = Font(bold=True)
        for row, name in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=name)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 24
        if values and key != "categories":  # several categories per cell: no single choice
            last = len(values) + 1
            formulas[key] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${last}"
    return formulas


def template_filename() -> str:
    return f"统战对象名册导入模板_{datetime.date.today():%Y%m%d}.xlsx"
