"""The persons kind's rows (import_persons.py): one roster row judged, values normalized, every
problem named with the row number Excel shows and the column as the file calls it.

Pure checks only, apart from the code tables and regions read once per file. Duplicates of
existing records are found in batches by ``import_persons.find_existing``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tongxin.core import ids, text
from tongxin.core.models import Role, User

from .import_kinds import (
    TOO_LONG,
    Codes,
    Field,
    Layout,
    Regions,
    RowChecker,
    RowResult,
    plain,
)
from .models import CodeItem, CodeKind, Gender

if TYPE_CHECKING:
    from .import_kinds import ImportKind
    from .models import ImportJob

NAME_REQUIRED = "姓名不能为空。请填写姓名，或删除这一行。"
ID_AS_NUMBER = (
    "身份证号被 Excel 存成了数字，后几位已经丢失。"
    "请把该列设置为“文本”格式，重新填写身份证号后再导入。"
)
GENDER_INVALID = "性别“{value}”无法识别，请填写“男”或“女”。"
GENDER_CONFLICT = "性别“{value}”与身份证号不符，已按身份证号记为“{gender}”。"
BIRTH_CONFLICT = "出生日期“{value}”与身份证号不符，已按身份证号记为 {date}。"
BIRTH_YEAR_ONLY = "出生日期“{value}”只有年份，请写成 1990-05-01、1990.05 或 1990年5月。"
BIRTH_IGNORED = "出生日期“{value}”无法识别，已按身份证号记为 {date}。"
REGION_REQUIRED = "未填写所属区域。请填写区县名称或6位区划代码，或在上传时选择默认区域。"
REGION_UNKNOWN = (
    "所属区域“{value}”不存在。请填写区县的标准名称或6位区划代码（见导入模板的“代码表”）。"
)
REGION_OUT_OF_SCOPE = "所属区域“{value}”不在您的管辖范围内，不能导入。请只导入本辖区的人员。"
CODE_UNKNOWN = "{label}“{value}”不在代码表中，请改为标准名称，如：{examples}。"
SUBTYPE_MISMATCH = "新阶细类“{subtype}”不属于新阶类别“{group}”，请核对。"
BOOL_INVALID = "{label}“{value}”无法识别，请填写“是”或“否”。"
CATEGORY_OUT_OF_LINE = "人员类别中至少要有一项属于您负责的条线（{lines}），否则不能导入。"
REPEAT_ID = "与第{row}行重复（身份证号相同）。请删除重复的一行。"
REPEAT_NAME = (
    "与第{row}行重复（姓名和出生日期相同）。请删除重复的一行；如确为两人，请填写身份证号。"
)
EXAMPLE_ROW = "这是导入模板中的示例行，不会导入。请删除该行。"

# The template's example row (import_template.py): recognized so that it is never imported.
EXAMPLE_ID_NUMBER = ids.make_id_number("510603", datetime.date(1990, 5, 1), 1, "M")


FIELDS: tuple[Field, ...] = (
    Field("name", "姓名", ("名字",), max_length=64),
    Field("gender", "性别"),
    Field("ethnicity", "民族", code_kind=CodeKind.ETHNICITY),
    Field("birth_date", "出生日期", ("出生年月", "出生年月日", "生日")),
    Field("id_number", "公民身份号码", ("身份证号", "身份证号码", "证件号码", "身份证")),
    Field("phone", "手机号码", ("联系电话", "手机", "手机号", "电话", "联系方式")),
    Field("region", "所属区域", ("区县", "所属区县", "区域", "所属区划", "区划", "所在区县")),
    Field("employer", "工作单位", ("单位", "工作单位名称", "所在单位"), max_length=128),
    Field("position", "职务", ("职位", "现任职务"), max_length=128),
    Field(
        "categories",
        "人员类别",
        ("类别", "统战对象类别", "对象类别"),
        CodeKind.CATEGORY,
        multiple=True,
    ),
    Field("stratum_group", "新阶类别", ("新的社会阶层人士类别",), CodeKind.STRATUM_GROUP),
    Field("stratum_subtype", "新阶细类", (), CodeKind.STRATUM_SUBTYPE),
    Field("political_status", "政治面貌", (), CodeKind.POLITICAL_STATUS),
    Field("religion", "宗教信仰", ("宗教",), CodeKind.RELIGION),
    Field("education", "学历", ("文化程度", "最高学历"), CodeKind.EDUCATION),
    Field("title", "职称", ("专业技术职称",), max_length=64),
    Field("representative_level", "代表人士级别", ("代表人士层级",), CodeKind.REP_LEVEL),
    Field("is_representative", "是否代表人士", ("代表人士",)),
    Field("tags", "标签"),
    Field("political_performance", "主要政治表现", ("政治表现",)),
    Field("notes", "备注", ("说明",)),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
CODE_FIELDS = tuple(f for f in FIELDS if f.code_kind and not f.multiple)
TEXT_FIELDS = ("employer", "position", "title", "political_performance", "notes")

_MONTH_ONLY = re.compile(r"^\d{4}(?:[-/.]\d{1,2}|年\d{1,2}月|\d{2})$", re.ASCII)
_YEAR_ONLY = re.compile(r"^\d{4}(?:年)?$", re.ASCII)
_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", "×", "✗"}
_GENDERS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}


# --- one row ------------------------------------------------------------------------------------


@dataclass
class PersonRow(RowResult):
    region_given: bool = False

    @property
    def name_key(self) -> tuple[str, datetime.date] | None:
        birth = self.values.get("birth_date")
        return (text.t2s(self.values["name"]), birth) if birth else None


class PersonChecker(RowChecker):
    row_class = PersonRow

    def __init__(self, kind: ImportKind, actor: User, job: ImportJob, layout: Layout) -> None:
        super().__init__(kind, actor, job, layout)
        self.default_region = job.region
        self.codes = Codes()
        self.regions = Regions(actor)
        self.lines: dict[int, str] | None = None
        if actor.role == Role.CITY_STAFF:
            self.lines = dict(actor.lines.values_list("pk", "name"))
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[tuple[str, datetime.date], int] = {}

    def judge(self, r: RowResult, cells: dict[str, Any]) -> None:
        assert isinstance(r, PersonRow)
        self._name(r, cells)
        self._identity(r, cells)
        self._region(r, cells)
        self._codes(r, cells)
        self._texts(r, cells)
        self._repeats(r)

    def _name(self, r: PersonRow, cells: dict[str, Any]) -> None:
        name = text.clean(plain(cells.get("name")))
        r.values["name"] = name
        if not name:
            self.error(r, "name", NAME_REQUIRED)
        else:
            self.length(r, "name", name)

    def _identity(self, r: PersonRow, cells: dict[str, Any]) -> None:
        raw_id = cells.get("id_number")
        number, id_gender, id_birth = "", "", None
        if isinstance(raw_id, float):
            self.error(r, "id_number", ID_AS_NUMBER)
        elif plain(raw_id).strip():
            check = ids.check_id_number(plain(raw_id))
            number = check.number
            for message in check.errors:
                self.error(r, "id_number", message)
            for message in check.warnings:
                self.warn(r, "id_number", message)
            if check.ok:
                id_gender, id_birth = check.gender, check.birth_date
                if number == EXAMPLE_ID_NUMBER:
                    self.error(r, "id_number", EXAMPLE_ROW)
        r.values["id_number"] = number
        raw_phone = plain(cells.get("phone")).strip()
        r.values["phone"] = ""
        if raw_phone:
            phone = ids.check_phone(raw_phone)
            for message in phone.errors:
                self.error(r, "phone", message)
            r.values["phone"] = phone.number
        r.values["gender"] = self._gender(r, cells.get("gender"), id_gender)
        r.values["birth_date"] = self._birth(r, cells.get("birth_date"), id_birth)

    def _gender(self, r: PersonRow, raw: Any, from_id: str) -> str:
        shown = text.clean(plain(raw))
        given = _GENDERS.get(shown.lower(), "") if shown else ""
        if from_id:
            if shown and given != from_id:
                label = Gender(from_id).label
                self.warn(r, "gender", GENDER_CONFLICT.format(value=shown, gender=label))
            return from_id
        if shown and not given:
            self.error(r, "gender", GENDER_INVALID.format(value=shown))
        return given

    def _birth(self, r: PersonRow, raw: Any, from_id: datetime.date | None) -> datetime.date | None:
        shown = text.clean(plain(raw))
        if not shown:
            return from_id
        try:
            given, month_only = _parse_birth(raw, shown)
        except ValueError as exc:
            if from_id:
                self.warn(r, "birth_date", BIRTH_IGNORED.format(value=shown, date=from_id))
                return from_id
            self.error(r, "birth_date", str(exc))
            return None
        if from_id is None:
            return given
        same = (given.year, given.month) == (from_id.year, from_id.month)
        if not same or (not month_only and given != from_id):
            self.warn(r, "birth_date", BIRTH_CONFLICT.format(value=shown, date=from_id))
        return from_id

    def _region(self, r: PersonRow, cells: dict[str, Any]) -> None:
        shown = text.clean(plain(cells.get("region")))
        r.region_given = bool(shown)
        region = self.default_region
        if shown:
            region = self.regions.find(shown)
            if region is None:
                self.error(r, "region", REGION_UNKNOWN.format(value=shown))
            elif region.pk not in self.regions.visible:
                self.error(r, "region", REGION_OUT_OF_SCOPE.format(value=shown))
                region = None
        elif region is None:
            self.error(r, "region", REGION_REQUIRED)
        r.values["region"] = region

    def _codes(self, r: PersonRow, cells: dict[str, Any]) -> None:
        for f in CODE_FIELDS:
            shown = text.clean(plain(cells.get(f.key)))
            item = self._code(r, f, shown) if shown else None
            r.values[f.key] = item
        group, subtype = r.values["stratum_group"], r.values["stratum_subtype"]
        if subtype is not None and group is None:
            r.values["stratum_group"] = subtype.parent
        elif subtype is not None and group is not None and subtype.parent_id != group.pk:
            message = SUBTYPE_MISMATCH.format(subtype=subtype.name, group=group.name)
            self.error(r, "stratum_subtype", message)
        categories = []
        kind = FIELD_BY_KEY["categories"].code_kind
        for value in self.codes.split(kind, plain(cells.get("categories"))):
            item = self._code(r, FIELD_BY_KEY["categories"], value)
            if item is not None and item not in categories:
                categories.append(item)
        r.values["categories"] = categories
        if self.lines is not None and not any(c.line_id in self.lines for c in categories):
            lines = "、".join(self.lines.values()) or "无"
            self.error(r, "categories", CATEGORY_OUT_OF_LINE.format(lines=lines))
        flag = text.clean(plain(cells.get("is_representative"))).lower()
        representative: bool | None = None
        if flag in _YES or r.values["representative_level"] is not None:
            representative = True
        elif flag in _NO:
            representative = False
        elif flag:
            label = self.layout.header("is_representative")
            self.error(r, "is_representative", BOOL_INVALID.format(label=label, value=flag))
        r.values["is_representative"] = representative

    def _code(self, r: PersonRow, f: Field, value: str) -> CodeItem | None:
        item = self.codes.find(f.code_kind, value)
        if item is None:
            examples = self.codes.examples.get(f.code_kind, "")
            self.error(r, f.key, CODE_UNKNOWN.format(label=f.label, value=value, examples=examples))
        return item

    def _texts(self, r: PersonRow, cells: dict[str, Any]) -> None:
        for key in TEXT_FIELDS:
            r.values[key] = self.text(r, cells, key)
        tags = [t for t in text.split_multi(plain(cells.get("tags"))) if t]
        for tag in tags:
            if len(tag) > 32:
                self.error(r, "tags", TOO_LONG.format(label="标签", limit=32, length=len(tag)))
        r.values["tags"] = tags

    def _repeats(self, r: PersonRow) -> None:
        number = r.values["id_number"]
        if number and not any(e["column"] == self.layout.header("id_number") for e in r.errors):
            first = self.seen_ids.setdefault(number, r.row)
            if first != r.row:
                self.error(r, "id_number", REPEAT_ID.format(row=first))
            return
        key = r.name_key if r.values["name"] else None
        if key is not None and not number:
            first = self.seen_names.setdefault(key, r.row)
            if first != r.row:
                self.error(r, "name", REPEAT_NAME.format(row=first))


def _parse_birth(raw: Any, shown: str) -> tuple[datetime.date, bool]:
    """A birth date and whether it names only a month (1990.05). A number typed as 1990.05 is
    stored by Excel as the float 1990.05, not a date serial."""
    if isinstance(raw, float) and not raw.is_integer() and 1900 <= raw < 2101:
        year = int(raw)
        month = round((raw - year) * 100)
        return text.parse_date(f"{year}.{month:02d}"), True
    if _YEAR_ONLY.match(shown):
        raise ValueError(BIRTH_YEAR_ONLY.format(value=shown))
    # Integers go as text: 32874 is a serial, 19900501 is digits of a date.
    value = raw if isinstance(raw, datetime.date | float) else shown
    return text.parse_date(value), bool(_MONTH_ONLY.match(shown.replace(" ", "")))
