"""An indicator set in words, for its page and the API: each indicator's scoring rule with its
parameters, where its value comes from (a metric and its 统计口径, or a value entered with
evidence), the tie rule and the star levels. The arithmetic is scoring.py's; this only says it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import indicator_sources, scoring
from .models_indicators import Direction, Indicator, IndicatorSet, ScoringRule

ENTERED = "录入（需佐证）"
NO_STARS = "不评星级"
BELOW_STARS = "总分低于最低星级线的，记“未达星级”。"


def _n(value: Decimal | int | None) -> str:
    return "" if value is None else scoring.plain(value)


def number_text(value: Decimal | int, places: int | None = None) -> str:
    """A raw value as people read it: 698843.0700 → "698,843.07", 12.50 → "12.5"; with
    ``places``, that many decimals, so that a column lines up: 195332 → "195,332.00"."""
    if places is not None:
        return f"{Decimal(value).quantize(Decimal(1).scaleb(-places)):,}"
    return f"{Decimal(scoring.plain(value)):,}"


def column_places(values: list[Decimal | int]) -> int:
    """The decimals a column of raw values needs: the most any of them has (once trailing
    zeros are dropped), so 195332 and 535520.03 both show two."""
    return max((_places(v) for v in values), default=0)


def _places(value: Decimal | int) -> int:
    exponent = Decimal(scoring.plain(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def unit_of(indicator: Indicator) -> str:
    if indicator.is_entered:
        return indicator.unit_label
    return indicator_sources.get(indicator.metric).unit


def rule_text(indicator: Indicator) -> str:
    """The scoring rule with its parameters, e.g. "5项及以上得满分20分 …"."""
    weight, unit = _n(indicator.weight), unit_of(indicator)
    higher = indicator.direction == Direction.HIGHER
    if indicator.rule == ScoringRule.LINEAR:
        lo, hi = f"{_n(indicator.lower_bound)}{unit}", f"{_n(indicator.upper_bound)}{unit}"
        best, worst = (hi, lo) if higher else (lo, hi)
        above, below = ("及以上", "及以下") if higher else ("及以下", "及以上")
        return f"{best}{above}得满分{weight}分，{worst}{below}得0分，其间按比例计分。"
    if indicator.rule == ScoringRule.THRESHOLDS:
        reach = "达到" if higher else "不超过"
        rows = scoring.parse_thresholds(indicator.thresholds)
        ordered = reversed(rows) if higher else iter(rows)
        steps = [
            f"{reach}{_n(value)}{unit}得{_n(scoring.cents(indicator.weight * share))}分"
            for value, share in ordered
        ]
        return "；".join(steps) + "；都未达到得0分（取所达到的最高一档）。"
    order = "从高到低" if higher else "从低到高"
    return (
        f"按数值{order}排名次：第1名得满分{weight}分，名次每低一位少得{weight}分÷参评对象数；"
        "数值相同者名次相同。"
    )


@dataclass(frozen=True)
class Source:
    label: str  # what is counted, or ENTERED
    rule: str  # 统计口径, or what the entered value is


def source_of(indicator: Indicator) -> Source:
    if indicator.is_entered:
        unit = f"，单位：{indicator.unit_label}" if indicator.unit_label else ""
        return Source(f"{ENTERED}{unit}", indicator.description)
    metric = indicator_sources.get(indicator.metric)
    return Source(f"{metric.label}（{metric.unit}）", metric.rule)


def stars_text(indicator_set: IndicatorSet) -> str:
    """ "★★★★★ 90分及以上；★★★★ 80分及以上 …", or 不评星级."""
    cutoffs = indicator_set.cutoffs
    if not cutoffs:
        return NO_STARS
    return "；".join(f"{'★' * stars} 总分{_n(least)}分及以上" for stars, least in cutoffs) + "。"


def list_text(indicator_set: IndicatorSet) -> str:
    if indicator_set.list_size:
        return f"取前{indicator_set.list_size}名上榜（名次并列者同时上榜）"
    return "全部参评对象列入名单"
