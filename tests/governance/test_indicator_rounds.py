"""Evaluation rounds: computing from the records, ties, stars and list size, values entered with
evidence, and publishing, which freezes the round."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import Indicator
from tongxin.governance.models_rounds import (
    EnteredValue,
    ResultScore,
    RoundEventKind,
    RoundResult,
    RoundState,
)
from tongxin.governance.selectors_indicators import missing_values, round_ranking
from tongxin.registry import services as registry

from ..conftest import Cast
from .indicator_records import (
    computed_round,
    enterprise,
    revenue_set,
    standings,
    weighted_set,
)

D = Decimal


def _three(cast: Cast) -> list:
    region = cast.jingyang_region
    return [
        enterprise(region, "旌阳甲机械有限公司", "5000"),
        enterprise(region, "旌阳乙食品有限公司", "12000"),
        enterprise(region, "旌阳丙化工有限公司", "800"),
    ]


def test_a_round_ranks_the_eligible_enterprises_by_revenue(cast: Cast) -> None:
    _three(cast)
    enterprise(cast.jingyang_region, "旌阳无数据有限公司", None)  # no revenue: not eligible
    enterprise(cast.luojiang_region, "罗江某公司", "99999")  # another district
    public = enterprise(cast.jingyang_region, "旌阳国有公司", "50000")
    registry.organization_update(actor=None, organization=public, is_non_public=False)
    enterprise(cast.jingyang_region, "旌阳去年公司", "70000", year=2021)  # another year
    evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region))
    assert evaluation.state == RoundState.COMPUTED
    assert standings(evaluation) == [
        (1, "旌阳乙食品有限公司", D("100.00")),
        (2, "旌阳甲机械有限公司", D("66.67")),
        (3, "旌阳丙化工有限公司", D("33.33")),
    ]
    first = round_ranking(evaluation).rows[0]
    assert first.scores[0] is not None and first.scores[0].raw_value == D("12000")
    assert first.result.subject_region == "旌阳区"
    assert evaluation.events.filter(kind=RoundEventKind.COMPUTED).get().note == (
        "3个对象参评，3个上榜"
    )


def test_the_list_keeps_its_size_and_takes_in_ties_at_the_cut(cast: Cast) -> None:
    region = cast.jingyang_region
    for name, revenue in [("旌阳一号", "900"), ("旌阳二号", "800"), ("旌阳三号", "800")]:
        enterprise(region, name, revenue)
    enterprise(region, "旌阳四号", "100")
    evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, region, list_size=2))
    listed = [(r.rank, r.subject_name) for r in evaluation.results.filter(in_list=True)]
    assert listed == [(1, "旌阳一号"), (2, "旌阳二号"), (2, "旌阳三号")]
    assert evaluation.results.count() == 4


def test_equal_totals_share_a_rank_and_the_next_is_skipped(cast: Cast) -> None:
    region = cast.jingyang_region
    for name, revenue in [("旌阳丁", "300"), ("旌阳甲", "500"), ("旌阳乙", "500")]:
        enterprise(region, name, revenue)
    evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, region))
    # Within a tie, by the name's pinyin: 甲 jia before 乙 yi.
    assert [(rank, name) for rank, name, _ in standings(evaluation)] == [
        (1, "旌阳甲"),
        (1, "旌阳乙"),
        (3, "旌阳丁"),
    ]


def test_the_first_indicator_breaks_a_tie_when_the_set_says_so(cast: Cast) -> None:
    region = cast.jingyang_region
    small = enterprise(region, "旌阳小企业", "100")
    big = enterprise(region, "旌阳大企业", "900")
    indicator_set = weighted_set(cast.jingyang, region)
    sets.set_update(actor=cast.jingyang, indicator_set=indicator_set, tie_rule="first_indicator")
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    for org, value in [(big, "50"), (small, "125")]:
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=org,
            value=value,
            evidence="区工商联2022年度评分表",
        )
    sets.indicator_update(actor=cast.jingyang, indicator=social, upper_bound=75)
    rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    # 大 60 + 50/75·40 = 86.67; 小 30 + 40 = 70.
    assert standings(evaluation) == [(1, "旌阳大企业", D("86.67")), (2, "旌阳小企业", D("70.00"))]
    sets.indicator_update(actor=cast.jingyang, indicator=social, upper_bound=100)
    rounds.value_enter(
        actor=cast.jingyang,
        evaluation=evaluation,
        indicator=social,
        subject=small,
        value="100",
        evidence="复核后更正",
    )
    rounds.value_enter(
        actor=cast.jingyang,
        evaluation=evaluation,
        indicator=social,
        subject=big,
        value="25",
        evidence="复核后更正",
    )
    rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    # Both 70: 大 scores more on the first indicator (revenue), so it comes first, alone.
    assert standings(evaluation) == [(1, "旌阳大企业", D("70.00")), (2, "旌阳小企业", D("70.00"))]


def test_stars_follow_the_cutoffs(cast: Cast) -> None:
    region = cast.jingyang_region
    orgs = [enterprise(region, f"旌阳星级{n}号", str(1000 * n)) for n in (1, 2, 3)]
    indicator_set = weighted_set(cast.jingyang, region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    for org, value in zip(orgs, ["0", "50", "100"], strict=True):
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=org,
            value=value,
            evidence="评分表",
        )
    rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    shown = {r.subject_name: (r.total, r.stars, r.star_text) for r in evaluation.results.all()}
    assert shown == {
        "旌阳星级3号": (D("100.00"), 5, "★★★★★"),
        "旌阳星级2号": (D("60.00"), 3, "★★★"),
        "旌阳星级1号": (D("20.00"), 0, "未达星级"),
    }


def test_compute_refuses_while_entered_values_are_missing_and_names_them(cast: Cast) -> None:
    orgs = _three(cast)
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    rounds.value_enter(
        actor=cast.jingyang,
        evaluation=evaluation,
        indicator=social,
        subject=orgs[0],
        value="80",
        evidence="评分表",
    )
    with pytest.raises(ValidationError) as refused:
        rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    assert refused.value.messages == [
        rounds.MISSING_VALUES.format(
            items="“社会责任”缺2个（旌阳丙化工有限公司、旌阳乙食品有限公司）"
        )
    ]
    assert [(i.name, len(missing)) for i, missing in missing_values(evaluation)] == [
        ("社会责任", 2)
    ]
    assert not RoundResult.objects.filter(round=evaluation).exists()


def test_an_entered_value_needs_evidence_a_number_and_a_subject_of_the_round(cast: Cast) -> None:
    orgs = _three(cast)
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    revenue = indicator_set.indicators.get(name="营业收入")
    base = dict(actor=cast.jingyang, evaluation=evaluation, indicator=social, subject=orgs[0])
    with pytest.raises(ValidationError, match=rounds.EVIDENCE_REQUIRED):
        rounds.value_enter(**base, value="80", evidence="  ")
    with pytest.raises(ValidationError, match=rounds.VALUE_REQUIRED):
        rounds.value_enter(**base, value="很好", evidence="评分表")
    with pytest.raises(ValidationError, match="由记录统计，不需要录入"):
        rounds.value_enter(**{**base, "indicator": revenue}, value="1", evidence="表")
    outside = enterprise(cast.luojiang_region, "罗江参评外公司", "100")
    with pytest.raises(ValidationError, match="不在本轮考评对象中"):
        rounds.value_enter(**{**base, "subject": outside}, value="1", evidence="表")
    row = rounds.value_enter(**base, value="80", evidence="评分表")
    again = rounds.value_enter(**base, value="85", evidence="复核表")
    assert (again.pk, again.value, again.evidence, again.entered_by) == (
        row.pk,
        D("85"),
        "复核表",
        cast.jingyang,
    )
    assert EnteredValue.objects.filter(round=evaluation).count() == 1


def test_entering_a_value_after_computing_sends_the_round_back_to_draft(cast: Cast) -> None:
    orgs = _three(cast)
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    for org in orgs:
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=org,
            value="50",
            evidence="评分表",
        )
    rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    rounds.value_enter(
        actor=cast.jingyang,
        evaluation=evaluation,
        indicator=social,
        subject=orgs[2],
        value="90",
        evidence="复核表",
    )
    evaluation.refresh_from_db()
    assert evaluation.state == RoundState.DRAFT and evaluation.computed_at is None
    assert not evaluation.results.exists()
    assert list(evaluation.events.values_list("kind", flat=True)) == [
        RoundEventKind.CREATED,
        *[RoundEventKind.VALUE_ENTERED] * 3,
        RoundEventKind.COMPUTED,
        RoundEventKind.RESET,
        RoundEventKind.VALUE_ENTERED,
    ]


def test_recomputing_before_publishing_follows_the_records(cast: Cast) -> None:
    small, *_ = reversed(_three(cast))  # 旌阳丙化工, the smallest
    evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region))
    registry.figure_save(actor=None, organization=small, year=2022, revenue=D("90000"))
    rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    assert standings(evaluation)[0][1] == "旌阳丙化工有限公司"
    assert ResultScore.objects.filter(result__round=evaluation).count() == 3


def test_a_published_round_does_not_move_when_the_records_change(cast: Cast) -> None:
    small = _three(cast)[2]
    evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region))
    before = standings(evaluation)
    raw_before = [row.scores[0].raw_value for row in round_ranking(evaluation).rows]
    published = rounds.round_publish(actor=cast.jingyang, evaluation=evaluation)
    assert (published.state, published.published_by) == (RoundState.PUBLISHED, cast.jingyang)
    assert published.published_at is not None

    registry.figure_save(actor=None, organization=small, year=2022, revenue=D("90000"))
    registry.organization_update(actor=None, organization=small, name="旌阳丙化工集团")
    enterprise(cast.jingyang_region, "旌阳新来公司", "80000")

    assert standings(evaluation) == before
    assert [row.scores[0].raw_value for row in round_ranking(evaluation).rows] == raw_before
    with pytest.raises(ValidationError, match=rounds.ROUND_FROZEN):
        rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    with pytest.raises(ValidationError, match=rounds.ALREADY_PUBLISHED):
        rounds.round_publish(actor=cast.jingyang, evaluation=evaluation)
    assert standings(evaluation) == before


def test_entering_is_refused_after_publishing(cast: Cast) -> None:
    orgs = _three(cast)
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    for org in orgs:
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=org,
            value="50",
            evidence="评分表",
        )
    rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    rounds.round_publish(actor=cast.jingyang, evaluation=evaluation)
    with pytest.raises(ValidationError, match=rounds.ROUND_FROZEN):
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=orgs[0],
            value="99",
            evidence="发布后改",
        )
    values = EnteredValue.objects.filter(round=evaluation).values_list("value", flat=True)
    assert set(values) == {D("50")}


def test_a_set_with_a_published_round_keeps_its_scoring(cast: Cast) -> None:
    _three(cast)
    indicator_set = revenue_set(cast.jingyang, cast.jingyang_region)
    evaluation = computed_round(cast.jingyang, indicator_set)
    rounds.round_publish(actor=cast.jingyang, evaluation=evaluation)
    indicator = indicator_set.indicators.get()
    with pytest.raises(ValidationError, match=sets.SET_FROZEN):
        sets.indicator_update(actor=cast.jingyang, indicator=indicator, weight=50)
    with pytest.raises(ValidationError, match=sets.SET_FROZEN):
        sets.set_update(actor=cast.jingyang, indicator_set=indicator_set, list_size=1)
    with pytest.raises(ValidationError, match=sets.SET_FROZEN):
        sets.indicator_remove(actor=cast.jingyang, indicator=indicator)
    renamed = sets.set_update(
        actor=cast.jingyang, indicator_set=indicator_set, description="说明可以补充。"
    )
    assert renamed.description == "说明可以补充。"


def test_compute_refuses_without_eligible_subjects_or_with_weights_short(cast: Cast) -> None:
    indicator_set = revenue_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    with pytest.raises(ValidationError, match="考评范围内没有符合参评范围"):
        rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    _three(cast)
    sets.set_update(actor=cast.jingyang, indicator_set=indicator_set, total=120)
    with pytest.raises(ValidationError) as refused:
        rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    assert refused.value.messages == [rounds.WEIGHTS_NOT_TOTAL.format(sum="100", total="120")]


def test_weights_never_add_up_past_the_total(cast: Cast) -> None:
    indicator_set = revenue_set(cast.jingyang, cast.jingyang_region)
    with pytest.raises(ValidationError) as refused:
        sets.indicator_add(
            actor=cast.jingyang,
            indicator_set=indicator_set,
            name="纳税额",
            weight="0.5",
            rule="rank",
            source_kind="computed",
            metric="enterprise.tax",
        )
    assert refused.value.message_dict == {
        "weight": [sets.WEIGHTS_OVER_TOTAL.format(sum="100.5", total="100")]
    }
    for weight in ("0", "-5", "abc"):
        with pytest.raises(ValidationError, match=sets.WEIGHT_POSITIVE):
            sets.indicator_add(
                actor=cast.jingyang,
                indicator_set=indicator_set,
                name="纳税额",
                weight=weight,
                rule="rank",
                source_kind="computed",
                metric="enterprise.tax",
            )
    with pytest.raises(ValidationError, match="总分不能低于"):
        sets.set_update(actor=cast.jingyang, indicator_set=indicator_set, total=90)


def test_an_indicator_states_its_rule_completely(cast: Cast) -> None:
    indicator_set = sets.set_create(
        actor=cast.jingyang,
        name="旌阳测试体系",
        subject_type="enterprise",
        eligibility="non_public_local",
        region=cast.jingyang_region,
    )

    def add(**fields: object) -> Indicator:
        return sets.indicator_add(
            actor=cast.jingyang,
            indicator_set=indicator_set,
            name="纳税",
            weight=10,
            source_kind="computed",
            **fields,  # type: ignore[arg-type]
        )

    with pytest.raises(ValidationError, match="区间线性计分须填写下限和上限"):
        add(rule="linear", metric="enterprise.tax", lower_bound=5, upper_bound=5)
    with pytest.raises(ValidationError, match="分档须逐行填写"):
        add(rule="thresholds", metric="enterprise.tax", thresholds=[["100", "1.5"]])
    with pytest.raises(ValidationError, match="不适用于考评对象类型“企业”"):
        add(rule="rank", metric="region.visits")
    with pytest.raises(ValidationError, match="请选择统计指标"):
        add(rule="rank", metric="")
    tiered = add(
        rule="thresholds", metric="enterprise.tax", thresholds=[["500", "1"], ["100", "0.5"]]
    )
    assert tiered.thresholds == [["100", "0.5"], ["500", "1"]] and tiered.order == 1
    with pytest.raises(ValidationError, match="适用于企业，与考评对象类型“区县”不符"):
        sets.set_create(
            actor=cast.jingyang,
            name="旌阳错配体系",
            subject_type="region",
            eligibility="non_public_local",
            region=cast.jingyang_region,
        )
    with pytest.raises(ValidationError, match="星级越高，最低总分须越高"):
        sets.set_update(
            actor=cast.jingyang, indicator_set=indicator_set, star_cutoffs=[[5, 80], [4, 90]]
        )


def test_a_table_of_values_is_entered_at_once_or_not_at_all(cast: Cast) -> None:
    orgs = _three(cast)
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    bad = [rounds.Entry(orgs[0], "70", "评分表"), rounds.Entry(orgs[1], "70", "")]
    with pytest.raises(ValidationError) as refused:
        rounds.values_enter(
            actor=cast.jingyang, evaluation=evaluation, indicator=social, entries=bad
        )
    assert refused.value.messages == [f"“旌阳乙食品有限公司”：{rounds.EVIDENCE_REQUIRED}"]
    assert not EnteredValue.objects.filter(round=evaluation).exists()
    rows = rounds.values_enter(
        actor=cast.jingyang,
        evaluation=evaluation,
        indicator=social,
        entries=[rounds.Entry(org, str(60 + n), "区工商联评分表") for n, org in enumerate(orgs)],
    )
    assert [r.value for r in rows] == [D(60), D(61), D(62)]
    assert evaluation.events.filter(kind=RoundEventKind.VALUE_ENTERED).get().note == (
        "社会责任：录入3个数值"
    )
    assert rounds.round_compute(actor=cast.jingyang, evaluation=evaluation).state == "computed"


def test_a_round_made_by_mistake_is_deleted_but_a_published_one_stays(cast: Cast) -> None:
    _three(cast)
    indicator_set = revenue_set(cast.jingyang, cast.jingyang_region)
    for mistaken in (
        rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2021),
        computed_round(cast.jingyang, indicator_set),
    ):
        rounds.round_delete(actor=cast.jingyang, evaluation=mistaken)
    assert not indicator_set.rounds.exists()
    assert not RoundResult.objects.filter(round__set=indicator_set).exists()
    published = rounds.round_publish(
        actor=cast.jingyang, evaluation=computed_round(cast.jingyang, indicator_set)
    )
    with pytest.raises(ValidationError, match=rounds.PUBLISHED_STAYS):
        rounds.round_delete(actor=cast.jingyang, evaluation=published)
    assert indicator_set.rounds.get() == published
