"""GET /api/v1/metrics and /api/v1/metrics/{key}: the shape, the scope, the errors."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import Cast, bearer
from tongxin.core.models import BusinessLine, User
from tongxin.insight import metrics
from tongxin.work.models import Activity


def _get(user: User, url: str, **params: Any) -> Any:
    return Client().get(url, params, **bearer(user))


def test_the_list_has_every_metric_in_the_shape_of_the_issue(cast: Cast) -> None:
    response = _get(cast.jingyang, "/api/v1/metrics", year=2022, region="510603")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["key"] for i in items] == [m.key for m in metrics.all_metrics()]
    for item in items:
        assert set(item) == {"key", "label", "value", "unit", "definition", "records_url"}
    by_key = {i["key"]: i for i in items}
    assert by_key["activities_held"] == {
        "key": "activities_held",
        "label": "开展各类活动",
        "value": 1,
        "unit": "场",
        "definition": metrics.get("activities_held").definition,
        "records_url": "/metrics/activities_held/records/?year=2022&region=510603",
    }
    # Money is a decimal string with two places, as everywhere in the API.
    assert by_key["hmt_credit"]["value"] == "0.00"


def test_one_metric_by_key(cast: Cast) -> None:
    response = _get(cast.jingyang, "/api/v1/metrics/endorsements_provincial", year=2022)
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == 1 and body["unit"] == "件"
    assert body["records_url"].endswith("?year=2022&region=510603")
    june = _get(cast.jingyang, "/api/v1/metrics/activities_held", year=2022, month=6)
    assert june.json()["value"] == 1
    assert "month=6" in june.json()["records_url"]


def test_the_city_sums_credit_as_money(cast: Cast) -> None:
    Activity.objects.filter(pk=cast.work.activity.pk).update(
        line=BusinessLine.objects.get(code="gangaotaiqiao")
    )
    response = _get(cast.leader, "/api/v1/metrics/hmt_credit", year=2022)
    assert response.json()["value"] == "800.00"


def test_a_region_outside_scope_or_an_unknown_key_is_not_found(cast: Cast) -> None:
    for user in (cast.luojiang, cast.outsider):
        response = _get(user, "/api/v1/metrics", year=2022, region="510603")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        one = _get(user, "/api/v1/metrics/activities_held", year=2022, region="510603")
        assert one.status_code == 404
    unknown = _get(cast.jingyang, "/api/v1/metrics/nonsense")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found"


def test_another_district_counts_none_of_jingyang(cast: Cast) -> None:
    response = _get(cast.luojiang, "/api/v1/metrics", year=2022)
    assert response.status_code == 200
    values = {i["value"] for i in response.json()["items"] if i["unit"] != "%"}
    assert values <= {0, "0.00"}
    assert "旌阳" not in response.content.decode()


def test_an_auditor_is_refused_and_a_visitor_must_authenticate(cast: Cast) -> None:
    response = _get(cast.auditor, "/api/v1/metrics")
    assert response.status_code == 403
    assert Client().get("/api/v1/metrics").status_code == 401
