"""/metrics: every registered figure for the caller's scope, and one by its key.

A region outside the caller's scope answers 404, like a record; roles without figures (auditors)
answer 403. The values come from tongxin.insight.metrics.measure, as on every page."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from tongxin.insight import metrics
from tongxin.insight.metrics import Period

from ..errors import ErrorOut
from ..schemas_metrics import MetricListOut, MetricOut, MetricQuery, metric_out
from ..schemas_work import user_of

router = Router(tags=["指标"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _period(query: MetricQuery) -> Period | None:
    if query.month is None:
        return None
    return Period.month(query.year or timezone.localdate().year, query.month)


@router.get("/metrics", response={200: MetricListOut, **ERRORS}, summary="全部指标及其值")
def metric_list(request: HttpRequest, query: Query[MetricQuery]) -> MetricListOut:
    values = metrics.measure_many(
        [m.key for m in metrics.all_metrics()],
        user=user_of(request),
        year=query.year,
        period=_period(query),
        region=query.region or None,
        line=query.line or None,
    )
    return MetricListOut(items=[metric_out(v) for v in values.values()])


@router.get("/metrics/{key}", response={200: MetricOut, **ERRORS}, summary="一个指标的值")
def metric_detail(request: HttpRequest, key: str, query: Query[MetricQuery]) -> MetricOut:
    try:
        metrics.get(key)
    except LookupError:
        raise Http404(metrics.UNKNOWN_METRIC) from None
    value = metrics.measure(
        key,
        user=user_of(request),
        year=query.year,
        period=_period(query),
        region=query.region or None,
        line=query.line or None,
    )
    return metric_out(value)
