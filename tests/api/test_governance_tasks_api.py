"""/api/v1/tasks: 督办事项 set by the department, handled by the assignee through the state machine
(an illegal move is 409 with the service's sentence and writes no event), progress reports with
files, the overdue and due-soon lists, and scope (a liaison sees their unit's tasks only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tongxin.api.routers.tasks import DUE_INVALID
from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.governance import services_tasks as tasks
from tongxin.governance.checks import NOT_HANDLER
from tongxin.governance.models import Task, TaskEvent, TaskState
from tongxin.governance.services_tasks import RESULT_REQUIRED, IllegalTaskTransition
from tongxin.work.models import Attachment

from ..conftest import Cast, bearer
from ..governance.records import JointMeeting, joint_meeting, unit, xinjie
from .work_helpers import api, detail, send

S = TaskState
TODAY = timezone.localdate()
PDF = b"%PDF-1.7\n1 0 obj\n"


def task_url(task: Task | int, suffix: str = "") -> str:
    pk = task if isinstance(task, int) else task.pk
    return f"/api/v1/tasks/{pk}{suffix}"


def justice_task(cast: Cast, joint: JointMeeting, title: str = "组建新阶律师法律服务团") -> Task:
    return tasks.task_create(
        actor=cast.city_staff,
        title=title,
        region=cast.city,
        line=xinjie(),
        owner=cast.city_staff,
        deadline=TODAY + dt.timedelta(days=20),
        mechanism=joint.mechanism,
        assignee_unit=unit("市司法局"),
        expected_result="年内组建法律服务团。",
    )


def overdue(task: Task, days: int = 5) -> Task:
    """The task as it stands ``days`` days after its deadline (a deadline cannot be set past)."""
    Task.objects.filter(pk=task.pk).update(deadline=TODAY - dt.timedelta(days=days))
    task.refresh_from_db()
    return task


def titles(user: Any, **params: Any) -> list[str]:
    return [t["title"] for t in api(user).get("/api/v1/tasks", params).json()["items"]]


# --- reading and setting tasks --------------------------------------------------------------------


def test_a_task_reads_with_its_timeline(cast: Cast) -> None:
    body = api(cast.jingyang).get(task_url(cast.gov.task)).json()
    assert (body["title"], body["state"], body["assignee"], body["owner"]) == (
        "旌阳区律师人士走访全覆盖",
        "待办",
        cast.jingyang_unit.name,
        "旌阳人员",
    )
    assert body["assignee_unit"] == {"id": cast.jingyang_unit.pk, "name": cast.jingyang_unit.name}
    assert (body["assignee_region"], body["days_left"], body["is_overdue"]) == (None, 30, False)
    [event] = body["events"]
    assert set(event) == {"at", "actor", "kind", "from", "to", "note", "attachments"}
    assert (event["actor"], event["kind"], event["to"]) == ("旌阳人员", "状态变更", "待办")
    assert event["note"].startswith("交办：" + cast.jingyang_unit.name)


def test_a_keeper_assigns_a_task_to_a_unit_or_a_district(cast: Cast) -> None:
    joint = joint_meeting(cast)
    client = api(cast.city_staff)
    deadline = (TODAY + dt.timedelta(days=30)).isoformat()
    base = {
        "title": "开展新阶人士专题调研",
        "region": "510600",
        "line": "新阶",
        "deadline": deadline,
    }
    response = send(
        client,
        "post",
        "/api/v1/tasks",
        {**base, "mechanism": joint.mechanism.pk, "assignee_unit": unit("市司法局").pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["mechanism"], body["state"], body["owner"]) == (
        {"id": joint.mechanism.pk, "name": joint.mechanism.name},
        "待办",
        "市级新阶",
    )
    response = send(client, "post", "/api/v1/tasks", {**base, "assignee_region": "510603"})
    assert response.status_code == 201, response.content
    assert response.json()["assignee_region"] == {"code": "510603", "name": "旌阳区"}
    # Both assignees, or neither, or a deadline already past: refused with the sentence.
    for extra, sentence in (
        ({"assignee_region": "510603", "assignee_unit": unit("市司法局").pk}, "二选一"),
        ({}, "二选一"),
        ({"assignee_region": "510603", "deadline": "2020-01-01"}, tasks.DEADLINE_IN_PAST),
    ):
        response = send(client, "post", "/api/v1/tasks", {**base, **extra})
        assert response.status_code == 422 and sentence in detail(response)
    assert Task.objects.filter(title="开展新阶人士专题调研").count() == 2


def test_a_task_is_set_only_in_ones_own_region_and_by_staff(cast: Cast) -> None:
    deadline = (TODAY + dt.timedelta(days=30)).isoformat()
    body = {
        "title": "越权督办",
        "region": "510603",
        "deadline": deadline,
        "assignee_unit": cast.jingyang_unit.pk,
    }
    response = send(api(cast.luojiang), "post", "/api/v1/tasks", body)
    assert response.status_code == 422 and "管辖范围" in detail(response)
    response = send(api(cast.leader), "post", "/api/v1/tasks", body)
    assert (response.status_code, detail(response)) == (403, READ_ONLY)
    response = send(api(cast.liaison), "post", "/api/v1/tasks", body)
    assert response.status_code == 403
    assert not Task.objects.filter(title="越权督办").exists()


# --- the state machine ----------------------------------------------------------------------------


def test_the_liaison_takes_reports_on_and_finishes_their_units_task(cast: Cast) -> None:
    joint = joint_meeting(cast)
    task = justice_task(cast, joint)
    liaison = api(joint.justice_liaison)
    response = send(liaison, "post", task_url(task, "/transition"), {"to_state": "办理中"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "办理中"
    response = send(
        liaison, "post", task_url(task, "/progress"), {"note": "已联系律师事务所12家。"}
    )
    assert response.status_code == 201, response.content
    # A report with its files, as a form.
    client = Client(HTTP_AUTHORIZATION=bearer(joint.justice_liaison)["HTTP_AUTHORIZATION"])
    response = client.post(
        task_url(task, "/progress"),
        {
            "note": "服务团名单已拟定。",
            "files": [
                SimpleUploadedFile("服务团名单.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("方案.pdf", PDF, "application/pdf"),
            ],
        },
    )
    assert response.status_code == 201, response.content
    response = send(
        liaison,
        "post",
        task_url(task, "/transition"),
        {"to_state": "done", "result": "法律服务团已组建，成员23人。"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["result"], body["days_left"]) == (
        "已办结",
        "法律服务团已组建，成员23人。",
        None,
    )
    assert [(e["kind"], e["from"], e["to"], e["actor"]) for e in body["events"]] == [
        ("状态变更", "待办", "待办", "市级新阶"),
        ("状态变更", "待办", "办理中", "市司法局联络员"),
        ("进展", "办理中", "办理中", "市司法局联络员"),
        ("进展", "办理中", "办理中", "市司法局联络员"),
        ("状态变更", "办理中", "已办结", "市司法局联络员"),
    ]
    files = body["events"][3]["attachments"]
    assert [f["name"] for f in files] == ["服务团名单.pdf", "方案.pdf"]
    assert liaison.get(files[0]["url"]).status_code == 200


def test_a_move_the_state_machine_refuses_answers_409_and_writes_no_event(cast: Cast) -> None:
    joint = joint_meeting(cast)
    task = justice_task(cast, joint)
    staff = api(cast.city_staff)
    response = send(staff, "post", task_url(task, "/transition"), {"to_state": "已办结"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": str(IllegalTaskTransition(task, S.DONE)),
        "code": "illegal_transition",
    }
    assert "当前可以：办理中、已退回" in detail(response)
    send(staff, "post", task_url(task, "/transition"), {"to_state": "in_progress"})
    response = send(staff, "post", task_url(task, "/transition"), {"to_state": "done"})
    assert (response.status_code, detail(response)) == (
        422,
        f"办理结果（result）：{RESULT_REQUIRED}",
    )
    response = send(staff, "post", task_url(task, "/transition"), {"to_state": "完成"})
    assert response.status_code == 422 and "待办、办理中、已办结、已退回" in detail(response)
    task.refresh_from_db()
    assert (task.state, task.events.count()) == (S.IN_PROGRESS, 2)


def test_only_the_assignee_reports_and_a_returned_task_is_issued_again_by_the_department(
    cast: Cast,
) -> None:
    joint = joint_meeting(cast)
    task = justice_task(cast, joint)
    response = send(api(cast.city_staff), "post", task_url(task, "/progress"), {"note": "催办。"})
    assert (response.status_code, detail(response)) == (403, NOT_HANDLER)
    liaison = api(joint.justice_liaison)
    response = send(
        liaison, "post", task_url(task, "/transition"), {"to_state": "已退回", "note": ""}
    )
    assert response.status_code == 422 and tasks.REASON_REQUIRED in detail(response)
    response = send(
        liaison,
        "post",
        task_url(task, "/transition"),
        {"to_state": "已退回", "note": "律师行业党建由市委社会工作部负责。"},
    )
    assert response.json()["state"] == "已退回"
    response = send(liaison, "post", task_url(task, "/transition"), {"to_state": "待办"})
    assert (response.status_code, detail(response)) == (403, NOT_HANDLER)
    response = send(
        api(cast.city_staff), "post", task_url(task, "/transition"), {"to_state": "待办"}
    )
    assert response.json()["state"] == "待办"
    assert task.events.count() == 3


def test_a_report_with_a_refused_file_leaves_nothing_behind(cast: Cast) -> None:
    joint = joint_meeting(cast)
    task = justice_task(cast, joint)
    client = Client(HTTP_AUTHORIZATION=bearer(joint.justice_liaison)["HTTP_AUTHORIZATION"])
    response = client.post(
        task_url(task, "/progress"),
        {
            "note": "附名单。",
            "files": [
                SimpleUploadedFile("名单.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("名单.exe", b"MZ\x90\x00", "application/octet-stream"),
            ],
        },
    )
    assert response.status_code == 422 and "“名单.exe”" in detail(response)
    assert (task.events.count(), Attachment.objects.filter(task_event__task=task).count()) == (1, 0)
    response = client.post(task_url(task, "/progress"), "note=x", content_type="text/plain")
    assert response.status_code == 422 and "multipart/form-data" in detail(response)


# --- lists and scope ------------------------------------------------------------------------------


def test_a_task_of_the_justice_bureau_goes_overdue_on_both_lists(cast: Cast) -> None:
    joint = joint_meeting(cast)
    late = overdue(justice_task(cast, joint, "逾期的督办事项"))
    justice_task(cast, joint, "不急的督办事项")
    soon = justice_task(cast, joint, "三天内到期的督办事项")
    Task.objects.filter(pk=soon.pk).update(deadline=TODAY + dt.timedelta(days=2))
    assert titles(cast.city_staff, due="overdue") == [late.title]
    assert titles(cast.city_staff, due="soon") == ["三天内到期的督办事项"]
    assert titles(joint.justice_liaison, due="overdue") == [late.title]
    body = api(joint.justice_liaison).get(task_url(late)).json()
    assert (body["is_overdue"], body["days_left"]) == (True, -5)
    response = api(cast.city_staff).get("/api/v1/tasks", {"due": "late"})
    assert (response.status_code, detail(response)) == (422, DUE_INVALID)


def test_the_task_list_filters_by_state_assignee_and_mechanism(cast: Cast) -> None:
    joint = joint_meeting(cast)
    justice = justice_task(cast, joint)
    district = tasks.task_create(
        actor=cast.city_staff,
        title="交旌阳区督办事项",
        region=cast.city,
        line=xinjie(),
        owner=cast.city_staff,
        deadline=TODAY + dt.timedelta(days=10),
        assignee_region=cast.jingyang_region,
    )
    tasks.task_transition(task=district, to_state=S.IN_PROGRESS, actor=cast.jingyang)
    staff = cast.city_staff
    assert set(titles(staff)) == {justice.title, district.title, cast.gov.task.title}
    assert titles(staff, state="办理中") == [district.title]
    assert titles(staff, assignee_unit=unit("市司法局").pk) == [justice.title]
    # A district's tasks: those assigned to it and to its units.
    assert set(titles(staff, assignee_region="510603")) == {district.title, cast.gov.task.title}
    assert titles(staff, mechanism=joint.mechanism.pk) == [justice.title]
    # 旌阳区 sees what the city assigned to it, and its own.
    assert set(titles(cast.jingyang)) == {district.title, cast.gov.task.title}


def test_a_liaison_sees_only_the_tasks_of_their_unit(cast: Cast) -> None:
    joint = joint_meeting(cast)
    task = justice_task(cast, joint)
    assert titles(joint.justice_liaison) == [task.title]
    assert titles(cast.liaison) == []
    client = api(cast.liaison)
    for method, suffix, body in (
        ("get", "", None),
        ("post", "/transition", {"to_state": "办理中"}),
        ("post", "/progress", {"note": "越权报告。"}),
    ):
        response = send(client, method, task_url(task, suffix), body)
        assert (response.status_code, detail(response)) == (404, NOT_FOUND)
    assert task.events.count() == 1


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_neither_see_nor_move_a_jingyang_task(cast: Cast, who: str) -> None:
    client = api(getattr(cast, who))
    task = cast.gov.task
    assert client.get("/api/v1/tasks").json()["count"] == 0
    for method, suffix, body in (
        ("get", "", None),
        ("post", "/transition", {"to_state": "办理中"}),
        ("post", "/progress", {"note": "越权报告。"}),
    ):
        response = send(client, method, task_url(task, suffix), body)
        assert (response.status_code, detail(response)) == (404, NOT_FOUND)
    task.refresh_from_db()
    assert (task.state, task.events.count()) == (S.PENDING, 1)


def test_a_leader_reads_tasks_but_moves_none(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(task_url(cast.gov.task)).status_code == 200
    response = send(client, "post", task_url(cast.gov.task, "/transition"), {"to_state": "办理中"})
    assert (response.status_code, detail(response)) == (403, READ_ONLY)
    assert TaskEvent.objects.filter(task=cast.gov.task).count() == 1


def test_the_task_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    joint = joint_meeting(cast)
    for i in range(12):
        justice_task(cast, joint, f"督办事项{i}")
    for user in (cast.city_staff, joint.justice_liaison):
        client = api(user)
        # The token (read, touched), the page, its count and the mechanisms' prefetch.
        with django_assert_max_num_queries(5):
            response = client.get("/api/v1/tasks", {"page_size": 50})
        assert response.status_code == 200 and response.json()["count"] >= 12
