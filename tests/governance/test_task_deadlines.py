"""Deadlines of 督办事项: the daily job (manage.py task_deadlines) that writes one reminder a task a
day, the department's overdue list, the workbench's lists (a liaison's unit's open tasks; staff's
overdue and due-soon tasks per assignee) and a unit's page. Days pass with time_machine."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tongxin.governance import services_tasks as services
from tongxin.governance.models import Task, TaskEvent, TaskEventKind, TaskState

from ..conftest import Cast, login
from .records import unit
from .test_task_pages import TODAY, city_task, days, page, set_deadline, sifa

K = TaskEventKind
S = TaskState
SHANGHAI = ZoneInfo("Asia/Shanghai")


def morning(day: dt.date) -> dt.datetime:
    """07:05 in Deyang, when the scheduler runs the job."""
    return dt.datetime.combine(day, dt.time(7, 5), tzinfo=SHANGHAI)


def run_job() -> str:
    out = StringIO()
    call_command("task_deadlines", stdout=out)
    return out.getvalue()


def reminders(task: Task) -> list[str]:
    return list(task.events.filter(kind__in=[K.REMINDER, K.OVERDUE]).values_list("kind", flat=True))


# --- the daily job --------------------------------------------------------------------------------


def test_the_job_reminds_each_overdue_and_due_soon_task_once(cast: Cast) -> None:
    overdue = city_task(cast, "逾期督办")
    set_deadline(overdue, days(-2))
    soon = city_task(cast, "三天内到期", deadline=days(3))
    today = city_task(cast, "今天到期", deadline=TODAY)
    later = city_task(cast, "下周到期", deadline=days(4))
    output = run_job()
    assert reminders(overdue) == [K.OVERDUE] and reminders(soon) == [K.REMINDER]
    assert reminders(today) == [K.REMINDER] and reminders(later) == []
    assert overdue.events.latest("id").note.startswith("已逾期2天")
    assert today.events.latest("id").note.startswith("今天到期")
    assert soon.events.latest("id").note.startswith("还有3天到期")
    assert overdue.events.latest("id").actor is None
    assert (
        f"{TODAY:%Y-%m-%d} 督办事项到期提醒：新写入 3 条（逾期 1 项，3天内到期 2 项）；"
        "今天已提醒过的 0 项未重复写入。"
    ) in output


def test_running_the_job_twice_the_same_day_writes_nothing_new(cast: Cast) -> None:
    task = city_task(cast, deadline=days(1))
    with time_machine.travel(morning(TODAY), tick=False):
        run_job()
    events = TaskEvent.objects.count()
    with time_machine.travel(morning(TODAY) + dt.timedelta(hours=10), tick=False):
        output = run_job()
    assert TaskEvent.objects.count() == events and reminders(task) == [K.REMINDER]
    assert "新写入 0 条" in output and "今天已提醒过的 1 项未重复写入" in output


def test_each_day_brings_its_reminder_until_the_task_is_done(cast: Cast) -> None:
    liaison = sifa(cast)
    task = city_task(cast, deadline=days(1))
    for day in range(4):  # due tomorrow, due today, then one and two days overdue
        with time_machine.travel(morning(days(day)), tick=False):
            run_job()
    assert reminders(task) == [K.REMINDER, K.REMINDER, K.OVERDUE, K.OVERDUE]
    assert task.events.latest("id").note.startswith("已逾期2天")
    with time_machine.travel(morning(days(4)), tick=False):
        services.task_transition(task=task, to_state=S.IN_PROGRESS, actor=liaison)
        services.task_transition(task=task, to_state=S.DONE, actor=liaison, result="已办结。")
    with time_machine.travel(morning(days(5)), tick=False):
        output = run_job()
    assert len(reminders(task)) == 4 and "新写入 0 条" in output


def test_returned_and_done_tasks_get_no_reminder(cast: Cast) -> None:
    liaison = sifa(cast)
    returned = city_task(cast, "已退回", deadline=days(1))
    services.task_transition(task=returned, to_state=S.RETURNED, actor=liaison, note="非本单位。")
    done = city_task(cast, "已办结", deadline=days(1))
    services.task_transition(task=done, to_state=S.IN_PROGRESS, actor=liaison)
    services.task_transition(task=done, to_state=S.DONE, actor=liaison, result="已办。")
    run_job()
    assert reminders(returned) == [] and reminders(done) == []


def test_only_reminders_may_have_no_actor(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskEvent.objects.create(
            task=cast.gov.task,
            actor=None,
            kind=K.PROGRESS,
            from_state="pending",
            to_state="pending",
        )


# --- the acceptance point of issue 5 --------------------------------------------------------------


def test_a_task_of_the_justice_bureau_goes_overdue_onto_the_lists(cast: Cast) -> None:
    """A task assigned to 市司法局 goes overdue and shows on the department's overdue list and the
    liaison's workbench."""
    liaison = sifa(cast)
    deadline = days(5)
    task = city_task(cast, "组建新阶律师人士法律服务团", deadline=deadline)
    assert task.assignee_unit == unit("市司法局")
    with time_machine.travel(morning(deadline + dt.timedelta(days=1)), tick=False):
        assert "逾期 1 项" in run_job()
        assert reminders(task) == [K.OVERDUE]
        overdue_list = page(login(cast.city_staff), "/tasks/", due="overdue")
        assert "组建新阶律师人士法律服务团" in overdue_list and "逾期1天" in overdue_list
        workbench = page(login(liaison), "/")
        assert "本单位督办事项" in workbench
        assert "组建新阶律师人士法律服务团" in workbench and "逾期1天" in workbench
        timeline = page(login(liaison), f"/tasks/{task.pk}/")
        assert "<strong>逾期提醒</strong>" in timeline and "已逾期1天" in timeline
        assert '<div class="small text-secondary">系统</div>' in timeline
    before = page(login(cast.city_staff), "/tasks/", due="overdue")
    assert "组建新阶律师人士法律服务团" not in before  # today, it is not overdue yet


# --- the workbench and a unit's page --------------------------------------------------------------


def test_staff_see_overdue_and_due_soon_tasks_per_assignee_on_the_workbench(cast: Cast) -> None:
    late = city_task(cast, "逾期的司法局督办")
    set_deadline(late, days(-2))
    city_task(cast, "快到期的旌阳督办", deadline=days(1), assignee_region=cast.jingyang_region)
    city_task(cast, "下月到期的督办", deadline=days(30))
    text = page(login(cast.city_staff), "/")
    assert "督办事项时限" in text and "逾期督办事项" in text
    assert "逾期的司法局督办" in text and "逾期2天" in text
    assert "快到期的旌阳督办" in text and "还有1天" in text
    assert "下月到期的督办" not in text
    assert "due=overdue&amp;unit=" in text and "due=soon&amp;region=510603" in text


def test_district_staff_see_the_tasks_they_handle_not_others(cast: Cast) -> None:
    city_task(cast, "交旌阳区的督办", deadline=days(1), assignee_region=cast.jingyang_region)
    city_task(cast, "交司法局的督办", deadline=days(1))
    text = page(login(cast.jingyang), "/")
    assert "交旌阳区的督办" in text and "交司法局的督办" not in text
    assert "交旌阳区的督办" not in page(login(cast.luojiang), "/")


def test_a_liaison_sees_every_open_task_of_their_unit_with_days_left(cast: Cast) -> None:
    liaison = sifa(cast)
    city_task(cast, "下月到期的督办", deadline=days(30))
    city_task(cast, "交网信办的督办", deadline=days(1), assignee_unit=cast.city_unit)
    text = page(login(liaison), "/")
    assert "下月到期的督办" in text and "还有30天" in text
    assert "交网信办的督办" not in text


def test_a_units_page_lists_its_tasks(cast: Cast) -> None:
    late = city_task(cast, "逾期的司法局督办")
    set_deadline(late, days(-1))
    justice = unit("市司法局")
    text = page(login(cast.city_staff), f"/units/{justice.pk}/")
    assert "承办的督办事项" in text and "逾期的司法局督办" in text and "逾期1天" in text
    assert "共 1 项，在办 1 项" in text
    assert "逾期的司法局督办" not in page(login(cast.luojiang), f"/units/{justice.pk}/")
