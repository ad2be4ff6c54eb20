"""Time to resolve and the on-time rate, over cases handled on known days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Unit
from tongxin.work import services
from tongxin.work.case_metrics import resolution_stats
from tongxin.work.models import Case, CaseSource, CaseStatus

from ..conftest import Cast

S = CaseStatus


def _handled(cast: Cast, received: dt.date, deadline_days: int, took: int) -> Case:
    unit = Unit.objects.get(short_name="旌阳区司法局")
    at = dt.datetime.combine(received, dt.time(10), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(at, tick=False):
        case = services.case_create(
            actor=cast.jingyang,
            title="旌阳企业诉求",
            text_="用工困难",
            source=CaseSource.WALK_IN,
            region=cast.jingyang_region,
            received_on=received,
        )
        case = services.case_transition(
            case=case,
            to_status=S.ASSIGNED,
            actor=cast.jingyang,
            units=[unit],
            deadline=received + dt.timedelta(days=deadline_days),
        )
        case = services.case_transition(case=case, to_status=S.IN_PROGRESS, actor=cast.jingyang)
    # Late in the evening of the last day still counts as that day, in Beijing time.
    with time_machine.travel(at + dt.timedelta(days=took, hours=13), tick=False):
        return services.case_transition(
            case=case, to_status=S.RESOLVED, actor=cast.jingyang, resolution="已解决"
        )


def test_time_to_resolve_and_on_time_rate_count_resolved_cases_only(cast: Cast) -> None:
    day = dt.date(2022, 3, 1)
    _handled(cast, day, deadline_days=10, took=4)  # on time
    _handled(cast, day, deadline_days=10, took=10)  # on the last day: on time
    _handled(cast, day, deadline_days=10, took=11)  # a day late
    services.case_create(
        actor=cast.jingyang,
        title="未办结",
        text_="还在受理",
        source=CaseSource.WALK_IN,
        region=cast.jingyang_region,
    )
    stats = resolution_stats(access.scope(cast.jingyang, Case.objects.all()))
    assert stats.resolved == 3
    assert stats.average_days == Decimal("8.3")
    assert stats.median_days == Decimal("10.0")
    assert (stats.with_deadline, stats.on_time) == (3, 2)
    assert stats.on_time_rate == Decimal("66.7")


def test_no_resolved_cases_give_no_figures_rather_than_zero(cast: Cast) -> None:
    stats = resolution_stats(Case.objects.none())
    assert stats.resolved == 0
    assert stats.average_days is None and stats.on_time_rate is None


def test_a_user_outside_the_district_counts_none_of_its_cases(cast: Cast) -> None:
    _handled(cast, dt.date(2022, 3, 1), deadline_days=10, took=4)
    assert resolution_stats(access.scope(cast.luojiang, Case.objects.all())).resolved == 0
