"""JSON shapes of visits (with the opinions heard) and cases (诉求/困难问题) with their timeline.

States, sources, kinds and satisfaction are Chinese labels on the way out and may be labels or
keys on the way in ("办结" or "resolved"). Opinions, their cases and the case events are read from
the lists the router prefetched through access.scope (``visible_*``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from tongxin.core import text
from tongxin.core.models import Unit, User
from tongxin.registry.models import Organization, Person
from tongxin.work.models import (
    Case,
    CaseSource,
    CaseStatus,
    OpinionKind,
    Satisfaction,
    Visit,
    VisitMethod,
)

from .schemas_work import (
    IdName,
    business_line,
    choice,
    convert,
    line_name,
    optional_choice,
    ref,
    region,
    region_code,
    visible,
    visible_one,
)

SYSTEM = "系统"  # the actor of the reminders the daily job writes
CANNOT_EXTEND = "只有交办或办理中的诉求可以延期；该诉求当前状态为“{status}”。"
STATUS_HELP = "受理、交办、办理中、办结、回访（或其英文值）"


def _labels(choices: Any) -> str:
    return "、".join(str(label) for label in choices.labels)


# --- visits ---------------------------------------------------------------------------------------


class CaseRef(Schema):
    id: int
    title: str
    status: str


class OpinionOut(Schema):
    id: int
    kind: str = Field(description=_labels(OpinionKind))
    text: str
    case: CaseRef | None = Field(description="已转为诉求时为该诉求，否则为 null")

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_case(obj: Any) -> dict[str, Any] | None:
        case = obj.visible_case
        if case is None:
            return None
        return {"id": case.pk, "title": case.title, "status": case.get_status_display()}


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    method: str = Field(description=_labels(VisitMethod))
    person: IdName | None = Field(description="走访对象（人员）")
    organization: IdName | None = Field(description="走访对象（组织）")
    region: str
    region_name: str
    visitors: str
    notes: str
    opinions: list[OpinionOut]
    created_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_method(obj: Visit) -> str:
        return obj.get_method_display()

    @staticmethod
    def resolve_person(obj: Visit) -> dict[str, Any] | None:
        return ref(obj.person)

    @staticmethod
    def resolve_organization(obj: Visit) -> dict[str, Any] | None:
        return ref(obj.organization)

    @staticmethod
    def resolve_region(obj: Visit) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Visit) -> str:
        return obj.region.name

    @staticmethod
    def resolve_opinions(obj: Visit) -> list[Any]:
        return obj.visible_opinions  # type: ignore[attr-defined]

    @staticmethod
    def resolve_created_by(obj: Visit) -> str:
        return obj.created_by.name


class OpinionIn(Schema):
    kind: str = Field(description=_labels(OpinionKind) + "（或其英文值）")
    text: str


class VisitIn(Schema):
    visited_on: dt.date
    region: str = Field(description="所属区域的行政区划代码")
    visitors: str = Field(description="走访人")
    method: str = Field("上门走访", description=_labels(VisitMethod) + "（或其英文值）")
    person: int | None = Field(None, description="走访对象（人员 id），与 organization 至少填一项")
    organization: int | None = Field(None, description="走访对象（组织 id）")
    notes: str = ""
    opinions: list[OpinionIn] = Field(
        default_factory=list, description="听取的意见（所思所想所盼）"
    )


def visit_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "region": region,
            "visitors": text.clean,
            "method": lambda v: choice(VisitMethod, "走访方式", v),
            "person": lambda pk: visible_one(user, Person, pk, "走访对象（人员）"),
            "organization": lambda pk: visible_one(user, Organization, pk, "走访对象（组织）"),
            "notes": lambda v: (v or "").strip(),
            "opinions": lambda items: [
                (choice(OpinionKind, "意见类别", o["kind"]), o["text"]) for o in items
            ],
        },
    )


class CaseFromOpinionIn(Schema):
    title: str = Field("", description="诉求标题；不填取意见内容的前30字")


# --- cases ----------------------------------------------------------------------------------------


class CaseEventOut(Schema):
    at: dt.datetime
    actor: str = Field(description="操作人姓名；系统提醒为“系统”")
    kind: str = Field(description="状态变更、退回、延期、进展")
    from_: str = Field(alias="from", description="原状态")
    to: str = Field(description="新状态")
    note: str


class CaseOut(Schema):
    id: int
    title: str
    text: str
    source: str = Field(description=_labels(CaseSource))
    status: str = Field(description=STATUS_HELP)
    category: str
    region: str
    region_name: str
    line: str | None
    requester_person: IdName | None
    requester_organization: IdName | None
    opinion: int | None = Field(description="来自的走访意见 id")
    visit: int | None = Field(description="来自的走访 id")
    units: list[IdName] = Field(description="承办单位（联络员只见本单位）")
    handler: str | None = Field(description="经办人：最近一次开始办理的操作人")
    deadline: dt.date | None
    days_left: int | None = Field(description="距办理时限天数（交办、办理中时）")
    is_overdue: bool
    received_on: dt.date
    resolved_at: dt.datetime | None
    resolution: str
    satisfaction: str | None = Field(description=_labels(Satisfaction))
    created_by: str

    @staticmethod
    def resolve_source(obj: Case) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_status(obj: Case) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_region(obj: Case) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Case) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: Case) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_requester_person(obj: Case) -> dict[str, Any] | None:
        return ref(obj.requester_person)

    @staticmethod
    def resolve_requester_organization(obj: Case) -> dict[str, Any] | None:
        return ref(obj.requester_organization)

    @staticmethod
    def resolve_opinion(obj: Case) -> int | None:
        return obj.opinion_id

    @staticmethod
    def resolve_visit(obj: Case) -> int | None:
        return obj.opinion.visit_id if obj.opinion_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_units(obj: Case) -> list[dict[str, Any] | None]:
        return [ref(u) for u in obj.units.all()]

    @staticmethod
    def resolve_handler(obj: Case) -> str | None:
        return getattr(obj, "handler_name", None)

    @staticmethod
    def resolve_days_left(obj: Case) -> int | None:
        return obj.days_left(timezone.localdate())

    @staticmethod
    def resolve_satisfaction(obj: Case) -> str | None:
        return obj.get_satisfaction_display() if obj.satisfaction else None

    @staticmethod
    def resolve_created_by(obj: Case) -> str:
        return obj.created_by.name


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut] = Field(description="办理记录，按时间先后")

    @staticmethod
    def resolve_events(obj: Case) -> list[dict[str, Any]]:
        return [
            {
                "at": e.at,
                "actor": e.actor.name if e.actor is not None else SYSTEM,
                "kind": e.get_kind_display(),
                "from": e.get_from_status_display(),
                "to": e.get_to_status_display(),
                "note": e.note,
            }
            for e in obj.visible_events  # type: ignore[attr-defined]
        ]


class CaseIn(Schema):
    title: str
    text: str = Field(description="诉求内容")
    source: str = Field(description=_labels(CaseSource) + "（或其英文值）")
    region: str = Field(description="所属区域的行政区划代码")
    line: str | None = Field(None, description="条线；市级业务人员必填")
    category: str = Field("", description="问题类别，如 融资、用工")
    requester_person: int | None = Field(None, description="反映人（人员 id）")
    requester_organization: int | None = Field(None, description="反映企业/组织（组织 id）")
    received_on: dt.date | None = Field(None, description="受理日期，默认今天")


def case_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("received_on") is None:
        data.pop("received_on", None)
    fields = convert(
        data,
        {
            "region": region,
            "line": business_line,
            "source": lambda v: choice(CaseSource, "诉求来源", v),
            "category": text.clean,
            "requester_person": lambda pk: visible_one(user, Person, pk, "反映人"),
            "requester_organization": lambda pk: visible_one(
                user, Organization, pk, "反映企业/组织"
            ),
        },
    )
    fields["text_"] = fields.pop("text")
    return fields


class TransitionIn(Schema):
    to: str = Field(description="新状态：" + STATUS_HELP)
    note: str = Field("", description="说明；退回时必填原因")
    resolution: str = Field("", description="办理结果（办结时必填）")
    satisfaction: str = Field("", description="满意度（回访时必填）：" + _labels(Satisfaction))
    units: list[int] = Field(default_factory=list, description="承办单位 id（交办时必填）")
    deadline: dt.date | None = Field(None, description="办理时限（交办时必填）")


def transition_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    fields = convert(
        data,
        {
            "to": lambda v: choice(CaseStatus, "诉求状态", v),
            "satisfaction": lambda v: optional_choice(Satisfaction, "满意度", v),
            "units": lambda pks: visible(user, Unit, pks, "承办单位"),
        },
    )
    fields["to_status"] = fields.pop("to")
    return fields


class ProgressIn(Schema):
    note: str = Field(description="办理进展")


class ExtendIn(Schema):
    deadline: dt.date = Field(description="新的办理时限，须晚于原时限")
    reason: str = Field(description="延期原因")
