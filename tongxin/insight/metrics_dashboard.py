"""Metrics the dashboard (驾驶舱) needs beyond those of the summary: the cases of a period by the
state they are in now, and how much of the new stratum the organizations reach. They register
like every other metric, so that each has its 统计口径 and opens to the records it counts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tongxin.work.models import CaseStatus

from .metrics import RATE, Metric, Period, get, register
from .metrics_registry import _person_row
from .metrics_work import OVERVIEW, _case_metric

ONE_PLACE = Decimal("0.1")


def case_state_key(status: str) -> str:
    return f"cases_state_{status}"


def _in_state(status: str) -> Any:
    return lambda p: p.days("received_on") & Q(status=status)


for _status in CaseStatus:
    _case_metric(
        case_state_key(_status.value),
        f"本期受理、现为“{_status.label}”的诉求",
        f"统计期内受理、当前状态为“{_status.label}”的诉求件数（各条线），按受理日期，含下辖区域。"
        "各状态合计即统计期内受理的诉求件数。",
        _in_state(_status.value),
    )


def _coverage(known: QuerySet[Any]) -> Decimal | None:
    """Of the new-stratum people counted (``known``), the share the metric people_organized
    counts, in per cent with one decimal place; None when nobody is known."""
    total = known.count()
    if not total:
        return None
    organized = known.filter(get("people_organized").where(Period.year(timezone.localdate().year)))
    rate = Decimal(organized.count() * 100) / Decimal(total)
    return rate.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


_known = get("people_known")
register(
    Metric(
        key="people_coverage",
        label="新的社会阶层人士组织覆盖率",
        unit="%",
        definition=(
            "“组织起来的新的社会阶层人士”占“掌握的新的社会阶层人士”的百分比，保留一位小数；"
            "明细列出掌握的全部新的社会阶层人士。不分统计期。"
        ),
        kind=RATE,
        model=_known.model,
        where=_known.where,
        region_field=_known.region_field,
        row=_person_row,
        order=_known.order,
        related=_known.related,
        section=OVERVIEW,
        compute=_coverage,
    )
)
