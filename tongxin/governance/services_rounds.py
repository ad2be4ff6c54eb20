"""Writes of evaluation rounds: creation, values entered with evidence, computation, publication.

    草稿 → 已计算 (round_compute, repeatable) → 已发布 (round_publish, final)

Computing reads the records of the round's year within its region, scores every eligible
subject (scoring.py) and stores the results in one transaction; entering a value or changing the
set afterwards sends the round back to 草稿. A published round is frozen: computing and entering
are refused, and since its results are stored rows, later changes to the records do not move it.

Entered indicators: every eligible subject needs its value (with evidence) before the round
computes; ``round_compute`` refuses and names the indicators and subjects still missing, rather
than scoring them 0 silently. A computed metric with nothing to count for a subject scores 0, and
the result says so ("无数据")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, text
from tongxin.core.models import Region, Unit, User
from tongxin.registry.models import Organization

from . import indicator_sources, indicator_subjects, scoring
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
    RoundEventKind,
    RoundResult,
    RoundState,
)
from .services_indicators import check_set_keeper, discard_results, weights_sum

ROUND_FROZEN = "该考评轮次已发布，结果已冻结，不能再计算或录入。如需更正，请新建考评轮次。"
NOT_COMPUTED = "只有已计算的考评轮次可以发布，请先计算。"
ALREADY_PUBLISHED = "该考评轮次已经发布。"
SCOPE_OUTSIDE_SET = "考评范围须是指标体系所属区域或其下辖区域。"
YEAR_IN_FUTURE = "考评年度不能晚于今年。"
NO_INDICATORS = "该指标体系还没有指标，请先添加指标。"
WEIGHTS_NOT_TOTAL = "各项指标权重合计{sum}分，与总分{total}分不符，请调整权重后再计算。"
NO_SUBJECTS = "考评范围内没有符合参评范围（{rule}）的对象，无法计算。"
MISSING_VALUES = "以下录入指标尚未录齐，不能计算：{items}。请逐项录入数值和佐证后再计算。"
EVIDENCE_REQUIRED = "请填写佐证材料（数据出处、文件名称或说明）。"
VALUE_REQUIRED = "请填写有效的数值。"
NOT_AN_ENTERED_INDICATOR = "指标“{name}”由记录统计，不需要录入。"
INDICATOR_OF_ANOTHER_SET = "指标“{name}”不属于本轮考评的指标体系。"
SUBJECT_NOT_IN_ROUND = "“{name}”不在本轮考评对象中（参评范围：{rule}）。"
RESET_BY_VALUE = "录入了新的数值，需重新计算。"
NO_DATA = "无数据，记0分"
PUBLISHED_STAYS = "已发布的考评轮次不能删除。"


def _locked(evaluation: EvaluationRound) -> EvaluationRound:
    return (
        EvaluationRound.objects.select_for_update()
        .select_related("set", "scope_region")
        .get(pk=evaluation.pk)
    )


def _check_open(evaluation: EvaluationRound) -> None:
    if evaluation.state == RoundState.PUBLISHED:
        raise ValidationError(ROUND_FROZEN)


def _event(evaluation: EvaluationRound, actor: User, kind: str, note: str = "") -> RoundEvent:
    return RoundEvent.objects.create(round=evaluation, actor=actor, kind=kind, note=note)


@transaction.atomic
def round_create(
    *,
    actor: User,
    indicator_set: IndicatorSet,
    year: int,
    scope_region: Region | None = None,
    title: str = "",
) -> EvaluationRound:
    check_set_keeper(actor, indicator_set)
    scope = scope_region or indicator_set.region
    if not indicator_set.region.contains(scope):
        raise ValidationError({"scope_region": SCOPE_OUTSIDE_SET})
    if not access.scope(actor, Region.objects.filter(pk=scope.pk)).exists():
        raise ValidationError({"scope_region": SCOPE_OUTSIDE_SET})
    if year > timezone.localdate().year:
        raise ValidationError({"year": YEAR_IN_FUTURE})
    evaluation = EvaluationRound(
        set=indicator_set,
        year=year,
        scope_region=scope,
        title=text.line(title) or f"{year}年{indicator_set.name}",
        created_by=actor,
    )
    evaluation.full_clean()
    evaluation.save()
    _event(evaluation, actor, RoundEventKind.CREATED, f"考评范围：{scope.name}")
    return evaluation


def round_subjects(evaluation: EvaluationRound) -> list[Subject]:
    """The round's eligible subjects as the records stand now (one query)."""
    rule = indicator_subjects.get(evaluation.set.eligibility)
    return rule.find(evaluation.year, evaluation.scope_region)


def _subject_field(subject: Organization | Region | Unit) -> str:
    if isinstance(subject, Organization):
        return "organization"
    if isinstance(subject, Region):
        return "region"
    return "unit"


@dataclass(frozen=True)
class Entry:
    """One subject's value of an entered indicator, with its evidence."""

    subject: Organization | Region | Unit
    value: Decimal | str | int
    evidence: str


def _checked(entry: Entry, eligible: set[tuple[str, int]], rule: str) -> tuple[str, Decimal, str]:
    field = _subject_field(entry.subject)
    if (field, entry.subject.pk) not in eligible:
        raise ValidationError(SUBJECT_NOT_IN_ROUND.format(name=entry.subject, rule=rule))
    try:
        number = scoring.number(entry.value)
    except ValueError:
        raise ValidationError({"value": VALUE_REQUIRED}) from None
    evidence = text.prose(entry.evidence)
    if not evidence:
        raise ValidationError({"evidence": EVIDENCE_REQUIRED})
    return field, number, evidence


@transaction.atomic
def values_enter(
    *,
    actor: User,
    evaluation: EvaluationRound,
    indicator: Indicator,
    entries: Sequence[Entry],
) -> list[EnteredValue]:
    """Values of an entered indicator for several subjects at once (a table filled in), each with
    its evidence; all or none are saved. Entering again replaces a value. A computed round goes
    back to 草稿."""
    locked = _locked(evaluation)
    check_set_keeper(actor, locked.set)
    _check_open(locked)
    if indicator.set_id != locked.set_id:
        raise ValidationError({"indicator": INDICATOR_OF_ANOTHER_SET.format(name=indicator)})
    if not indicator.is_entered:
        raise ValidationError({"indicator": NOT_AN_ENTERED_INDICATOR.format(name=indicator)})
    eligible = {s.key for s in round_subjects(locked)}
    rule = indicator_subjects.get(locked.set.eligibility).label
    existing = {
        row.subject_key: row
        for row in EnteredValue.objects.select_for_update().filter(
            round=locked, indicator=indicator
        )
    }
    rows = []
    for entry in entries:
        try:
            field, number, evidence = _checked(entry, eligible, rule)
        except ValidationError as e:
            if len(entries) == 1:
                raise
            raise ValidationError(f"“{entry.subject}”：{'；'.join(e.messages)}") from None
        row = existing.get((field, entry.subject.pk)) or EnteredValue(
            round=locked, indicator=indicator, **{field: entry.subject}
        )
        row.value, row.evidence = number, evidence
        row.entered_by, row.entered_at = actor, timezone.now()
        row.full_clean()
        row.save()
        existing[row.subject_key] = row  # the same subject twice: the last value stands
        rows.append(row)
    if not rows:
        return rows
    if locked.state == RoundState.COMPUTED:
        discard_results(locked, actor, RESET_BY_VALUE)
    note = (
        f"{rows[0].subject}：{indicator.name} = {rows[0].value}"
        if len(rows) == 1
        else f"{indicator.name}：录入{len(rows)}个数值"
    )
    _event(locked, actor, RoundEventKind.VALUE_ENTERED, note)
    return rows


def value_enter(
    *,
    actor: User,
    evaluation: EvaluationRound,
    indicator: Indicator,
    subject: Organization | Region | Unit,
    value: Decimal | str | int,
    evidence: str,
) -> EnteredValue:
    """The value of an entered indicator for one subject, with its evidence."""
    entry = Entry(subject, value, evidence)
    return values_enter(actor=actor, evaluation=evaluation, indicator=indicator, entries=[entry])[0]


@transaction.atomic
def round_delete(*, actor: User, evaluation: EvaluationRound) -> None:
    """A round created by mistake goes, with its values, results and timeline; a published round
    stays for good."""
    locked = _locked(evaluation)
    check_set_keeper(actor, locked.set)
    if locked.state == RoundState.PUBLISHED:
        raise ValidationError(PUBLISHED_STAYS)
    ResultScore.objects.filter(result__round=locked).delete()
    RoundResult.objects.filter(round=locked).delete()
    EnteredValue.objects.filter(round=locked).delete()
    RoundEvent.objects.filter(round=locked).delete()
    locked.delete()


def _entered_values(
    evaluation: EvaluationRound, indicators: Sequence[Indicator]
) -> dict[int, dict[tuple[str, int], Decimal]]:
    """Entered values by indicator, then by subject key (one query)."""
    out: dict[int, dict[tuple[str, int], Decimal]] = {i.pk: {} for i in indicators if i.is_entered}
    for row in EnteredValue.objects.filter(round=evaluation, indicator__in=list(out)):
        out[row.indicator_id][row.subject_key] = row.value
    return out


def _check_complete(
    indicators: Sequence[Indicator],
    entered: dict[int, dict[tuple[str, int], Decimal]],
    subjects: Sequence[Subject],
) -> None:
    items = []
    for indicator in indicators:
        if not indicator.is_entered:
            continue
        missing = [s.name for s in subjects if s.key not in entered[indicator.pk]]
        if missing:
            shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
            items.append(f"“{indicator.name}”缺{len(missing)}个（{shown}）")
    if items:
        raise ValidationError(MISSING_VALUES.format(items="；".join(items)))


def _raw_values(
    evaluation: EvaluationRound,
    indicators: Sequence[Indicator],
    subjects: Sequence[Subject],
) -> dict[int, dict[tuple[str, int], Decimal | None]]:
    """Each indicator's raw value for each subject: computed from records or as entered."""
    entered = _entered_values(evaluation, indicators)
    _check_complete(indicators, entered, subjects)
    pks = [s.pk for s in subjects]
    raw: dict[int, dict[tuple[str, int], Decimal | None]] = {}
    for indicator in indicators:
        if indicator.is_entered:
            raw[indicator.pk] = {s.key: entered[indicator.pk][s.key] for s in subjects}
        else:
            computed = indicator_sources.get(indicator.metric).compute(evaluation.year, pks)
            raw[indicator.pk] = {s.key: computed.get(s.pk) for s in subjects}
    return raw


def _check_computable(evaluation: EvaluationRound, indicators: Sequence[Indicator]) -> None:
    if not indicators:
        raise ValidationError(NO_INDICATORS)
    total = weights_sum(evaluation.set)
    if total != evaluation.set.total:
        raise ValidationError(
            WEIGHTS_NOT_TOTAL.format(
                sum=scoring.plain(total), total=scoring.plain(evaluation.set.total)
            )
        )


def _store(
    evaluation: EvaluationRound,
    indicators: Sequence[Indicator],
    subjects: Sequence[Subject],
    raw: dict[int, dict[tuple[str, int], Decimal | None]],
) -> int:
    """Score, rank and write the results; returns how many are on the list."""
    indicator_set = evaluation.set
    scores = {i.pk: scoring.indicator_scores(i.scoring_rule(), raw[i.pk]) for i in indicators}
    first = indicators[0].pk
    by_key = {s.key: s for s in subjects}
    totals = {s.key: sum((scores[i.pk][s.key] for i in indicators), Decimal(0)) for s in subjects}
    standings = [
        scoring.Standing(s.key, totals[s.key], scores[first][s.key], s.sort_name) for s in subjects
    ]
    placed = scoring.rank_totals(standings, indicator_set.tie_rule)
    cutoffs = indicator_set.cutoffs
    results = []
    for place in placed:
        subject = by_key[place.key]  # type: ignore[index]
        results.append(
            RoundResult(
                round=evaluation,
                **{subject.field + "_id": subject.pk},
                subject_name=subject.name,
                subject_region=subject.region_name,
                position=place.position,
                rank=place.rank,
                total=totals[subject.key],
                stars=scoring.stars_for(totals[subject.key], cutoffs),
                in_list=indicator_set.list_size is None or place.rank <= indicator_set.list_size,
            )
        )
    RoundResult.objects.bulk_create(results)
    ResultScore.objects.bulk_create(
        ResultScore(
            result=result,
            indicator=indicator,
            raw_value=raw[indicator.pk][result.subject_key],
            score=scores[indicator.pk][result.subject_key],
            note=NO_DATA if raw[indicator.pk][result.subject_key] is None else "",
        )
        for result in results
        for indicator in indicators
    )
    return sum(r.in_list for r in results)


@transaction.atomic
def round_compute(*, actor: User, evaluation: EvaluationRound) -> EvaluationRound:
    """Compute (or recompute) the round from the records as they stand; refused once published."""
    locked = _locked(evaluation)
    check_set_keeper(actor, locked.set)
    _check_open(locked)
    indicators = list(locked.set.indicators.order_by("order", "pk"))
    _check_computable(locked, indicators)
    subjects = round_subjects(locked)
    if not subjects:
        rule = indicator_subjects.get(locked.set.eligibility).label
        raise ValidationError(NO_SUBJECTS.format(rule=rule))
    raw = _raw_values(locked, indicators, subjects)
    ResultScore.objects.filter(result__round=locked).delete()
    RoundResult.objects.filter(round=locked).delete()
    listed = _store(locked, indicators, subjects, raw)
    locked.state = RoundState.COMPUTED
    locked.computed_at = timezone.now()
    locked.computed_by = actor
    locked.full_clean()
    locked.save(update_fields=["state", "computed_at", "computed_by"])
    _event(locked, actor, RoundEventKind.COMPUTED, f"{len(subjects)}个对象参评，{listed}个上榜")
    return locked


@transaction.atomic
def round_publish(*, actor: User, evaluation: EvaluationRound) -> EvaluationRound:
    """Publish the computed results as they are: from now on the round does not change."""
    locked = _locked(evaluation)
    check_set_keeper(actor, locked.set)
    if locked.state == RoundState.PUBLISHED:
        raise ValidationError(ALREADY_PUBLISHED)
    if locked.state != RoundState.COMPUTED:
        raise ValidationError(NOT_COMPUTED)
    locked.state = RoundState.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.full_clean()
    locked.save(update_fields=["state", "published_at", "published_by"])
    _event(locked, actor, RoundEventKind.PUBLISHED)
    return locked


def can_keep(actor: User, evaluation: EvaluationRound | IndicatorSet) -> bool:
    """For pages: may ``actor`` write this round or set (enter, compute, publish, edit)?"""
    indicator_set = evaluation.set if isinstance(evaluation, EvaluationRound) else evaluation
    try:
        check_set_keeper(actor, indicator_set)
    except (PermissionDenied, ValidationError):
        return False
    return True
