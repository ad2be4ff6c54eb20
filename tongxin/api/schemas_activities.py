"""JSON shapes of activities: the record, its organizers and participants with their roles, and its
outcomes (documents adopted, projects promoted, enterprises landed, credit signed).

Participants, projects, credits and attachments are read from the lists the router prefetched
through access.scope (``visible_*``), never from the plain relations: a liaison must not get the
people at a meeting, and an object that was not prefetched fails loudly instead of leaking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from tongxin.core.models import Unit, User
from tongxin.governance.models import Mechanism
from tongxin.registry.models import Organization, Person
from tongxin.work.models import Activity, Output, ParticipantRole
from tongxin.work.services_activities import ParticipantSpec

from .schemas_work import (
    CENT,
    MONEY_HELP,
    AttachmentOut,
    IdName,
    IdTitle,
    MoneyIn,
    activity_type,
    amount,
    business_line,
    choice,
    convert,
    line_name,
    money,
    optional_amount,
    ref,
    region,
    region_code,
    visible,
    visible_one,
)
from .versions import VERSION_OUT, version_field

ORGANIZER_ONE = "每个主办方须填写 unit（单位 id）或 organization（组织 id）之一。"
ROLE_HELP = "出席并讲话、出席、主持、交流发言、参加、主讲、学员（或其英文值）"


# --- out ------------------------------------------------------------------------------------------


class OrganizerOut(Schema):
    unit: IdName | None
    organization: IdName | None


class ParticipantOut(Schema):
    id: int
    person: IdName | None = Field(description="名册中的人员")
    unit: IdName | None = Field(description="单位")
    name: str = Field(description="名册外人员（如领导同志）的姓名；否则为空")
    role: str = Field(description=ROLE_HELP)
    title: str
    note: str

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, Any] | None:
        return ref(obj.person)

    @staticmethod
    def resolve_unit(obj: Any) -> dict[str, Any] | None:
        return ref(obj.unit)

    @staticmethod
    def resolve_role(obj: Any) -> str:
        return str(obj.get_role_display())


class ProjectOut(Schema):
    id: int
    name: str
    investment: str | None = Field(description="计划投资（万元，两位小数）")
    investor: str
    signed: bool

    @staticmethod
    def resolve_investment(obj: Any) -> str | None:
        return money(obj.investment)


class CreditOut(Schema):
    id: int
    enterprise: IdName
    bank: str
    amount: str = Field(description="授信金额（万元，两位小数）")

    @staticmethod
    def resolve_enterprise(obj: Any) -> dict[str, Any] | None:
        return ref(obj.enterprise)

    @staticmethod
    def resolve_amount(obj: Any) -> str | None:
        return money(obj.amount)


class ActivityOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    type: str = Field(description="活动类型（代码表 activity_type 的中文名称）")
    title: str
    date: dt.date
    start_time: dt.time | None
    end_date: dt.date | None
    place: str
    region: str = Field(description="行政区划代码")
    region_name: str
    line: str | None = Field(description="条线")
    mechanism: IdName | None = Field(description="所属工作机制（联席会议、领导小组会议）")
    organizers: list[OrganizerOut]
    participants: list[ParticipantOut]
    headcount: int | None
    summary: str
    adopted_outputs: list[IdTitle] = Field(description="审议通过的文件")
    projects: list[ProjectOut]
    landed_enterprises: list[IdName]
    credits: list[CreditOut]
    credit_total: str = Field(description="授信合计（万元，两位小数）")
    attachments: list[AttachmentOut]
    created_by: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_type(obj: Activity) -> str:
        return obj.type.name

    @staticmethod
    def resolve_region(obj: Activity) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Activity) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: Activity) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_organizers(obj: Activity) -> list[dict[str, Any]]:
        units = [{"unit": ref(u), "organization": None} for u in obj.organizer_units.all()]
        orgs = [{"unit": None, "organization": ref(o)} for o in obj.organizer_organizations.all()]
        return units + orgs

    @staticmethod
    def resolve_participants(obj: Activity) -> list[Any]:
        return obj.visible_participations  # type: ignore[attr-defined]

    @staticmethod
    def resolve_adopted_outputs(obj: Activity) -> list[dict[str, Any]]:
        return [{"id": o.pk, "title": o.title} for o in obj.adopted_outputs.all()]

    @staticmethod
    def resolve_projects(obj: Activity) -> list[Any]:
        return obj.visible_projects  # type: ignore[attr-defined]

    @staticmethod
    def resolve_landed_enterprises(obj: Activity) -> list[dict[str, Any] | None]:
        return [ref(o) for o in obj.landed_enterprises.all()]

    @staticmethod
    def resolve_credits(obj: Activity) -> list[Any]:
        return obj.visible_credits  # type: ignore[attr-defined]

    @staticmethod
    def resolve_credit_total(obj: Activity) -> str | None:
        credits = obj.visible_credits  # type: ignore[attr-defined]
        return money(sum((c.amount for c in credits), Decimal(0)).quantize(CENT))

    @staticmethod
    def resolve_attachments(obj: Activity) -> list[Any]:
        return obj.visible_attachments  # type: ignore[attr-defined]

    @staticmethod
    def resolve_created_by(obj: Activity) -> str:
        return obj.created_by.name


# --- in -------------------------------------------------------------------------------------------


class OrganizerIn(Schema):
    unit: int | None = Field(None, description="单位 id")
    organization: int | None = Field(None, description="组织 id")


class ParticipantIn(Schema):
    person: int | None = Field(None, description="名册中的人员 id（person、unit、name 三选一）")
    unit: int | None = Field(None, description="单位 id")
    name: str = Field("", description="名册外人员（如领导同志）的姓名，与 title 一起填写")
    role: str = Field(description=ROLE_HELP)
    title: str = Field("", description="身份/职务，如：市委常委、统战部部长")
    note: str = Field("", description="说明，如发言题目")


class ProjectIn(Schema):
    name: str = Field(description="项目名称")
    investment: MoneyIn | None = Field(None, description="计划投资；" + MONEY_HELP)
    investor: str = ""
    signed: bool = False


class CreditIn(Schema):
    enterprise: int = Field(description="企业（组织 id，组织类型须为“企业”）")
    bank: str = Field(description="银行")
    amount: MoneyIn = Field(description="授信金额；" + MONEY_HELP)


TYPE_HELP = "活动类型的中文名称或别名，可选值见 GET /api/v1/codes?kind=activity_type"


class ActivityIn(Schema):
    type: str = Field(description=TYPE_HELP)
    title: str = Field(description="活动名称")
    date: dt.date
    region: str = Field(description="所属区域的行政区划代码，如 510603")
    start_time: dt.time | None = None
    end_date: dt.date | None = Field(None, description="多日活动填写")
    place: str = ""
    line: str | None = Field(None, description="条线（如 新阶）；市级业务人员必填")
    mechanism: int | None = Field(
        None, description="所属工作机制 id（仅“联席会议”“领导小组会议”类活动）"
    )
    organizers: list[OrganizerIn] = Field(default_factory=list)
    participants: list[ParticipantIn] = Field(default_factory=list, description="按名单顺序")
    headcount: int | None = Field(None, ge=0, description="大型活动的总人数")
    summary: str = ""
    adopted_outputs: list[int] = Field(default_factory=list, description="审议通过的成果 id")
    landed_enterprises: list[int] = Field(default_factory=list, description="落地企业（组织 id）")
    projects: list[ProjectIn] = Field(default_factory=list)
    credits: list[CreditIn] = Field(default_factory=list)


class ActivityPatch(Schema):
    """Only the keys sent are changed; a list sent replaces the list. Participants, projects and
    credits have their own operations."""

    version: int | None = version_field()
    type: str | None = None
    title: str | None = None
    date: dt.date | None = None
    region: str | None = None
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    place: str | None = None
    line: str | None = None
    mechanism: int | None = None
    organizers: list[OrganizerIn] | None = None
    headcount: int | None = Field(None, ge=0)
    summary: str | None = None
    adopted_outputs: list[int] | None = None
    landed_enterprises: list[int] | None = None


# --- JSON to service arguments ------------------------------------------------------------------


def _organizers(user: User, value: list[dict[str, Any]]) -> dict[str, list[Any]]:
    if any((o.get("unit") is None) == (o.get("organization") is None) for o in value):
        raise ValidationError(ORGANIZER_ONE)
    return {
        "organizer_units": visible(
            user, Unit, [o["unit"] for o in value if o.get("unit")], "主办单位"
        ),
        "organizer_organizations": visible(
            user,
            Organization,
            [o["organization"] for o in value if o.get("organization")],
            "主办组织",
        ),
    }


def participant_specs(user: User, value: list[dict[str, Any]]) -> list[ParticipantSpec]:
    """Roles by label or key, people and units by id in sight; whether each names exactly one
    participant is the service's check (PARTICIPANT_REQUIRED)."""
    return [
        ParticipantSpec(
            role=choice(ParticipantRole, "参加角色", p["role"]),
            person=visible_one(user, Person, p.get("person"), "参加人员"),
            unit=visible_one(user, Unit, p.get("unit"), "参加单位"),
            name=p.get("name") or "",
            title=p.get("title") or "",
            note=p.get("note") or "",
        )
        for p in value
    ]


def project_fields(value: dict[str, Any]) -> dict[str, Any]:
    return convert(value, {"investment": lambda v: optional_amount("计划投资", v)})


def credit_fields(user: User, value: dict[str, Any]) -> dict[str, Any]:
    return convert(
        value,
        {
            "enterprise": lambda pk: visible_one(user, Organization, pk, "企业"),
            "amount": lambda v: amount("授信金额", v),
        },
    )


def activity_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """ActivityIn or ActivityPatch as the keyword arguments of activity_create/update; projects
    and credits come back under their own keys for project_add/credit_add."""
    fields = convert(
        data,
        {
            "type": activity_type,
            "region": region,
            "line": business_line,
            "mechanism": lambda pk: visible_one(user, Mechanism, pk, "工作机制"),
            "title": lambda v: v or "",
            "place": lambda v: v or "",
            "summary": lambda v: v or "",
            "organizers": lambda v: _organizers(user, v or []),
            "participants": lambda v: participant_specs(user, v),
            "adopted_outputs": lambda v: visible(user, Output, v, "审议通过的文件"),
            "landed_enterprises": lambda v: visible(user, Organization, v, "落地企业"),
            "projects": lambda v: [project_fields(p) for p in v],
            "credits": lambda v: [credit_fields(user, c) for c in v],
        },
    )
    fields.update(fields.pop("organizers", {}))
    return fields
