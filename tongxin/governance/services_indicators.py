"""Writes of indicator sets and their indicators.

A set is kept by the staff of its region and line (like a mechanism). Its scoring — indicators,
weights, rules, total, tie rule, star cutoffs, list size, eligibility — can change only while
none of its rounds is published: a published ranking must stay explainable by the set it names.
A change sends the set's computed rounds back to 草稿 (their results no longer follow from the
set), with a RoundEvent saying why. Weights are positive and never add up past the set's total;
``round_compute`` refuses a set whose weights do not add up to it exactly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum

from tongxin.core import text, versioning
from tongxin.core.models import BusinessLine, Region, User
from tongxin.work.checks import check_owner_writable, check_region_line, check_writer

from . import scoring
from .models_indicators import (
    Direction,
    Indicator,
    IndicatorSet,
    SourceKind,
    TieRule,
)
from .models_rounds import (
    EvaluationRound,
    ResultScore,
    RoundEvent,
    RoundEventKind,
    RoundResult,
    RoundState,
)

SET_FROZEN = (
    "该指标体系已有已发布的考评轮次，指标和计分规则不能再修改。如需调整，请新建一个指标体系。"
)
WEIGHTS_OVER_TOTAL = "各项指标权重合计{sum}分，超过了总分{total}分，请调低权重或调高总分。"
TOTAL_BELOW_WEIGHTS = "总分不能低于现有各项指标的权重合计（{sum}分）。"
WEIGHT_POSITIVE = "权重须是大于0的数，最多两位小数。"
INDICATOR_HAS_VALUES = "该指标已有录入的数值，不能删除。"
RESET_BECAUSE = "指标体系“{name}”的{what}已修改，需重新计算。"

SCORING_FIELDS = ("total", "tie_rule", "star_cutoffs", "list_size", "eligibility")
SET_FIELDS = ("name", "description", *SCORING_FIELDS)
SET_FIELD_LABELS = {
    "total": "总分",
    "tie_rule": "并列规则",
    "star_cutoffs": "星级线",
    "list_size": "榜单名额",
    "eligibility": "参评范围",
}
INDICATOR_FIELDS = (
    "name",
    "weight",
    "direction",
    "rule",
    "lower_bound",
    "upper_bound",
    "thresholds",
    "source_kind",
    "metric",
    "unit_label",
    "description",
    "order",
)


def check_set_keeper(actor: User, indicator_set: IndicatorSet) -> None:
    """Staff who may write records of the set's region and line."""
    check_owner_writable(actor, indicator_set)


def _decimal(field: str, value: Any, message: str) -> Decimal:
    try:
        return scoring.number(value)
    except ValueError:
        raise ValidationError({field: message}) from None


def _optional_decimal(field: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return _decimal(field, value, scoring.BAD_NUMBER.format(value=value))


def _rows(field: str, rows: Any, parse: Any) -> list[list[str]]:
    """Validated rows as stored (strings, so JSON keeps every digit)."""
    try:
        parsed = parse(rows)
    except ValueError as e:
        raise ValidationError({field: str(e)}) from None
    return [[str(a), str(b)] for a, b in parsed]


def has_published_round(indicator_set: IndicatorSet) -> bool:
    return indicator_set.rounds.filter(state=RoundState.PUBLISHED).exists()


def _check_not_frozen(indicator_set: IndicatorSet) -> None:
    if has_published_round(indicator_set):
        raise ValidationError(SET_FROZEN)


def reset_computed_rounds(indicator_set: IndicatorSet, actor: User, note: str) -> int:
    """Computed rounds of the set go back to 草稿, their results removed. Returns how many."""
    rounds = list(
        EvaluationRound.objects.select_for_update().filter(
            set=indicator_set, state=RoundState.COMPUTED
        )
    )
    for evaluation in rounds:
        discard_results(evaluation, actor, note)
    return len(rounds)


def discard_results(evaluation: EvaluationRound, actor: User, note: str) -> None:
    """A computed round back to 草稿: its results go, the step is written on its timeline."""
    ResultScore.objects.filter(result__round=evaluation).delete()
    RoundResult.objects.filter(round=evaluation).delete()
    evaluation.state = RoundState.DRAFT
    evaluation.computed_at = None
    evaluation.computed_by = None
    evaluation.full_clean()
    evaluation.save(update_fields=["state", "computed_at", "computed_by"])
    RoundEvent.objects.create(round=evaluation, actor=actor, kind=RoundEventKind.RESET, note=note)


def weights_sum(indicator_set: IndicatorSet, excluding: Indicator | None = None) -> Decimal:
    qs = Indicator.objects.filter(set=indicator_set)
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.aggregate(s=Sum("weight"))["s"] or Decimal(0)


@transaction.atomic
def set_create(
    *,
    actor: User,
    name: str,
    subject_type: str,
    eligibility: str,
    region: Region,
    line: BusinessLine | None = None,
    description: str = "",
    total: Decimal | str | int = 100,
    tie_rule: str = TieRule.SHARED,
    star_cutoffs: Sequence[Sequence[Any]] = (),
    list_size: int | None = None,
) -> IndicatorSet:
    check_writer(actor)
    check_region_line(actor, region, line)
    indicator_set = IndicatorSet(
        name=text.line(name),
        subject_type=subject_type,
        eligibility=eligibility,
        region=region,
        line=line,
        description=text.prose(description),
        total=_decimal("total", total, scoring.BAD_NUMBER.format(value=total)),
        tie_rule=tie_rule,
        star_cutoffs=_cutoff_rows(star_cutoffs),
        list_size=list_size,
        created_by=actor,
    )
    indicator_set.full_clean()
    indicator_set.save()
    return indicator_set


def _cutoff_rows(rows: Any) -> list[list[Any]]:
    try:
        parsed = scoring.parse_cutoffs(list(rows) if rows else [])
    except ValueError as e:
        raise ValidationError({"star_cutoffs": str(e)}) from None
    return [[stars, str(least)] for stars, least in parsed]


@transaction.atomic
def set_update(
    *,
    actor: User,
    indicator_set: IndicatorSet,
    expected_version: int | None = None,
    **fields: Any,
) -> IndicatorSet:
    """Name and description change any time; the scoring fields only before a round is
    published, and changing them sends computed rounds back to 草稿."""
    locked = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    check_set_keeper(actor, locked)
    # Only the fields given are set on the row read under lock: without an editor's version there
    # is no stale copy to guard against.
    versioning.claim(locked, expected_version)
    unknown = set(fields) - set(SET_FIELDS)
    if unknown:
        raise TypeError(f"set_update does not change {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = text.line(fields["name"])
    if "description" in fields:
        fields["description"] = text.prose(fields["description"])
    if "total" in fields:
        fields["total"] = _decimal("total", fields["total"], WEIGHT_POSITIVE)
    if "star_cutoffs" in fields:
        fields["star_cutoffs"] = _cutoff_rows(fields["star_cutoffs"])
    changed = [k for k, v in fields.items() if getattr(locked, k) != v]
    scoring_changed = [k for k in changed if k in SCORING_FIELDS]
    if scoring_changed:
        _check_not_frozen(locked)
    if "total" in changed and fields["total"] < weights_sum(locked):
        weights = scoring.plain(weights_sum(locked))
        raise ValidationError({"total": TOTAL_BELOW_WEIGHTS.format(sum=weights)})
    for key in changed:
        setattr(locked, key, fields[key])
    if not changed:
        return locked
    locked.full_clean()
    locked.save(update_fields=changed)
    if scoring_changed:
        what = "、".join(SET_FIELD_LABELS[k] for k in scoring_changed)
        reset_computed_rounds(locked, actor, RESET_BECAUSE.format(name=locked.name, what=what))
    return locked


def _indicator_values(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for key in ("name", "unit_label"):
        if key in out:
            out[key] = text.line(out[key])
    if "description" in out:
        out["description"] = text.prose(out["description"])
    if "weight" in out:
        out["weight"] = _decimal("weight", out["weight"], WEIGHT_POSITIVE)
        if out["weight"] <= 0:
            raise ValidationError({"weight": WEIGHT_POSITIVE})
    for key in ("lower_bound", "upper_bound"):
        if key in out:
            out[key] = _optional_decimal(key, out[key])
    if out.get("thresholds"):
        out["thresholds"] = _rows("thresholds", list(out["thresholds"]), scoring.parse_thresholds)
    elif "thresholds" in out:
        out["thresholds"] = []
    if out.get("source_kind") == SourceKind.ENTERED:
        out["metric"] = ""
    return out


def _check_weights(indicator_set: IndicatorSet, indicator: Indicator) -> None:
    total = weights_sum(indicator_set, excluding=indicator) + indicator.weight
    if total > indicator_set.total:
        raise ValidationError(
            {
                "weight": WEIGHTS_OVER_TOTAL.format(
                    sum=scoring.plain(total), total=scoring.plain(indicator_set.total)
                )
            }
        )


@transaction.atomic
def indicator_add(
    *,
    actor: User,
    indicator_set: IndicatorSet,
    name: str,
    weight: Decimal | str | int,
    rule: str,
    source_kind: str,
    metric: str = "",
    direction: str = Direction.HIGHER,
    lower_bound: Decimal | str | None = None,
    upper_bound: Decimal | str | None = None,
    thresholds: Sequence[Sequence[Any]] = (),
    unit_label: str = "",
    description: str = "",
    order: int | None = None,
) -> Indicator:
    locked = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    check_set_keeper(actor, locked)
    _check_not_frozen(locked)
    if order is None:
        order = (locked.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
    values = _indicator_values(
        dict(
            name=name,
            weight=weight,
            rule=rule,
            source_kind=source_kind,
            metric=metric,
            direction=direction,
            lower_bound=lower_bound,
            upper_bound=upper_bound,
            thresholds=thresholds,
            unit_label=unit_label,
            description=description,
        )
    )
    indicator = Indicator(set=locked, order=order, **values)
    _check_weights(locked, indicator)
    indicator.full_clean()
    indicator.save()
    reset_computed_rounds(locked, actor, RESET_BECAUSE.format(name=locked.name, what="指标"))
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: User, indicator: Indicator, expected_version: int | None = None, **fields: Any
) -> Indicator:
    locked_set = IndicatorSet.objects.select_for_update().get(pk=indicator.set_id)
    check_set_keeper(actor, locked_set)
    _check_not_frozen(locked_set)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update does not change {sorted(unknown)}")
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    versioning.claim(locked, expected_version)  # the row read under lock, as in set_update
    for key, value in _indicator_values(fields).items():
        setattr(locked, key, value)
    _check_weights(locked_set, locked)
    locked.full_clean()
    locked.save()
    reset_computed_rounds(
        locked_set, actor, RESET_BECAUSE.format(name=locked_set.name, what=f"指标“{locked.name}”")
    )
    return locked


@transaction.atomic
def indicator_remove(*, actor: User, indicator: Indicator) -> None:
    locked_set = IndicatorSet.objects.select_for_update().get(pk=indicator.set_id)
    check_set_keeper(actor, locked_set)
    _check_not_frozen(locked_set)
    if indicator.entered_values.exists():
        raise ValidationError(INDICATOR_HAS_VALUES)
    reset_computed_rounds(
        locked_set, actor, RESET_BECAUSE.format(name=locked_set.name, what=f"指标“{indicator}”")
    )
    indicator.delete()
