"""Writes of 督办事项: creation, the state machine and progress reports.

A transition locks the task row, checks the move from the state it finds and writes the task and
its TaskEvent in one transaction, like work.services.case_transition.

    待办 → 办理中 → 已办结
    待办, 办理中 → 已退回 (the assignee sends it back, with a reason)
    已退回 → 待办 (the department issues it again)

A progress report may carry files (work.attachments checks them); the daily job
(manage.py task_deadlines) writes 到期提醒 and 逾期提醒 on the timeline through task_remind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.core.workdays import deadline_reminder, start_of_day
from tongxin.work import attachments as attachment_service
from tongxin.work.checks import STAFF, check_region_line, check_visible, check_writer
from tongxin.work.models import DUE_SOON_DAYS, Attachment

from .checks import NOT_HANDLER, is_task_handler, is_task_keeper
from .models import (
    OPEN_TASK_STATES,
    TASK_REMINDER_KINDS,
    Mechanism,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskState,
)

S = TaskState
ONE_ASSIGNEE = "请选择承办单位或承办区县（二选一）。"
DEADLINE_IN_PAST = "办理时限不能早于今天。"
DEADLINE_ONLY_ON_REISSUE = "只有重新交办时可以调整办理时限。"
REASON_REQUIRED = "退回须填写原因。"
RESULT_REQUIRED = "办结须填写办理结果。"
PROGRESS_REQUIRED = "请填写办理进展。"
PROGRESS_NOT_OPEN = "只有待办、办理中的督办事项可以报告进展。"
OWNER_NOT_STAFF = "督办责任人须是您所辖区域的业务人员。"
MECHANISM_ELSEWHERE = "督办事项须与所属工作机制在同一区域、同一条线。"
MAX_REPORT_FILES = 10
TOO_MANY_FILES = f"一次进展报告最多附 {MAX_REPORT_FILES} 个文件，请打包成 ZIP 或分次报告。"


class IllegalTaskTransition(Exception):
    """A move the state machine does not allow from the task's current state."""

    def __init__(self, task: Task, to_state: str) -> None:
        allowed = "、".join(S(t).label for f, t in MOVES if f == task.state) or "无"
        wanted = S(to_state).label if to_state in S.values else to_state
        super().__init__(
            f"督办事项当前状态为“{task.get_state_display()}”，不能变为“{wanted}”。"
            f"当前可以：{allowed}。"
        )


@dataclass(frozen=True)
class Move:
    kind: str
    handlers_may: bool  # the assignee (liaison of the unit, staff of the region) may make it


MOVES: dict[tuple[str, str], Move] = {
    (S.PENDING, S.IN_PROGRESS): Move(TaskEventKind.TRANSITION, handlers_may=True),
    (S.IN_PROGRESS, S.DONE): Move(TaskEventKind.TRANSITION, handlers_may=True),
    (S.PENDING, S.RETURNED): Move(TaskEventKind.RETURN, handlers_may=True),
    (S.IN_PROGRESS, S.RETURNED): Move(TaskEventKind.RETURN, handlers_may=True),
    (S.RETURNED, S.PENDING): Move(TaskEventKind.TRANSITION, handlers_may=False),
}


def _check_actor(actor: User, task: Task, handlers_may: bool) -> None:
    access.require_write(actor)
    if is_task_keeper(actor, task):
        return
    if handlers_may and is_task_handler(actor, task):
        return
    raise PermissionDenied(NOT_HANDLER)


def _check_owner(actor: User, owner: User) -> None:
    in_reach = actor.role == Role.ADMIN or actor.region.contains(owner.region)
    if owner.role not in STAFF or not owner.is_active or not in_reach:
        raise ValidationError({"owner": OWNER_NOT_STAFF})


@transaction.atomic
def task_create(
    *,
    actor: User,
    title: str,
    region: Region,
    owner: User,
    deadline: dt.date,
    text_: str = "",
    line: BusinessLine | None = None,
    mechanism: Mechanism | None = None,
    assignee_unit: Unit | None = None,
    assignee_region: Region | None = None,
    expected_result: str = "",
) -> Task:
    check_writer(actor)
    check_region_line(actor, region, line)
    if (assignee_unit is None) == (assignee_region is None):
        raise ValidationError({"assignee_unit": ONE_ASSIGNEE})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": DEADLINE_IN_PAST})
    check_visible(actor, "mechanism", "工作机制", [mechanism])
    line_id = line.pk if line is not None else None
    if mechanism is not None and (mechanism.region_id, mechanism.line_id) != (region.pk, line_id):
        raise ValidationError({"mechanism": MECHANISM_ELSEWHERE})
    check_visible(actor, "assignee_unit", "承办单位", [assignee_unit])
    check_visible(actor, "assignee_region", "承办区县", [assignee_region])
    _check_owner(actor, owner)
    task = Task(
        mechanism=mechanism,
        title=text.line(title),
        text=text.prose(text_),
        region=region,
        line=line,
        assignee_unit=assignee_unit,
        assignee_region=assignee_region,
        owner=owner,
        deadline=deadline,
        expected_result=text.prose(expected_result),
        created_by=actor,
    )
    task.full_clean()
    task.save()
    TaskEvent.objects.create(
        task=task,
        actor=actor,
        kind=TaskEventKind.TRANSITION,
        from_state=S.PENDING,
        to_state=S.PENDING,
        note=f"交办：{task.assignee}，时限 {deadline:%Y-%m-%d}",
    )
    return task


@transaction.atomic
def task_transition(
    *,
    task: Task,
    to_state: str,
    actor: User,
    note: str = "",
    result: str = "",
    deadline: dt.date | None = None,
) -> Task:
    """Move a task; reissuing a returned task (已退回 → 待办) may set a new deadline, which
    must not lie in the past."""
    locked = Task.objects.select_for_update().get(pk=task.pk)
    move = MOVES.get((locked.state, to_state))
    if move is None:
        raise IllegalTaskTransition(locked, to_state)
    _check_actor(actor, locked, move.handlers_may)
    note = text.prose(note)
    if move.kind == TaskEventKind.RETURN and not note:
        raise ValidationError({"note": REASON_REQUIRED})
    fields = ["state"]
    if to_state == S.DONE:
        if not text.prose(result):
            raise ValidationError({"result": RESULT_REQUIRED})
        locked.result = text.prose(result)
        locked.closed_at = timezone.now()
        fields += ["result", "closed_at"]
    if deadline is not None and deadline != locked.deadline:
        if (locked.state, to_state) != (S.RETURNED, S.PENDING):
            raise ValidationError({"deadline": DEADLINE_ONLY_ON_REISSUE})
        if deadline < timezone.localdate():
            raise ValidationError({"deadline": DEADLINE_IN_PAST})
        note = "；".join(
            part
            for part in (note, f"办理时限改为 {deadline:%Y-%m-%d}（原 {locked.deadline:%Y-%m-%d}）")
            if part
        )
        locked.deadline = deadline
        fields.append("deadline")
    from_state = locked.state
    locked.state = to_state
    locked.full_clean()
    locked.save(update_fields=fields)
    TaskEvent.objects.create(
        task=locked,
        actor=actor,
        kind=move.kind,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
    return locked


@transaction.atomic
def task_progress(
    *, task: Task, actor: User, note: str, files: Sequence[UploadedFile] = ()
) -> TaskEvent:
    """A progress report by the assignee (the assigned unit's liaison, the region's staff), with
    its files. Every file is checked before anything is written: a refused file leaves neither
    the report nor any file behind."""
    locked = Task.objects.select_for_update().get(pk=task.pk)
    access.require_write(actor)
    if not is_task_handler(actor, locked):
        raise PermissionDenied(NOT_HANDLER)
    if not locked.is_open:
        raise ValidationError({"note": PROGRESS_NOT_OPEN})
    if not text.prose(note):
        raise ValidationError({"note": PROGRESS_REQUIRED})
    if len(files) > MAX_REPORT_FILES:
        raise ValidationError({"files": TOO_MANY_FILES})
    for upload in files:
        _check_report_file(upload)
    event = TaskEvent.objects.create(
        task=locked,
        actor=actor,
        kind=TaskEventKind.PROGRESS,
        from_state=locked.state,
        to_state=locked.state,
        note=text.prose(note),
    )
    stored: list[Attachment] = []
    try:
        for upload in files:
            stored.append(
                attachment_service.attachment_add(actor=actor, upload=upload, task_event=event)
            )
    except BaseException:
        # The rows roll back with the report; the files already stored must go by hand.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return event


def _check_report_file(upload: UploadedFile) -> None:
    try:
        attachment_service.check_upload(upload)
    except ValidationError as exc:
        name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
        raise ValidationError({"files": [f"“{name}”：{m}" for m in exc.messages]}) from None


# --- the daily reminders --------------------------------------------------------------------------


def task_remind(*, task: Task) -> TaskEvent | None:
    """到期提醒 or 逾期提醒 on the task's timeline, written by the system (no actor), for an open
    task due within DUE_SOON_DAYS days or past due; at most one a task a day, so that the daily
    job can run again without writing twice."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        now = timezone.now()
        today = timezone.localdate(now)
        if not locked.is_open:
            return None
        days = (locked.deadline - today).days
        if days > DUE_SOON_DAYS:
            return None
        if locked.events.filter(kind__in=TASK_REMINDER_KINDS, at__gte=start_of_day(today)).exists():
            return None
        overdue, note = deadline_reminder(locked.deadline, days, "请尽快办结并报告办理结果。")
        kind = TaskEventKind.OVERDUE if overdue else TaskEventKind.REMINDER
        event = TaskEvent(
            task=locked,
            actor=None,
            kind=kind,
            from_state=locked.state,
            to_state=locked.state,
            note=note,
            at=now,
        )
        event.full_clean()
        event.save()
        return event


@dataclass(frozen=True)
class TaskReminderRun:
    on: dt.date
    overdue: int  # reminders written today by this run
    due_soon: int
    already: int  # reminded earlier today (or closed meanwhile): left alone


def task_deadline_reminders() -> TaskReminderRun:
    """Every open task due within DUE_SOON_DAYS days or overdue gets today's reminder. Each task
    is its own transaction: one failing task does not hold back the others' reminders."""
    today = timezone.localdate()
    due = Task.objects.filter(
        state__in=OPEN_TASK_STATES, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    )
    written: list[str] = []
    already = 0
    for task in due.only("pk").order_by("pk").iterator():
        event = task_remind(task=task)
        if event is None:
            already += 1
        else:
            written.append(event.kind)
    return TaskReminderRun(
        on=today,
        overdue=written.count(TaskEventKind.OVERDUE),
        due_soon=written.count(TaskEventKind.REMINDER),
        already=already,
    )
