"""Writes of activities: the record itself, its participants with their roles, and its outcomes
(documents adopted, projects promoted, enterprises landed, credit signed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from tongxin.core import text, versioning
from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.governance.models import MEETING_TYPE_CODES, Mechanism
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person

from .checks import check_owner_writable, check_region_line, check_visible, check_writer, tidy
from .models import (
    Activity,
    CreditAgreement,
    Output,
    ParticipantRole,
    Participation,
    PromotedProject,
)

TYPE_REQUIRED = "请选择活动类型。"
TITLE_REQUIRED = "请填写活动名称。"
PARTICIPANT_REQUIRED = "请选择名册中的一位人员或一个单位，或填写一位名册外人员的姓名（三者选一）。"
ROLE_INVALID = "请选择参加角色（出席并讲话、出席、主持、交流发言、参加、主讲、学员）。"
CREDIT_NOT_ENTERPRISE = "授信签约的对象须是企业，请选择组织类型为“企业”的记录。"
NOT_A_MECHANISM_MEETING = "只有“联席会议”“领导小组会议”类活动可以归属工作机制，请更改活动类型。"
MEETING_ELSEWHERE = "工作机制的会议须与该机制在同一区域、同一条线，请核对所属区域和条线。"
AMOUNT_INVALID = "授信金额须为大于0的数字（单位：万元，最多两位小数）。"


@dataclass(frozen=True)
class ParticipantSpec:
    """One participant as forms and importers give it."""

    role: str
    person: Person | None = None
    unit: Unit | None = None
    title: str = ""
    note: str = ""
    name: str = ""  # someone outside the registry: an official, with their title


def _check_type(activity_type: CodeItem | None) -> None:
    if activity_type is None or activity_type.kind != CodeKind.ACTIVITY_TYPE:
        raise ValidationError({"type": TYPE_REQUIRED})


LINK_LABELS = {
    "organizer_units": "主办单位",
    "organizer_organizations": "主办组织",
    "adopted_outputs": "审议通过的文件",
    "landed_enterprises": "落地企业",
}


def _check_links(actor: User, links: dict[str, list[Any]]) -> None:
    for name, objs in links.items():
        check_visible(actor, name, LINK_LABELS[name], objs)


@transaction.atomic
def activity_create(
    *,
    actor: User,
    type: CodeItem,
    title: str,
    date: dt.date,
    region: Region,
    line: BusinessLine | None = None,
    organizer_units: Sequence[Unit] = (),
    organizer_organizations: Sequence[Organization] = (),
    adopted_outputs: Sequence[Output] = (),
    landed_enterprises: Sequence[Organization] = (),
    participants: Iterable[ParticipantSpec] = (),
    **fields: Any,
) -> Activity:
    check_writer(actor)
    _check_type(type)
    check_region_line(actor, region, line)
    links: dict[str, list[Any]] = {
        "organizer_units": list(organizer_units),
        "organizer_organizations": list(organizer_organizations),
        "adopted_outputs": list(adopted_outputs),
        "landed_enterprises": list(landed_enterprises),
    }
    _check_links(actor, links)
    _check_mechanism(actor, type, region, line, fields.get("mechanism"))
    activity = Activity(
        type=type,
        title=text.line(title),
        date=date,
        region=region,
        line=line,
        created_by=actor,
        **_cleaned(fields),
    )
    if not activity.title:
        raise ValidationError({"title": TITLE_REQUIRED})
    activity.full_clean()
    activity.save()
    for name, objs in links.items():
        getattr(activity, name).set(objs)
    participations_add(actor=actor, activity=activity, participants=participants)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    organizer_units: Sequence[Unit] | None = None,
    organizer_organizations: Sequence[Organization] | None = None,
    adopted_outputs: Sequence[Output] | None = None,
    landed_enterprises: Sequence[Organization] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Activity:
    """Change the fields given; a many-to-many given replaces what was there."""
    check_owner_writable(actor, activity)
    versioning.claim(activity, expected_version)
    fields = _cleaned(fields)
    if "type" in fields:
        _check_type(fields["type"])
    for name, value in fields.items():
        setattr(activity, name, value)
    check_region_line(actor, activity.region, activity.line)
    links: dict[str, list[Any]] = {
        name: list(objs)
        for name, objs in {
            "organizer_units": organizer_units,
            "organizer_organizations": organizer_organizations,
            "adopted_outputs": adopted_outputs,
            "landed_enterprises": landed_enterprises,
        }.items()
        if objs is not None
    }
    _check_links(actor, links)
    _check_mechanism(actor, activity.type, activity.region, activity.line, activity.mechanism)
    if not activity.title:
        raise ValidationError({"title": TITLE_REQUIRED})
    activity.full_clean()
    activity.save()
    for name, objs in links.items():
        getattr(activity, name).set(objs)
    return activity


def _check_mechanism(
    actor: User,
    type: CodeItem,
    region: Region,
    line: BusinessLine | None,
    mechanism: Mechanism | None,
) -> None:
    """A mechanism's meeting is a 联席会议 or 领导小组会议 of the mechanism's region and line."""
    if mechanism is None:
        return
    check_visible(actor, "mechanism", "工作机制", [mechanism])
    if type.code not in MEETING_TYPE_CODES:
        raise ValidationError({"mechanism": NOT_A_MECHANISM_MEETING})
    line_id = line.pk if line is not None else None
    if (mechanism.region_id, mechanism.line_id) != (region.pk, line_id):
        raise ValidationError({"mechanism": MEETING_ELSEWHERE})


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    return tidy(Activity, fields)


@transaction.atomic
def participations_add(
    *, actor: User, activity: Activity, participants: Iterable[ParticipantSpec]
) -> list[Participation]:
    """Add participants in the order given, after those already listed."""
    check_owner_writable(actor, activity)
    specs = list(participants)
    if not specs:
        return []
    check_visible(actor, "person", "参加人员", [s.person for s in specs])
    check_visible(actor, "unit", "参加单位", [s.unit for s in specs])
    start = activity.participations.aggregate(m=Max("order"))["m"]
    order = 0 if start is None else start + 1
    created = []
    for spec in specs:
        name = text.line(spec.name)
        if sum((spec.person is not None, spec.unit is not None, bool(name))) != 1:
            raise ValidationError({"person": PARTICIPANT_REQUIRED})
        if spec.role not in ParticipantRole.values:
            raise ValidationError({"role": ROLE_INVALID})
        participation = Participation(
            activity=activity,
            person=spec.person,
            unit=spec.unit,
            name=name,
            role=spec.role,
            title=text.line(spec.title),
            note=text.line(spec.note),
            order=order,
        )
        participation.full_clean()
        participation.save()
        created.append(participation)
        order += 1
    return created


@transaction.atomic
def participation_remove(*, actor: User, participation: Participation) -> None:
    check_owner_writable(actor, participation.activity)
    participation.delete()


@transaction.atomic
def project_add(
    *,
    actor: User,
    activity: Activity,
    name: str,
    investment: Decimal | None = None,
    investor: str = "",
    signed: bool = False,
) -> PromotedProject:
    check_owner_writable(actor, activity)
    project = PromotedProject(
        activity=activity,
        name=text.line(name),
        investment=investment,
        investor=text.line(investor),
        signed=signed,
    )
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_remove(*, actor: User, project: PromotedProject) -> None:
    check_owner_writable(actor, project.activity)
    project.delete()


def parse_wan_yuan(value: Any) -> Decimal:
    """An amount in 万元 as Decimal with two places; floats never touch money."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(text.clean(str(value)).replace(",", "").replace("，", ""))
        # quantize raises too, for a number of more digits than Decimal keeps (1E+30).
        valid = amount.is_finite() and amount > 0 and amount == amount.quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError({"amount": AMOUNT_INVALID}) from None
    if not valid:
        raise ValidationError({"amount": AMOUNT_INVALID})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def credit_add(
    *, actor: User, activity: Activity, enterprise: Organization, bank: str, amount: Any
) -> CreditAgreement:
    check_owner_writable(actor, activity)
    check_visible(actor, "enterprise", "企业", [enterprise])
    if enterprise.org_type.name != "企业":
        raise ValidationError({"enterprise": CREDIT_NOT_ENTERPRISE})
    credit = CreditAgreement(
        activity=activity,
        enterprise=enterprise,
        bank=text.line(bank),
        amount=parse_wan_yuan(amount),
    )
    credit.full_clean()
    credit.save()
    return credit


@transaction.atomic
def credit_remove(*, actor: User, credit: CreditAgreement) -> None:
    check_owner_writable(actor, credit.activity)
    credit.delete()
