"""The metrics registry on screen: every figure with its unit and 统计口径 and this year's value
for the user's scope (/metrics/), and the page behind each value listing exactly the records it
counts (/metrics/<key>/records/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, User
from tongxin.core.views.helpers import paginate, query_without_page, role_required

from . import metrics
from .metrics import COUNT, Metric, Period

metric_view = role_required(*metrics.METRIC_ROLES)
FIRST_YEAR = 2015
BAD_PERIOD = "统计期有误：年份须在2015年至今年之间，月份为1至12，起止日期形如2022-01-01。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _number(value: str | None, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise Http404(BAD_PERIOD) from None
    if not low <= number <= high:
        raise Http404(BAD_PERIOD)
    return number


def period_from(params: Mapping[str, str]) -> Period:
    """The period a query string asks for: ``year`` (this year if absent) and maybe ``month``,
    or ``start`` and ``end`` (ISO dates)."""
    this_year = timezone.localdate().year
    if params.get("start") and params.get("end"):
        try:
            start = dt.date.fromisoformat(params["start"])
            end = dt.date.fromisoformat(params["end"])
        except ValueError:
            raise Http404(BAD_PERIOD) from None
        if end < start:
            raise Http404(BAD_PERIOD)
        return Period(start, end)
    year = _number(params.get("year"), FIRST_YEAR, this_year + 1) or this_year
    month = _number(params.get("month"), 1, 12)
    return Period.month(year, month) if month else Period.year(year)


def _get_metric(key: str) -> Metric:
    try:
        return metrics.get(key)
    except LookupError:
        raise Http404(metrics.UNKNOWN_METRIC) from None


def _regions(user: User) -> list[Region]:
    """The regions a user may ask figures for: their own and those below it."""
    home = metrics.home_region(user)
    return list(
        access.scope(user, Region.objects.filter(path__startswith=home.path)).order_by("path")
    )


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def filter_choices(user: User, period: Period, region: Region) -> dict[str, Any]:
    return {
        "years": _years(),
        "year": period.start.year,
        "regions": _regions(user),
        "region": region,
        "period": period,
    }


@metric_view
def metric_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    period = period_from(request.GET)
    region = metrics.resolve_region(user, request.GET.get("region"))
    values = metrics.measure_many(
        [m.key for m in metrics.all_metrics()], user=user, period=period, region=region
    )
    sections: dict[str, list[tuple[Metric, metrics.MetricValue]]] = {}
    for metric in metrics.all_metrics():
        sections.setdefault(metric.section, []).append((metric, values[metric.key]))
    return render(
        request,
        "insight/metric_list.html",
        {"sections": sections, **filter_choices(user, period, region)},
    )


@metric_view
def metric_records(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    metric = _get_metric(key)
    period = period_from(request.GET)
    region = metrics.resolve_region(user, request.GET.get("region"))
    line: BusinessLine | None = metrics.resolve_line(request.GET.get("line"))
    value = metric.value(user, period, region, line)
    page = paginate(request, metric.listing(user, period, region, line))
    rows = [metric.row(record, user) for record in page.object_list]
    return render(
        request,
        "insight/metric_records.html",
        {
            "metric": metric,
            "value": value,
            "is_count": metric.kind == COUNT,
            "line": line,
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            **filter_choices(user, period, region),
        },
    )
