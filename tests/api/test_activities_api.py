"""/api/v1/activities: the record with organizers, participants in their roles and outcomes;
money as decimal strings summed exactly; scoped reads (a liaison sees units, never people) and
writes through the services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.core.models import BusinessLine, Unit
from tongxin.registry.models import CodeItem, CodeKind, Organization
from tongxin.work import services_activities as activities
from tongxin.work.checks import LINK_OUT_OF_SCOPE
from tongxin.work.models import Activity, CreditAgreement, Participation, PromotedProject

from ..conftest import Cast
from ..work_records import activity_type
from .work_helpers import api, detail, send

ACTIVITY_KEYS = {
    "version",
    "id",
    "type",
    "title",
    "date",
    "start_time",
    "end_date",
    "place",
    "region",
    "mechanism",
    "region_name",
    "line",
    "organizers",
    "participants",
    "headcount",
    "summary",
    "adopted_outputs",
    "projects",
    "landed_enterprises",
    "credits",
    "credit_total",
    "attachments",
    "created_by",
    "updated_at",
}


def url(cast: Cast, suffix: str = "") -> str:
    return f"/api/v1/activities/{cast.work.activity.pk}{suffix}"


def enterprise(cast: Cast) -> Organization:
    return Organization.objects.get(name="旌阳测试企业有限公司")


def new_activity(cast: Cast, **extra: Any) -> dict[str, Any]:
    return {
        "type": "对接会",
        "title": "旌阳区银企对接会",
        "date": "2022-09-01",
        "region": "510603",
        **extra,
    }


# --- reading ----------------------------------------------------------------------------------


def test_the_activity_list_is_paged_in_the_agreed_shape(cast: Cast) -> None:
    body = api(cast.jingyang).get("/api/v1/activities", {"page_size": 5}).json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 5)
    assert set(body["items"][0]) == ACTIVITY_KEYS


def test_an_activity_reads_with_chinese_names_and_its_outcomes(cast: Cast) -> None:
    body = api(cast.jingyang).get(url(cast)).json()
    assert (body["type"], body["title"], body["date"]) == (
        "恳谈会",
        "旌阳区民营企业家面对面恳谈会",
        "2022-06-01",
    )
    assert (body["region"], body["line"], body["place"]) == ("510603", None, "旌阳区会议中心")
    assert body["organizers"] == [
        {
            "unit": {"id": cast.jingyang_unit.pk, "name": cast.jingyang_unit.name},
            "organization": None,
        },
        {
            "unit": None,
            "organization": {
                "id": cast.records.organization.pk,
                "name": "旌阳区新的社会阶层人士联谊会",
            },
        },
    ]
    [participant] = body["participants"]
    assert participant["person"] == {"id": cast.records.person.pk, "name": "旌阳测试人员"}
    assert (participant["unit"], participant["role"], participant["title"]) == (
        None,
        "出席并讲话",
        "旌阳嘉宾",
    )
    assert body["adopted_outputs"] == [
        {"id": cast.work.output.pk, "title": "旌阳区新阶人士调研报告"}
    ]
    [project] = body["projects"]
    assert (project["name"], project["investment"], project["signed"]) == (
        "旌阳智能制造项目",
        "5000.00",
        False,
    )
    [credit] = body["credits"]
    assert credit["enterprise"] == {"id": enterprise(cast).pk, "name": "旌阳测试企业有限公司"}
    assert (credit["bank"], credit["amount"], body["credit_total"]) == (
        "旌阳农商银行",
        "800.00",
        "800.00",
    )
    [attachment] = body["attachments"]
    assert attachment["name"] == "旌阳会议纪要.pdf"
    assert attachment["url"] == f"/api/v1/attachments/{cast.work.attachment.pk}"


def test_the_list_filters_by_type_dates_region_and_line(cast: Cast) -> None:
    xinjie = BusinessLine.objects.get(name="新阶")
    activities.activity_create(
        actor=cast.jingyang,
        type=activity_type("推进会"),
        title="旌阳区新阶推进会",
        date=dt.date(2023, 7, 5),
        region=cast.jingyang_region,
        line=xinjie,
    )
    client = api(cast.jingyang)

    def titles(**params: Any) -> list[str]:
        response = client.get("/api/v1/activities", params)
        assert response.status_code == 200, response.content
        return [a["title"] for a in response.json()["items"]]

    assert titles() == ["旌阳区新阶推进会", "旌阳区民营企业家面对面恳谈会"]
    assert titles(type="推进会") == ["旌阳区新阶推进会"]
    assert titles(type="面对面") == ["旌阳区民营企业家面对面恳谈会"]  # an alias
    assert titles(date_from="2023-01-01") == ["旌阳区新阶推进会"]
    assert titles(date_to="2022-12-31") == ["旌阳区民营企业家面对面恳谈会"]
    assert titles(line="新阶") == ["旌阳区新阶推进会"]
    assert titles(region="510603") == ["旌阳区新阶推进会", "旌阳区民营企业家面对面恳谈会"]
    assert api(cast.admin).get("/api/v1/activities", {"region": "510604"}).json()["count"] == 0


def test_unknown_filter_values_are_refused_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = client.get("/api/v1/activities", {"type": "联欢会"})
    assert response.status_code == 422
    assert "联欢会" in detail(response) and "activity_type" in detail(response)
    response = client.get("/api/v1/activities", {"line": "体育"})
    assert response.status_code == 422 and "条线" in detail(response)
    assert client.get("/api/v1/activities", {"region": "510604"}).status_code == 404


# --- scope ------------------------------------------------------------------------------------


def test_another_district_and_an_outsider_get_404_and_an_empty_list(cast: Cast) -> None:
    for user in (cast.luojiang, cast.outsider):
        client = api(user)
        response = client.get(url(cast))
        assert response.status_code == 404
        assert response.json() == {"detail": NOT_FOUND, "code": "not_found"}
        assert client.get("/api/v1/activities").json()["count"] == 0
        response = send(
            client,
            "post",
            url(cast, "/participants"),
            {"unit": cast.luojiang_unit.pk, "role": "参加"},
        )
        assert response.status_code == 404
    assert Participation.objects.count() == 1


def test_a_liaison_sees_the_units_at_an_activity_but_never_the_people(cast: Cast) -> None:
    activities.participations_add(
        actor=cast.jingyang,
        activity=cast.work.activity,
        participants=[activities.ParticipantSpec(role="exchange", unit=cast.city_unit)],
    )
    client = api(cast.liaison)
    response = client.get(url(cast))
    assert response.status_code == 200
    body = response.json()
    assert [(p["person"], p["unit"]["name"], p["role"]) for p in body["participants"]] == [
        (None, cast.city_unit.name, "交流发言")
    ]
    assert "旌阳测试人员" not in response.content.decode()
    # Linked records show only where the liaison could open them: their own unit, no registry.
    assert body["organizers"] == []
    assert client.get("/api/v1/activities").json()["count"] == 1


def test_a_leader_reads_activities_but_may_not_write(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(url(cast)).status_code == 200
    assert client.get("/api/v1/activities").json()["count"] == 1
    for method, path, body in [
        ("post", "/api/v1/activities", new_activity(cast)),
        ("patch", url(cast), {"title": "改名"}),
        ("post", url(cast, "/participants"), {"unit": cast.city_unit.pk, "role": "参加"}),
        ("post", url(cast, "/projects"), {"name": "新项目"}),
        (
            "post",
            url(cast, "/credits"),
            {"enterprise": enterprise(cast).pk, "bank": "银行", "amount": "1"},
        ),
        ("delete", url(cast, f"/participants/{cast.work.participation.pk}"), None),
        ("delete", url(cast, f"/credits/{cast.work.credit.pk}"), None),
    ]:
        response = send(client, method, path, body)
        assert response.status_code == 403, (method, path)
        assert response.json() == {"detail": READ_ONLY, "code": "forbidden"}
    assert Activity.objects.count() == 1
    assert (Participation.objects.count(), CreditAgreement.objects.count()) == (1, 1)


# --- writing ----------------------------------------------------------------------------------


def test_an_activity_is_created_with_participants_and_outcomes_in_one_request(cast: Cast) -> None:
    body = new_activity(
        cast,
        start_time="09:30",
        place="旌阳区政务中心",
        headcount=60,
        organizers=[
            {"unit": cast.jingyang_unit.pk},
            {"organization": cast.records.organization.pk},
        ],
        participants=[
            {"name": "朱莉", "title": "市委常委、统战部部长", "role": "出席并讲话"},
            {"person": cast.records.person.pk, "role": "exchange", "note": "企业融资"},
            {"unit": cast.city_unit.pk, "role": "参加"},
        ],
        adopted_outputs=[cast.work.output.pk],
        landed_enterprises=[enterprise(cast).pk],
        projects=[
            {
                "name": "旌阳新材料项目",
                "investment": "12000.5",
                "investor": "某集团",
                "signed": True,
            }
        ],
        credits=[
            {"enterprise": enterprise(cast).pk, "bank": "工商银行", "amount": "0.10"},
            {"enterprise": enterprise(cast).pk, "bank": "农业银行", "amount": "0.20"},
            {"enterprise": enterprise(cast).pk, "bank": "建设银行", "amount": "62379999.70"},
        ],
    )
    response = send(api(cast.jingyang), "post", "/api/v1/activities", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["type"], created["start_time"], created["headcount"]) == (
        "对接会",
        "09:30:00",
        60,
    )
    assert [(p["name"], p["role"]) for p in created["participants"]] == [
        ("朱莉", "出席并讲话"),
        ("", "交流发言"),
        ("", "参加"),
    ]
    assert created["participants"][1]["person"]["name"] == "旌阳测试人员"
    assert [p["investment"] for p in created["projects"]] == ["12000.50"]
    assert [c["amount"] for c in created["credits"]] == ["0.10", "0.20", "62379999.70"]
    # 0.1 + 0.2 in floats is 0.30000000000000004; the total is exact.
    assert created["credit_total"] == "62380000.00"
    assert Decimal(created["credit_total"]) == sum(
        CreditAgreement.objects.filter(activity_id=created["id"]).values_list("amount", flat=True),
        Decimal(0),
    )
    assert created["landed_enterprises"] == [
        {"id": enterprise(cast).pk, "name": "旌阳测试企业有限公司"}
    ]


def test_money_goes_out_as_strings_never_as_json_numbers(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        url(cast, "/credits"),
        {"enterprise": enterprise(cast).pk, "bank": "中国银行", "amount": 0.1},
    )
    assert response.status_code == 201, response.content
    raw = json.loads(response.content, parse_float=lambda s: pytest_fail(s))
    assert [c["amount"] for c in raw["credits"]] == ["800.00", "0.10"]
    assert raw["credit_total"] == "800.10"
    assert CreditAgreement.objects.get(bank="中国银行").amount == Decimal("0.10")


def pytest_fail(value: str) -> None:
    raise AssertionError(f"a JSON number in the answer: {value}")


def test_an_activity_refused_at_its_last_credit_leaves_nothing_behind(cast: Cast) -> None:
    before = (
        Activity.objects.count(),
        CreditAgreement.objects.count(),
        Participation.objects.count(),
    )
    body = new_activity(
        cast,
        participants=[{"person": cast.records.person.pk, "role": "出席"}],
        credits=[
            {"enterprise": enterprise(cast).pk, "bank": "工商银行", "amount": "10"},
            {"enterprise": cast.records.organization.pk, "bank": "农业银行", "amount": "10"},
        ],
    )
    response = send(api(cast.jingyang), "post", "/api/v1/activities", body)
    assert response.status_code == 422
    assert "企业" in detail(response)
    after = (
        Activity.objects.count(),
        CreditAgreement.objects.count(),
        Participation.objects.count(),
    )
    assert after == before


def test_invalid_values_are_named_field_by_field_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(client, "post", "/api/v1/activities", new_activity(cast, type="联欢会"))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert detail(response).startswith("type：") or "（type）" in detail(response)
    response = send(
        client,
        "post",
        "/api/v1/activities",
        new_activity(cast, participants=[{"person": cast.records.person.pk, "role": "旁听"}]),
    )
    assert (
        response.status_code == 422
        and "旁听" in detail(response)
        and "出席并讲话" in detail(response)
    )
    response = send(
        client,
        "post",
        url(cast, "/credits"),
        {"enterprise": enterprise(cast).pk, "bank": "银行", "amount": "1.234"},
    )
    assert response.status_code == 422 and "最多两位小数" in detail(response)
    response = send(
        client,
        "post",
        url(cast, "/credits"),
        {"enterprise": enterprise(cast).pk, "bank": "银行", "amount": "-5"},
    )
    assert response.status_code == 422
    assert CreditAgreement.objects.count() == 1


def test_links_outside_ones_scope_are_refused_like_missing_ones(cast: Cast) -> None:
    luojiang_org = Organization.objects.create(
        name="罗江测试企业",
        region=cast.luojiang_region,
        org_type=CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name="企业"),
    )
    client = api(cast.jingyang)
    for pk in (luojiang_org.pk, 999999):
        response = send(
            client, "post", "/api/v1/activities", new_activity(cast, landed_enterprises=[pk])
        )
        assert response.status_code == 422
        assert LINK_OUT_OF_SCOPE.format(label="落地企业") in detail(response)
    response = send(
        client, "post", "/api/v1/activities", {**new_activity(cast), "region": "510604"}
    )
    assert response.status_code == 422 and "管辖范围" in detail(response)


def test_patch_changes_only_the_keys_sent(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(
        client,
        "patch",
        url(cast),
        {"title": "旌阳区恳谈会之二", "organizers": [{"unit": cast.jingyang_unit.pk}]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "旌阳区恳谈会之二"
    assert [o["unit"]["id"] for o in body["organizers"]] == [cast.jingyang_unit.pk]
    assert body["place"] == "旌阳区会议中心" and body["adopted_outputs"] != []
    response = send(client, "patch", url(cast), {"type": None})
    assert response.status_code == 422 and "不能为空" in detail(response)


def test_participants_are_added_at_the_end_and_removed(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(
        client, "post", url(cast, "/participants"), {"unit": cast.city_unit.pk, "role": "chairs"}
    )
    assert response.status_code == 201, response.content
    assert [p["role"] for p in response.json()["participants"]] == ["出席并讲话", "主持"]
    response = send(
        client, "post", url(cast, "/participants"), {"unit": cast.city_unit.pk, "role": "参加"}
    )
    assert response.status_code == 422 and "已在本活动的参加名单中" in detail(response)
    response = send(client, "post", url(cast, "/participants"), {"role": "参加"})
    assert response.status_code == 422 and "三者选一" in detail(response)
    response = client.delete(url(cast, f"/participants/{cast.work.participation.pk}"))
    assert response.status_code == 204
    assert list(Participation.objects.values_list("unit", flat=True)) == [cast.city_unit.pk]


def test_projects_and_credits_are_added_and_removed(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(
        client,
        "post",
        url(cast, "/projects"),
        {"name": "旌阳文旅项目", "investment": "300", "signed": True},
    )
    assert response.status_code == 201
    assert [p["investment"] for p in response.json()["projects"]] == ["5000.00", "300.00"]
    assert client.delete(url(cast, f"/projects/{cast.work.project.pk}")).status_code == 204
    assert client.delete(url(cast, f"/credits/{cast.work.credit.pk}")).status_code == 204
    body = client.get(url(cast)).json()
    assert [p["name"] for p in body["projects"]] == ["旌阳文旅项目"]
    assert (body["credits"], body["credit_total"]) == ([], "0.00")
    # A sub-record is found only under its own activity.
    other = activities.activity_create(
        actor=cast.jingyang,
        type=activity_type("推进会"),
        title="旌阳区推进会",
        date=dt.date(2023, 1, 1),
        region=cast.jingyang_region,
    )
    project = PromotedProject.objects.get()
    assert client.delete(f"/api/v1/activities/{other.pk}/projects/{project.pk}").status_code == 404


# --- cost -------------------------------------------------------------------------------------


def test_the_activity_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    ent = enterprise(cast)
    justice = Unit.objects.get(short_name="市司法局")
    for i in range(24):
        activity = activities.activity_create(
            actor=cast.jingyang,
            type=activity_type("座谈会"),
            title=f"旌阳区座谈会{i}",
            date=dt.date(2023, 1, 1) + dt.timedelta(days=i),
            region=cast.jingyang_region,
            organizer_units=[cast.jingyang_unit],
            organizer_organizations=[cast.records.organization],
            adopted_outputs=[cast.work.output],
            landed_enterprises=[ent],
            participants=[
                activities.ParticipantSpec(role="attends", person=cast.records.person),
                activities.ParticipantSpec(role="takes_part", unit=justice),
                activities.ParticipantSpec(role="speaks", name=f"领导{i}", title="副市长"),
            ],
        )
        activities.project_add(
            actor=cast.jingyang, activity=activity, name=f"项目{i}", investment=Decimal("1.50")
        )
        activities.credit_add(
            actor=cast.jingyang, activity=activity, enterprise=ent, bank="银行", amount="2.25"
        )
    for user in (cast.jingyang, cast.city_staff, cast.liaison):
        client = api(user)
        # The token (read, touched), the page, its count and 8 prefetches: 12 for any page size.
        with django_assert_max_num_queries(12):
            response = client.get("/api/v1/activities", {"page_size": 25})
        assert response.status_code == 200
    body = api(cast.jingyang).get("/api/v1/activities", {"page_size": 25}).json()
    assert body["count"] == 25 and len(body["items"]) == 25
    assert body["items"][0]["credit_total"] == "2.25"
