"""One roster row, judged: columns found by header, values normalized, every problem named with
the row number Excel shows and the column as the file calls it.

Pure checks only, apart from the code tables and regions read once per file. Duplicates of
existing records are found in batches by ``importing``.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tongxin.core import access, ids, text
from tongxin.core.models import Region, Role, User

from .import_readers import CellProblem
from .models import CodeItem, CodeKind, Gender, Person

HEADER_SEARCH_ROWS = 10

NAME_REQUIRED = "姓名不能为空。请填写姓名，或删除这一行。"
TOO_LONG = "{label}不能超过{limit}个字（现有{length}个字），请精简。"
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
CELL_ERROR = "单元格是错误值“{value}”。请修正公式，或直接填写内容后重新导入。"
CELL_UNCALCULATED = (
    "单元格是公式，但文件里没有保存计算结果。请在 Excel 中打开并保存，"
    "或把公式“选择性粘贴为数值”后重新导入。"
)
REPEAT_ID = "与第{row}行重复（身份证号相同）。请删除重复的一行。"
REPEAT_NAME = (
    "与第{row}行重复（姓名和出生日期相同）。请删除重复的一行；如确为两人，请填写身份证号。"
)
EXAMPLE_ROW = "这是导入模板中的示例行，不会导入。请删除该行。"

# The template's example row (import_template.py): recognized so that it is never imported.
EXAMPLE_ID_NUMBER = ids.make_id_number("510603", datetime.date(1990, 5, 1), 1, "M")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    code_kind: str = ""
    max_length: int = 0


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
    Field("categories", "人员类别", ("类别", "统战对象类别", "对象类别"), CodeKind.CATEGORY),
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
CODE_FIELDS = tuple(f for f in FIELDS if f.code_kind and f.key != "categories")
TEXT_FIELDS = ("employer", "position", "title", "political_performance", "notes")

_HEADER_NOTE = re.compile(r"\([^()]*\)$")
_HEADER_NOISE = re.compile(r"[\s*:]")
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

Issue = dict[str, Any]


def header_key(raw: object) -> str:
    """A header as compared: simplified, half-width, without spaces, stars (required marks) or a
    trailing note in brackets ("出生日期（年月日）")."""
    cleaned = text.t2s(text.clean(plain(raw)))
    stripped = _HEADER_NOTE.sub("", cleaned) or cleaned
    return _HEADER_NOISE.sub("", stripped).lower()


def code_key(raw: str) -> str:
    return text.t2s(text.clean(raw)).replace(" ", "").lower()


def plain(value: object) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO dates."""
    if value is None or isinstance(value, CellProblem):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_HEADER_INDEX = {header_key(h): f.key for f in FIELDS for h in (f.label, *f.aliases)}


def issue(row: int, column: str, message: str) -> Issue:
    return {"row": row, "column": column, "message": message}


# --- the header ---------------------------------------------------------------------------------


@dataclass
class Layout:
    header_row: int
    columns: list[dict[str, Any]]
    fields: dict[str, int]
    headers: dict[str, str]
    unmapped: list[str]
    notices: list[str]

    def header(self, key: str) -> str:
        return self.headers.get(key, FIELD_BY_KEY[key].label)


DUPLICATE_COLUMN = "“{header}”列与“{first}”列都对应“{label}”，只读取了“{first}”列。"


def layout_of(number: int, values: list[Any], column_map: dict[str, str]) -> Layout | None:
    """The columns of a header row, or None if it has no 姓名 column (then it is not the header)."""
    layout = Layout(number, [], {}, {}, [], [])
    for index, raw in enumerate(values):
        header = text.clean(plain(raw))
        if not header:
            continue
        auto = header not in column_map
        key = _HEADER_INDEX.get(header_key(header), "") if auto else column_map[header]
        if key in layout.fields:
            first = layout.headers[key]
            label = FIELD_BY_KEY[key].label
            layout.notices.append(DUPLICATE_COLUMN.format(header=header, first=first, label=label))
            key = ""
        elif key:
            layout.fields[key] = index
            layout.headers[key] = header
        elif auto:
            layout.unmapped.append(header)
        layout.columns.append(
            {"index": index, "letter": _letter(index), "header": header, "field": key, "auto": auto}
        )
    return layout if "name" in layout.fields else None


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- lookups ------------------------------------------------------------------------------------


class Codes:
    """Active code items by kind, found by name or alias, in either script (汉 → 汉族)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, CodeItem]] = defaultdict(dict)
        self.examples: dict[str, str] = {}
        items = list(CodeItem.objects.filter(is_active=True).order_by("kind", "order", "id"))
        for item in items:  # names first: an alias never shadows another item's name
            self.tables[item.kind].setdefault(code_key(item.name), item)
        for item in items:
            for alias in item.alias_list():
                self.tables[item.kind].setdefault(code_key(alias), item)
        names: dict[str, list[str]] = defaultdict(list)
        for item in items:
            names[item.kind].append(item.name)
        self.examples = {kind: "、".join(values[:4]) for kind, values in names.items()}

    def find(self, kind: str, value: str) -> CodeItem | None:
        return self.tables[kind].get(code_key(value))


class Regions:
    """Regions by code, name or full name ("德阳市旌阳区"); those in the uploader's scope first."""

    def __init__(self, actor: User) -> None:
        regions = list(Region.objects.all())
        self.visible = set(access.scope(actor, Region.objects.all()).values_list("pk", flat=True))
        by_pk = {r.pk: r for r in regions}
        self.by_key: dict[str, list[Region]] = defaultdict(list)
        for region in regions:
            self.by_key[region.code].append(region)
            name, parent = region.name, by_pk.get(region.parent_id)  # type: ignore[arg-type]
            self.by_key[code_key(name)].append(region)
            while parent is not None:
                name = parent.name + name
                self.by_key[code_key(name)].append(region)
                parent = by_pk.get(parent.parent_id)  # type: ignore[arg-type]
        self.regions = regions
        self._found: dict[str, Region | None] = {}

    def find(self, value: str) -> Region | None:
        key = code_key(value)
        if key not in self._found:
            self._found[key] = self._find(key)
        return self._found[key]

    def _find(self, key: str) -> Region | None:
        found = self.by_key.get(key) or [
            r for r in self.regions if len(key) >= 2 and code_key(r.name).startswith(key)
        ]
        visible = [r for r in found if r.pk in self.visible]
        chosen = visible or found
        return chosen[0] if chosen else None


# --- one row ------------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    region_given: bool = False
    existing: Person | None = None
    duplicate: Issue | None = None
    unreadable: set[str] = field(default_factory=set)

    @property
    def name_key(self) -> tuple[str, datetime.date] | None:
        birth = self.values.get("birth_date")
        return (text.t2s(self.values["name"]), birth) if birth else None


class RowChecker:
    def __init__(self, actor: User, default_region: Region | None, layout: Layout) -> None:
        self.actor = actor
        self.default_region = default_region
        self.layout = layout
        self.codes = Codes()
        self.regions = Regions(actor)
        self.lines: dict[int, str] | None = None
        if actor.role == Role.CITY_STAFF:
            self.lines = dict(actor.lines.values_list("pk", "name"))
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[tuple[str, datetime.date], int] = {}

    def check(self, number: int, values: list[Any]) -> RowResult | None:
        """The row judged, or None for a blank row (skipped)."""
        if not any(plain(v).strip() for v in values) and not any(
            isinstance(v, CellProblem) for v in values
        ):
            return None
        r = RowResult(number)
        cells: dict[str, Any] = {}
        for key, index in self.layout.fields.items():
            raw = values[index] if index < len(values) else None
            if isinstance(raw, CellProblem):
                message = CELL_UNCALCULATED if not raw.shown else CELL_ERROR.format(value=raw.shown)
                self._error(r, key, message)
                r.unreadable.add(key)
                raw = None
            cells[key] = raw
        self._name(r, cells)
        self._identity(r, cells)
        self._region(r, cells)
        self._codes(r, cells)
        self._texts(r, cells)
        self._repeats(r)
        return r

    def _error(self, r: RowResult, key: str, message: str) -> None:
        if key in r.unreadable:  # said once: the cell itself is the problem
            return
        r.errors.append(issue(r.row, self.layout.header(key), message))

    def _warn(self, r: RowResult, key: str, message: str) -> None:
        r.warnings.append(issue(r.row, self.layout.header(key), message))

    def _name(self, r: RowResult, cells: dict[str, Any]) -> None:
        name = text.clean(plain(cells.get("name")))
        r.values["name"] = name
        if not name:
            self._error(r, "name", NAME_REQUIRED)
        else:
            self._length(r, "name", name)

    def _length(self, r: RowResult, key: str, value: str) -> None:
        limit = FIELD_BY_KEY[key].max_length
        if limit and len(value) > limit:
            label = FIELD_BY_KEY[key].label
            self._error(r, key, TOO_LONG.format(label=label, limit=limit, length=len(value)))

    def _identity(self, r: RowResult, cells: dict[str, Any]) -> None:
        raw_id = cells.get("id_number")
        number, id_gender, id_birth = "", "", None
        if isinstance(raw_id, float):
            self._error(r, "id_number", ID_AS_NUMBER)
        elif plain(raw_id).strip():
            check = ids.check_id_number(plain(raw_id))
            number = check.number
            for message in check.errors:
                self._error(r, "id_number", message)
            for message in check.warnings:
                self._warn(r, "id_number", message)
            if check.ok:
                id_gender, id_birth = check.gender, check.birth_date
                if number == EXAMPLE_ID_NUMBER:
                    self._error(r, "id_number", EXAMPLE_ROW)
        r.values["id_number"] = number
        raw_phone = plain(cells.get("phone")).strip()
        r.values["phone"] = ""
        if raw_phone:
            phone = ids.check_phone(raw_phone)
            for message in phone.errors:
                self._error(r, "phone", message)
            r.values["phone"] = phone.number
        r.values["gender"] = self._gender(r, cells.get("gender"), id_gender)
        r.values["birth_date"] = self._birth(r, cells.get("birth_date"), id_birth)

    def _gender(self, r: RowResult, raw: Any, from_id: str) -> str:
        shown = text.clean(plain(raw))
        given = _GENDERS.get(shown.lower(), "") if shown else ""
        if from_id:
            if shown and given != from_id:
                label = Gender(from_id).label
                self._warn(r, "gender", GENDER_CONFLICT.format(value=shown, gender=label))
            return from_id
        if shown and not given:
            self._error(r, "gender", GENDER_INVALID.format(value=shown))
        return given

    def _birth(self, r: RowResult, raw: Any, from_id: datetime.date | None) -> datetime.date | None:
        shown = text.clean(plain(raw))
        if not shown:
            return from_id
        try:
            given, month_only = _parse_birth(raw, shown)
        except ValueError as exc:
            if from_id:
                self._warn(r, "birth_date", BIRTH_IGNORED.format(value=shown, date=from_id))
                return from_id
            self._error(r, "birth_date", str(exc))
            return None
        if from_id is None:
            return given
        same = (given.year, given.month) == (from_id.year, from_id.month)
        if not same or (not month_only and given != from_id):
            self._warn(r, "birth_date", BIRTH_CONFLICT.format(value=shown, date=from_id))
        return from_id

    def _region(self, r: RowResult, cells: dict[str, Any]) -> None:
        shown = text.clean(plain(cells.get("region")))
        r.region_given = bool(shown)
        region = self.default_region
        if shown:
            region = self.regions.find(shown)
            if region is None:
                self._error(r, "region", REGION_UNKNOWN.format(value=shown))
            elif region.pk not in self.regions.visible:
                self._error(r, "region", REGION_OUT_OF_SCOPE.format(value=shown))
                region = None
        elif region is None:
            self._error(r, "region", REGION_REQUIRED)
        r.values["region"] = region

    def _codes(self, r: RowResult, cells: dict[str, Any]) -> None:
        for f in CODE_FIELDS:
            shown = text.clean(plain(cells.get(f.key)))
            item = self._code(r, f, shown) if shown else None
            r.values[f.key] = item
        group, subtype = r.values["stratum_group"], r.values["stratum_subtype"]
        if subtype is not None and group is None:
            r.values["stratum_group"] = subtype.parent
        elif subtype is not None and group is not None and subtype.parent_id != group.pk:
            message = SUBTYPE_MISMATCH.format(subtype=subtype.name, group=group.name)
            self._error(r, "stratum_subtype", message)
        categories = []
        for value in text.split_multi(plain(cells.get("categories"))):
            item = self._code(r, FIELD_BY_KEY["categories"], value)
            if item is not None and item not in categories:
                categories.append(item)
        r.values["categories"] = categories
        if self.lines is not None and not any(c.line_id in self.lines for c in categories):
            lines = "、".join(self.lines.values()) or "无"
            self._error(r, "categories", CATEGORY_OUT_OF_LINE.format(lines=lines))
        flag = text.clean(plain(cells.get("is_representative"))).lower()
        representative: bool | None = None
        if flag in _YES or r.values["representative_level"] is not None:
            representative = True
        elif flag in _NO:
            representative = False
        elif flag:
            label = self.layout.header("is_representative")
            self._error(r, "is_representative", BOOL_INVALID.format(label=label, value=flag))
        r.values["is_representative"] = representative

    def _code(self, r: RowResult, f: Field, value: str) -> CodeItem | None:
        item = self.codes.find(f.code_kind, value)
        if item is None:
            examples = self.codes.examples.get(f.code_kind, "")
            self._error(
                r, f.key, CODE_UNKNOWN.format(label=f.label, value=value, examples=examples)
            )
        return item

    def _texts(self, r: RowResult, cells: dict[str, Any]) -> None:
        for key in TEXT_FIELDS:
            value = text.clean(plain(cells.get(key)))
            r.values[key] = value
            self._length(r, key, value)
        tags = [t for t in text.split_multi(plain(cells.get("tags"))) if t]
        for tag in tags:
            if len(tag) > 32:
                self._error(r, "tags", TOO_LONG.format(label="标签", limit=32, length=len(tag)))
        r.values["tags"] = tags

    def _repeats(self, r: RowResult) -> None:
        number = r.values["id_number"]
        if number and not any(e["column"] == self.layout.header("id_number") for e in r.errors):
            first = self.seen_ids.setdefault(number, r.row)
            if first != r.row:
                self._error(r, "id_number", REPEAT_ID.format(row=first))
            return
        key = r.name_key if r.values["name"] else None
        if key is not None and not number:
            first = self.seen_names.setdefault(key, r.row)
            if first != r.row:
                self._error(r, "name", REPEAT_NAME.format(row=first))


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
