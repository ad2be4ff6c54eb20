"""Properties of the scoring (governance/scoring.py), for every rule and both directions: the
best possible subject totals exactly the sum of the weights, a better raw value never lowers a
score nor a total, ties follow the set's stated rule, and stars never fall as totals rise."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.governance import scoring
from tongxin.governance.scoring import Rule, Standing

D = Decimal
# No deadline: the first examples run while the process is still warming up (xdist).
examples = settings(deadline=None, max_examples=150)

# A narrow range, so that values, bounds and thresholds often meet and cross.
values = st.decimals(min_value=-50, max_value=150, places=1, allow_nan=False)
weights = st.decimals(min_value=D("0.01"), max_value=100, places=2)
directions = st.sampled_from([scoring.HIGHER, scoring.LOWER])


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    kind = draw(st.sampled_from([scoring.LINEAR, scoring.THRESHOLDS, scoring.RANK]))
    weight = draw(weights)
    direction = draw(directions)
    if kind == scoring.LINEAR:
        lo = draw(values)
        hi = lo + draw(st.decimals(min_value=D("0.1"), max_value=100, places=1))
        return Rule(kind, weight, direction, lo=lo, hi=hi)
    if kind == scoring.THRESHOLDS:
        bars = draw(st.lists(values, min_size=1, max_size=5, unique=True))
        fractions = st.decimals(min_value=D("0.01"), max_value=1, places=2)
        rows = [[str(bar), str(draw(fractions))] for bar in bars]
        return Rule(kind, weight, direction, thresholds=scoring.parse_thresholds(rows))
    return Rule(kind, weight, direction)


subject_values = st.dictionaries(
    st.integers(min_value=1, max_value=40), st.none() | values, min_size=1, max_size=12
)


def _better(rule: Rule, value: Decimal | None, step: Decimal) -> Decimal:
    if value is None:
        return D(0)
    return value + step if rule.higher_is_better else value - step


@examples
@given(rules(), subject_values, st.data(), st.decimals(min_value=0, max_value=100, places=1))
def test_a_better_value_never_lowers_the_score(
    rule: Rule, raw: dict[int, Decimal | None], data: st.DataObject, step: Decimal
) -> None:
    who = data.draw(st.sampled_from(sorted(raw)))
    before = scoring.indicator_scores(rule, raw)[who]
    improved = {**raw, who: _better(rule, raw[who], step)}
    if raw[who] is None:
        # From no data to any value is never worse than 0.
        assert scoring.indicator_scores(rule, improved)[who] >= D(0) == before
        return
    assert scoring.indicator_scores(rule, improved)[who] >= before


small = st.integers(min_value=0, max_value=20).map(D)


@examples
@given(
    st.lists(
        st.tuples(small, st.integers(1, 100)), min_size=1, max_size=6, unique_by=lambda r: r[0]
    ),
    directions,
    small,
    small,
)
def test_a_better_value_never_lowers_a_threshold_score(
    rows: list[tuple[Decimal, int]], direction: str, value: Decimal, step: Decimal
) -> None:
    """Bands in any order of worth (a higher bar may be worth less): the score is the best band
    reached, so reaching more never costs."""
    bands = scoring.parse_thresholds([[bar, D(f) / 100] for bar, f in rows])
    rule = Rule(scoring.THRESHOLDS, D(10), direction, thresholds=bands)
    better = value + step if rule.higher_is_better else value - step
    scores = scoring.indicator_scores(rule, {"before": value, "after": better})
    assert scores["after"] >= scores["before"]


@examples
@given(st.lists(rules(), min_size=1, max_size=5), subject_values, st.data())
def test_a_better_value_never_lowers_the_total(
    indicators: list[Rule], raw: dict[int, Decimal | None], data: st.DataObject
) -> None:
    who = data.draw(st.sampled_from(sorted(raw)))
    which = data.draw(st.integers(min_value=0, max_value=len(indicators) - 1))
    step = data.draw(st.decimals(min_value=0, max_value=100, places=1))
    table = [dict(raw) for _ in indicators]

    def total(tables: list[dict[int, Decimal | None]]) -> Decimal:
        return sum(
            (scoring.indicator_scores(r, t)[who] for r, t in zip(indicators, tables, strict=True)),
            D(0),
        )

    before = total(table)
    table[which] = {**table[which], who: _better(indicators[which], table[which][who], step)}
    assert total(table) >= before


def _reachable(rule: Rule) -> Rule:
    """The rule with a top band worth the whole weight (a set's best score is the weight)."""
    if rule.kind != scoring.THRESHOLDS:
        return rule
    bar = (
        max(v for v, _ in rule.thresholds)
        if rule.higher_is_better
        else min(v for v, _ in rule.thresholds)
    )
    rows = [(v, f) for v, f in rule.thresholds if v != bar] + [(bar, D(1))]
    return Rule(rule.kind, rule.weight, rule.direction, thresholds=tuple(sorted(rows)))


def _best_value(rule: Rule, others: list[Decimal]) -> Decimal:
    ends = [*others, rule.lo or D(0), rule.hi or D(0), *(v for v, _ in rule.thresholds)]
    return max(ends) + 1 if rule.higher_is_better else min(ends) - 1


@examples
@given(st.lists(rules(), min_size=1, max_size=6), st.lists(values, max_size=8))
def test_the_best_subject_totals_the_sum_of_the_weights(
    drawn: list[Rule], others: list[Decimal]
) -> None:
    indicators = [_reachable(r) for r in drawn]
    total_weight = sum((r.weight for r in indicators), D(0))
    totals: dict[str, Decimal] = {}
    subjects = ["best", *(f"s{i}" for i in range(len(others)))]
    for rule in indicators:
        raw: dict[str, Decimal | None] = {f"s{i}": v for i, v in enumerate(others)}
        raw["best"] = _best_value(rule, others)
        for key, score in scoring.indicator_scores(rule, raw).items():
            assert D(0) <= score <= rule.weight
            totals[key] = totals.get(key, D(0)) + score
    assert totals["best"] == total_weight
    assert all(totals[s] <= total_weight for s in subjects)


standings = st.lists(
    st.builds(
        Standing,
        key=st.integers(min_value=0, max_value=10**6),
        total=st.decimals(min_value=0, max_value=100, places=0),  # whole numbers: many ties
        first_score=st.decimals(min_value=0, max_value=10, places=0),
        sort_name=st.sampled_from(["an", "bai", "chen", "deng", "e"]),
    ),
    max_size=15,
    unique_by=lambda s: s.key,
)


@examples
@given(standings)
def test_shared_ties_take_the_same_rank_and_skip_the_next(items: list[Standing]) -> None:
    placed = scoring.rank_totals(items, scoring.SHARED)
    by_key = {s.key: s for s in items}
    assert [p.position for p in placed] == list(range(1, len(items) + 1))
    for p in placed:
        better = sum(s.total > by_key[p.key].total for s in items)
        assert p.rank == better + 1
    shown = [(by_key[p.key].total, by_key[p.key].sort_name) for p in placed]
    assert shown == sorted(shown, key=lambda t: (-t[0], t[1]))


@examples
@given(standings)
def test_first_indicator_ties_are_ordered_by_that_score_then_by_name(items: list[Standing]) -> None:
    placed = scoring.rank_totals(items, scoring.FIRST_INDICATOR)
    by_key = {s.key: s for s in items}
    assert [p.rank for p in placed] == list(range(1, len(items) + 1))
    shown = [by_key[p.key] for p in placed]
    for a, b in itertools.pairwise(shown):
        assert (a.total, a.first_score) >= (b.total, b.first_score)
        if (a.total, a.first_score) == (b.total, b.first_score):
            assert a.sort_name <= b.sort_name


def test_the_tie_rules_on_an_example() -> None:
    items = [
        Standing("乙", D(90), D(30), "yi"),
        Standing("甲", D(90), D(40), "jia"),
        Standing("丙", D(95), D(10), "bing"),
        Standing("丁", D(80), D(50), "ding"),
    ]
    shared = [(p.key, p.rank) for p in scoring.rank_totals(items, scoring.SHARED)]
    assert shared == [("丙", 1), ("甲", 2), ("乙", 2), ("丁", 4)]
    first = [(p.key, p.rank) for p in scoring.rank_totals(items, scoring.FIRST_INDICATOR)]
    assert first == [("丙", 1), ("甲", 2), ("乙", 3), ("丁", 4)]


@st.composite
def cutoffs(draw: st.DrawFn) -> tuple[tuple[int, Decimal], ...]:
    """Valid star cutoffs: more stars ask for a strictly higher total."""
    stars = sorted(draw(st.lists(st.integers(1, 5), max_size=5, unique=True)))
    least = sorted(
        draw(
            st.lists(
                st.decimals(0, 100, places=0), min_size=len(stars), max_size=len(stars), unique=True
            )
        )
    )
    return scoring.parse_cutoffs([[s, m] for s, m in zip(stars, least, strict=True)])


@examples
@given(cutoffs(), st.decimals(0, 100, places=2), st.decimals(0, 50, places=2))
def test_stars_never_fall_as_the_total_rises(
    rows: tuple[tuple[int, Decimal], ...], total: Decimal, rise: Decimal
) -> None:
    low = scoring.stars_for(total, rows)
    high = scoring.stars_for(total + rise, rows)
    if not rows:
        assert low is None and high is None
    else:
        assert low is not None and high is not None and high >= low
        assert all(low >= s for s, least in rows if total >= least)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[5, 90], [4, 95]], "星级越高，最低总分须越高"),
        ([[5, 90], [5, 80]], "每个星级只能设一条星级线"),
        ([[6, 90]], "星级为1到5"),
        ([["五", 90]], "星级为1到5"),
        ([[5, "很高"]], "不是有效的数字"),
    ],
)
def test_bad_star_cutoffs_are_refused_in_words(rows: list[list[object]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        scoring.parse_cutoffs(rows)


def test_the_rules_on_examples() -> None:
    linear = Rule(scoring.LINEAR, D(20), scoring.LOWER, lo=D(0), hi=D(10))
    assert scoring.indicator_scores(linear, {1: D(0), 2: D(2.5), 3: D(12), 4: None}) == {
        1: D("20.00"),
        2: D("15.00"),
        3: D("0.00"),
        4: D(0),
    }
    tiers = Rule(
        scoring.THRESHOLDS,
        D(10),
        thresholds=scoring.parse_thresholds([["3", "0.6"], ["5", "1"], ["1", "0.2"]]),
    )
    assert scoring.indicator_scores(tiers, {1: D(0), 2: D(1), 3: D(4), 4: D(5)}) == {
        1: D(0),
        2: D("2.00"),
        3: D("6.00"),
        4: D("10.00"),
    }
    rank = Rule(scoring.RANK, D(30))
    assert scoring.indicator_scores(rank, {1: D(9), 2: D(9), 3: D(1), 4: None}) == {
        1: D("30.00"),
        2: D("30.00"),
        3: D("15.00"),
        4: D(0),
    }
