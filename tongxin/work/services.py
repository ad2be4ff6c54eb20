"""Writes of work records: visits, opinions, and the case state machine.

A transition locks the case row (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialize writers), checks the move from the state it finds, writes the case and its
CaseEvent, all in one transaction: of two concurrent moves from one state, only one can win."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.core.workdays import deadline_reminder, start_of_day

from .checks import check_owner_writable, check_region, check_region_line, check_visible
from .models import (
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    REMINDER_KINDS,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseSource,
    CaseStatus,
    Opinion,
    OpinionKind,
    Satisfaction,
    Visit,
)

S = CaseStatus
STAFF = (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF)
REASON_REQUIRED = "请填写原因。"
ALREADY_ARCHIVED = "该诉求已归档。如需重新统计，请先恢复。"
NOT_ARCHIVED = "该诉求未归档，无需恢复。"
ARCHIVE_REASON_REQUIRED = "请填写归档原因（如：重复登记、误录）。"
RESOLUTION_REQUIRED = "办结须填写办理结果。"
SATISFACTION_REQUIRED = "回访须选择满意度（满意、基本满意、不满意）。"
ASSIGN_NEEDS_UNITS = "交办须选择至少一个承办单位并填写办理时限。"
DEADLINE_IN_PAST = "办理时限不能早于今天。"
EXTEND_NEEDS_LATER = "延期后的时限须晚于原时限。"
NOT_HANDLER = "只有承办单位的联络员或业务人员可以办理此诉求。"
PROGRESS_NOT_OPEN = "只有已交办、办理中的诉求可以报告进展；已办结的诉求如有新情况，请在回访中说明。"
OPINION_ALREADY_CASE = "这条意见已转为诉求，请打开那条诉求继续办理。"


class IllegalTransition(Exception):
    """A move the state machine does not allow from the case's current state."""

    def __init__(self, case: Case, to_status: str) -> None:
        allowed = "、".join(CaseStatus(t).label for f, t in MOVES if f == case.status) or "无"
        super().__init__(
            f"诉求当前状态为“{case.get_status_display()}”，不能变为“{CaseStatus(to_status).label}”。"
            f"当前可以：{allowed}。"
        )


@dataclass(frozen=True)
class Move:
    kind: str
    handlers_may: bool  # a liaison of an assigned unit may make this move


MOVES: dict[tuple[str, str], Move] = {
    (S.ACCEPTED, S.ASSIGNED): Move(CaseEventKind.TRANSITION, handlers_may=False),
    (S.ASSIGNED, S.IN_PROGRESS): Move(CaseEventKind.TRANSITION, handlers_may=True),
    (S.IN_PROGRESS, S.RESOLVED): Move(CaseEventKind.TRANSITION, handlers_may=True),
    (S.RESOLVED, S.FOLLOWED_UP): Move(CaseEventKind.TRANSITION, handlers_may=False),
    # 退回: the assigned unit sends the case back to the department, with a reason.
    (S.ASSIGNED, S.ACCEPTED): Move(CaseEventKind.RETURN, handlers_may=True),
    (S.IN_PROGRESS, S.ACCEPTED): Move(CaseEventKind.RETURN, handlers_may=True),
}


def _is_handler(actor: User, case: Case) -> bool:
    if actor.role != Role.LIAISON or actor.unit_id is None:
        return False
    return case.units.filter(pk=actor.unit_id).exists()


def _check_actor(actor: User, case: Case, handlers_may: bool) -> None:
    access.require_write(actor)
    if actor.role in STAFF:
        return
    if handlers_may and _is_handler(actor, case):
        return
    raise PermissionDenied(NOT_HANDLER)


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    actor: User,
    note: str = "",
    resolution: str = "",
    satisfaction: str = "",
    units: Iterable[Unit] | None = None,
    deadline: dt.date | None = None,
) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    move = MOVES.get((locked.status, to_status))
    if move is None:
        raise IllegalTransition(locked, to_status)
    _check_actor(actor, locked, move.handlers_may)
    note = text.prose(note)
    if move.kind == CaseEventKind.RETURN and not note:
        raise ValidationError({"note": REASON_REQUIRED})
    if to_status == S.ASSIGNED:
        chosen = list(units or [])
        if not chosen or deadline is None:
            raise ValidationError({"units": ASSIGN_NEEDS_UNITS})
        if deadline < timezone.localdate():
            raise ValidationError({"deadline": DEADLINE_IN_PAST})
        locked.deadline = deadline
        locked.units.set(chosen)
        note = note or "交办：" + "、".join(u.short_name or u.name for u in chosen)
    if to_status == S.RESOLVED:
        if not text.prose(resolution):
            raise ValidationError({"resolution": RESOLUTION_REQUIRED})
        locked.resolution = text.prose(resolution)
        locked.resolved_at = timezone.now()
    if to_status == S.FOLLOWED_UP:
        if satisfaction not in Satisfaction.values:
            raise ValidationError({"satisfaction": SATISFACTION_REQUIRED})
        locked.satisfaction = satisfaction
    from_status = locked.status
    locked.status = to_status
    locked.full_clean()
    locked.save()
    CaseEvent.objects.create(
        case=locked,
        actor=actor,
        kind=move.kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    return locked


@transaction.atomic
def case_extend(*, case: Case, actor: User, deadline: dt.date, reason: str) -> Case:
    """延期: a later deadline, with the reason, for a case being handled."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise IllegalTransition(locked, locked.status)
    _check_actor(actor, locked, handlers_may=True)
    if not text.prose(reason):
        raise ValidationError({"reason": REASON_REQUIRED})
    if locked.deadline is not None and deadline <= locked.deadline:
        raise ValidationError({"deadline": EXTEND_NEEDS_LATER})
    old = locked.deadline
    locked.deadline = deadline
    locked.save(update_fields=["deadline"])
    CaseEvent.objects.create(
        case=locked,
        actor=actor,
        kind=CaseEventKind.EXTEND,
        from_status=locked.status,
        to_status=locked.status,
        note=f"时限由 {old} 延至 {deadline}：{text.prose(reason)}",
    )
    return locked


@transaction.atomic
def case_archive(*, case: Case, actor: User, reason: str) -> Case:
    """归档: the case stays, with its timeline, but no figure counts it any more. Only staff who
    keep the case's region and line may archive it, with the reason."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    check_owner_writable(actor, locked)
    if locked.archived_at is not None:
        raise ValidationError(ALREADY_ARCHIVED)
    reason = text.line(reason)
    if not reason:
        raise ValidationError({"reason": ARCHIVE_REASON_REQUIRED})
    locked.archived_at = timezone.now()
    locked.archive_reason = reason
    locked.full_clean()
    locked.save(update_fields=["archived_at", "archive_reason"])
    CaseEvent.objects.create(
        case=locked,
        actor=actor,
        kind=CaseEventKind.ARCHIVE,
        from_status=locked.status,
        to_status=locked.status,
        note=reason,
    )
    return locked


@transaction.atomic
def case_restore(*, case: Case, actor: User, note: str = "") -> Case:
    """恢复: an archived case counts again."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    check_owner_writable(actor, locked)
    if locked.archived_at is None:
        raise ValidationError(NOT_ARCHIVED)
    locked.archived_at = None
    locked.archive_reason = ""
    locked.save(update_fields=["archived_at", "archive_reason"])
    CaseEvent.objects.create(
        case=locked,
        actor=actor,
        kind=CaseEventKind.RESTORE,
        from_status=locked.status,
        to_status=locked.status,
        note=text.prose(note),
    )
    return locked


@transaction.atomic
def case_progress(*, case: Case, actor: User, note: str) -> CaseEvent:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _check_actor(actor, locked, handlers_may=True)
    if not locked.is_open:
        raise ValidationError({"note": PROGRESS_NOT_OPEN})
    if not text.prose(note):
        raise ValidationError({"note": "请填写办理进展。"})
    return CaseEvent.objects.create(
        case=locked,
        actor=actor,
        kind=CaseEventKind.PROGRESS,
        from_status=locked.status,
        to_status=locked.status,
        note=text.prose(note),
    )


@transaction.atomic
def case_create(
    *, actor: User, title: str, text_: str, source: str, region: Region, **fields: Any
) -> Case:
    access.require_write(actor, *STAFF)
    check_region(actor, region)
    # City staff keep their lines' cases: a case without a line would be every line's.
    check_region_line(actor, region, fields.get("line"))
    check_visible(actor, "requester_person", "反映人", [fields.get("requester_person")])
    check_visible(
        actor, "requester_organization", "反映企业/组织", [fields.get("requester_organization")]
    )
    case = Case(
        title=text.line(title),
        text=text.prose(text_),
        source=source,
        region=region,
        created_by=actor,
        **fields,
    )
    case.full_clean()
    case.save()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=CaseEventKind.TRANSITION,
        from_status=S.ACCEPTED,
        to_status=S.ACCEPTED,
        note="受理",
    )
    return case


@transaction.atomic
def visit_record(
    *, actor: User, opinions: Iterable[tuple[str, str]] = (), **fields: object
) -> Visit:
    access.require_write(actor, *STAFF)
    region = fields.get("region")
    if isinstance(region, Region):
        check_region(actor, region)
    check_visible(actor, "person", "走访对象（人员）", [fields.get("person")])  # type: ignore[list-item]
    check_visible(actor, "organization", "走访对象（组织）", [fields.get("organization")])  # type: ignore[list-item]
    visit = Visit(created_by=actor, **fields)
    visit.full_clean()
    visit.save()
    for kind, content in opinions:
        opinion = Opinion(visit=visit, kind=kind, text=text.prose(content))
        opinion.full_clean()
        opinion.save()
    return visit


@transaction.atomic
def opinion_to_case(
    *, actor: User, opinion: Opinion, title: str = "", line: BusinessLine | None = None
) -> Case:
    """One click: the difficulty heard on a visit becomes a case, linked both ways. City staff
    file it under their line (their only one, if they have one)."""
    if Case.objects.filter(opinion=opinion).exists():
        raise ValidationError(OPINION_ALREADY_CASE)
    if line is None and actor.role == Role.CITY_STAFF:
        lines = list(actor.lines.all()[:2])
        line = lines[0] if len(lines) == 1 else None
    visit = opinion.visit
    return case_create(
        actor=actor,
        title=title or opinion.text[:30],
        text_=opinion.text,
        source=CaseSource.VISIT,
        region=visit.region,
        opinion=opinion,
        requester_person=visit.person,
        requester_organization=visit.organization,
        category=OpinionKind(opinion.kind).label,
        line=line,
    )


# --- the daily deadline reminders (manage.py case_deadlines) --------------------------------------


@transaction.atomic
def case_remind(*, case: Case) -> CaseEvent | None:
    """到期提醒 or 逾期提醒 on the case's timeline, written by the system (no actor), for an open
    case due within DUE_SOON_DAYS days or past due; at most one a case a day, so that the daily
    job can run again without writing twice."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    now = timezone.now()
    today = timezone.localdate(now)
    days = locked.days_left(today)
    if days is None or days > DUE_SOON_DAYS:
        return None
    if locked.events.filter(kind__in=REMINDER_KINDS, at__gte=start_of_day(today)).exists():
        return None
    assert locked.deadline is not None  # days_left is None without one
    overdue, note = deadline_reminder(locked.deadline, days, "请尽快办结，或说明原因申请延期。")
    kind = CaseEventKind.OVERDUE if overdue else CaseEventKind.REMINDER
    event = CaseEvent(
        case=locked,
        actor=None,
        kind=kind,
        from_status=locked.status,
        to_status=locked.status,
        note=note,
        at=now,
    )
    event.full_clean()
    event.save()
    return event


@dataclass(frozen=True)
class ReminderRun:
    on: dt.date
    overdue: int  # reminders written today by this run
    due_soon: int
    already: int  # reminded earlier today (or closed meanwhile): left alone


def case_deadline_reminders() -> ReminderRun:
    """Every open case due within DUE_SOON_DAYS days or overdue gets today's reminder. Each case
    is its own transaction: one failing case does not hold back the others' reminders."""
    today = timezone.localdate()
    due = Case.objects.filter(
        status__in=OPEN_STATUSES,
        deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        archived_at__isnull=True,  # an archived case is nobody's work any more
    )
    written: list[str] = []
    already = 0
    for case in due.only("pk").order_by("pk").iterator():
        event = case_remind(case=case)
        if event is None:
            already += 1
        else:
            written.append(event.kind)
    return ReminderRun(
        on=today,
        overdue=written.count(CaseEventKind.OVERDUE),
        due_soon=written.count(CaseEventKind.REMINDER),
        already=already,
    )
