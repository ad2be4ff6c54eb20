"""The metrics registry: every figure Tongxin shows is defined here once (STYLE.md rule 6).

A metric has a key, a Chinese label, a unit, its counting rule (统计口径) in words, and two
computations over the same records: ``records`` (exactly the rows it counts, scoped through
``access.scope``) and ``value`` (one aggregate query over those rows). The dashboard, the annual
summary, the statistical tables and the API all call ``measure``; none counts on its own.

The metrics themselves live by meaning in ``metrics_work`` (activities, cases, visits),
``metrics_outputs``, ``metrics_cadres``, ``metrics_registry`` (designations, rankings, people,
tasks) and ``metrics_dashboard`` (the dashboard's own); each registers on import."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Max, Model, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Role, User

# Who may read figures: staff and leaders in their scope, and liaisons for their unit's records.
METRIC_ROLES = (*access.REGISTRY_ROLES, Role.LIAISON)

COUNT, SUM, MAX, RATE = "count", "sum", "max", "rate"
# Sections of the registry page, in the order of seed 003's summary.
LEAD, CENTRE, INNOVATE, OVERVIEW = "强化引领", "围绕中心", "守正创新", "工作概况"
SECTIONS = (LEAD, CENTRE, INNOVATE, OVERVIEW)
# The figures of seed 003 in the order the summary states them; the others follow by key.
SEED_ORDER = (
    "endorsements_provincial",
    "feigong_meetings",
    "top50_listed",
    "private100_entrants",
    "tongxin_bases",
    "site_meetings",
    "investment_events",
    "promoted_projects",
    "new_taiwan_enterprises",
    "hmt_cases_resolved",
    "hmt_credit",
    "party_consultations",
    "party_reports",
    "party_reports_endorsed",
    "party_reports_adopted",
    "immersion_sites",
    "model_course_modules",
    "model_courses",
    "themed_activities",
    "provincial_events",
    "religious_model_sites",
    "trainees",
    "secondments_batch_number",
    "secondments_batch",
    "secondments_total",
)
CENT = Decimal("0.01")
UNKNOWN_METRIC = "没有这个指标。请从“指标”页面选择。"
UNKNOWN_LINE = "没有这个条线。"


@dataclass(frozen=True)
class Period:
    """A closed range of days."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(
            dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        )

    @property
    def is_year(self) -> bool:
        return self == Period.year(self.start.year)

    @property
    def is_month(self) -> bool:
        return self == Period.month(self.start.year, self.start.month)

    @property
    def label(self) -> str:
        if self.is_year:
            return f"{self.start.year}年"
        if self.is_month:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def query(self) -> dict[str, str]:
        """The period as the query string of a records page."""
        if self.is_year:
            return {"year": str(self.start.year)}
        if self.is_month:
            return {"year": str(self.start.year), "month": str(self.start.month)}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def days(self, field_name: str) -> Q:
        """``field_name`` (a DateField) falls in the period."""
        return Q(**{f"{field_name}__range": (self.start, self.end)})

    def moments(self, field_name: str) -> Q:
        """``field_name`` (a DateTimeField) falls, as a local date, in the period."""
        return Q(**{f"{field_name}__date__range": (self.start, self.end)})


@dataclass(frozen=True)
class RecordRow:
    """One record as the drill-down page lists it."""

    date: dt.date | None
    title: str
    region: str
    note: str = ""
    url: str = ""


Row = Callable[[Any, User], RecordRow]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    definition: str  # 统计口径, in words
    kind: str  # COUNT: the number of records; SUM / MAX: of ``field`` over them; RATE: a percentage
    model: type[Model]
    where: Callable[[Period], Q]  # the records of a period, before scope and region
    region_field: str  # the path to the Region a record belongs to
    row: Row
    line_field: str | None = None  # the path to its BusinessLine; None: the metric has no line
    field: str | None = None  # what SUM and MAX aggregate
    order: tuple[str, ...] = ("-pk",)
    related: tuple[str, ...] = ()
    section: str = "工作概况"
    compute: Callable[[QuerySet[Any]], int | Decimal | None] | None = None  # RATE metrics
    # When a record belongs to a region in more than one way (a task set by the city for a
    # district): the records of ``region``'s subtree. Replaces ``region_field``.
    in_region: Callable[[Region], Q] | None = None

    def records(
        self, user: User, period: Period, region: Region, line: BusinessLine | None = None
    ) -> QuerySet[Any]:
        qs = access.scope(user, self.model._default_manager.filter(self.where(period)))
        if self.in_region is not None:
            qs = qs.filter(self.in_region(region))
        else:
            qs = qs.filter(**{f"{self.region_field}__path__startswith": region.path})
        if line is not None and self.line_field:
            qs = qs.filter(**{self.line_field: line})
        return qs

    def value(
        self, user: User, period: Period, region: Region, line: BusinessLine | None = None
    ) -> int | Decimal:
        qs = self.records(user, period, region, line)
        if self.kind == COUNT:
            return qs.count()
        if self.kind == SUM:
            total = qs.aggregate(total=Sum(self.field))["total"]
            return (total or Decimal(0)).quantize(CENT)
        if self.kind == MAX:
            return int(qs.aggregate(top=Max(self.field))["top"] or 0)
        assert self.compute is not None, self.key
        result = self.compute(qs)
        return Decimal(0) if result is None else result

    def listing(
        self, user: User, period: Period, region: Region, line: BusinessLine | None = None
    ) -> QuerySet[Any]:
        """The records in the order the drill-down page lists them."""
        qs = self.records(user, period, region, line)
        if self.related:
            qs = qs.select_related(*self.related)
        return qs.order_by(*self.order)


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in _REGISTRY and _REGISTRY[metric.key] != metric:
        raise ValueError(f"metric {metric.key} is registered twice")
    _REGISTRY[metric.key] = metric
    return metric


def load_all() -> None:
    from . import (  # noqa: F401
        metrics_cadres,
        metrics_dashboard,
        metrics_outputs,
        metrics_registry,
        metrics_work,
    )


def get(key: str) -> Metric:
    load_all()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(UNKNOWN_METRIC) from None


def _place(metric: Metric) -> tuple[int, int, str]:
    section = SECTIONS.index(metric.section) if metric.section in SECTIONS else len(SECTIONS)
    seed = SEED_ORDER.index(metric.key) if metric.key in SEED_ORDER else len(SEED_ORDER)
    return section, seed, metric.key


def all_metrics() -> list[Metric]:
    """Every metric, by section and in the order seed 003 states its figures."""
    load_all()
    return sorted(_REGISTRY.values(), key=_place)


# --- measuring, for a user ------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricValue:
    key: str
    label: str
    value: int | Decimal
    unit: str
    definition: str
    records_url: str
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def require_metrics(user: Any) -> None:
    access.require_role(user, *METRIC_ROLES)


def home_region(user: User) -> Region:
    """The region a user's figures default to: their own (a liaison's: their unit's)."""
    if user.role == Role.LIAISON and user.unit is not None:
        return user.unit.region
    return user.region


def resolve_region(user: User, region: Region | str | None) -> Region:
    """The region asked for, if it is in the user's scope; 404 otherwise (as for a record)."""
    if region is None or region == "":
        region = home_region(user)
    code = region.code if isinstance(region, Region) else str(region)
    return access.get_for_user(user, Region.objects.all(), code=code)


def resolve_line(line: BusinessLine | str | None) -> BusinessLine | None:
    if isinstance(line, BusinessLine):
        return line
    if not line:
        return None
    found = BusinessLine.objects.filter(code=line).first()
    if found is None:
        raise Http404(UNKNOWN_LINE)
    return found


def records_url(key: str, period: Period, region: Region, line: BusinessLine | None = None) -> str:
    query = {**period.query(), "region": region.code}
    if line is not None:
        query["line"] = line.code
    return reverse("metric_records", args=[key]) + "?" + urlencode(query)


def measure(
    key: str,
    *,
    user: User,
    year: int | None = None,
    period: Period | None = None,
    region: Region | str | None = None,
    line: BusinessLine | str | None = None,
) -> MetricValue:
    """One figure for ``user``: of ``period`` (or the whole ``year``; this year if neither), in
    ``region`` (the user's own if None) and ``line``. LookupError for an unknown key,
    PermissionDenied for a role without figures, Http404 for a region outside the user's scope."""
    return measure_many([key], user=user, year=year, period=period, region=region, line=line)[key]


def measure_many(
    keys: Iterable[str],
    *,
    user: User,
    year: int | None = None,
    period: Period | None = None,
    region: Region | str | None = None,
    line: BusinessLine | str | None = None,
) -> dict[str, MetricValue]:
    """Several figures of one period, region and line: one query each."""
    require_metrics(user)
    metrics = [get(key) for key in keys]
    period = period or Period.year(year or timezone.localdate().year)
    place = resolve_region(user, region)
    chosen = resolve_line(line)
    return {
        metric.key: MetricValue(
            key=metric.key,
            label=metric.label,
            value=metric.value(user, period, place, chosen),
            unit=metric.unit,
            definition=metric.definition,
            records_url=records_url(metric.key, period, place, chosen),
        )
        for metric in metrics
    }


# --- helpers for the metric modules ---------------------------------------------------------------


def link(user: User, allowed: Callable[[Any], bool], name: str, pk: int) -> str:
    """The URL of a record's page, if the user's role may open such pages."""
    return reverse(name, args=[pk]) if allowed(user) else ""


def region_name(region: Region | None) -> str:
    return region.name if region is not None else ""
