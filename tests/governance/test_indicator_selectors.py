"""Reading rounds: the ranking in a fixed number of queries, year-on-year comparison of two rounds
of the same set, and what is still to be entered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tongxin.governance import services_rounds as rounds
from tongxin.governance.models import EvaluationRound
from tongxin.governance.selectors_indicators import (
    COMPARE_OTHER_SET,
    previous_round,
    round_comparison,
    round_ranking,
)
from tongxin.registry import services as registry

from ..conftest import Cast
from .indicator_records import computed_round, enterprise, revenue_set

D = Decimal


@pytest.mark.parametrize("how_many", [3, 12])
def test_the_ranking_reads_in_three_queries_whatever_its_size(
    cast: Cast, django_assert_num_queries: object, how_many: int
) -> None:
    for n in range(how_many):
        enterprise(cast.jingyang_region, f"旌阳排名{n:02d}", str(100 + n))
    evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region))
    fresh = EvaluationRound.objects.select_related("set").get(pk=evaluation.pk)
    with django_assert_num_queries(3):  # type: ignore[operator]
        ranking = round_ranking(fresh)
        shown = [(row.result.rank, row.scores[0].raw_value) for row in ranking.rows]  # type: ignore[union-attr]
    assert shown[0] == (1, D(100 + how_many - 1)) and len(shown) == how_many


def test_two_years_compare_by_subject(cast: Cast) -> None:
    region = cast.jingyang_region
    names = ["旌阳一", "旌阳二", "旌阳三", "旌阳四"]
    orgs = {name: enterprise(region, name, None, year=2021) for name in names}
    for name, revenue in zip(names, ["400", "300", "200", "100"], strict=True):
        registry.figure_save(actor=None, organization=orgs[name], year=2021, revenue=D(revenue))
    for name, revenue in zip(names, ["250", "500", "100", "300"], strict=True):
        registry.figure_save(actor=None, organization=orgs[name], year=2022, revenue=D(revenue))
    enterprise(region, "旌阳新秀", "600")  # 2022 only
    indicator_set = revenue_set(cast.jingyang, region, list_size=3)
    earlier = computed_round(cast.jingyang, indicator_set, year=2021)
    later = computed_round(cast.jingyang, indicator_set, year=2022)
    assert previous_round(later) == earlier and previous_round(earlier) is None
    comparison = round_comparison(later)
    assert comparison is not None and comparison.previous == earlier
    shown = [
        (r.name, r.status_label, r.rank, r.previous_rank, r.rank_change) for r in comparison.rows
    ]
    assert shown == [
        ("旌阳新秀", "新上榜", 1, None, None),
        ("旌阳二", "连续上榜", 2, 2, 0),
        ("旌阳四", "新上榜", 3, 4, 1),
        ("旌阳一", "落榜", 4, 1, -3),
        ("旌阳三", "落榜", 5, 3, -2),
    ]
    second = comparison.rows[1]
    assert (second.total, second.previous_total, second.total_change) == (
        D("80.00"),
        D("75.00"),
        D("5.00"),
    )
    assert (comparison.count("new"), comparison.count("dropped")) == (2, 2)
    assert round_comparison(earlier) is None


def test_only_rounds_of_one_set_compare(cast: Cast) -> None:
    enterprise(cast.jingyang_region, "旌阳某公司", "100")
    one = computed_round(cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region))
    other = computed_round(
        cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region, name="另一体系")
    )
    with pytest.raises(ValidationError, match=COMPARE_OTHER_SET):
        round_comparison(one, other)


def test_a_draft_round_is_not_compared_with(cast: Cast) -> None:
    enterprise(cast.jingyang_region, "旌阳某公司", "100", year=2021)
    indicator_set = revenue_set(cast.jingyang, cast.jingyang_region)
    rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2021)
    enterprise(cast.jingyang_region, "旌阳另一公司", "5")
    later = computed_round(cast.jingyang, indicator_set)
    assert previous_round(later) is None
