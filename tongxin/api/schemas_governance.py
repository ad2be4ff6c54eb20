"""JSON shapes of the standing mechanisms (联席会议制度, 领导小组 …): mechanisms with their member
units and meetings, the issue list (议题) of their meetings, and the member units' duty reports
(述职). Supervised tasks (督办事项) have theirs in schemas_tasks.py.

Kinds and states are Chinese labels on the way out and may be labels or keys on the way in. What a
record links to under another scope rule (a mechanism's member units, meetings and rules document,
an item's meeting) is read from what the router prefetched through access.scope (``visible_*``):
a liaison sees their own unit's member row only. No shape carries a person of the registry; users
are named, never more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from tongxin.core import text
from tongxin.core.models import Region, Role, Unit, User
from tongxin.governance.models import (
    LIAISON_NOT_OF_UNIT,
    AgendaItem,
    AgendaState,
    DutyReport,
    DutyReportState,
    Mechanism,
    MechanismKind,
    MemberUnit,
)
from tongxin.work.models import Activity, Output

from .schemas_work import (
    IdName,
    IdTitle,
    business_line,
    choice,
    convert,
    line_name,
    ref,
    region,
    region_code,
    visible_one,
)

MEMBER_REQUIRED = "请填写提出议题的成员单位（member：机制详情 members 中的 id）。"
MEMBER_NOT_FOUND = (
    "所选的成员单位不是本机制的成员单位，或不在您的管辖范围内。请填写机制详情 members 中的 id。"
)
SCORE_INVALID = '评分须是0到100之间的数，最多两位小数，如 92.5 或 "92.50"。'


def labels(choices: Any) -> str:
    return "、".join(str(label) for label in choices.labels)


class RegionRef(Schema):
    code: str
    name: str


class MeetingRef(Schema):
    id: int
    title: str
    date: dt.date


def region_ref(obj: Region | None) -> dict[str, Any] | None:
    return None if obj is None else {"code": obj.code, "name": obj.name}


def meeting_ref(obj: Activity | None) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "title": obj.title, "date": obj.date}


def name_of(user: User | None) -> str | None:
    return None if user is None else user.name


# --- mechanisms -----------------------------------------------------------------------------------


class MemberUnitOut(Schema):
    id: int
    unit: IdName
    duties: str
    liaison: str | None = Field(description="联络员姓名；未指定时为 null")
    order: int

    @staticmethod
    def resolve_unit(obj: MemberUnit) -> dict[str, Any] | None:
        return ref(obj.unit)

    @staticmethod
    def resolve_liaison(obj: MemberUnit) -> str | None:
        return name_of(obj.liaison)


class MechanismOut(Schema):
    id: int
    name: str
    kind: str = Field(description=labels(MechanismKind))
    lead_unit: IdName = Field(description="牵头单位")
    region: str = Field(description="行政区划代码")
    region_name: str
    line: str | None = Field(description="条线")
    rules_document: IdTitle | None = Field(description="制度文件（成果）；无权查看时为 null")
    established_on: dt.date
    is_active: bool

    @staticmethod
    def resolve_kind(obj: Mechanism) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_lead_unit(obj: Mechanism) -> dict[str, Any] | None:
        return ref(obj.lead_unit)

    @staticmethod
    def resolve_region(obj: Mechanism) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Mechanism) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: Mechanism) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_rules_document(obj: Mechanism) -> dict[str, Any] | None:
        output = obj.visible_rules_document  # type: ignore[attr-defined]
        return None if output is None else {"id": output.pk, "title": output.title}


class MechanismDetailOut(MechanismOut):
    members: list[MemberUnitOut] = Field(description="成员单位（联络员只见本单位）")
    meetings: list[MeetingRef] = Field(description="本机制的会议，按日期先后")

    @staticmethod
    def resolve_members(obj: Mechanism) -> list[Any]:
        return obj.visible_members  # type: ignore[attr-defined]

    @staticmethod
    def resolve_meetings(obj: Mechanism) -> list[dict[str, Any] | None]:
        return [meeting_ref(a) for a in obj.visible_meetings]  # type: ignore[attr-defined]


class MechanismIn(Schema):
    name: str
    kind: str = Field(description=labels(MechanismKind) + "（或其英文值）")
    lead_unit: int = Field(description="牵头单位 id")
    region: str = Field(description="所属区域的行政区划代码")
    line: str | None = Field(None, description="条线；市级业务人员必填")
    established_on: dt.date = Field(description="建立日期")
    rules_document: int | None = Field(None, description="制度文件（成果 id）")
    is_active: bool = Field(True, description="运行中")


def mechanism_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "kind": lambda v: choice(MechanismKind, "机制类型", v),
            "lead_unit": lambda pk: visible_one(user, Unit, pk, "牵头单位"),
            "region": region,
            "line": business_line,
            "rules_document": lambda pk: visible_one(user, Output, pk, "制度文件"),
        },
    )


class MemberUnitIn(Schema):
    unit: int = Field(description="成员单位 id")
    duties: str = Field("", description="职责")
    liaison: int | None = Field(None, description="联络员（该单位“成员单位联络员”账号的用户 id）")
    order: int = Field(0, ge=0, description="排序")


def liaison_account(pk: int | None) -> User | None:
    """A liaison account by id. Whose unit it is the service checks; any other id is refused
    with the same sentence, so that an id reveals nothing of other accounts."""
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, role=Role.LIAISON).select_related("unit").first()
    if found is None:
        raise ValidationError(LIAISON_NOT_OF_UNIT)
    return found


def member_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "unit": lambda pk: visible_one(user, Unit, pk, "成员单位"),
            "liaison": liaison_account,
        },
    )


# --- the issue list (议题) ------------------------------------------------------------------------


class AgendaItemOut(Schema):
    id: int
    mechanism: IdName
    member: int = Field(description="提出单位在本机制的成员单位 id")
    raised_by: IdName = Field(description="提出单位")
    title: str
    text: str
    raised_on: dt.date
    state: str = Field(description=labels(AgendaState))
    meeting: MeetingRef | None = Field(description="列入议程的会议；无权查看时为 null")
    outcome: str = Field(description="议定事项，或转下次会议的原因")
    closed_at: dt.datetime | None
    carried_from: int | None = Field(description="从上次会议转来的议题 id")
    carried_to: int | None = Field(description="转入下次会议后的议题 id")

    @staticmethod
    def resolve_mechanism(obj: AgendaItem) -> dict[str, Any] | None:
        return ref(obj.mechanism)

    @staticmethod
    def resolve_member(obj: AgendaItem) -> int:
        return obj.raised_by_id

    @staticmethod
    def resolve_raised_by(obj: AgendaItem) -> dict[str, Any] | None:
        return ref(obj.raised_by.unit)

    @staticmethod
    def resolve_state(obj: AgendaItem) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_meeting(obj: AgendaItem) -> dict[str, Any] | None:
        return meeting_ref(obj.visible_meeting)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_carried_from(obj: AgendaItem) -> int | None:
        return obj.carried_from_id

    @staticmethod
    def resolve_carried_to(obj: AgendaItem) -> int | None:
        successor = getattr(obj, "carried_to", None)  # a reverse one-to-one: missing is None
        return None if successor is None else successor.pk


class AgendaItemIn(Schema):
    member: int | None = Field(
        None, description="提出单位（机制详情 members 中的 id）；联络员可不填，即本单位"
    )
    title: str = Field(description="议题")
    text: str = Field("", description="内容")
    raised_on: dt.date | None = Field(None, description="提出日期，默认今天")


class ScheduleIn(Schema):
    meeting: int = Field(description="会议（本机制的联席会议或领导小组会议，活动 id）")


class AgendaCloseIn(Schema):
    note: str = Field(description="议定事项：会议对该议题的决定")


class CarryOverIn(Schema):
    next_meeting: int = Field(description="转入的下次会议（活动 id），须在本次会议之后")
    note: str = Field(description="转下次会议的原因")


# --- duty reports (述职) --------------------------------------------------------------------------


class DutyReportOut(Schema):
    id: int
    mechanism: IdName
    member: int = Field(description="成员单位 id（机制详情 members 中的 id）")
    unit: IdName = Field(description="述职单位")
    year: int
    text: str
    state: str = Field(description=labels(DutyReportState))
    submitted_by: str | None
    submitted_at: dt.datetime | None
    score: str | None = Field(description='评分（0–100，两位小数，如 "92.50"）；未评分为 null')
    review: str = Field(description="评价意见")
    reviewed_by: str | None
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_mechanism(obj: DutyReport) -> dict[str, Any] | None:
        return ref(obj.member.mechanism)

    @staticmethod
    def resolve_unit(obj: DutyReport) -> dict[str, Any] | None:
        return ref(obj.member.unit)

    @staticmethod
    def resolve_member(obj: DutyReport) -> int:
        return obj.member_id

    @staticmethod
    def resolve_state(obj: DutyReport) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_submitted_by(obj: DutyReport) -> str | None:
        return name_of(obj.submitted_by)

    @staticmethod
    def resolve_score(obj: DutyReport) -> str | None:
        return None if obj.score is None else str(obj.score.quantize(Decimal("0.01")))

    @staticmethod
    def resolve_reviewed_by(obj: DutyReport) -> str | None:
        return name_of(obj.reviewed_by)


class DutyReportIn(Schema):
    year: int = Field(description="述职年度")
    text: str = Field(description="述职内容")
    mechanism: int | None = Field(
        None, description="工作机制 id；本单位只是一个机制的成员单位时可不填"
    )


class DutyScoreIn(Schema):
    score: str | int | float = Field(description='评分：0到100，最多两位小数，如 92.5 或 "92.50"')
    review: str = Field("", description="评价意见")


def score_value(value: Any) -> Decimal:
    """The score as the service takes it; a float is read from its shortest decimal text."""
    if isinstance(value, bool):
        raise ValidationError({"score": SCORE_INVALID})
    raw = repr(value) if isinstance(value, float) else text.clean(str(value))
    try:
        return Decimal(raw)
    except ArithmeticError:
        raise ValidationError({"score": SCORE_INVALID}) from None
