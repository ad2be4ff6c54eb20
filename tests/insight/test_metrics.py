"""The metrics registry with the shared cast: what it holds, and who sees which figures."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.conftest import Cast
from tongxin.core.models import BusinessLine
from tongxin.insight import metrics
from tongxin.insight.metrics import COUNT, MAX, RATE, SUM, Period
from tongxin.work import services_activities as activities
from tongxin.work.models import Activity

from .helpers import CONTRACT_KEYS, activity_type

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_periods_are_closed_ranges_of_days() -> None:
    assert Period.year(2022) == Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert Period.month(2024, 2) == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert Period.year(2022).label == "2022年"
    assert Period.month(2022, 3).label == "2022年3月"
    assert Period.month(2022, 3).query() == {"year": "2022", "month": "3"}
    odd = Period(dt.date(2022, 3, 5), dt.date(2022, 4, 1))
    assert odd.query() == {"start": "2022-03-05", "end": "2022-04-01"}


def test_every_key_of_the_contract_is_registered() -> None:
    registered = {m.key for m in metrics.all_metrics()}
    assert set(CONTRACT_KEYS) <= registered


def test_every_metric_says_in_chinese_what_it_counts() -> None:
    for metric in metrics.all_metrics():
        assert CHINESE.search(metric.label), metric.key
        assert CHINESE.search(metric.definition), metric.key
        assert metric.unit, metric.key
        assert metric.kind in (COUNT, SUM, MAX, RATE), metric.key
        assert metric.kind not in (SUM, MAX) or metric.field, metric.key
        assert metric.kind != RATE or metric.compute, metric.key


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(LookupError):
        metrics.get("no_such_metric")


def test_a_district_user_counts_their_district_records(cast: Cast) -> None:
    figures = metrics.measure_many(
        ["activities_held", "endorsements_provincial", "trainees", "tongxin_bases"],
        user=cast.jingyang,
        year=2022,
    )
    assert {k: v.value for k, v in figures.items()} == {
        "activities_held": 1,
        "endorsements_provincial": 1,
        "trainees": 1,
        "tongxin_bases": 1,
    }
    url = figures["activities_held"].records_url
    assert url == "/metrics/activities_held/records/?year=2022&region=510603"


def test_another_district_counts_none_of_them(cast: Cast) -> None:
    figures = metrics.measure_many(
        ["activities_held", "endorsements_provincial", "trainees", "tongxin_bases"],
        user=cast.luojiang,
        year=2022,
    )
    assert {v.value for v in figures.values()} == {0}


def test_a_region_outside_ones_scope_is_not_found(cast: Cast) -> None:
    for user in (cast.luojiang, cast.outsider):
        with pytest.raises(Http404):
            metrics.measure("activities_held", user=user, year=2022, region="510603")
    with pytest.raises(Http404):
        metrics.measure("activities_held", user=cast.jingyang, year=2022, region="510600")


def test_the_city_counts_its_districts(cast: Cast) -> None:
    value = metrics.measure("activities_held", user=cast.leader, year=2022, region="510600")
    assert value.value == 1
    assert metrics.measure("activities_held", user=cast.leader, year=2023).value == 0


def test_roles_without_figures_are_refused(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        metrics.measure("activities_held", user=cast.auditor, year=2022)


def test_city_staff_count_only_their_lines(cast: Cast) -> None:
    # The cast's 恳谈会 has no line: every line's staff count it; a 党派 meeting is not 新阶's.
    activities.activity_create(
        actor=cast.admin,
        type=activity_type("政党协商会议"),
        title="政党协商会议（党派条线）",
        date=dt.date(2022, 5, 1),
        region=cast.city,
        line=BusinessLine.objects.get(code="dangpai"),
    )
    assert metrics.measure("party_consultations", user=cast.admin, year=2022).value == 1
    assert metrics.measure("party_consultations", user=cast.city_staff, year=2022).value == 0
    assert metrics.measure("activities_held", user=cast.city_staff, year=2022).value == 1


def test_value_and_records_agree_for_every_counting_metric(cast: Cast) -> None:
    region = cast.jingyang_region
    for metric in metrics.all_metrics():
        if metric.kind != COUNT:
            continue
        for user in (cast.jingyang, cast.leader):
            period = Period.year(2022)
            records = metric.records(user, period, region)
            assert metric.value(user, period, region) == len(list(records)), metric.key


def test_a_month_counts_only_its_days(cast: Cast) -> None:
    june = metrics.measure("activities_held", user=cast.jingyang, period=Period.month(2022, 6))
    july = metrics.measure("activities_held", user=cast.jingyang, period=Period.month(2022, 7))
    assert (june.value, july.value) == (1, 0)
    assert june.records_url.endswith("?year=2022&month=6&region=510603")


def test_a_line_narrows_a_figure(cast: Cast) -> None:
    Activity.objects.filter(pk=cast.work.activity.pk).update(line=cast.city_staff.lines.get())
    assert metrics.measure("activities_held", user=cast.admin, year=2022, line="xinjie").value == 1
    assert metrics.measure("activities_held", user=cast.admin, year=2022, line="feigong").value == 0
    with pytest.raises(Http404):
        metrics.measure("activities_held", user=cast.admin, year=2022, line="nonsense")
