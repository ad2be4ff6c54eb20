"""/api/v1/visits, /opinions/{id}/case and /cases: visits with the opinions heard, cases with their
timeline, the state machine through the API (labels or keys; an illegal move is 409 and changes
nothing), and scope (a liaison works on the cases of their unit only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tongxin.api.schemas_cases import CANNOT_EXTEND
from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.core.models import Unit
from tongxin.work import services
from tongxin.work.models import Case, CaseEvent, CaseStatus, Opinion, OpinionKind, Visit

from ..conftest import Cast
from .work_helpers import api, detail, send

S = CaseStatus
SOON = timezone.localdate() + dt.timedelta(days=10)


def case_url(cast: Cast, suffix: str = "") -> str:
    return f"/api/v1/cases/{cast.records.case.pk}{suffix}"


def assign(cast: Cast, unit: Unit | None = None) -> Case:
    """The 旌阳 case, assigned by 旌阳区 to the liaison's unit (市委网信办)."""
    return services.case_transition(
        case=cast.records.case,
        to_status=S.ASSIGNED,
        actor=cast.jingyang,
        units=[unit or cast.city_unit],
        deadline=SOON,
    )


# --- visits -----------------------------------------------------------------------------------


def test_a_visit_reads_with_its_opinions_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    body = client.get("/api/v1/visits").json()
    assert (body["count"], body["items"][0]["id"]) == (1, cast.records.visit.pk)
    visit = client.get(f"/api/v1/visits/{cast.records.visit.pk}").json()
    assert (visit["visited_on"], visit["method"], visit["region"]) == (
        "2024-05-10",
        "上门走访",
        "510603",
    )
    assert visit["person"] == {"id": cast.records.person.pk, "name": "旌阳测试人员"}
    assert visit["organization"] is None
    assert visit["opinions"] == [
        {
            "id": cast.records.opinion.pk,
            "kind": "困难诉求",
            "text": "旌阳测试科技有限公司融资难。",
            "case": None,
        }
    ]


def test_a_visit_is_recorded_with_the_opinions_heard(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/visits",
        {
            "visited_on": "2024-06-01",
            "region": "510603",
            "visitors": "王志强",
            "method": "座谈",
            "organization": cast.records.organization.pk,
            "opinions": [
                {"kind": "意见建议", "text": "希望多组织培训。"},
                {"kind": "difficulty", "text": "会员企业招工难。"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["method"], body["organization"]["name"]) == (
        "座谈",
        "旌阳区新的社会阶层人士联谊会",
    )
    assert [o["kind"] for o in body["opinions"]] == ["意见建议", "困难诉求"]


def test_a_visit_needs_someone_visited_and_a_region_in_scope(cast: Cast) -> None:
    client = api(cast.jingyang)
    base = {"visited_on": "2024-06-01", "region": "510603", "visitors": "王志强"}
    response = send(client, "post", "/api/v1/visits", base)
    assert response.status_code == 422 and "请选择走访的人员或组织" in detail(response)
    response = send(
        client,
        "post",
        "/api/v1/visits",
        {**base, "region": "510604", "person": cast.records.person.pk},
    )
    assert response.status_code == 422 and "管辖范围" in detail(response)
    response = send(
        client,
        "post",
        "/api/v1/visits",
        {**base, "person": cast.records.person.pk, "method": "微信"},
    )
    assert response.status_code == 422 and "上门走访" in detail(response)
    assert Visit.objects.count() == 1


def test_an_opinion_becomes_a_case_once(cast: Cast) -> None:
    client = api(cast.jingyang)
    url = f"/api/v1/opinions/{cast.records.opinion.pk}/case"
    response = client.post(url)
    assert response.status_code == 201, response.content
    case = response.json()
    assert (case["source"], case["status"], case["visit"]) == (
        "走访",
        "受理",
        cast.records.visit.pk,
    )
    assert case["requester_person"]["name"] == "旌阳测试人员"
    assert [(e["from"], e["to"], e["actor"]) for e in case["events"]] == [
        ("受理", "受理", "旌阳人员")
    ]
    opinion = client.get(f"/api/v1/visits/{cast.records.visit.pk}").json()["opinions"][0]
    assert opinion["case"] == {"id": case["id"], "title": case["title"], "status": "受理"}
    again = send(client, "post", url, {"title": "再转一次"})
    assert again.status_code == 409
    assert again.json() == {"detail": services.OPINION_ALREADY_CASE, "code": "illegal_transition"}
    assert Case.objects.filter(opinion=cast.records.opinion).count() == 1


# --- cases ------------------------------------------------------------------------------------


def test_a_case_reads_with_its_timeline(cast: Cast) -> None:
    body = api(cast.jingyang).get(case_url(cast)).json()
    assert (body["title"], body["source"], body["status"]) == (
        "旌阳企业用地手续诉求",
        "来访",
        "受理",
    )
    assert body["requester_organization"]["name"] == "旌阳区新的社会阶层人士联谊会"
    assert (body["units"], body["deadline"], body["is_overdue"], body["satisfaction"]) == (
        [],
        None,
        False,
        None,
    )
    [event] = body["events"]
    assert set(event) == {"at", "actor", "kind", "from", "to", "note"}
    assert (event["actor"], event["kind"], event["to"]) == ("旌阳人员", "状态变更", "受理")


def test_a_case_is_received_through_the_api(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/cases",
        {
            "title": "旌阳企业融资诉求",
            "text": "希望协调银行授信。",
            "source": "面对面恳谈",
            "region": "510603",
            "category": "融资",
            "requester_person": cast.records.person.pk,
            "received_on": "2024-06-02",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["status"], body["received_on"]) == (
        "面对面恳谈",
        "受理",
        "2024-06-02",
    )
    response = send(
        api(cast.city_staff),
        "post",
        "/api/v1/cases",
        {
            "title": "无条线",
            "text": "内容",
            "source": "walk_in",
            "region": "510600",
        },
    )
    assert response.status_code == 422 and "条线" in detail(response)


def test_the_whole_journey_through_the_api_by_labels_and_keys(cast: Cast) -> None:
    staff, liaison = api(cast.jingyang), api(cast.liaison)
    response = send(
        staff,
        "post",
        case_url(cast, "/transition"),
        {
            "to": "交办",
            "units": [cast.city_unit.pk],
            "deadline": SOON.isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["deadline"]) == ("交办", SOON.isoformat())
    assert response.json()["days_left"] == 10
    assert (
        send(liaison, "post", case_url(cast, "/transition"), {"to": "in_progress"}).status_code
        == 200
    )
    response = send(liaison, "post", case_url(cast, "/progress"), {"note": "已对接两家银行。"})
    assert response.status_code == 201
    response = send(
        liaison,
        "post",
        case_url(cast, "/transition"),
        {"to": "办结", "resolution": "已协调用地手续。"},
    )
    assert response.status_code == 200 and response.json()["resolution"] == "已协调用地手续。"
    response = send(
        staff, "post", case_url(cast, "/transition"), {"to": "回访", "satisfaction": "满意"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["satisfaction"], body["handler"]) == ("回访", "满意", "网信联络员")
    assert [(e["actor"], e["kind"], e["from"], e["to"]) for e in body["events"]] == [
        ("旌阳人员", "状态变更", "受理", "受理"),
        ("旌阳人员", "状态变更", "受理", "交办"),
        ("网信联络员", "状态变更", "交办", "办理中"),
        ("网信联络员", "进展", "办理中", "办理中"),
        ("网信联络员", "状态变更", "办理中", "办结"),
        ("旌阳人员", "状态变更", "办结", "回访"),
    ]


def test_an_illegal_transition_answers_409_and_changes_nothing(cast: Cast) -> None:
    case = cast.records.case
    events = CaseEvent.objects.filter(case=case).count()
    response = send(
        api(cast.jingyang),
        "post",
        case_url(cast, "/transition"),
        {
            "to": "办结",
            "resolution": "不该写入的结果",
            "units": [cast.city_unit.pk],
            "deadline": SOON.isoformat(),
        },
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": str(services.IllegalTransition(case, S.RESOLVED)),
        "code": "illegal_transition",
    }
    assert "诉求当前状态为“受理”，不能变为“办结”" in detail(response)
    case.refresh_from_db()
    assert (case.status, case.resolution, case.deadline, case.resolved_at) == (
        S.ACCEPTED,
        "",
        None,
        None,
    )
    assert list(case.units.all()) == []
    assert CaseEvent.objects.filter(case=case).count() == events


def test_unknown_states_and_missing_reasons_are_refused_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(client, "post", case_url(cast, "/transition"), {"to": "完成"})
    assert response.status_code == 422
    assert "“完成”不是有效的诉求状态" in detail(response) and "办理中" in detail(response)
    response = send(client, "post", case_url(cast, "/transition"), {"to": "交办"})
    assert response.status_code == 422 and services.ASSIGN_NEEDS_UNITS in detail(response)
    assign(cast)
    response = send(client, "post", case_url(cast, "/transition"), {"to": "受理"})
    assert response.status_code == 422 and services.REASON_REQUIRED in detail(response)
    response = send(
        client, "post", case_url(cast, "/transition"), {"to": "受理", "note": "不属于本单位职责。"}
    )
    assert response.status_code == 200 and response.json()["events"][-1]["kind"] == "退回"


def test_a_deadline_is_extended_with_a_reason_only_while_the_case_is_handled(cast: Cast) -> None:
    client = api(cast.jingyang)
    later = (SOON + dt.timedelta(days=5)).isoformat()
    response = send(
        client, "post", case_url(cast, "/extend"), {"deadline": later, "reason": "需协调市级部门。"}
    )
    assert response.status_code == 409
    assert detail(response) == CANNOT_EXTEND.format(status="受理")
    assign(cast)
    response = send(
        client, "post", case_url(cast, "/extend"), {"deadline": later, "reason": "需协调市级部门。"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] == later
    assert response.json()["events"][-1]["kind"] == "延期"
    response = send(
        client, "post", case_url(cast, "/extend"), {"deadline": later, "reason": "再延"}
    )
    assert response.status_code == 422 and services.EXTEND_NEEDS_LATER in detail(response)


def test_the_case_list_filters_by_status_overdue_and_unit(cast: Cast) -> None:
    assign(cast)
    late = services.case_create(
        actor=cast.jingyang,
        title="旌阳逾期诉求",
        text_="内容",
        source="walk_in",
        region=cast.jingyang_region,
    )
    late = services.case_transition(
        case=late,
        to_status=S.ASSIGNED,
        actor=cast.jingyang,
        units=[cast.jingyang_unit],
        deadline=timezone.localdate(),
    )
    Case.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    client = api(cast.jingyang)

    def titles(**params: Any) -> list[str]:
        response = client.get("/api/v1/cases", params)
        assert response.status_code == 200, response.content
        return sorted(c["title"] for c in response.json()["items"])

    assert titles(status="交办") == ["旌阳企业用地手续诉求", "旌阳逾期诉求"]
    assert titles(status="assigned", overdue="true") == ["旌阳逾期诉求"]
    assert titles(overdue="false") == ["旌阳企业用地手续诉求"]
    assert titles(unit=cast.city_unit.pk) == ["旌阳企业用地手续诉求"]
    assert titles(status="受理") == []
    assert client.get("/api/v1/cases", {"status": "完成"}).status_code == 422
    item = client.get("/api/v1/cases", {"overdue": "true"}).json()["items"][0]
    assert (item["is_overdue"], item["days_left"]) == (True, -2)


# --- scope ------------------------------------------------------------------------------------


def test_another_district_and_an_outsider_get_404_and_empty_lists(cast: Cast) -> None:
    for user in (cast.luojiang, cast.outsider):
        client = api(user)
        for path in (f"/api/v1/visits/{cast.records.visit.pk}", case_url(cast)):
            response = client.get(path)
            assert response.json() == {"detail": NOT_FOUND, "code": "not_found"}, path
        assert client.get("/api/v1/visits").json()["count"] == 0
        assert client.get("/api/v1/cases").json()["count"] == 0
        assert client.post(f"/api/v1/opinions/{cast.records.opinion.pk}/case").status_code == 404
        response = send(client, "post", case_url(cast, "/transition"), {"to": "交办"})
        assert response.status_code == 404
    assert Case.objects.count() == 1
    assert cast.records.case.events.count() == 1


def test_a_liaison_sees_only_the_cases_of_their_unit_and_no_visits(cast: Cast) -> None:
    client = api(cast.liaison)
    assert client.get(case_url(cast)).status_code == 404
    assert client.get("/api/v1/cases").json()["count"] == 0
    assign(cast)
    body = client.get(case_url(cast)).json()
    assert [u["name"] for u in body["units"]] == [cast.city_unit.name]
    assert client.get("/api/v1/cases").json()["count"] == 1
    assert client.get("/api/v1/visits").json()["count"] == 0
    assert client.get(f"/api/v1/visits/{cast.records.visit.pk}").status_code == 404
    response = send(
        client, "post", case_url(cast, "/transition"), {"to": "回访", "satisfaction": "满意"}
    )
    assert response.status_code == 409  # from 交办 the case can only be taken up or returned


def test_a_leader_reads_cases_but_may_not_move_them(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(case_url(cast)).status_code == 200
    assert client.get("/api/v1/visits").json()["count"] == 1
    for path, body in [
        ("/api/v1/cases", {"title": "x", "text": "x", "source": "来访", "region": "510603"}),
        (case_url(cast, "/transition"), {"to": "交办"}),
        (case_url(cast, "/progress"), {"note": "进展"}),
        (case_url(cast, "/extend"), {"deadline": SOON.isoformat(), "reason": "原因"}),
        (f"/api/v1/opinions/{cast.records.opinion.pk}/case", {}),
        ("/api/v1/visits", {"visited_on": "2024-01-01", "region": "510603", "visitors": "x"}),
    ]:
        response = send(client, "post", path, body)
        assert response.json() == {"detail": READ_ONLY, "code": "forbidden"}, path
    assert (Case.objects.count(), Visit.objects.count(), CaseEvent.objects.count()) == (1, 1, 1)


# --- cost -------------------------------------------------------------------------------------


def test_the_case_and_visit_lists_run_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(24):
        visit = services.visit_record(
            actor=cast.jingyang,
            visited_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            person=cast.records.person,
            region=cast.jingyang_region,
            visitors="走访组",
            opinions=[(OpinionKind.DIFFICULTY, f"困难{i}"), (OpinionKind.SUGGESTION, f"建议{i}")],
        )
        case = services.opinion_to_case(actor=cast.jingyang, opinion=visit.opinions.first())  # type: ignore[arg-type]
        services.case_transition(
            case=case,
            to_status=S.ASSIGNED,
            actor=cast.jingyang,
            units=[cast.city_unit, cast.jingyang_unit],
            deadline=SOON,
        )
    assert Opinion.objects.count() == 49
    for user in (cast.jingyang, cast.liaison):
        client = api(user)
        # The token (read, touched), the page, its count, the units: 5 for any page size.
        with django_assert_max_num_queries(5):
            response = client.get("/api/v1/cases", {"page_size": 25})
        assert response.status_code == 200
    assert len(api(cast.jingyang).get("/api/v1/cases", {"page_size": 25}).json()["items"]) == 25
    client = api(cast.jingyang)
    # The token, the page, its count, the opinions and their cases.
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/visits", {"page_size": 25})
    assert len(response.json()["items"]) == 25
