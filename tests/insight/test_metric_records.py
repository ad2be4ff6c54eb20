"""The registry page (/metrics/) and the page behind each value (/metrics/<key>/records/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Cast, login
from tongxin.insight import metrics
from tongxin.work import services_activities as activities

from .helpers import activity_type

RECORDS = "/metrics/activities_held/records/"


def test_the_registry_lists_every_metric_with_its_definition_and_value(cast: Cast) -> None:
    response = login(cast.jingyang).get("/metrics/", {"year": 2022})
    assert response.status_code == 200
    text = response.content.decode()
    for metric in metrics.all_metrics():
        assert metric.label in text and metric.definition in text, metric.key
    assert "/metrics/activities_held/records/?year=2022&amp;region=510603" in text


def test_the_records_page_lists_exactly_what_the_value_counts(cast: Cast) -> None:
    response = login(cast.jingyang).get(RECORDS, {"year": 2022})
    assert response.status_code == 200
    assert response.context["value"] == 1
    assert response.context["page"].paginator.count == 1
    text = response.content.decode()
    assert cast.work.activity.title in text
    assert f"/activities/{cast.work.activity.pk}/" in text
    assert "条数等于指标值" in text


def test_another_district_and_an_outsider_cannot_ask_for_jingyang(cast: Cast) -> None:
    for who in (cast.luojiang, cast.outsider):
        client = login(who)
        assert client.get(RECORDS, {"year": 2022, "region": "510603"}).status_code == 404
        assert client.get("/metrics/", {"year": 2022, "region": "510603"}).status_code == 404
        own = client.get(RECORDS, {"year": 2022})
        assert own.status_code == 200
        assert own.context["page"].paginator.count == 0
        assert "旌阳" not in own.content.decode()


def test_the_city_sees_the_district_records_and_the_district_not_the_city(cast: Cast) -> None:
    city = login(cast.leader).get(RECORDS, {"year": 2022, "region": "510603"})
    assert city.context["page"].paginator.count == 1
    assert login(cast.jingyang).get(RECORDS, {"region": "510600"}).status_code == 404


def test_roles_without_figures_get_403_and_visitors_log_in(cast: Cast) -> None:
    assert login(cast.auditor).get(RECORDS).status_code == 403
    assert login(cast.auditor).get("/metrics/").status_code == 403
    response = Client().get(RECORDS)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_unknown_metric_or_a_bad_period_is_not_found(cast: Cast) -> None:
    client = login(cast.jingyang)
    assert client.get("/metrics/nonsense/records/").status_code == 404
    assert client.get(RECORDS, {"year": "abc"}).status_code == 404
    assert client.get(RECORDS, {"year": 2022, "month": 13}).status_code == 404
    assert client.get(RECORDS, {"start": "2022-05-01", "end": "2022-01-01"}).status_code == 404
    assert client.get(RECORDS, {"start": "2022-06-01", "end": "2022-06-30"}).status_code == 200


def test_a_liaison_sees_the_figures_of_their_unit(cast: Cast) -> None:
    activities.activity_create(
        actor=cast.admin,
        type=activity_type("座谈会"),
        title="网信办参加的座谈会",
        date=dt.date(2022, 9, 1),
        region=cast.city,
        participants=[activities.ParticipantSpec("exchange", unit=cast.city_unit)],
    )
    response = login(cast.liaison).get(RECORDS, {"year": 2022})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert "旌阳" not in response.content.decode()


def test_the_records_page_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            activities.activity_create(
                actor=cast.admin,
                type=activity_type("座谈会"),
                title=f"旌阳区座谈会{i}",
                date=dt.date(2022, 1, 1) + dt.timedelta(days=i),
                region=cast.jingyang_region,
            )

    client = login(cast.jingyang)
    add(2)
    client.get(RECORDS, {"year": 2022})
    with CaptureQueriesContext(connection) as few:
        assert client.get(RECORDS, {"year": 2022}).status_code == 200
    add(25)
    with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as many:
        response = client.get(RECORDS, {"year": 2022})
    assert response.context["page"].paginator.count == 28
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["jingyang", "leader", "admin"])
def test_the_registry_page_runs_one_query_a_metric(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    client = login(getattr(cast, who))
    client.get("/metrics/")
    with django_assert_max_num_queries(len(metrics.all_metrics()) + 12):
        assert client.get("/metrics/", {"year": 2022}).status_code == 200
