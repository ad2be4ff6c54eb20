"""The dashboard (驾驶舱): the department's year as a leader reads it. This year beside last
year, the districts side by side, the months of the year, the cases and where they stand, the
tasks of member units, and how far the organizations reach the new stratum.

Every number is a registered metric's value (metrics.py), for a period and a region in the
user's scope, and carries the URL of the records it counts; charts carry those URLs on each bar
and point. Nothing here counts on its own, except the tasks of each member unit: those are the
records of the metrics tasks_open / tasks_overdue split by their unit, each opening the task list
of that unit, which lists exactly them.

The page costs a fixed number of queries, whatever the amount of data: one per figure, per
district and per month (FIGURES, DISTRICT_KEYS, MONTHLY_KEYS), plus a few."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, RegionKind, User
from tongxin.work.models import Activity, CaseStatus

from . import metrics, metrics_dashboard
from .metrics import MetricValue, Period

# This year beside last year, in the order of the year's story.
FIGURES = (
    "activities_held",
    "visits",
    "cases_received",
    "cases_resolved",
    "outputs_endorsed",
    "trainees",
)
# Charts name their series briefly (legends are narrow on a phone); tables and tooltips too.
SHORT = {
    "activities_held": "各类活动",
    "visits": "走访",
    "cases_received": "受理诉求",
    "people_known": "已掌握",
    "people_organized": "已组织起来",
    "tasks_open": "未办结",
    "tasks_overdue": "逾期",
}
# The year's notable work, as the story says it: a verb and the figures it governs (those that
# are not zero: a district that held no 政党协商会议 does not say so).
HIGHLIGHTS = (
    ("召开", ("party_consultations", "site_meetings")),
    ("举行", ("feigong_meetings", "investment_events")),
    ("命名", ("tongxin_bases",)),
    ("获", ("endorsements_provincial",)),
)
DISTRICT_KEYS = ("activities_held", "visits", "cases_received")
MONTHLY_KEYS = ("activities_held", "visits", "cases_received")
CASE_STATE_KEYS = tuple(metrics_dashboard.case_state_key(s) for s in CaseStatus.values)
# Where cases and tasks stand now (of every year up to this one), and the on-time rate of the year.
CASES_NOW = ("cases_open", "cases_overdue")
TASKS_NOW = ("tasks_open", "tasks_overdue")
COVERAGE = ("people_known", "people_organized", "people_coverage")
# A year "has work" once activities were recorded in this many of its months: in January a
# leader sees last year's dashboard, not an empty one.
MONTHS_OF_WORK = 3
YEARS_BACK = 9
TOP_UNITS = 12

DASHBOARD_ROLES = access.REGISTRY_ROLES


def can_use_dashboard(user: Any) -> bool:
    return access.has_role(user, *DASHBOARD_ROLES)


# --- the pieces -----------------------------------------------------------------------------------


def value_of(key: str, user: User, period: Period, region: Region) -> MetricValue:
    """One figure: what ``metrics.measure`` answers, for a region already checked (measure would
    look it up again for every figure of the page)."""
    metric = metrics.get(key)
    return MetricValue(
        key=metric.key,
        label=metric.label,
        value=metric.value(user, period, region),
        unit=metric.unit,
        definition=metric.definition,
        records_url=metrics.records_url(metric.key, period, region),
    )


@dataclass(frozen=True)
class Compared:
    """A figure of the year beside the same figure of the year before."""

    now: MetricValue
    before: MetricValue

    @property
    def change(self) -> int | Decimal:
        return self.now.value - self.before.value

    @property
    def size(self) -> int | Decimal:
        change = self.change
        return -change if change < 0 else change

    @property
    def trend(self) -> str:
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass(frozen=True)
class Point:
    label: str
    value: int | Decimal
    url: str


@dataclass(frozen=True)
class Series:
    name: str
    unit: str
    points: list[Point]


@dataclass(frozen=True)
class Chart:
    """What dashboard.js draws (``as_json``) and the table under it shows: categories along an
    axis, one series per metric, every value with the URL of its records."""

    kind: str  # "bar" | "hbar" | "line" | "pie"
    categories: list[str]
    series: list[Series]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": self.categories,
            "series": [
                {
                    "name": s.name,
                    "unit": s.unit,
                    "data": [{"value": _number(p.value), "url": p.url} for p in s.points],
                }
                for s in self.series
            ],
        }

    @property
    def rows(self) -> list[tuple[str, list[Point]]]:
        """The table under the chart: one row per category, one cell per series."""
        return [(c, [s.points[i] for s in self.series]) for i, c in enumerate(self.categories)]


def _number(value: int | Decimal) -> int | float:
    return value if isinstance(value, int) else float(value)


def _chart(
    kind: str,
    keys: tuple[str, ...],
    user: User,
    cells: list[tuple[str, Period, Region]],
) -> Chart:
    series = []
    for key in keys:
        metric = metrics.get(key)
        points = [
            Point(label, *_measured(key, user, period, region)) for label, period, region in cells
        ]
        series.append(Series(SHORT.get(key, metric.label), metric.unit, points))
    return Chart(kind, [label for label, _, _ in cells], series)


def _measured(key: str, user: User, period: Period, region: Region) -> tuple[int | Decimal, str]:
    figure = value_of(key, user, period, region)
    return figure.value, figure.records_url


@dataclass(frozen=True)
class UnitTasks:
    unit_id: int
    unit: str
    open: int
    overdue: int
    open_url: str
    overdue_url: str


def unit_tasks(user: User, region: Region) -> list[UnitTasks]:
    """The open and overdue tasks of each member unit: the records of tasks_open and
    tasks_overdue (now, in ``region``, which is the user's own) by the unit they are assigned to,
    most open first. Each number opens the task list of that unit, which lists exactly them."""
    period = Period.year(timezone.localdate().year)
    counts: dict[str, Counter[int]] = {}
    names: dict[int, str] = {}
    for key in TASKS_NOW:
        rows = (
            metrics.get(key)
            .records(user, period, region)
            .filter(assignee_unit__isnull=False)
            .order_by()
            .values("assignee_unit", "assignee_unit__short_name", "assignee_unit__name")
            .annotate(n=Count("pk"))
        )
        counts[key] = Counter()
        for row in rows:
            counts[key][row["assignee_unit"]] = row["n"]
            names[row["assignee_unit"]] = (
                row["assignee_unit__short_name"] or row["assignee_unit__name"]
            )
    task_list = reverse("task_list")
    ranked = sorted(names, key=lambda pk: (-counts["tasks_open"][pk], names[pk]))
    return [
        UnitTasks(
            unit_id=pk,
            unit=names[pk],
            open=counts["tasks_open"][pk],
            overdue=counts["tasks_overdue"][pk],
            open_url=f"{task_list}?{urlencode({'due': 'open', 'unit': pk})}",
            overdue_url=f"{task_list}?{urlencode({'due': 'overdue', 'unit': pk})}",
        )
        for pk in ranked
    ]


def unit_chart(rows: list[UnitTasks]) -> Chart:
    shown = rows[:TOP_UNITS]
    open_ = [Point(r.unit, r.open, r.open_url) for r in shown]
    overdue = [Point(r.unit, r.overdue, r.overdue_url) for r in shown]
    return Chart(
        "hbar",
        [r.unit for r in shown],
        [
            Series(SHORT["tasks_open"], metrics.get("tasks_open").unit, open_),
            Series(SHORT["tasks_overdue"], metrics.get("tasks_overdue").unit, overdue),
        ],
    )


# --- where and when -------------------------------------------------------------------------------


def _region_order(region: Region) -> tuple[int, bool, int, str]:
    # Districts and counties in code order; functional areas (经开区) after them.
    return (region.depth, region.kind == RegionKind.FUNCTIONAL, region.order, region.code)


def selectable_regions(user: User) -> list[Region]:
    """The user's own region and the regions directly under it."""
    home = metrics.home_region(user)
    found = access.scope(user, Region.objects.filter(Q(pk=home.pk) | Q(parent=home)))
    return sorted(found, key=_region_order)


def districts_of(user: User, region: Region, regions: list[Region]) -> list[Region]:
    """The regions under ``region`` shown side by side (none under a district)."""
    if region.pk == metrics.home_region(user).pk:
        return [r for r in regions if r.parent_id == region.pk]
    return sorted(access.scope(user, Region.objects.filter(parent=region)), key=_region_order)


def default_year(user: User, today: dt.date | None = None) -> int:
    """The latest year, up to this one, with activities recorded in MONTHS_OF_WORK months."""
    today = today or timezone.localdate()
    first = today.year - YEARS_BACK
    months = (
        access.scope(user, Activity.objects.filter(date__year__gte=first, date__lte=today))
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .order_by()
        .values_list("y", "m")
        .distinct()
    )
    per_year = Counter(y for y, _ in months)
    for year in range(today.year, first - 1, -1):
        if per_year[year] >= MONTHS_OF_WORK:
            return year
    return today.year


def selectable_years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, today.year - YEARS_BACK - 1, -1))


# --- the dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    year: int
    region: Region
    regions: list[Region]
    years: list[int]
    today: dt.date
    figures: dict[str, Compared]
    highlights: list[tuple[str, list[MetricValue]]]
    districts: Chart | None
    months: Chart
    case_states: Chart
    cases_now: dict[str, MetricValue]
    on_time: MetricValue
    tasks_now: dict[str, MetricValue]
    units: list[UnitTasks] | None  # None: not split by unit outside the user's own region
    unit_chart: Chart | None
    coverage: dict[str, MetricValue]
    coverage_districts: Chart | None

    @property
    def last_year(self) -> int:
        return self.year - 1

    @property
    def charts(self) -> dict[str, dict[str, Any]]:
        """The charts dashboard.js draws, by the name of their element (data-chart)."""
        named = {
            "districts": self.districts,
            "months": self.months,
            "cases": self.case_states,
            "units": self.unit_chart,
            "coverage": self.coverage_districts,
        }
        return {name: chart.as_json() for name, chart in named.items() if chart is not None}


def case_state_chart(user: User, period: Period, region: Region) -> Chart:
    """The cases received in the period by the state they are in now: one slice per state."""
    points = [
        Point(
            status.label, *_measured(metrics_dashboard.case_state_key(status), user, period, region)
        )
        for status in CaseStatus
    ]
    return Chart("pie", [p.label for p in points], [Series("诉求", "件", points)])


def highlights(user: User, period: Period, region: Region) -> list[tuple[str, list[MetricValue]]]:
    """The clauses of the story's second sentence: each verb with its figures that are not 0."""
    clauses = []
    for verb, keys in HIGHLIGHTS:
        found = [v for v in (value_of(k, user, period, region) for k in keys) if v.value]
        if found:
            clauses.append((verb, found))
    return clauses


def dashboard(user: User, *, year: int, region: Region) -> Dashboard:
    """The dashboard of ``year`` in ``region`` (checked by the caller to be in the user's
    scope) for ``user``."""
    today = timezone.localdate()
    this, last, now = Period.year(year), Period.year(year - 1), Period.year(today.year)
    regions = selectable_regions(user)
    districts = districts_of(user, region, regions)
    # Tasks split by unit only in the user's own region: there the task list lists the same.
    units = unit_tasks(user, region) if region.pk == metrics.home_region(user).pk else None
    return Dashboard(
        year=year,
        region=region,
        regions=regions,
        years=selectable_years(today),
        today=today,
        figures={
            key: Compared(value_of(key, user, this, region), value_of(key, user, last, region))
            for key in FIGURES
        },
        highlights=highlights(user, this, region),
        districts=_chart("bar", DISTRICT_KEYS, user, [(d.name, this, d) for d in districts])
        if districts
        else None,
        months=_chart(
            "line",
            MONTHLY_KEYS,
            user,
            [(f"{m}月", Period.month(year, m), region) for m in range(1, 13)],
        ),
        case_states=case_state_chart(user, this, region),
        cases_now={k: value_of(k, user, now, region) for k in CASES_NOW},
        on_time=value_of("cases_on_time_rate", user, this, region),
        tasks_now={k: value_of(k, user, now, region) for k in TASKS_NOW},
        units=units,
        unit_chart=unit_chart(units) if units else None,
        coverage={k: value_of(k, user, now, region) for k in COVERAGE},
        coverage_districts=_chart("bar", COVERAGE[:2], user, [(d.name, now, d) for d in districts])
        if districts
        else None,
    )
