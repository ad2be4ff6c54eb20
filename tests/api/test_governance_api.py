"""/api/v1/mechanisms (member units, meetings), the issue list through /agenda-items, and
/duty-reports: the keepers of a mechanism work it, a liaison sees and writes their own unit's rows
only, and other districts and cities get 404 and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tongxin.api.routers.duty_reports import NOT_A_MEMBER
from tongxin.api.schemas_governance import MEMBER_NOT_FOUND, MEMBER_REQUIRED
from tongxin.core.access import NOT_FOUND, READ_ONLY, ROLE_FORBIDDEN
from tongxin.governance import services_duty as duty
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance.models import (
    LIAISON_NOT_OF_UNIT,
    AgendaItem,
    DutyReport,
    Mechanism,
    MemberUnit,
)
from tongxin.governance.services_mechanisms import ITEM_NOT_PENDING, ITEM_NOT_SCHEDULED

from ..conftest import Cast
from ..governance.records import joint_meeting, meeting, unit
from .work_helpers import api, detail, send

FIRST = dt.date(2024, 3, 15)
NEXT = dt.date(2024, 6, 14)
JOINT = "德阳市新的社会阶层人士统战工作联席会议"


def mechanism_url(mechanism: Mechanism, suffix: str = "") -> str:
    return f"/api/v1/mechanisms/{mechanism.pk}{suffix}"


def item_url(item: AgendaItem | int, action: str) -> str:
    pk = item if isinstance(item, int) else item.pk
    return f"/api/v1/agenda-items/{pk}/{action}"


# --- mechanisms -----------------------------------------------------------------------------------


def test_a_keeper_sets_up_a_joint_meeting_with_its_member_units(cast: Cast) -> None:
    client = api(cast.city_staff)
    response = send(
        client,
        "post",
        "/api/v1/mechanisms",
        {
            "name": "德阳市新阶联席会议",
            "kind": "联席会议制度",
            "lead_unit": unit("市委统战部").pk,
            "region": "510600",
            "line": "新阶",
            "established_on": "2023-07-05",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["region"], body["line"], body["lead_unit"]["name"]) == (
        "联席会议制度",
        "510600",
        "新阶",
        unit("市委统战部").name,
    )
    assert (body["members"], body["meetings"], body["rules_document"]) == ([], [], None)
    response = send(
        client,
        "post",
        f"/api/v1/mechanisms/{body['id']}/members",
        {
            "unit": cast.city_unit.pk,
            "duties": "负责网络新阶人士的联系服务。",
            "liaison": cast.liaison.pk,
            "order": 1,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": MemberUnit.objects.get(unit=cast.city_unit).pk,
        "unit": {"id": cast.city_unit.pk, "name": cast.city_unit.name},
        "duties": "负责网络新阶人士的联系服务。",
        "liaison": "网信联络员",
        "order": 1,
    }


def test_a_mechanism_reads_with_its_member_units_and_meetings(cast: Cast) -> None:
    joint = joint_meeting(cast)
    second = meeting(cast, joint.mechanism, NEXT)
    first = meeting(cast, joint.mechanism, FIRST)
    body = api(cast.city_staff).get(mechanism_url(joint.mechanism)).json()
    assert (body["name"], body["kind"], body["established_on"]) == (
        JOINT,
        "联席会议制度",
        "2023-07-05",
    )
    assert [(m["unit"]["name"], m["duties"], m["liaison"]) for m in body["members"]] == [
        (cast.city_unit.name, "负责网络新阶人士的联系服务。", "网信联络员"),
        (unit("市司法局").name, "负责新阶律师人士的联系服务。", "市司法局联络员"),
    ]
    assert body["meetings"] == [
        {"id": first.pk, "title": first.title, "date": "2024-03-15"},
        {"id": second.pk, "title": second.title, "date": "2024-06-14"},
    ]


def test_a_liaison_sees_their_mechanism_with_their_own_member_row_only(cast: Cast) -> None:
    joint = joint_meeting(cast)
    client = api(cast.liaison)
    listed = client.get("/api/v1/mechanisms").json()
    assert [m["name"] for m in listed["items"]] == [JOINT]
    response = client.get(mechanism_url(joint.mechanism))
    assert response.status_code == 200
    body = response.json()
    assert [m["unit"]["name"] for m in body["members"]] == [cast.city_unit.name]
    assert "市司法局联络员" not in response.content.decode()
    assert client.get(mechanism_url(cast.gov.mechanism)).status_code == 404


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_neither_see_nor_change_a_jingyang_mechanism(cast: Cast, who: str) -> None:
    client = api(getattr(cast, who))
    mechanism = cast.gov.mechanism
    assert client.get("/api/v1/mechanisms").json()["count"] == 0
    for url in (mechanism_url(mechanism), mechanism_url(mechanism, "/agenda-items")):
        response = client.get(url)
        assert (response.status_code, detail(response)) == (404, NOT_FOUND)
    members, items = MemberUnit.objects.count(), AgendaItem.objects.count()
    own_unit = cast.luojiang_unit.pk
    response = send(client, "post", mechanism_url(mechanism, "/members"), {"unit": own_unit})
    assert response.status_code == 404
    response = send(client, "post", mechanism_url(mechanism, "/agenda-items"), {"title": "越权"})
    assert response.status_code == 404
    assert (MemberUnit.objects.count(), AgendaItem.objects.count()) == (members, items)


def test_a_leader_reads_a_mechanism_but_adds_no_member(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(mechanism_url(cast.gov.mechanism)).status_code == 200
    response = send(
        client, "post", mechanism_url(cast.gov.mechanism, "/members"), {"unit": unit("市司法局").pk}
    )
    assert (response.status_code, detail(response)) == (403, READ_ONLY)
    assert cast.gov.mechanism.members.count() == 1


def test_a_member_units_liaison_must_be_a_liaison_account_of_that_unit(cast: Cast) -> None:
    joint = joint_meeting(cast)
    client = api(cast.city_staff)
    url = mechanism_url(joint.mechanism, "/members")
    xinjie_unit = unit("市工商联")
    for liaison in (joint.justice_liaison.pk, cast.city_staff.pk, 999999):
        response = send(client, "post", url, {"unit": xinjie_unit.pk, "liaison": liaison})
        assert response.status_code == 422
        assert LIAISON_NOT_OF_UNIT in detail(response)
    assert not MemberUnit.objects.filter(unit=xinjie_unit).exists()


# --- the issue list -------------------------------------------------------------------------------


def test_an_item_raised_by_cac_is_carried_over_and_closed_at_the_next_meeting(cast: Cast) -> None:
    joint = joint_meeting(cast)
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    liaison, staff = api(cast.liaison), api(cast.city_staff)
    response = send(
        liaison,
        "post",
        mechanism_url(joint.mechanism, "/agenda-items"),
        {"title": "建立网络人士线上联系服务平台", "raised_on": "2024-03-01"},
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert (item["state"], item["raised_by"]["name"], item["member"], item["meeting"]) == (
        "待议",
        cast.city_unit.name,
        joint.cac.pk,
        None,
    )
    response = send(staff, "post", item_url(item["id"], "schedule"), {"meeting": first.pk})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["meeting"]) == (
        "已列入议程",
        {"id": first.pk, "title": first.title, "date": "2024-03-15"},
    )
    response = send(
        staff,
        "post",
        item_url(item["id"], "carry-over"),
        {"next_meeting": second.pk, "note": "需市财政局明确经费后再议。"},
    )
    assert response.status_code == 201, response.content
    successor = response.json()
    assert (successor["state"], successor["carried_from"], successor["meeting"]["id"]) == (
        "已列入议程",
        item["id"],
        second.pk,
    )
    response = send(staff, "post", item_url(successor["id"], "close"), {"note": "平台于7月上线。"})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["outcome"]) == ("已办结", "平台于7月上线。")

    listed = staff.get(mechanism_url(joint.mechanism, "/agenda-items")).json()["items"]
    assert [(i["state"], i["carried_to"]) for i in listed] == [
        ("转下次", successor["id"]),
        ("已办结", None),
    ]
    closed = staff.get(mechanism_url(joint.mechanism, "/agenda-items"), {"state": "closed"})
    assert [i["id"] for i in closed.json()["items"]] == [successor["id"]]
    # The liaison follows their unit's item; the meetings their unit did not attend stay unnamed.
    seen = liaison.get(mechanism_url(joint.mechanism, "/agenda-items")).json()["items"]
    assert [(i["state"], i["meeting"]) for i in seen] == [("转下次", None), ("已办结", None)]


def test_a_step_the_item_is_not_ready_for_is_refused_and_changes_nothing(cast: Cast) -> None:
    joint = joint_meeting(cast)
    first = meeting(cast, joint.mechanism, FIRST)
    item = mechanisms.agenda_raise(
        actor=cast.liaison, member=joint.cac, title="网络人士培训", raised_on=FIRST
    )
    staff = api(cast.city_staff)
    response = send(staff, "post", item_url(item, "close"), {"note": "已办。"})
    assert (response.status_code, detail(response)) == (
        422,
        ITEM_NOT_SCHEDULED.format(state="待议"),
    )
    send(staff, "post", item_url(item, "schedule"), {"meeting": first.pk})
    response = send(staff, "post", item_url(item, "schedule"), {"meeting": first.pk})
    assert (response.status_code, detail(response)) == (
        422,
        ITEM_NOT_PENDING.format(state="已列入议程"),
    )
    item.refresh_from_db()
    assert (item.state, item.outcome, item.closed_at) == ("scheduled", "", None)


def test_a_liaison_raises_items_for_their_own_unit_only_and_runs_no_meeting(cast: Cast) -> None:
    joint = joint_meeting(cast)
    first = meeting(cast, joint.mechanism, FIRST)
    liaison = api(cast.liaison)
    url = mechanism_url(joint.mechanism, "/agenda-items")
    response = send(liaison, "post", url, {"member": joint.justice.pk, "title": "代司法局提"})
    assert (response.status_code, detail(response)) == (422, MEMBER_NOT_FOUND)
    response = send(api(cast.city_staff), "post", url, {"title": "未写提出单位"})
    assert (response.status_code, detail(response)) == (422, MEMBER_REQUIRED)
    item = mechanisms.agenda_raise(actor=cast.liaison, member=joint.cac, title="网信议题")
    response = send(liaison, "post", item_url(item, "schedule"), {"meeting": first.pk})
    assert (response.status_code, detail(response)) == (403, ROLE_FORBIDDEN)
    # Another unit's liaison cannot even see the item.
    other = api(joint.justice_liaison)
    assert send(other, "post", item_url(item, "close"), {"note": "x"}).status_code == 404
    assert AgendaItem.objects.filter(state="pending").count() == 2  # 网信议题 and 旌阳's


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_cannot_move_a_jingyang_item(cast: Cast, who: str) -> None:
    client = api(getattr(cast, who))
    item = cast.gov.agenda_item
    for action, body in (
        ("schedule", {"meeting": cast.work.activity.pk}),
        ("close", {"note": "越权办结"}),
        ("carry-over", {"next_meeting": cast.work.activity.pk, "note": "越权"}),
    ):
        response = send(client, "post", item_url(item, action), body)
        assert (response.status_code, detail(response)) == (404, NOT_FOUND)
    item.refresh_from_db()
    assert (item.state, item.outcome) == ("pending", "")


# --- duty reports ---------------------------------------------------------------------------------


def test_the_liaison_submits_and_the_keeper_scores_a_duty_report(cast: Cast) -> None:
    joint = joint_meeting(cast)
    liaison, staff = api(cast.liaison), api(cast.city_staff)
    response = send(
        liaison, "post", "/api/v1/duty-reports", {"year": 2023, "text": "全年联系网络人士86人次。"}
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert (report["state"], report["unit"]["name"], report["mechanism"]["name"]) == (
        "已提交",
        cast.city_unit.name,
        JOINT,
    )
    assert (report["member"], report["submitted_by"], report["score"]) == (
        joint.cac.pk,
        "网信联络员",
        None,
    )
    url = f"/api/v1/duty-reports/{report['id']}"
    response = send(staff, "post", url + "/score", {"score": 88.5, "review": "履职到位。"})
    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in ("state", "score", "review", "reviewed_by")} == {
        "state": "已评分",
        "score": "88.50",
        "review": "履职到位。",
        "reviewed_by": "市级新阶",
    }
    again = send(liaison, "post", "/api/v1/duty-reports", {"year": 2023, "text": "改一改。"})
    assert (again.status_code, detail(again)) == (422, duty.ALREADY_SCORED)
    rescored = send(staff, "post", url + "/score", {"score": "90"})
    assert rescored.status_code == 422 and "只有已提交的述职报告可以评分" in detail(rescored)
    assert DutyReport.objects.get(pk=report["id"]).text == "全年联系网络人士86人次。"


def test_only_a_member_units_liaison_submits_and_only_a_keeper_scores(cast: Cast) -> None:
    joint = joint_meeting(cast)
    body = {"year": 2023, "text": "述职。"}
    response = send(api(cast.city_staff), "post", "/api/v1/duty-reports", body)
    assert (response.status_code, detail(response)) == (403, duty.NOT_MEMBER_LIAISON)
    response = send(api(cast.leader), "post", "/api/v1/duty-reports", body)
    assert (response.status_code, detail(response)) == (403, READ_ONLY)
    wrong = {**body, "mechanism": cast.gov.mechanism.pk}
    response = send(api(cast.liaison), "post", "/api/v1/duty-reports", wrong)
    assert (response.status_code, detail(response)) == (422, NOT_A_MEMBER)
    report = duty.duty_report_submit(actor=cast.liaison, member=joint.cac, year=2023, text_="述。")
    url = f"/api/v1/duty-reports/{report.pk}/score"
    response = send(api(cast.liaison), "post", url, {"score": 100})
    assert response.status_code == 403
    response = send(api(cast.city_staff), "post", url, {"score": "100.5"})
    assert (response.status_code, "0到100" in detail(response)) == (422, True)
    report.refresh_from_db()
    assert (report.state, report.score) == ("submitted", None)


def test_a_liaison_lists_their_own_units_duty_reports(cast: Cast) -> None:
    joint = joint_meeting(cast)
    duty.duty_report_submit(actor=cast.liaison, member=joint.cac, year=2023, text_="网信。")
    duty.duty_report_submit(
        actor=joint.justice_liaison, member=joint.justice, year=2023, text_="司法。"
    )

    def units(user: Any, **params: Any) -> list[str]:
        items = api(user).get("/api/v1/duty-reports", params).json()["items"]
        return [r["unit"]["name"] for r in items]

    assert units(cast.liaison) == [cast.city_unit.name]
    assert units(joint.justice_liaison) == [unit("市司法局").name]
    assert len(units(cast.city_staff)) == 3  # the city's two and 旌阳's
    assert units(cast.city_staff, year=2022) == [cast.jingyang_unit.name]
    assert units(cast.city_staff, state="已评分") == []
    justice = DutyReport.objects.get(member=joint.justice)
    assert api(cast.liaison).get(f"/api/v1/duty-reports/{justice.pk}").status_code == 404


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_neither_see_nor_score_a_jingyang_duty_report(cast: Cast, who: str) -> None:
    client = api(getattr(cast, who))
    report = cast.gov.duty_report
    assert client.get("/api/v1/duty-reports").json()["count"] == 0
    assert client.get(f"/api/v1/duty-reports/{report.pk}").status_code == 404
    response = send(client, "post", f"/api/v1/duty-reports/{report.pk}/score", {"score": 60})
    assert (response.status_code, detail(response)) == (404, NOT_FOUND)
    report.refresh_from_db()
    assert (report.state, report.score) == ("submitted", None)


# --- cost -----------------------------------------------------------------------------------------


def test_the_governance_lists_run_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    joint = joint_meeting(cast)
    for i in range(6):
        mechanisms.mechanism_create(
            actor=cast.city_staff,
            name=f"新阶工作机制{i}",
            kind="other",
            lead_unit=unit("市委统战部"),
            region=cast.city,
            line=joint.mechanism.line,
            established_on=dt.date(2023, 1, 1 + i),
        )
    meetings = [meeting(cast, joint.mechanism, dt.date(2024, 1, 1 + i)) for i in range(6)]
    for i, on in enumerate(meetings):
        item = mechanisms.agenda_raise(
            actor=cast.liaison, member=joint.cac, title=f"议题{i}", raised_on=dt.date(2024, 1, 1)
        )
        mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=on)
    for year in range(2018, 2024):
        duty.duty_report_submit(actor=cast.liaison, member=joint.cac, year=year, text_="述职。")
    urls = [
        "/api/v1/mechanisms",
        mechanism_url(joint.mechanism, "/agenda-items"),
        "/api/v1/duty-reports",
    ]
    for user in (cast.city_staff, cast.liaison):
        client = api(user)
        for url in urls:
            # The token (read, touched), the mechanism of the path, the page, its count and the
            # meetings' prefetch.
            with django_assert_max_num_queries(6):
                response = client.get(url, {"page_size": 50})
            assert response.status_code == 200
    assert api(cast.city_staff).get(urls[1]).json()["count"] == 6
