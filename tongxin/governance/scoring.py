"""The arithmetic of an evaluation, with no database: an indicator's score from raw values, the
ranking of totals under a set's tie rule, and star levels by cutoffs.

Scores are Decimal, rounded half up to 0.01 per indicator; a total is the sum of those rounded
scores, so a subject at the top of every indicator totals exactly the sum of the weights (the
set's total). Every rule is monotone: a better raw value never gives a lower score.

- linear (区间线性): the share of the weight grows linearly between the bounds ``lo`` and ``hi``
  (higher better: 0 at ``lo`` or below, the full weight at ``hi`` or above; lower better: the
  reverse).
- thresholds (分档计分): ordered rows (value, fraction of the weight); a raw value earns the largest
  fraction among the rows it reaches (higher better: value ≥ row; lower better: value ≤ row),
  0 when it reaches none.
- rank (按名次计分): weight × (n − rank + 1) / n, with n the round's subjects and the rank taken by
  raw value among those that have one (equal values share the better rank).

A subject with no raw value scores 0 on that indicator (the caller says why in the result's note).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")

# Rule and direction keys (the model's choices use the same strings).
LINEAR, THRESHOLDS, RANK = "linear", "thresholds", "rank"
HIGHER, LOWER = "higher", "lower"
# Tie rules
SHARED, FIRST_INDICATOR = "shared", "first_indicator"

BAD_NUMBER = "“{value}”不是有效的数字。"
THRESHOLD_ROWS = "分档须逐行填写“达到值:得分比例”，例如“100:0.5”；比例须大于0且不超过1。"
THRESHOLD_DUPLICATE = "分档的达到值不能重复（“{value}”出现了两次）。"
CUTOFF_ROWS = "星级线须逐行填写“星级:最低总分”，例如“5:90”；星级为1到5。"
CUTOFF_DUPLICATE = "每个星级只能设一条星级线（{stars}星出现了两次）。"
CUTOFF_ORDER = "星级越高，最低总分须越高：{high}星（{high_min}分）不高于{low}星（{low_min}分）。"


def number(value: Any) -> Decimal:
    """A finite Decimal from a Decimal, int or numeric string, or ValueError in Chinese."""
    if isinstance(value, float):
        value = repr(value)
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(BAD_NUMBER.format(value=value)) from None
    if not result.is_finite():
        raise ValueError(BAD_NUMBER.format(value=value))
    return result


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal | int) -> str:
    """A number as people write it: 100.00 → "100", 12.50 → "12.5", 123400.0000 → "123400"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.quantize(ONE):f}"
    return f"{value.normalize():f}"


# --- parsing the stored rows (JSON lists of pairs) ------------------------------------------------


def parse_thresholds(rows: Any) -> tuple[tuple[Decimal, Decimal], ...]:
    """[[value, fraction], …] → ((value, fraction), …) sorted by value; ValueError in Chinese."""
    if not isinstance(rows, list | tuple) or not rows:
        raise ValueError(THRESHOLD_ROWS)
    parsed: list[tuple[Decimal, Decimal]] = []
    for row in rows:
        if not isinstance(row, list | tuple) or len(row) != 2:
            raise ValueError(THRESHOLD_ROWS)
        value, fraction = number(row[0]), number(row[1])
        if not ZERO < fraction <= ONE:
            raise ValueError(THRESHOLD_ROWS)
        if any(value == v for v, _ in parsed):
            raise ValueError(THRESHOLD_DUPLICATE.format(value=row[0]))
        parsed.append((value, fraction))
    return tuple(sorted(parsed))


def parse_cutoffs(rows: Any) -> tuple[tuple[int, Decimal], ...]:
    """[[stars, min_total], …] → ((stars, min_total), …) from most stars down; empty = no stars.
    More stars must ask for a strictly higher total."""
    if rows in (None, "", []):
        return ()
    if not isinstance(rows, list | tuple):
        raise ValueError(CUTOFF_ROWS)
    parsed: dict[int, Decimal] = {}
    for row in rows:
        if not isinstance(row, list | tuple) or len(row) != 2:
            raise ValueError(CUTOFF_ROWS)
        try:
            stars = int(str(row[0]).strip())
        except ValueError:
            raise ValueError(CUTOFF_ROWS) from None
        if not 1 <= stars <= 5:
            raise ValueError(CUTOFF_ROWS)
        if stars in parsed:
            raise ValueError(CUTOFF_DUPLICATE.format(stars=stars))
        parsed[stars] = number(row[1])
    ordered = sorted(parsed.items(), reverse=True)
    for (high, high_min), (low, low_min) in itertools.pairwise(ordered):
        if high_min <= low_min:
            raise ValueError(
                CUTOFF_ORDER.format(high=high, high_min=high_min, low=low, low_min=low_min)
            )
    return tuple(ordered)


def rows_text(rows: Iterable[Sequence[Any]]) -> str:
    """Stored rows as the form shows them: one "a:b" a line."""
    return "\n".join(f"{a}:{b}" for a, b in rows)


def rows_from_text(value: str) -> list[list[str]]:
    """What a form's textarea holds ("a:b" a line, ：or : or ,) as rows to store."""
    out = []
    for line in value.replace("：", ":").replace("，", ",").splitlines():
        line = line.strip()
        if not line:
            continue
        sep = ":" if ":" in line else ","
        out.append([part.strip() for part in line.split(sep, 1)])
    return out


# --- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How one indicator turns raw values into scores."""

    kind: str  # LINEAR, THRESHOLDS or RANK
    weight: Decimal
    direction: str = HIGHER
    lo: Decimal | None = None
    hi: Decimal | None = None
    thresholds: tuple[tuple[Decimal, Decimal], ...] = ()

    @property
    def higher_is_better(self) -> bool:
        return self.direction == HIGHER


def _linear_fraction(rule: Rule, value: Decimal) -> Decimal:
    assert rule.lo is not None and rule.hi is not None and rule.hi > rule.lo
    share = (value - rule.lo) / (rule.hi - rule.lo)
    if not rule.higher_is_better:
        share = ONE - share
    return min(max(share, ZERO), ONE)


def _threshold_fraction(rule: Rule, value: Decimal) -> Decimal:
    reached = [
        fraction
        for bar, fraction in rule.thresholds
        if (value >= bar if rule.higher_is_better else value <= bar)
    ]
    return max(reached, default=ZERO)


def competition_ranks(values: Mapping[K, Decimal], *, higher_is_better: bool) -> dict[K, int]:
    """1 + the number of others strictly better: equal values share a rank (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=higher_is_better)
    first_at: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_at.setdefault(value, position)
    return {key: first_at[value] for key, value in values.items()}


def indicator_scores(rule: Rule, values: Mapping[K, Decimal | None]) -> dict[K, Decimal]:
    """Each subject's score on one indicator; ``values`` holds every subject of the round."""
    present = {k: v for k, v in values.items() if v is not None}
    if rule.kind == RANK:
        n = Decimal(len(values))
        ranks = competition_ranks(present, higher_is_better=rule.higher_is_better)
        fractions = {k: (n - ranks[k] + 1) / n for k in present}
    elif rule.kind == LINEAR:
        fractions = {k: _linear_fraction(rule, v) for k, v in present.items()}
    elif rule.kind == THRESHOLDS:
        fractions = {k: _threshold_fraction(rule, v) for k, v in present.items()}
    else:
        raise ValueError(f"unknown scoring rule {rule.kind!r}")
    return {k: cents(rule.weight * fractions[k]) if k in fractions else ZERO for k in values}


# --- ranking and stars ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What the ranking looks at for one subject."""

    key: Hashable
    total: Decimal
    first_score: Decimal  # the score on the set's first indicator
    sort_name: str  # the name's pinyin, for a stable order within a tie


@dataclass(frozen=True)
class Placed:
    key: Hashable
    position: int  # 1… in the order shown
    rank: int


def rank_totals(standings: Iterable[Standing], tie_rule: str) -> list[Placed]:
    """The ranking, best first. SHARED: equal totals share a rank and the next rank is skipped
    (1, 2, 2, 4), listed by name within the tie. FIRST_INDICATOR: equal totals are ordered by the
    first indicator's score, then by name; every rank is distinct."""
    items = list(standings)
    if tie_rule == FIRST_INDICATOR:
        items.sort(key=lambda s: (-s.total, -s.first_score, s.sort_name, str(s.key)))
        return [Placed(s.key, i, i) for i, s in enumerate(items, start=1)]
    if tie_rule != SHARED:
        raise ValueError(f"unknown tie rule {tie_rule!r}")
    items.sort(key=lambda s: (-s.total, s.sort_name, str(s.key)))
    ranks = competition_ranks({s.key: s.total for s in items}, higher_is_better=True)
    return [Placed(s.key, i, ranks[s.key]) for i, s in enumerate(items, start=1)]


def stars_for(total: Decimal, cutoffs: Sequence[tuple[int, Decimal]]) -> int | None:
    """The most stars whose cutoff the total reaches; 0 below every cutoff; None when the set
    gives no stars."""
    if not cutoffs:
        return None
    return max((stars for stars, least in cutoffs if total >= least), default=0)


def star_text(stars: int | None) -> str:
    if stars is None:
        return ""
    return "★" * stars if stars else "未达星级"
