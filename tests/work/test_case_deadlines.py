"""Deadlines: the daily job (manage.py case_deadlines) that writes one reminder a case a day, and
the workbench's lists of overdue and due-soon cases per unit and per handler."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tongxin.work import services
from tongxin.work.models import Case, CaseEvent, CaseEventKind, CaseStatus

from ..conftest import Cast, login
from .casework import TODAY, assigned, days, justice_liaison, new_case, page, set_deadline, started

K = CaseEventKind


def run_job() -> str:
    out = StringIO()
    call_command("case_deadlines", stdout=out)
    return out.getvalue()


def reminders(case: Case) -> list[str]:
    return list(case.events.filter(kind__in=[K.REMINDER, K.OVERDUE]).values_list("kind", flat=True))


def late_case(cast: Cast, title: str, overdue_by: int) -> Case:
    case = assigned(cast, new_case(cast, title))
    set_deadline(case, days(-overdue_by))
    return case


# --- the daily job --------------------------------------------------------------------------------


def test_the_job_reminds_each_overdue_and_due_soon_case_once(cast: Cast) -> None:
    overdue = late_case(cast, "逾期诉求", overdue_by=2)
    soon = assigned(cast, new_case(cast, "三天内到期"), deadline=days(3))
    today = assigned(cast, new_case(cast, "今天到期"), deadline=TODAY)
    later = assigned(cast, new_case(cast, "下周到期"), deadline=days(4))
    output = run_job()
    assert reminders(overdue) == [K.OVERDUE] and reminders(soon) == [K.REMINDER]
    assert reminders(today) == [K.REMINDER] and reminders(later) == []
    assert overdue.events.latest("id").note.startswith("已逾期2天")
    assert today.events.latest("id").note.startswith("今天到期")
    assert soon.events.latest("id").note.startswith("还有3天到期")
    assert f"{TODAY:%Y-%m-%d} 诉求到期提醒：新写入 3 条（逾期 1 件，3天内到期 2 件）" in output


def test_running_the_job_twice_the_same_day_writes_nothing_new(cast: Cast) -> None:
    late_case(cast, "逾期诉求", overdue_by=1)
    run_job()
    events = CaseEvent.objects.count()
    output = run_job()
    assert CaseEvent.objects.count() == events
    assert "新写入 0 条" in output and "今天已提醒过的 1 件未重复写入" in output


def test_the_next_day_brings_the_next_reminder(cast: Cast) -> None:
    case = late_case(cast, "逾期诉求", overdue_by=1)
    run_job()
    CaseEvent.objects.filter(case=case, kind=K.OVERDUE).update(
        at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    run_job()
    assert reminders(case) == [K.OVERDUE, K.OVERDUE]


def test_closed_and_unassigned_cases_get_no_reminder(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    closed = started(cast, assigned(cast, deadline=days(1)), liaison)
    closed = services.case_transition(
        case=closed, to_status=CaseStatus.RESOLVED, actor=liaison, resolution="已办结"
    )
    set_deadline(cast.records.case, days(-5))  # 受理, never assigned: no one to remind
    run_job()
    assert reminders(closed) == [] and reminders(cast.records.case) == []


def test_the_reminder_is_on_the_timeline_as_the_systems(cast: Cast) -> None:
    case = late_case(cast, "逾期诉求", overdue_by=3)
    run_job()
    text = page(login(cast.jingyang), f"/cases/{case.pk}/")
    assert "<strong>逾期提醒</strong>" in text and "已逾期3天" in text
    assert '<div class="small text-secondary">系统</div>' in text


def test_only_reminders_may_have_no_actor(cast: Cast) -> None:
    case = cast.records.case
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(
            case=case, actor=None, kind=K.PROGRESS, from_status="accepted", to_status="accepted"
        )


# --- the workbench --------------------------------------------------------------------------------


def test_the_workbench_lists_overdue_and_due_soon_cases_per_unit(cast: Cast) -> None:
    late_case(cast, "旌阳逾期诉求", overdue_by=2)
    assigned(cast, new_case(cast, "旌阳快到期诉求"), deadline=days(1))
    assigned(cast, new_case(cast, "旌阳下月到期诉求"), deadline=days(30))
    text = page(login(cast.jingyang), "/")
    assert "逾期诉求" in text and "即将到期（3天内）" in text
    assert "旌阳逾期诉求" in text and "逾期2天" in text
    assert "旌阳快到期诉求" in text and "1天后" in text
    assert "旌阳下月到期诉求" not in text
    assert "市司法局" in text and "due=overdue&amp;unit=" in text


def test_the_workbench_groups_per_handler(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    started(cast, late_case(cast, "旌阳已开始的逾期诉求", overdue_by=1), liaison)
    late_case(cast, "旌阳未开始的逾期诉求", overdue_by=1)
    text = page(login(cast.jingyang), "/", by="handler")
    assert "网信联络员" in text and f"handler={liaison.pk}" in text
    assert "尚未开始办理" in text and "status=assigned" in text


def test_a_liaisons_workbench_shows_their_units_cases(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    late_case(cast, "旌阳交办司法局的逾期诉求", overdue_by=1)
    assert "旌阳交办司法局的逾期诉求" in page(login(liaison), "/")
    assert "旌阳交办司法局的逾期诉求" not in page(login(cast.luojiang), "/")


@pytest.mark.parametrize("who", ["jingyang", "liaison", "leader"])
def test_the_workbench_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    justice_liaison(cast)
    for i in range(15):
        late_case(cast, f"旌阳诉求{i}", overdue_by=i % 3)
    client = login(getattr(cast, who))
    client.get("/")
    # 14, and the four counts of the portal's queues (个人门户待办: tongxin/portal/templatetags).
    with django_assert_max_num_queries(18):
        assert client.get("/").status_code == 200
