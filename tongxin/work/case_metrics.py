"""Two measures of how cases are handled, computed by the database over any set of cases (already
scoped by the caller through access.scope):

- 办结用时 (time to resolve): for cases resolved, the days from 受理 (received_on) to 办结
  (resolved_at, as a local date); the average and the median are reported.
- 按期办结率 (on-time rate): of the cases resolved that had a deadline, the share resolved on or
  before that deadline (the deadline in force when the case was closed, extensions included,
  because an extension is granted with a reason and is part of the record).

The case list shows them for its filter; the metrics registry (tongxin/insight, to come) is to
register these same functions rather than count again."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from .models import Case, CaseStatus

RESOLVED = (CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP)


@dataclass(frozen=True)
class ResolutionStats:
    resolved: int
    average_days: Decimal | None  # one decimal place
    median_days: Decimal | None
    with_deadline: int
    on_time: int

    @property
    def on_time_rate(self) -> Decimal | None:
        """A percentage with one decimal place, or None when no resolved case had a deadline."""
        if not self.with_deadline:
            return None
        rate = Decimal(self.on_time * 100) / Decimal(self.with_deadline)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _one_place(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def resolution_stats(cases: QuerySet[Case]) -> ResolutionStats:
    rows = cases.filter(status__in=RESOLVED, resolved_at__isnull=False).values_list(
        "received_on", "resolved_at", "deadline"
    )
    days: list[int] = []
    with_deadline = on_time = 0
    for received, resolved_at, deadline in rows.iterator(chunk_size=2000):
        resolved_on: dt.date = timezone.localdate(resolved_at)
        days.append((resolved_on - received).days)
        if deadline is not None:
            with_deadline += 1
            on_time += resolved_on <= deadline
    return ResolutionStats(
        resolved=len(days),
        average_days=_one_place(statistics.fmean(days)) if days else None,
        median_days=_one_place(statistics.median(days)) if days else None,
        with_deadline=with_deadline,
        on_time=on_time,
    )
