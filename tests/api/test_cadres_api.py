"""/api/v1/trainings (with trainees), /secondments (挂职锻炼) and /dual-reports (双走访双报告):
reads in scope, hours as decimal strings, writes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tongxin.api.schemas_cadres import PERSONS_REQUIRED
from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, Person
from tongxin.work import services_cadres as cadres
from tongxin.work.models import DualVisitReport, Secondment, Trainee, Training

from ..conftest import Cast
from .work_helpers import api, detail, send


def training_url(cast: Cast, suffix: str = "") -> str:
    return f"/api/v1/trainings/{cast.work.training.pk}{suffix}"


def another_person(cast: Cast, name: str = "旌阳学员二") -> Person:
    return registry.person_create(
        actor=None,
        name=name,
        region=cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="新的社会阶层人士")],
    )


# --- trainings --------------------------------------------------------------------------------


def test_a_training_reads_with_its_trainees_and_hours_as_strings(cast: Cast) -> None:
    client = api(cast.jingyang)
    [item] = client.get("/api/v1/trainings").json()["items"]
    assert (item["title"], item["hours"], item["trainee_count"]) == (
        "旌阳区新阶人士培训班",
        "24.0",
        1,
    )
    body = client.get(training_url(cast)).json()
    assert (body["start_date"], body["end_date"], body["region"]) == (
        "2022-07-01",
        "2022-07-03",
        "510603",
    )
    assert body["trainees"] == [
        {
            "id": cast.work.trainee.pk,
            "person": {"id": cast.records.person.pk, "name": "旌阳测试人员"},
            "hours": "24.0",
            "completed": True,
            "notes": "",
        }
    ]


def test_a_training_is_created_and_trainees_added(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(
        client,
        "post",
        "/api/v1/trainings",
        {
            "title": "旌阳区党外干部研修班",
            "start_date": "2023-04-10",
            "end_date": "2023-04-12",
            "hours": "16.5",
            "region": "510603",
            "organizer": cast.jingyang_unit.pk,
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["hours"], created["organizer"]["id"], created["trainees"]) == (
        "16.5",
        cast.jingyang_unit.pk,
        [],
    )
    second = another_person(cast)
    response = send(
        client,
        "post",
        f"/api/v1/trainings/{created['id']}/trainees",
        {
            "persons": [cast.records.person.pk, second.pk],
            "hours": "8",
            "completed": False,
        },
    )
    assert response.status_code == 201, response.content
    trainees = response.json()["trainees"]
    assert [(t["person"]["name"], t["hours"], t["completed"]) for t in trainees] == [
        ("旌阳测试人员", "8.0", False),
        ("旌阳学员二", "8.0", False),
    ]
    response = send(
        client, "post", f"/api/v1/trainings/{created['id']}/trainees", {"persons": [second.pk]}
    )
    assert response.status_code == 422 and "已是本培训班学员" in detail(response)
    response = send(client, "post", f"/api/v1/trainings/{created['id']}/trainees", {"persons": []})
    assert response.status_code == 422 and PERSONS_REQUIRED in detail(response)
    response = send(client, "patch", f"/api/v1/trainings/{created['id']}", {"hours": "18"})
    assert response.status_code == 200 and response.json()["hours"] == "18.0"
    assert Training.objects.get(pk=created["id"]).hours == Decimal("18")


def test_invalid_trainings_are_refused_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    base = {
        "title": "旌阳班",
        "start_date": "2023-04-10",
        "end_date": "2023-04-12",
        "region": "510603",
    }
    response = send(client, "post", "/api/v1/trainings", {**base, "hours": "很多"})
    assert response.status_code == 422 and "学时须为不小于0的数字" in detail(response)
    response = send(
        client, "post", "/api/v1/trainings", {**base, "hours": "8", "end_date": "2023-04-01"}
    )
    assert response.status_code == 422 and "结业日期不能早于开班日期" in detail(response)
    assert Training.objects.count() == 1


def test_a_trainee_is_removed(cast: Cast) -> None:
    client = api(cast.jingyang)
    assert client.delete(training_url(cast, f"/trainees/{cast.work.trainee.pk}")).status_code == 204
    assert client.get(training_url(cast)).json()["trainees"] == []


def test_the_training_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(24):
        training = cadres.training_create(
            actor=cast.jingyang,
            title=f"旌阳班{i}",
            start_date=dt.date(2023, 1, 1),
            end_date=dt.date(2023, 1, 2),
            hours=Decimal("8"),
            region=cast.jingyang_region,
            organizer=cast.jingyang_unit,
        )
        cadres.trainees_add(actor=cast.jingyang, training=training, people=[cast.records.person])
    client = api(cast.jingyang)
    # The token (read, touched), the page and its count: 4 for any page size.
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/trainings", {"page_size": 25})
    assert len(response.json()["items"]) == 25


# --- secondments ------------------------------------------------------------------------------


def test_secondments_are_listed_by_batch_and_direction(cast: Cast) -> None:
    cadres.secondment_create(
        actor=cast.jingyang,
        person=another_person(cast, "旌阳挂职二"),
        direction="up",
        batch=5,
        start_date=dt.date(2023, 3, 1),
        region=cast.jingyang_region,
        host_unit=cast.city_unit,
    )
    client = api(cast.jingyang)

    def rows(**params: Any) -> list[tuple[int, str, str]]:
        response = client.get("/api/v1/secondments", params)
        assert response.status_code == 200, response.content
        return [(s["batch"], s["direction"], s["host"]) for s in response.json()["items"]]

    assert rows() == [(5, "上挂", cast.city_unit.name), (4, "下派", "旌阳区某街道办事处")]
    assert rows(batch=4) == [(4, "下派", "旌阳区某街道办事处")]
    assert rows(direction="上挂") == rows(direction="up") == [(5, "上挂", cast.city_unit.name)]
    assert rows(year=2022) == [(4, "下派", "旌阳区某街道办事处")]
    assert client.get("/api/v1/secondments", {"direction": "平调"}).status_code == 422


def test_a_secondment_is_created_read_and_changed(cast: Cast) -> None:
    client = api(cast.jingyang)
    person = another_person(cast, "旌阳挂职三")
    response = send(
        client,
        "post",
        "/api/v1/secondments",
        {
            "person": person.pk,
            "direction": "下派",
            "batch": 4,
            "start_date": "2022-03-01",
            "region": "510603",
            "host_name": "旌阳区某镇",
            "post": "副镇长",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["person"]["name"], created["direction"], created["post"]) == (
        "旌阳挂职三",
        "下派",
        "副镇长",
    )
    response = send(
        client,
        "post",
        "/api/v1/secondments",
        {
            "person": person.pk,
            "direction": "下派",
            "batch": 4,
            "start_date": "2022-03-01",
            "region": "510603",
            "host_name": "别处",
        },
    )
    assert response.status_code == 422 and "已在这一批挂职名单中" in detail(response)
    response = send(
        client, "patch", f"/api/v1/secondments/{created['id']}", {"end_date": "2023-03-01"}
    )
    assert response.status_code == 200 and response.json()["end_date"] == "2023-03-01"
    assert client.get(f"/api/v1/secondments/{created['id']}").json()["host"] == "旌阳区某镇"


# --- 双走访双报告 --------------------------------------------------------------------------------


def test_a_dual_report_is_saved_by_person_and_year(cast: Cast) -> None:
    client = api(cast.jingyang)
    body = {
        "person": cast.records.person.pk,
        "year": 2023,
        "visits_made": 2,
        "report_title": "旌阳民营经济调研",
    }
    response = send(client, "post", "/api/v1/dual-reports", body)
    assert response.status_code == 201, response.content
    first = response.json()
    response = send(
        client,
        "post",
        "/api/v1/dual-reports",
        {"person": cast.records.person.pk, "year": 2023, "visits_made": 4},
    )
    assert response.status_code == 200
    again = response.json()
    assert (again["id"], again["visits_made"], again["report_title"]) == (
        first["id"],
        4,
        "旌阳民营经济调研",
    )
    assert [r["year"] for r in client.get("/api/v1/dual-reports").json()["items"]] == [2023, 2022]
    assert [
        r["year"] for r in client.get("/api/v1/dual-reports", {"year": 2022}).json()["items"]
    ] == [2022]
    report = client.get(f"/api/v1/dual-reports/{cast.work.dual_report.pk}").json()
    assert (report["visits_made"], report["report_title"]) == (3, "旌阳走访报告")
    assert DualVisitReport.objects.count() == 2


# --- scope ------------------------------------------------------------------------------------


def test_other_districts_get_404_and_empty_lists(cast: Cast) -> None:
    paths = [
        training_url(cast),
        f"/api/v1/secondments/{cast.work.secondment.pk}",
        f"/api/v1/dual-reports/{cast.work.dual_report.pk}",
    ]
    for user in (cast.luojiang, cast.outsider):
        client = api(user)
        for path in paths:
            assert client.get(path).json() == {"detail": NOT_FOUND, "code": "not_found"}, path
        for path in ("/api/v1/trainings", "/api/v1/secondments", "/api/v1/dual-reports"):
            assert client.get(path).json()["count"] == 0, path
        response = send(
            client, "post", training_url(cast, "/trainees"), {"persons": [cast.records.person.pk]}
        )
        assert response.status_code == 404
        response = send(
            client,
            "post",
            "/api/v1/dual-reports",
            {"person": cast.records.person.pk, "year": 2022, "visits_made": 9},
        )
        assert response.status_code == 422 and "旌阳" not in response.content.decode()
    assert DualVisitReport.objects.get().visits_made == 3
    assert Trainee.objects.count() == 1


def test_a_leader_reads_cadre_records_but_may_not_write(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(training_url(cast)).status_code == 200
    assert client.get("/api/v1/secondments").json()["count"] == 1
    for method, path, body in [
        (
            "post",
            "/api/v1/trainings",
            {
                "title": "x",
                "start_date": "2023-01-01",
                "end_date": "2023-01-01",
                "hours": "1",
                "region": "510603",
            },
        ),
        ("post", training_url(cast, "/trainees"), {"persons": [cast.records.person.pk]}),
        ("delete", training_url(cast, f"/trainees/{cast.work.trainee.pk}"), None),
        ("patch", f"/api/v1/secondments/{cast.work.secondment.pk}", {"post": "改"}),
        (
            "post",
            "/api/v1/dual-reports",
            {"person": cast.records.person.pk, "year": 2022, "visits_made": 9},
        ),
    ]:
        response = send(client, method, path, body)
        assert response.json() == {"detail": READ_ONLY, "code": "forbidden"}, path
    assert (Training.objects.count(), Trainee.objects.count(), Secondment.objects.count()) == (
        1,
        1,
        1,
    )
    assert DualVisitReport.objects.get().visits_made == 3
