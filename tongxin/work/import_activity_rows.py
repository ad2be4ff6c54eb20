"""The rows of the activities import (import_activities.py): one participant a row, grouped into
activities by 活动名称 and 日期.

The first row of an activity carries its fields (type, place, region, line, organizers,
headcount); later rows repeat them or leave them blank, and a row leaving both 活动名称 and 日期
blank continues the activity above. A later row that says something else than the first is an
error naming the first row: which one is right is for the uploader to say, not for us to guess.

Activity types, regions, lines and units are read once per file; people are found a batch of
rows at a time (``judge_batch``, import_support.PeopleFinder), so a file costs a few queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tongxin.core import text
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.registry.import_kinds import (
    Codes,
    Layout,
    Regions,
    RowChecker,
    RowResult,
    code_key,
    plain,
)
from tongxin.registry.import_rows import REGION_REQUIRED, REGION_UNKNOWN
from tongxin.registry.models import CodeItem, CodeKind

from .import_support import FLAG_INVALID, PeopleFinder, Units, flag, name_key
from .models import ParticipantRole

if TYPE_CHECKING:
    from tongxin.registry.import_kinds import ImportKind
    from tongxin.registry.models import ImportJob

TITLE_REQUIRED = "活动名称不能为空。请填写活动名称；同一活动的后续行可把活动名称和日期都留空。"
DATE_REQUIRED = "日期不能为空。请填写活动日期，如：2023-07-05。"
DATE_INVALID = "日期“{value}”无法识别，请写成 2023-07-05 或 2023年7月5日。"
DATE_NO_DAY = "日期“{value}”没有写到哪一天，请写成 2023-07-05 或 2023年7月5日。"
NO_ACTIVITY_ABOVE = "没有填写活动名称和日期，上方也没有可归属的活动。请填写活动名称和日期。"
ACTIVITY_BROKEN = "本行所属活动的第一行（第{first}行）有误，本行不能导入。请先修改第{first}行。"
CONFLICT = (
    "“{label}”与本活动第一行（第{first}行）的“{value}”不一致。活动信息以第一行为准，"
    "后续行请填写相同内容或留空。"
)
CONFLICT_BLANK = (
    "本活动第一行（第{first}行）没有填写“{label}”。活动信息以第一行为准，"
    "请把它填在第{first}行，后续行填写相同内容或留空。"
)
TYPE_REQUIRED = "活动类型不能为空。请在本活动第一行填写活动类型，如：{examples}。"
TYPE_UNKNOWN = "活动类型“{value}”不在代码表中，请改为标准名称，如：{examples}。"
REGION_OUT_OF_SCOPE = "所属区域“{value}”不在您的管辖范围内，不能导入。请只导入本辖区的活动。"
LINE_UNKNOWN = "条线“{value}”不存在，请填写：{names}。"
LINE_NOT_YOURS = "条线“{value}”不是您负责的条线，请填写：{names}。"
LINE_REQUIRED = "请填写条线（市级业务人员导入的活动须属于所负责的条线：{names}）。"
UNIT_UNKNOWN = (
    "{label}“{value}”不在单位列表中，或不在您的管辖范围内。"
    "请填写单位全称或简称，如：市委统战部；多个单位用顿号分隔。"
)
UNIT_AMBIGUOUS = "{label}“{value}”对应多个单位（{names}），请填写单位全称。"
HEADCOUNT_INVALID = "参加人数“{value}”应为正整数，如：120。"
PARTICIPANT_REQUIRED = "请填写参加人员或参加单位（二者填一项）。"
PARTICIPANT_BOTH = "参加人员和参加单位只能填一项。单位派人参加的，请把人员和单位分两行填写。"
ROLE_UNKNOWN = "角色“{value}”无法识别，请填写：{roles}（留空为“参加”）。"
OUTSIDER_NEEDS_NAME = "“名册外”填了“是”，请在“参加人员”列填写该人员的姓名。"
OUTSIDER_NOT_UNIT = "“名册外”只用于参加人员，填写参加单位的行请把该列留空。"
OUTSIDER_NO_TITLE = (
    "名册外人员“{name}”没有填写身份/职务，活动记录中将只有姓名。"
    "建议填写，如：市委常委、统战部部长。"
)
PERSON_NOT_FOUND = (
    "名册中没有找到“{name}”。如是统战对象，请先在统战对象中登记，或核对姓名和工作单位；"
    "如是领导同志等名册外人员，请在“名册外”列填“是”并填写身份/职务。"
)
REPEAT = "“{name}”已在本活动的第{row}行填写过，请删除重复的一行。"
EXAMPLE_ROW = "这是导入模板中的示例行，不会导入。请删除该行。"
EXAMPLE_TITLE = "示例：全市新的社会阶层人士统战工作推进会"
ACTIVITIES_FOUND = "文件中共有{count}个活动：{names}。"

ACTIVITY_FIELDS = ("type", "place", "region", "line", "organizers", "headcount")
ROLES = {
    **{code_key(r.label): r.value for r in ParticipantRole},
    **{r.value: r.value for r in ParticipantRole},
}
ROLE_NAMES = "、".join(r.label for r in ParticipantRole)
_MONTH_ONLY = re.compile(r"^\d{4}(?:[-/.]\d{1,2}|年\d{1,2}月|\d{2})$", re.ASCII)
_UNRECOGNIZED = text.DATE_UNRECOGNIZED.split("“", 1)[0]

Who = tuple[str, Any]  # ("person", pk), ("unit", pk) or ("name", name key)


@dataclass(eq=False)
class Planned:
    """An activity as the file describes it: its fields as its first row gave them, whom its
    rows name (each once), and the record it duplicates (find_existing)."""

    key: tuple[str, dt.date]
    first: int
    fields: dict[str, Any]
    broken: bool = False
    rows: int = 0
    seen: dict[Who, int] = field(default_factory=dict)
    looked_up: bool = False
    existing: Any = None
    listed: set[Who] | None = None

    @property
    def service_fields(self) -> dict[str, Any]:
        """Keyword arguments of services_activities.activity_create."""
        f = self.fields
        return {
            "type": f["type"],
            "title": self.key[0],
            "date": self.key[1],
            "region": f["region"],
            "line": f["line"],
            "organizer_units": f["organizers"],
            "place": f["place"],
            "headcount": f["headcount"],
        }


@dataclass
class ActivityRow(RowResult):
    planned: Planned | None = None
    person_name: str = ""  # found in the registry a batch at a time
    employer: str = ""
    listed: bool = False  # already on the existing activity's list

    @property
    def who(self) -> Who | None:
        v = self.values
        if v.get("person") is not None:
            return ("person", v["person"].pk)
        if v.get("unit") is not None:
            return ("unit", v["unit"].pk)
        return ("name", name_key(v["name"])) if v.get("name") else None


def who_of(person_id: int | None, unit_id: int | None, name: str) -> Who:
    if person_id is not None:
        return ("person", person_id)
    if unit_id is not None:
        return ("unit", unit_id)
    return ("name", name_key(name))


def shown(value: Any) -> str:
    """A resolved value as a sentence shows it."""
    if isinstance(value, list):
        return "、".join(shown(v) for v in value)
    if isinstance(value, Unit):
        return value.short_name or value.name
    if isinstance(value, CodeItem | Region | BusinessLine):
        return value.name
    return "" if value is None else str(value)


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(v.pk for v in value)
    return getattr(value, "pk", value)


class ActivityChecker(RowChecker):
    row_class = ActivityRow

    def __init__(self, kind: ImportKind, actor: User, job: ImportJob, layout: Layout) -> None:
        super().__init__(kind, actor, job, layout)
        self.codes = Codes()
        self.regions = Regions(actor)
        self.units = Units(actor)
        self.finder = PeopleFinder(actor)
        lines = list(BusinessLine.objects.order_by("order", "id"))
        self.lines = {code_key(k): ln for ln in lines for k in (ln.name, ln.full_name, ln.code)}
        self.all_lines = "、".join(ln.name for ln in lines)
        self.own_lines: list[BusinessLine] | None = None
        if actor.role == Role.CITY_STAFF:
            self.own_lines = list(actor.lines.order_by("order", "id"))
        self.planned: dict[tuple[str, dt.date], Planned] = {}
        # The activity later rows continue: a Planned, the row number of a first row that names
        # none usable, or None before the first.
        self.current: Planned | int | None = None

    # --- the activity ---------------------------------------------------------------------------

    def judge(self, r: RowResult, cells: dict[str, Any]) -> None:
        assert isinstance(r, ActivityRow)
        r.planned = self._activity(r, cells)
        if r.planned is not None:
            r.planned.rows += 1
            r.values["planned"] = r.planned
        self._participant(r, cells)

    def _activity(self, r: ActivityRow, cells: dict[str, Any]) -> Planned | None:
        title = text.line(plain(cells.get("title")))
        date_shown = text.clean(plain(cells.get("date")))
        keyless = {"title", "date"} & r.unreadable
        if not title and not date_shown and not keyless:
            return self._continued(r, cells)
        before = len(r.errors)
        if not title:
            self.error(r, "title", TITLE_REQUIRED)
        self.length(r, "title", title)
        if title == EXAMPLE_TITLE:
            self.error(r, "title", EXAMPLE_ROW)
        date = self._date(r, cells.get("date"), date_shown)
        if date is None or len(r.errors) > before or keyless:
            self.current = r.row
            return None
        planned = self.planned.get((title, date))
        if planned is None:
            fields = self._fields(r, cells, None)
            planned = Planned((title, date), r.row, fields, broken=len(r.errors) > before)
            self.planned[planned.key] = planned
        else:
            self._later(r, cells, planned)
        self.current = planned
        return planned

    def _continued(self, r: ActivityRow, cells: dict[str, Any]) -> Planned | None:
        current = self.current
        if current is None:
            self.error(r, "title", NO_ACTIVITY_ABOVE)
            return None
        if isinstance(current, int):
            self.error(r, "title", ACTIVITY_BROKEN.format(first=current))
            return None
        self._later(r, cells, current)
        return current

    def _later(self, r: ActivityRow, cells: dict[str, Any], planned: Planned) -> None:
        if planned.broken:
            self.error(r, "title", ACTIVITY_BROKEN.format(first=planned.first))
        self._fields(r, cells, planned)

    def _date(self, r: ActivityRow, raw: Any, shown_: str) -> dt.date | None:
        if "date" in r.unreadable:
            return None
        if not shown_:
            self.error(r, "date", DATE_REQUIRED)
            return None
        # 2023.07 typed as a number is the float 2023.07, not a date serial.
        typed_month = isinstance(raw, float) and not raw.is_integer() and 1900 <= raw < 2101
        if typed_month or (
            isinstance(raw, str | int) and _MONTH_ONLY.match(shown_.replace(" ", ""))
        ):
            self.error(r, "date", DATE_NO_DAY.format(value=shown_))
            return None
        try:
            # Integers go as text: 20230705 is digits of a date, not a serial.
            return text.parse_date(raw if isinstance(raw, dt.date | float) else shown_)
        except ValueError as exc:
            message = str(exc)
            if message.startswith(_UNRECOGNIZED):
                message = DATE_INVALID.format(value=shown_)
            self.error(r, "date", message)
            return None

    def _fields(
        self, r: ActivityRow, cells: dict[str, Any], planned: Planned | None
    ) -> dict[str, Any]:
        """The activity's fields from a first row (``planned`` None), blanks given their
        defaults; or a later row's compared with its first row's."""
        values: dict[str, Any] = {}
        for key in ACTIVITY_FIELDS:
            raw = cells.get(key)
            given = bool(text.clean(plain(raw)))
            if planned is None:
                values[key] = self._resolve(r, key, raw) if given else self._default(r, key)
            elif given:
                before = len(r.errors)
                value = self._resolve(r, key, raw)
                first = planned.fields[key]
                if len(r.errors) == before and _comparable(value) != _comparable(first):
                    label = self.layout.header(key)
                    message = (
                        CONFLICT.format(label=label, first=planned.first, value=shown(first))
                        if shown(first)
                        else CONFLICT_BLANK.format(label=label, first=planned.first)
                    )
                    self.error(r, key, message)
        return values

    def _resolve(self, r: ActivityRow, key: str, raw: Any) -> Any:
        value = text.clean(plain(raw))
        if key == "place":
            place = text.line(plain(raw))
            self.length(r, key, place)
            return place
        if key == "type":
            item = self.codes.find(CodeKind.ACTIVITY_TYPE, value)
            if item is None:
                examples = self.codes.examples.get(CodeKind.ACTIVITY_TYPE, "")
                self.error(r, key, TYPE_UNKNOWN.format(value=value, examples=examples))
            return item
        if key == "region":
            return self._region(r, value)
        if key == "line":
            return self._line(r, value)
        if key == "organizers":
            units = [self._unit(r, key, name) for name in text.split_multi(plain(raw))]
            return list(dict.fromkeys(u for u in units if u is not None))
        return self._headcount(r, raw, value)

    def _default(self, r: ActivityRow, key: str) -> Any:
        if key == "type":
            examples = self.codes.examples.get(CodeKind.ACTIVITY_TYPE, "")
            self.error(r, key, TYPE_REQUIRED.format(examples=examples))
            return None
        if key == "region":
            if self.job.region is None:
                self.error(r, key, REGION_REQUIRED)
            return self.job.region
        if key == "line":
            if self.own_lines is None:
                return None
            if len(self.own_lines) == 1:
                return self.own_lines[0]
            self.error(r, key, LINE_REQUIRED.format(names=self._own_line_names()))
            return None
        return {"organizers": [], "headcount": None, "place": ""}[key]

    def _region(self, r: ActivityRow, value: str) -> Region | None:
        region = self.regions.find(value)
        if region is None:
            self.error(r, "region", REGION_UNKNOWN.format(value=value))
        elif region.pk not in self.regions.visible:
            self.error(r, "region", REGION_OUT_OF_SCOPE.format(value=value))
            return None
        return region

    def _own_line_names(self) -> str:
        return "、".join(ln.name for ln in self.own_lines or []) or "无"

    def _line(self, r: ActivityRow, value: str) -> BusinessLine | None:
        line = self.lines.get(code_key(value))
        if line is None:
            self.error(r, "line", LINE_UNKNOWN.format(value=value, names=self.all_lines))
        elif self.own_lines is not None and line not in self.own_lines:
            names = self._own_line_names()
            self.error(r, "line", LINE_NOT_YOURS.format(value=value, names=names))
            return None
        return line

    def _unit(self, r: ActivityRow, key: str, value: str) -> Unit | None:
        unit, candidates = self.units.find(value)
        if unit is None:
            label = self.layout.header(key)
            if candidates:
                names = "、".join(u.name for u in candidates)
                self.error(r, key, UNIT_AMBIGUOUS.format(label=label, value=value, names=names))
            else:
                self.error(r, key, UNIT_UNKNOWN.format(label=label, value=value))
        return unit

    def _headcount(self, r: ActivityRow, raw: Any, value: str) -> int | None:
        number: int | None = None
        if isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        elif isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        elif value.isascii() and value.isdigit():
            number = int(value)
        if number is None or not 0 < number <= 1_000_000:
            self.error(r, "headcount", HEADCOUNT_INVALID.format(value=value))
            return None
        return number

    # --- the participant ------------------------------------------------------------------------

    def _participant(self, r: ActivityRow, cells: dict[str, Any]) -> None:
        name = text.clean(plain(cells.get("person")))
        unit_name = text.clean(plain(cells.get("unit")))
        title = text.line(plain(cells.get("person_title")))
        self.length(r, "person_title", title)
        note = text.line(plain(cells.get("note")))
        self.length(r, "note", note)
        r.values.update(
            role=self._role(r, cells), title=title, note=note, person=None, unit=None, name=""
        )
        outsider = self._outsider(r, cells)
        if name and unit_name:
            self.error(r, "person", PARTICIPANT_BOTH)
        elif unit_name:
            if outsider:
                self.error(r, "outsider", OUTSIDER_NOT_UNIT)
            unit = self._unit(r, "unit", unit_name)
            if unit is not None:
                r.values["unit"] = unit
                self._once(r, "unit", ("unit", unit.pk), unit_name)
        elif name and outsider:
            self.length(r, "person", name)  # the field's limit is Participation.name's
            r.values["name"] = name
            if not title:
                self.warn(r, "person_title", OUTSIDER_NO_TITLE.format(name=name))
            self._once(r, "person", ("name", name_key(name)), name)
        elif name:
            r.person_name = name
            r.employer = text.clean(plain(cells.get("employer")))
        elif outsider:
            self.error(r, "outsider", OUTSIDER_NEEDS_NAME)
        elif not {"person", "unit"} & r.unreadable and not self._first_of_activity(r):
            self.error(r, "person", PARTICIPANT_REQUIRED)

    def _first_of_activity(self, r: ActivityRow) -> bool:
        """The first row of an activity may list the activity alone (a headcount only)."""
        return r.planned is not None and r.planned.first == r.row

    def _role(self, r: ActivityRow, cells: dict[str, Any]) -> str:
        value = text.clean(plain(cells.get("role")))
        if not value:
            return ParticipantRole.TAKES_PART.value
        role = ROLES.get(code_key(value))
        if role is None:
            self.error(r, "role", ROLE_UNKNOWN.format(value=value, roles=ROLE_NAMES))
            return ParticipantRole.TAKES_PART.value
        return role

    def _outsider(self, r: ActivityRow, cells: dict[str, Any]) -> bool:
        value = text.clean(plain(cells.get("outsider")))
        if not value:
            return False
        answer = flag(value)
        if answer is None:
            label = self.layout.header("outsider")
            self.error(r, "outsider", FLAG_INVALID.format(label=label, value=value))
        return bool(answer)

    def _once(self, r: ActivityRow, key: str, who: Who, name: str) -> None:
        """A participant is named once per activity: a second row naming them is an error."""
        if r.planned is None:
            return
        first = r.planned.seen.setdefault(who, r.row)
        if first != r.row:
            self.error(r, key, REPEAT.format(name=name, row=first))

    def judge_batch(self, rows: list[RowResult]) -> None:
        named = [r for r in rows if isinstance(r, ActivityRow) and r.person_name]
        self.finder.load(r.person_name for r in named)
        for r in named:
            match = self.finder.find(r.person_name, r.employer)
            if match.person is None:
                name = r.person_name
                self.error(r, "person", match.problem or PERSON_NOT_FOUND.format(name=name))
                continue
            r.values["person"] = match.person
            self._once(r, "person", ("person", match.person.pk), r.person_name)

    def notices(self) -> list[str]:
        if not self.planned:
            return []
        names = [f"{t}（{d:%Y-%m-%d}，{p.rows}行）" for (t, d), p in self.planned.items()]
        listed = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
        return [ACTIVITIES_FOUND.format(count=len(names), names=listed)]
