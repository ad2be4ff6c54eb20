"""Writes of mechanisms, their member units and the issue list (议题) of their meetings.

An item is raised (待议), put on a meeting's agenda (已列入议程), and at that meeting either closed
(已办结) or carried over (转下次): carrying over marks the item and opens its successor on the
next meeting's agenda, linked by ``carried_from``, so nothing raised is silently dropped. A meeting
is settled when none of its items is still only 已列入议程 (``meeting_settle``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, text, versioning
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.work.checks import check_region_line, check_visible, check_writer
from tongxin.work.models import Activity, Output

from .checks import check_keeper, check_liaison_or_keeper
from .models import (
    LIAISON_NOT_OF_UNIT,
    MEETING_TYPE_CODES,
    AgendaItem,
    AgendaState,
    Mechanism,
    MemberUnit,
)

NOT_A_MEETING = "请选择类型为“联席会议”或“领导小组会议”的活动作为会议。"
MEETING_OF_ANOTHER = "请选择“{mechanism}”的会议（会议须在活动中注明所属工作机制）。"
MEETING_BEFORE_RAISED = "会议日期不能早于议题提出日期，请选择此后召开的会议。"
NEXT_MEETING_NOT_LATER = "转入的会议须在本次会议之后召开，请选择下一次会议。"
ITEM_NOT_PENDING = "只有“待议”的议题可以列入议程；该议题当前为“{state}”。"
ITEM_NOT_SCHEDULED = "只有“已列入议程”的议题可以办结或转下次；该议题当前为“{state}”。"
OUTCOME_REQUIRED = "请填写议定事项（会议对该议题的决定）。"
REASON_REQUIRED = "请填写转下次会议的原因。"
MEETING_UNSETTLED = "本次会议还有议题未办结也未转下次：{titles}。请逐项办结或转下次会议。"
HAS_MEETINGS = "该机制已有会议记录，会议须与机制同区域、同条线，因此不能再更改所属区域或条线。"


@transaction.atomic
def mechanism_create(
    *,
    actor: User,
    name: str,
    kind: str,
    lead_unit: Unit,
    region: Region,
    established_on: dt.date,
    line: BusinessLine | None = None,
    rules_document: Output | None = None,
    is_active: bool = True,
) -> Mechanism:
    check_writer(actor)
    check_region_line(actor, region, line)
    check_visible(actor, "lead_unit", "牵头单位", [lead_unit])
    check_visible(actor, "rules_document", "制度文件", [rules_document])
    mechanism = Mechanism(
        name=text.line(name),
        kind=kind,
        lead_unit=lead_unit,
        region=region,
        line=line,
        rules_document=rules_document,
        established_on=established_on,
        is_active=is_active,
        created_by=actor,
    )
    mechanism.full_clean()
    mechanism.save()
    return mechanism


@transaction.atomic
def mechanism_update(
    *,
    actor: User,
    mechanism: Mechanism,
    name: str,
    kind: str,
    lead_unit: Unit,
    region: Region,
    established_on: dt.date,
    line: BusinessLine | None = None,
    rules_document: Output | None = None,
    is_active: bool = True,
    expected_version: int | None = None,
) -> Mechanism:
    """Change a mechanism kept by the actor; its meetings tie its region and line down."""
    check_keeper(actor, mechanism)
    versioning.claim(mechanism, expected_version)
    moved = (region.pk, line.pk if line else None) != (mechanism.region_id, mechanism.line_id)
    if moved and mechanism.meetings.exists():
        raise ValidationError({"region": HAS_MEETINGS})
    check_region_line(actor, region, line)
    check_visible(actor, "lead_unit", "牵头单位", [lead_unit])
    if rules_document is not None and rules_document.pk != mechanism.rules_document_id:
        check_visible(actor, "rules_document", "制度文件", [rules_document])
    mechanism.name = text.line(name)
    mechanism.kind = kind
    mechanism.lead_unit = lead_unit
    mechanism.region = region
    mechanism.line = line
    mechanism.rules_document = rules_document
    mechanism.established_on = established_on
    mechanism.is_active = is_active
    mechanism.full_clean()
    mechanism.save()
    return mechanism


@transaction.atomic
def member_add(
    *,
    actor: User,
    mechanism: Mechanism,
    unit: Unit,
    duties: str = "",
    liaison: User | None = None,
    order: int = 0,
) -> MemberUnit:
    """A member unit joins; its liaison, if named, must be a liaison account of that unit."""
    check_keeper(actor, mechanism)
    check_visible(actor, "unit", "成员单位", [unit])
    if liaison is not None and (liaison.role != Role.LIAISON or liaison.unit_id != unit.pk):
        raise ValidationError({"liaison": LIAISON_NOT_OF_UNIT})
    member = MemberUnit(
        mechanism=mechanism, unit=unit, duties=text.prose(duties), liaison=liaison, order=order
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: MemberUnit,
    duties: str = "",
    liaison: User | None = None,
    order: int = 0,
    expected_version: int | None = None,
) -> MemberUnit:
    """A member unit's duties, liaison and place in the list; the unit itself stays."""
    check_keeper(actor, member.mechanism)
    versioning.claim(member, expected_version)
    if liaison is not None and (liaison.role != Role.LIAISON or liaison.unit_id != member.unit_id):
        raise ValidationError({"liaison": LIAISON_NOT_OF_UNIT})
    member.duties = text.prose(duties)
    member.liaison = liaison
    member.order = order
    member.full_clean()
    member.save(update_fields=["duties", "liaison", "order"])
    return member


@transaction.atomic
def agenda_raise(
    *,
    actor: User,
    member: MemberUnit,
    title: str,
    text_: str = "",
    raised_on: dt.date | None = None,
) -> AgendaItem:
    """A member unit raises an issue: by its liaison, or by staff keeping the mechanism."""
    check_liaison_or_keeper(actor, member.mechanism, member.unit)
    item = AgendaItem(
        mechanism=member.mechanism,
        raised_by=member,
        title=text.line(title),
        text=text.prose(text_),
        raised_on=raised_on or timezone.localdate(),
        created_by=actor,
    )
    item.full_clean()
    item.save()
    return item


def _check_meeting(
    actor: User, meeting: Activity, mechanism: Mechanism | None, field: str = "meeting"
) -> None:
    check_visible(actor, field, "会议", [meeting])
    if meeting.type.code not in MEETING_TYPE_CODES:
        raise ValidationError({field: NOT_A_MEETING})
    if mechanism is not None and meeting.mechanism_id != mechanism.pk:
        raise ValidationError({field: MEETING_OF_ANOTHER.format(mechanism=mechanism.name)})


def _locked(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def agenda_schedule(*, actor: User, item: AgendaItem, meeting: Activity) -> AgendaItem:
    locked = _locked(item)
    check_keeper(actor, locked.mechanism)
    if locked.state != AgendaState.PENDING:
        raise ValidationError(ITEM_NOT_PENDING.format(state=locked.get_state_display()))
    _check_meeting(actor, meeting, locked.mechanism)
    if meeting.date < locked.raised_on:
        raise ValidationError({"meeting": MEETING_BEFORE_RAISED})
    locked.meeting = meeting
    locked.state = AgendaState.SCHEDULED
    locked.full_clean()
    locked.save(update_fields=["meeting", "state"])
    return locked


def _check_scheduled(item: AgendaItem) -> None:
    if item.state != AgendaState.SCHEDULED:
        raise ValidationError(ITEM_NOT_SCHEDULED.format(state=item.get_state_display()))


@transaction.atomic
def agenda_close(*, actor: User, item: AgendaItem, note: str) -> AgendaItem:
    """办结 at the meeting the item is on, with what the meeting decided."""
    locked = _locked(item)
    check_keeper(actor, locked.mechanism)
    _check_scheduled(locked)
    if not text.prose(note):
        raise ValidationError({"note": OUTCOME_REQUIRED})
    locked.outcome = text.prose(note)
    locked.state = AgendaState.CLOSED
    locked.closed_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["outcome", "state", "closed_at"])
    return locked


@transaction.atomic
def agenda_carry_over(
    *, actor: User, item: AgendaItem, next_meeting: Activity, note: str
) -> AgendaItem:
    """转下次: the item is marked, and its successor is put on the next meeting's agenda."""
    locked = _locked(item)
    check_keeper(actor, locked.mechanism)
    _check_scheduled(locked)
    if not text.prose(note):
        raise ValidationError({"note": REASON_REQUIRED})
    _check_meeting(actor, next_meeting, locked.mechanism, "next_meeting")
    assert locked.meeting is not None  # a scheduled item has its meeting (a check constraint)
    if next_meeting.date <= locked.meeting.date:
        raise ValidationError({"next_meeting": NEXT_MEETING_NOT_LATER})
    locked.outcome = text.prose(note)
    locked.state = AgendaState.CARRIED
    locked.closed_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["outcome", "state", "closed_at"])
    successor = AgendaItem(
        mechanism=locked.mechanism,
        raised_by=locked.raised_by,
        title=locked.title,
        text=locked.text,
        raised_on=locked.raised_on,
        state=AgendaState.SCHEDULED,
        meeting=next_meeting,
        carried_from=locked,
        created_by=actor,
    )
    successor.full_clean()
    successor.save()
    return successor


@transaction.atomic
def meeting_settle(*, actor: User, meeting: Activity) -> list[AgendaItem]:
    """Closing a meeting's items: refused while any item on its agenda is neither 已办结 nor
    转下次, naming them. Returns the meeting's items."""
    access.require_write(actor)
    if actor.role not in (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF):
        raise PermissionDenied(access.ROLE_FORBIDDEN)
    _check_meeting(actor, meeting, None)
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("pk"))
    for mechanism in {item.mechanism for item in items}:
        check_keeper(actor, mechanism)
    open_items = [item.title for item in items if item.state == AgendaState.SCHEDULED]
    if open_items:
        raise ValidationError(MEETING_UNSETTLED.format(titles="、".join(open_items)))
    return items
