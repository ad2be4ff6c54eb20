"""Reads of indicator sets and evaluation rounds: lists in the user's scope, a round's ranking,
year-on-year comparison, and what is still to be entered. The callers fetch a round through
access.get_for_user; everything here reads from that round, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from tongxin.core import access
from tongxin.core.models import Region, Unit, User
from tongxin.registry.models import Organization

from .indicator_subjects import Subject
from .models_indicators import (
    Indicator,
    IndicatorSet,
)
from .models_rounds import (
    EnteredValue,
    EvaluationRound,
    ResultScore,
    RoundEvent,
    RoundResult,
    RoundState,
)
from .services_rounds import round_subjects

COMPARE_OTHER_SET = "只能比较同一指标体系的两轮考评。"
WITH_RESULTS = (RoundState.COMPUTED, RoundState.PUBLISHED)


def set_list(user: User) -> QuerySet[IndicatorSet]:
    return (
        access.scope(user, IndicatorSet.objects.all())
        .select_related("region", "line")
        .annotate(indicator_count=Count("indicators", distinct=True))
        .order_by("region__path", "name", "pk")
    )


def set_indicators(indicator_set: IndicatorSet) -> list[Indicator]:
    return list(indicator_set.indicators.order_by("order", "pk"))


def round_list(
    user: User,
    *,
    indicator_set: IndicatorSet | None = None,
    year: int | None = None,
    state: str | None = None,
) -> QuerySet[EvaluationRound]:
    qs = access.scope(user, EvaluationRound.objects.all()).select_related(
        "set", "scope_region", "published_by"
    )
    if indicator_set is not None:
        qs = qs.filter(set=indicator_set)
    if year is not None:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-year", "set__name", "pk")


def round_events(evaluation: EvaluationRound) -> QuerySet[RoundEvent]:
    return evaluation.events.select_related("actor").order_by("at", "pk")


# --- ranking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    result: RoundResult
    scores: list[ResultScore | None]  # in the order of the ranking's indicators


@dataclass(frozen=True)
class Ranking:
    round: EvaluationRound
    indicators: list[Indicator]
    rows: list[RankingRow]

    @property
    def has_stars(self) -> bool:
        return bool(self.round.set.star_cutoffs)


def round_ranking(evaluation: EvaluationRound, *, listed_only: bool = False) -> Ranking:
    """The stored results in ranking order, each with its score on every indicator (three
    queries: indicators, results, scores)."""
    indicators = set_indicators(evaluation.set)
    results = evaluation.results.order_by("position").prefetch_related("scores")
    if listed_only:
        results = results.filter(in_list=True)
    rows = []
    for result in results:
        by_indicator = {score.indicator_id: score for score in result.scores.all()}
        rows.append(RankingRow(result, [by_indicator.get(i.pk) for i in indicators]))
    return Ranking(evaluation, indicators, rows)


# --- year on year ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    name: str
    region_name: str
    status: str  # "stayed" (both lists), "new" (新上榜), "dropped" (落榜)
    rank: int | None
    previous_rank: int | None
    total: Decimal | None
    previous_total: Decimal | None

    @property
    def rank_change(self) -> int | None:
        """Places moved up (positive) or down (negative)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def total_change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {"stayed": "连续上榜", "new": "新上榜", "dropped": "落榜"}


@dataclass(frozen=True)
class Comparison:
    current: EvaluationRound
    previous: EvaluationRound
    rows: list[ComparisonRow]

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)


def previous_round(evaluation: EvaluationRound) -> EvaluationRound | None:
    """The same set's latest earlier round with results, for the same scope."""
    return (
        EvaluationRound.objects.filter(
            set_id=evaluation.set_id,
            scope_region_id=evaluation.scope_region_id,
            year__lt=evaluation.year,
            state__in=WITH_RESULTS,
        )
        .order_by("-year", "-pk")
        .first()
    )


def _results(evaluation: EvaluationRound) -> dict[tuple[str, int], RoundResult]:
    return {r.subject_key: r for r in evaluation.results.order_by("position")}


def round_comparison(
    current: EvaluationRound, previous: EvaluationRound | None = None
) -> Comparison | None:
    """Who is on either list, with rank and total in both rounds. The lists are the rounds'
    listed results (all results when the set has no list size); a subject evaluated but not
    listed in a round still shows its rank there. None when there is no earlier round."""
    previous = previous or previous_round(current)
    if previous is None:
        return None
    if previous.set_id != current.set_id:
        raise ValidationError(COMPARE_OTHER_SET)
    now, before = _results(current), _results(previous)
    rows = []
    for key, result in now.items():
        old = before.get(key)
        if not (result.in_list or (old is not None and old.in_list)):
            continue
        status = "stayed" if old is not None and old.in_list and result.in_list else "new"
        if not result.in_list:
            status = "dropped"
        rows.append(_row(result, old, status))
    for key, old in before.items():
        if old.in_list and key not in now:
            rows.append(_row(None, old, "dropped"))
    # The current list in its order, then those who dropped off in their former order.
    rows.sort(
        key=lambda r: (1, r.previous_rank or 0) if r.status == "dropped" else (0, r.rank or 0)
    )
    return Comparison(current, previous, rows)


def _row(result: RoundResult | None, old: RoundResult | None, status: str) -> ComparisonRow:
    shown = result or old
    assert shown is not None
    return ComparisonRow(
        name=shown.subject_name,
        region_name=shown.subject_region,
        status=status,
        rank=result.rank if result else None,
        previous_rank=old.rank if old else None,
        total=result.total if result else None,
        previous_total=old.total if old else None,
    )


# --- entered values -------------------------------------------------------------------------------


def entered_values(evaluation: EvaluationRound) -> QuerySet[EnteredValue]:
    return evaluation.values.select_related(
        "indicator", "organization", "region", "unit", "entered_by"
    ).order_by("indicator__order", "pk")


def missing_values(evaluation: EvaluationRound) -> list[tuple[Indicator, list[Subject]]]:
    """For each entered indicator, the eligible subjects still without a value (three queries)."""
    entered = [i for i in set_indicators(evaluation.set) if i.is_entered]
    if not entered:
        return []
    subjects = round_subjects(evaluation)
    have: dict[int, set[tuple[str, int]]] = {i.pk: set() for i in entered}
    for row in EnteredValue.objects.filter(round=evaluation, indicator__in=entered):
        have[row.indicator_id].add(row.subject_key)
    out = [(i, [s for s in subjects if s.key not in have[i.pk]]) for i in entered]
    return [(i, missing) for i, missing in out if missing]


def subject_results(user: User, subject: Organization | Region | Unit) -> QuerySet[RoundResult]:
    """The results about one subject (an enterprise, a district, a unit …) in the rounds the
    user may see, latest year first: for the subject's own page."""
    field = (
        "organization"
        if isinstance(subject, Organization)
        else ("region" if isinstance(subject, Region) else "unit")
    )
    return (
        access.scope(user, RoundResult.objects.filter(**{field: subject}))
        .select_related("round", "round__set")
        .order_by("-round__year", "round__set__name", "pk")
    )
