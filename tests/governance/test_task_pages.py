"""The 督办事项 pages: the list (filters, the overdue list, query count), the new task form, the
detail with its timeline and the actions each role may take, for the department that keeps a
task, the assignee's liaison, another unit's liaison, a wrong district and an outsider."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tongxin.core.models import User
from tongxin.governance import forms_tasks as forms
from tongxin.governance import services_tasks as services
from tongxin.governance.checks import NOT_HANDLER
from tongxin.governance.models import Mechanism, Task, TaskEvent, TaskEventKind, TaskState

from ..conftest import Cast, login
from .records import joint_meeting, liaison_of, unit, xinjie

S = TaskState
TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def city_task(
    cast: Cast,
    title: str = "新阶律师人士走访全覆盖",
    *,
    deadline: dt.date | None = None,
    mechanism: Mechanism | None = None,
    **assignee: Any,
) -> Task:
    """A task the city's 新阶 staff assign (to 市司法局 unless told otherwise)."""
    if not assignee:
        assignee = {"assignee_unit": unit("市司法局")}
    return services.task_create(
        actor=cast.city_staff,
        title=title,
        region=cast.city,
        line=xinjie(),
        owner=cast.city_staff,
        deadline=deadline or days(10),
        mechanism=mechanism,
        expected_result="年内走访率100%。",
        **assignee,
    )


def set_deadline(task: Task, deadline: dt.date) -> None:
    """Past deadlines cannot be given through the services: tests move them directly."""
    Task.objects.filter(pk=task.pk).update(deadline=deadline)


def sifa(cast: Cast) -> User:
    return liaison_of("市司法局", "t_sifa")


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def act(client: Client, task: Task, action: str, **fields: Any) -> Any:
    """POST one action of the task page, its fields prefixed as the page's forms are."""
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/tasks/{task.pk}/act/", data, follow=True)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def state_of(task: Task) -> tuple[str, int]:
    fresh = Task.objects.get(pk=task.pk)
    return fresh.state, fresh.events.count()


# --- the list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "city_staff", "leader"])
def test_the_list_shows_the_city_tasks_to_the_department(cast: Cast, who: str) -> None:
    city_task(cast)
    text = page(login(getattr(cast, who)), "/tasks/")
    assert "新阶律师人士走访全覆盖" in text and "市司法局" in text


def test_district_staff_list_their_own_tasks_and_those_assigned_to_their_district(
    cast: Cast,
) -> None:
    city_task(cast, "交旌阳区的督办事项", assignee_region=cast.jingyang_region)
    city_task(cast, "交司法局的督办事项")
    text = page(login(cast.jingyang), "/tasks/")
    assert "旌阳区律师人士走访全覆盖" in text and "交旌阳区的督办事项" in text
    assert "交司法局的督办事项" not in text


def test_the_assignee_liaison_lists_only_their_units_tasks(cast: Cast) -> None:
    city_task(cast, "交司法局的督办事项")
    city_task(cast, "交网信办的督办事项", assignee_unit=cast.city_unit)
    text = page(login(sifa(cast)), "/tasks/")
    assert "交司法局的督办事项" in text and "交网信办的督办事项" not in text
    assert "旌阳" not in text
    assert "<th>承办</th>" not in text  # their own unit, every row: no column, no unit filter


def test_another_units_liaison_does_not_see_the_task(cast: Cast) -> None:
    task = city_task(cast, "交司法局的督办事项")
    client = login(cast.liaison)
    assert "交司法局的督办事项" not in page(client, "/tasks/")
    assert client.get(f"/tasks/{task.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_and_cities_see_nothing_of_the_task(cast: Cast, who: str) -> None:
    task = city_task(cast, "交旌阳区的督办事项", assignee_region=cast.jingyang_region)
    client = login(getattr(cast, who))
    text = page(client, "/tasks/")
    assert "交旌阳区的督办事项" not in text and "旌阳" not in text
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/tasks/{cast.gov.task.pk}/").status_code == 404
    response = act(client, cast.gov.task, "start")
    assert response.status_code == 404 and state_of(cast.gov.task) == (S.PENDING, 1)


def test_an_auditor_cannot_open_tasks(cast: Cast) -> None:
    assert login(cast.auditor).get("/tasks/").status_code == 403


def test_the_list_filters_by_state_time_unit_region_and_mechanism(cast: Cast) -> None:
    joint = joint_meeting(cast)
    late = city_task(cast, "逾期的督办事项")
    set_deadline(late, days(-2))
    city_task(cast, "快到期的督办事项", deadline=days(2), mechanism=joint.mechanism)
    region_task = city_task(cast, "交旌阳区的督办事项", assignee_region=cast.jingyang_region)
    done = city_task(cast, "已办结的督办事项")
    services.task_transition(task=done, to_state=S.IN_PROGRESS, actor=cast.city_staff)
    services.task_transition(task=done, to_state=S.DONE, actor=cast.city_staff, result="已办。")
    client = login(cast.admin)

    def listed(**params: Any) -> set[str]:
        text = page(client, "/tasks/", **params)
        titles = {t.title for t in Task.objects.all()}
        return {t for t in titles if f">{t}</a>" in text}

    assert listed(due="overdue") == {"逾期的督办事项"}
    assert listed(due="soon") == {"快到期的督办事项"}
    assert "已办结的督办事项" not in listed(due="open")
    assert listed(state=S.DONE) == {"已办结的督办事项"}
    assert listed(mechanism=joint.mechanism.pk) == {"快到期的督办事项"}
    assert listed(unit=cast.jingyang_unit.pk) == {"旌阳区律师人士走访全覆盖"}
    # 承办地区 旌阳区: the task assigned to the district and the one to a unit of it.
    assert listed(region=cast.jingyang_region.code) == {
        region_task.title,
        "旌阳区律师人士走访全覆盖",
    }
    assert listed(q="快到期") == {"快到期的督办事项"}


def test_the_overdue_list_says_what_it_lists(cast: Cast) -> None:
    late = city_task(cast)
    set_deadline(late, days(-3))
    text = page(login(cast.city_staff), "/tasks/", due="overdue")
    assert "逾期督办事项（已过办理时限、尚未办结）" in text and "逾期3天" in text


def test_the_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.jingyang).get("/tasks/", {"q": "律师"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "旌阳区律师人士走访全覆盖" in text


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader", "sifa"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    joint = joint_meeting(cast)
    user = joint.justice_liaison if who == "sifa" else getattr(cast, who)
    for i in range(25):
        task = city_task(cast, f"督办事项{i}", mechanism=joint.mechanism if i % 2 else None)
        if i % 3 == 0:
            services.task_progress(task=task, actor=joint.justice_liaison, note="已推进。")
    client = login(user)
    client.get("/tasks/")
    with django_assert_max_num_queries(14):
        assert client.get("/tasks/").status_code == 200


# --- the new task ---------------------------------------------------------------------------------


def task_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "落实新阶律师人士法律服务团",
        "text": "组建新阶律师人士法律服务团，服务民营企业。",
        "expected_result": "年内组建。",
        "assignee_unit": unit("市司法局").pk,
        "assignee_region": "",
        "deadline": days(20).isoformat(),
        "owner": cast.city_staff.pk,
        "mechanism": "",
        "region": cast.city.pk,
        "line": xinjie().pk,
    }
    data.update(overrides)
    return data


def test_the_department_assigns_a_task_and_lands_on_its_page(cast: Cast) -> None:
    client = login(cast.city_staff)
    assert "交办督办事项" in page(client, "/tasks/new/")
    response = client.post("/tasks/new/", task_form(cast), follow=True)
    task = Task.objects.get(title="落实新阶律师人士法律服务团")
    assert response.redirect_chain[-1][0] == f"/tasks/{task.pk}/"
    assert any("已交办" in m and days(20).isoformat() in m for m in messages_of(response))
    assert (task.assignee_unit, task.owner, task.created_by) == (
        unit("市司法局"),
        cast.city_staff,
        cast.city_staff,
    )
    assert task.events.get().note.startswith("交办：")


@pytest.mark.parametrize(
    "assignee",
    [{"assignee_unit": ""}, {"assignee_region": "510603"}],
    ids=["none", "both"],
)
def test_a_task_needs_exactly_one_assignee(cast: Cast, assignee: dict[str, str]) -> None:
    data = task_form(cast, **assignee)
    if data["assignee_region"]:
        data["assignee_region"] = cast.jingyang_region.pk
    response = login(cast.city_staff).post("/tasks/new/", data)
    assert response.status_code == 200
    assert services.ONE_ASSIGNEE in response.content.decode()
    assert not Task.objects.filter(title="落实新阶律师人士法律服务团").exists()


def test_a_deadline_in_the_past_is_refused_on_the_form(cast: Cast) -> None:
    response = login(cast.city_staff).post(
        "/tasks/new/", task_form(cast, deadline=days(-1).isoformat())
    )
    assert services.DEADLINE_IN_PAST in response.content.decode()
    assert not Task.objects.filter(title="落实新阶律师人士法律服务团").exists()


def test_a_wrong_district_cannot_assign_a_task_in_another_district(cast: Cast) -> None:
    before = Task.objects.count()
    response = login(cast.luojiang).post(
        "/tasks/new/",
        task_form(
            cast,
            region=cast.jingyang_region.pk,
            assignee_unit=cast.jingyang_unit.pk,
            owner=cast.jingyang.pk,
            line="",
        ),
    )
    assert response.status_code == 200 and Task.objects.count() == before


@pytest.mark.parametrize("who", ["leader", "liaison", "auditor"])
def test_readers_and_liaisons_cannot_assign_tasks(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/tasks/new/").status_code == 403
    assert client.post("/tasks/new/", task_form(cast)).status_code == 403


# --- the detail and its actions -------------------------------------------------------------------


def test_the_detail_shows_the_task_its_badge_and_timeline(cast: Cast) -> None:
    liaison = sifa(cast)
    task = city_task(cast, deadline=days(2))
    services.task_transition(task=task, to_state=S.IN_PROGRESS, actor=liaison)
    services.task_progress(task=task, actor=liaison, note="已遴选律师12名。")
    text = page(login(cast.city_staff), f"/tasks/{task.pk}/")
    assert "新阶律师人士走访全覆盖" in text and "年内走访率100%。" in text
    assert "2天后到期" in text and "还有2天到期" in text
    assert "<strong>交办</strong>" in text and "<strong>开始办理</strong>" in text
    assert "<strong>报告进展</strong>" in text and "已遴选律师12名。" in text
    assert "市司法局联络员" in text


def _offered(client: Client, task: Task) -> set[str]:
    text = page(client, f"/tasks/{task.pk}/")
    return {a.key for a in forms.ACTIONS.values() if f'value="{a.key}"' in text}


def test_each_role_is_offered_the_actions_it_may_take(cast: Cast) -> None:
    task = city_task(cast)
    liaison = sifa(cast)
    assert _offered(login(liaison), task) == {"start", "progress", "return"}
    assert _offered(login(cast.city_staff), task) == {"start", "return"}
    assert _offered(login(cast.admin), task) == {"start", "return"}
    assert _offered(login(cast.leader), task) == set()
    services.task_transition(task=task, to_state=S.RETURNED, actor=liaison, note="非本单位职责。")
    assert _offered(login(liaison), task) == set()
    assert _offered(login(cast.city_staff), task) == {"reissue"}


def test_the_liaison_starts_reports_and_completes_through_the_page(cast: Cast) -> None:
    liaison = sifa(cast)
    task = city_task(cast)
    client = login(liaison)
    response = act(client, task, "start")
    assert "已开始办理，督办事项状态现为“办理中”。" in messages_of(response)
    response = act(client, task, "progress", note="已走访律所8家。")
    assert "已报告办理进展。" in messages_of(response)
    response = act(client, task, "complete", result="")
    assert services.RESULT_REQUIRED in response.content.decode()
    assert state_of(task) == (S.IN_PROGRESS, 3)
    response = act(client, task, "complete", result="走访律师人士126名，覆盖率100%。")
    assert "已办结，督办事项状态现为“已办结”。" in messages_of(response)
    task.refresh_from_db()
    assert task.state == S.DONE and task.result == "走访律师人士126名，覆盖率100%。"
    kinds = list(task.events.values_list("kind", "actor__username"))
    assert kinds[1:] == [
        (TaskEventKind.TRANSITION, "t_sifa"),
        (TaskEventKind.PROGRESS, "t_sifa"),
        (TaskEventKind.TRANSITION, "t_sifa"),
    ]


def test_a_return_needs_a_reason_and_only_the_department_reissues(cast: Cast) -> None:
    liaison = sifa(cast)
    task = city_task(cast)
    client = login(liaison)
    response = act(client, task, "return", note="")
    assert forms.RETURN_REASON_REQUIRED in response.content.decode()
    assert state_of(task) == (S.PENDING, 1)
    response = act(client, task, "return", note="应由市律协承办。")
    assert "已退回督办单位，等待重新交办。" in messages_of(response)
    response = act(client, task, "reissue")
    assert NOT_HANDLER in messages_of(response) and state_of(task) == (S.RETURNED, 2)
    response = act(login(cast.city_staff), task, "reissue", note="已与司法局沟通。")
    assert any(m.startswith("已重新交办") for m in messages_of(response))
    assert state_of(task) == (S.PENDING, 3)


def test_a_move_the_state_does_not_allow_is_refused_with_the_allowed_ones(cast: Cast) -> None:
    task = city_task(cast)
    response = act(login(sifa(cast)), task, "complete", result="已办。")
    assert str(services.IllegalTaskTransition(task, S.DONE)) in messages_of(response)
    assert state_of(task) == (S.PENDING, 1)


def test_a_leader_reads_but_cannot_act(cast: Cast) -> None:
    task = city_task(cast)
    client = login(cast.leader)
    assert "新阶律师人士走访全覆盖" in page(client, f"/tasks/{task.pk}/")
    assert client.post(f"/tasks/{task.pk}/act/", {"action": "start"}).status_code == 403
    assert state_of(task) == (S.PENDING, 1)


def test_the_department_cannot_report_the_assignees_progress(cast: Cast) -> None:
    task = city_task(cast)
    response = act(login(cast.city_staff), task, "progress", note="代为报告。")
    assert NOT_HANDLER in messages_of(response)
    assert not TaskEvent.objects.filter(task=task, kind=TaskEventKind.PROGRESS).exists()


def test_an_unknown_action_changes_nothing(cast: Cast) -> None:
    task = city_task(cast)
    response = login(cast.city_staff).post(
        f"/tasks/{task.pk}/act/", {"action": "delete"}, follow=True
    )
    assert forms.ACTION_UNKNOWN in messages_of(response) and state_of(task) == (S.PENDING, 1)
