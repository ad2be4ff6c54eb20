"""The 督办事项 state machine: every legal and every illegal move, who may make it, and the event
written in the same transaction."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongxin.governance import services_tasks as tasks
from tongxin.governance.checks import NOT_HANDLER
from tongxin.governance.models import Task, TaskEvent, TaskEventKind, TaskState
from tongxin.governance.services_tasks import MOVES, IllegalTaskTransition

from ..conftest import Cast
from .records import joint_meeting, unit, xinjie

S = TaskState
DEADLINE = timezone.localdate() + dt.timedelta(days=10)
STATES = list(S)


def _task(cast: Cast) -> Task:
    return tasks.task_create(
        actor=cast.city_staff,
        title="落实新阶律师人士法律服务团",
        region=cast.city,
        line=xinjie(),
        owner=cast.city_staff,
        deadline=DEADLINE,
        assignee_unit=unit("市司法局"),
        expected_result="年内组建法律服务团。",
    )


def _in_state(cast: Cast, state: str) -> Task:
    """A fresh task brought to ``state`` by the department's staff."""
    task = _task(cast)
    staff = cast.city_staff
    if state in (S.IN_PROGRESS, S.DONE):
        task = tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=staff)
    if state == S.DONE:
        task = tasks.task_transition(task=task, to_state=S.DONE, actor=staff, result="已组建。")
    if state == S.RETURNED:
        task = tasks.task_transition(
            task=task, to_state=S.RETURNED, actor=staff, note="非本单位职责。"
        )
    return task


@pytest.mark.parametrize(("from_state", "to_state"), sorted(MOVES))
def test_every_legal_move_is_made_with_its_event(
    cast: Cast, from_state: str, to_state: str
) -> None:
    task = _in_state(cast, from_state)
    moved = tasks.task_transition(
        task=task, to_state=to_state, actor=cast.city_staff, note="说明。", result="已办结。"
    )
    assert moved.state == to_state
    assert Task.objects.get(pk=task.pk).state == to_state
    event = moved.events.last()
    assert event is not None
    assert (event.from_state, event.to_state, event.actor) == (
        from_state,
        to_state,
        cast.city_staff,
    )
    assert event.kind == MOVES[from_state, to_state].kind


ILLEGAL = [(f, t) for f, t in itertools.product(STATES, STATES) if (f, t) not in MOVES]


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_every_illegal_move_is_refused_naming_the_allowed_ones(
    cast: Cast, from_state: str, to_state: str
) -> None:
    task = _in_state(cast, from_state)
    events = TaskEvent.objects.count()
    with pytest.raises(IllegalTaskTransition) as refused:
        tasks.task_transition(
            task=task, to_state=to_state, actor=cast.city_staff, note="说明。", result="结果。"
        )
    allowed = "、".join(S(t).label for f, t in MOVES if f == from_state) or "无"
    assert str(refused.value) == (
        f"督办事项当前状态为“{S(from_state).label}”，不能变为“{S(to_state).label}”。"
        f"当前可以：{allowed}。"
    )
    assert Task.objects.get(pk=task.pk).state == from_state
    assert TaskEvent.objects.count() == events


def test_the_assignee_liaison_handles_and_reports_progress(cast: Cast) -> None:
    justice_liaison = joint_meeting(cast).justice_liaison
    task = _task(cast)
    task = tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=justice_liaison)
    tasks.task_progress(task=task, actor=justice_liaison, note="已遴选律师12名。")
    task = tasks.task_transition(
        task=task, to_state=S.DONE, actor=justice_liaison, result="法律服务团已成立。"
    )
    assert task.closed_at is not None and task.result == "法律服务团已成立。"
    steps = list(task.events.values_list("kind", "from_state", "to_state", "actor__username"))
    assert steps == [
        (TaskEventKind.TRANSITION, S.PENDING, S.PENDING, "t_city"),
        (TaskEventKind.TRANSITION, S.PENDING, S.IN_PROGRESS, "t_sifa"),
        (TaskEventKind.PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS, "t_sifa"),
        (TaskEventKind.TRANSITION, S.IN_PROGRESS, S.DONE, "t_sifa"),
    ]


def test_only_the_department_issues_a_returned_task_again(cast: Cast) -> None:
    justice_liaison = joint_meeting(cast).justice_liaison
    task = tasks.task_transition(
        task=_task(cast), to_state=S.RETURNED, actor=justice_liaison, note="应由市律协承办。"
    )
    with pytest.raises(PermissionDenied, match=NOT_HANDLER):
        tasks.task_transition(task=task, to_state=S.PENDING, actor=justice_liaison)
    task = tasks.task_transition(task=task, to_state=S.PENDING, actor=cast.city_staff)
    assert task.state == S.PENDING


def test_other_liaisons_and_read_only_roles_may_not_move_it(cast: Cast) -> None:
    task = _task(cast)
    with pytest.raises(PermissionDenied, match=NOT_HANDLER):
        tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=cast.liaison)
    with pytest.raises(PermissionDenied, match=NOT_HANDLER):
        tasks.task_progress(task=task, actor=cast.liaison, note="进展。")
    for reader in (cast.leader, cast.auditor):
        with pytest.raises(PermissionDenied):
            tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=reader)
    assert Task.objects.get(pk=task.pk).state == S.PENDING


def test_a_return_needs_a_reason_and_done_needs_a_result(cast: Cast) -> None:
    task = _task(cast)
    with pytest.raises(ValidationError, match=tasks.REASON_REQUIRED):
        tasks.task_transition(task=task, to_state=S.RETURNED, actor=cast.city_staff)
    task = tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=cast.city_staff)
    with pytest.raises(ValidationError, match=tasks.RESULT_REQUIRED):
        tasks.task_transition(task=task, to_state=S.DONE, actor=cast.city_staff, result="  ")


def test_a_task_has_exactly_one_assignee_and_a_deadline_not_past(cast: Cast) -> None:
    common = dict(
        actor=cast.city_staff, title="督办", region=cast.city, line=xinjie(), owner=cast.city_staff
    )
    with pytest.raises(ValidationError, match=tasks.ONE_ASSIGNEE):
        tasks.task_create(**common, deadline=DEADLINE)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=tasks.ONE_ASSIGNEE):
        tasks.task_create(
            **common,  # type: ignore[arg-type]
            deadline=DEADLINE,
            assignee_unit=unit("市司法局"),
            assignee_region=cast.jingyang_region,
        )
    with pytest.raises(ValidationError, match=tasks.DEADLINE_IN_PAST):
        tasks.task_create(
            **common,  # type: ignore[arg-type]
            deadline=timezone.localdate() - dt.timedelta(days=1),
            assignee_unit=unit("市司法局"),
        )


def test_district_staff_handle_a_task_assigned_to_their_district(cast: Cast) -> None:
    task = tasks.task_create(
        actor=cast.city_staff,
        title="推进旌阳新阶实践创新基地建设",
        region=cast.city,
        line=xinjie(),
        owner=cast.city_staff,
        deadline=DEADLINE,
        assignee_region=cast.jingyang_region,
    )
    with pytest.raises(PermissionDenied, match=NOT_HANDLER):
        tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=cast.luojiang)
    task = tasks.task_transition(task=task, to_state=S.IN_PROGRESS, actor=cast.jingyang)
    tasks.task_progress(task=task, actor=cast.jingyang, note="已完成选址。")
    task = tasks.task_transition(
        task=task, to_state=S.RETURNED, actor=cast.jingyang, note="需市级协调用地。"
    )
    with pytest.raises(PermissionDenied, match=NOT_HANDLER):
        tasks.task_transition(task=task, to_state=S.PENDING, actor=cast.jingyang)


def test_an_overdue_task_knows_it(cast: Cast) -> None:
    task = _task(cast)
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    task.refresh_from_db()
    assert task.is_overdue and task.days_left == -2


def test_reissuing_a_returned_task_may_set_a_new_deadline_and_says_so(cast: Cast) -> None:
    task = _in_state(cast, S.RETURNED)
    later = DEADLINE + dt.timedelta(days=20)
    task = tasks.task_transition(
        task=task, to_state=S.PENDING, actor=cast.city_staff, note="已明确职责。", deadline=later
    )
    assert task.deadline == later
    assert Task.objects.get(pk=task.pk).deadline == later
    assert f"办理时限改为 {later:%Y-%m-%d}" in task.events.last().note  # type: ignore[union-attr]


def test_a_new_deadline_is_refused_in_the_past_and_outside_a_reissue(cast: Cast) -> None:
    task = _in_state(cast, S.RETURNED)
    events = task.events.count()
    with pytest.raises(ValidationError, match=tasks.DEADLINE_IN_PAST):
        tasks.task_transition(
            task=task,
            to_state=S.PENDING,
            actor=cast.city_staff,
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    pending = _in_state(cast, S.PENDING)
    with pytest.raises(ValidationError, match=tasks.DEADLINE_ONLY_ON_REISSUE):
        tasks.task_transition(
            task=pending, to_state=S.IN_PROGRESS, actor=cast.city_staff, deadline=later_day()
        )
    assert Task.objects.get(pk=task.pk).state == S.RETURNED
    assert task.events.count() == events
    assert Task.objects.get(pk=pending.pk).deadline == DEADLINE


def later_day() -> dt.date:
    return DEADLINE + dt.timedelta(days=5)
