"""The indicator pages: the lists of sets and rounds (scope, figures, query counts), a set's page
with its rules in words and the forms that build it, and a round's page worked from end to end:
values entered with evidence, computed, published (once), exported and compared with the year
before. A refused write changes nothing and says why with the service's Chinese sentence."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client

from tongxin.governance import exports_indicators as exports
from tongxin.governance import scoring
from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import Indicator, IndicatorSet
from tongxin.governance.models_rounds import EnteredValue, EvaluationRound, RoundState
from tongxin.governance.views_rounds import PUBLISH_CONFIRM, PUBLISHED
from tongxin.registry import services as registry
from tongxin.registry.models import Organization
from tongxin.work import checks

from ..conftest import Cast, login
from ..work.casework import messages_of, page
from .indicator_records import computed_round, enterprise, revenue_set, weighted_set

D = Decimal


def round_url(evaluation: EvaluationRound, rest: str = "") -> str:
    return f"/rounds/{evaluation.pk}/{rest}"


def set_url(indicator_set: IndicatorSet, rest: str = "") -> str:
    return f"/indicator-sets/{indicator_set.pk}/{rest}"


def fresh(evaluation: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.get(pk=evaluation.pk)


def three(cast: Cast) -> list[Organization]:
    region = cast.jingyang_region
    return [
        enterprise(region, "旌阳甲机械有限公司", "5000"),
        enterprise(region, "旌阳乙食品有限公司", "12000"),
        enterprise(region, "旌阳丙化工有限公司", "800"),
    ]


def enter(
    client: Client,
    evaluation: EvaluationRound,
    indicator: Indicator,
    org: Organization,
    value: str,
    evidence: str,
) -> Any:
    prefix = f"v{indicator.pk}-o{org.pk}"
    return client.post(
        round_url(evaluation, "values/"),
        {
            "prefix": prefix,
            f"{prefix}-indicator": indicator.pk,
            f"{prefix}-subject": f"organization:{org.pk}",
            f"{prefix}-value": value,
            f"{prefix}-evidence": evidence,
        },
        follow=True,
    )


# --- who may open what ----------------------------------------------------------------------------


def test_each_district_lists_only_its_own_sets_and_rounds(cast: Cast) -> None:
    mine = page(login(cast.jingyang), "/indicator-sets/")
    assert cast.gov.indicator_set.name in mine
    assert cast.gov.evaluation_round.title in page(login(cast.jingyang), "/rounds/")
    for who in (cast.luojiang, cast.outsider):
        for path in ("/indicator-sets/", "/rounds/"):
            assert "旌阳" not in page(login(who), path)


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_get_404_and_change_nothing(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    evaluation = cast.gov.evaluation_round
    for path in (
        set_url(cast.gov.indicator_set),
        set_url(cast.gov.indicator_set, "edit/"),
        round_url(evaluation),
        round_url(evaluation, "compare/"),
        round_url(evaluation, "export.xlsx"),
        f"/indicators/{cast.gov.indicator.pk}/edit/",
    ):
        assert client.get(path).status_code == 404, path
    for path in ("compute/", "publish/"):
        assert client.post(round_url(evaluation, path)).status_code == 404
    assert fresh(evaluation).state == RoundState.COMPUTED


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_have_no_indicator_pages(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    for path in ("/indicator-sets/", "/rounds/", round_url(cast.gov.evaluation_round)):
        assert client.get(path).status_code == 403, path
    assert 'href="/rounds/"' not in client.get("/tasks/").content.decode()


def test_the_leader_reads_without_buttons_and_may_not_write(cast: Cast) -> None:
    client = login(cast.leader)
    evaluation = cast.gov.evaluation_round
    html = page(client, round_url(evaluation))
    assert cast.gov.indicator.name in html and "导出 .xlsx" in html
    assert "计算</button>" not in html and "发布</button>" not in html
    assert "添加指标" not in page(client, set_url(cast.gov.indicator_set))
    assert client.post(round_url(evaluation, "publish/")).status_code == 403
    assert client.get(set_url(cast.gov.indicator_set, "edit/")).status_code == 403
    assert fresh(evaluation).state == RoundState.COMPUTED


def test_the_nav_links_to_the_evaluations_for_staff_and_leaders(cast: Cast) -> None:
    for who in (cast.jingyang, cast.leader):
        assert 'href="/rounds/"' in page(login(who), "/tasks/")


# --- the lists ------------------------------------------------------------------------------------


def test_the_set_list_shows_indicators_total_and_the_latest_round(cast: Cast) -> None:
    response = login(cast.jingyang).get("/indicator-sets/")
    row = next(s for s in response.context["page"].object_list if s.pk == cast.gov.indicator_set.pk)
    assert (row.indicator_count, row.weights, row.total) == (2, D("100"), D("100"))
    assert row.latest_round == cast.gov.evaluation_round
    html = response.content.decode()
    assert "2022年" in html and "已计算" in html and "100 分" in html


def test_the_lists_filter(cast: Cast) -> None:
    client = login(cast.jingyang)
    name = cast.gov.indicator_set.name
    assert name in page(client, "/indicator-sets/", q="联谊组织")
    assert name not in page(client, "/indicator-sets/", subject_type="enterprise")
    title = cast.gov.evaluation_round.title
    assert title in page(client, "/rounds/", state="computed", year="2022")
    assert title not in page(client, "/rounds/", state="published")
    response = client.get("/rounds/", HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "governance/_round_rows.html"


@pytest.mark.parametrize("path", ["/indicator-sets/", "/rounds/"])
def test_the_lists_run_a_fixed_number_of_queries(
    cast: Cast, path: str, django_assert_max_num_queries: Any
) -> None:
    for n in range(8):
        indicator_set = revenue_set(cast.jingyang, cast.jingyang_region, name=f"旌阳企业榜{n}")
        rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
        rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2021)
    client = login(cast.jingyang)
    client.get(path)
    with django_assert_max_num_queries(10):
        response = client.get(path)
    # Eight here and 旌阳's own (sets), and their rounds.
    assert len(response.context["page"].object_list) == (9 if "sets" in path else 17)


# --- a set and its indicators ---------------------------------------------------------------------


def test_a_keeper_creates_a_set_whose_subject_type_follows_its_eligibility(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/indicator-sets/new/",
        {
            "name": "旌阳非公企业20强",
            "eligibility": "non_public_local",
            "region": cast.jingyang_region.pk,
            "total": "100",
            "tie_rule": "shared",
            "star_cutoffs": "5：90\n4:80\n",
            "list_size": "20",
        },
        follow=True,
    )
    created = IndicatorSet.objects.get(name="旌阳非公企业20强")
    assert response.redirect_chain[-1][0] == set_url(created)
    assert (created.subject_type, created.list_size) == ("enterprise", 20)
    assert created.star_cutoffs == [[5, "90"], [4, "80"]]
    html = response.content.decode()
    assert "★★★★★ 总分90分及以上" in html and "取前20名上榜" in html


def test_a_refused_set_says_why_with_the_services_sentence(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/indicator-sets/new/",
        {
            "name": "旌阳星级",
            "eligibility": "lianyi",
            "region": cast.jingyang_region.pk,
            "total": "100",
            "tie_rule": "shared",
            "star_cutoffs": "3:60\n4:50",
        },
    )
    assert response.status_code == 200
    expected = scoring.CUTOFF_ORDER.format(high=4, high_min=50, low=3, low_min=60)
    assert expected in response.content.decode()
    assert not IndicatorSet.objects.filter(name="旌阳星级").exists()


def test_another_district_may_not_create_a_set_in_jingyang(cast: Cast) -> None:
    response = login(cast.luojiang).post(
        "/indicator-sets/new/",
        {
            "name": "越权",
            "eligibility": "lianyi",
            "region": cast.jingyang_region.pk,
            "total": "100",
            "tie_rule": "shared",
        },
    )
    assert checks.REGION_OUT_OF_SCOPE in response.content.decode()
    assert not IndicatorSet.objects.filter(name="越权").exists()


def test_the_set_page_states_each_rule_and_source_in_words(cast: Cast) -> None:
    html = page(login(cast.jingyang), set_url(cast.gov.indicator_set))
    assert "5项及以上得满分60分，0项及以下得0分，其间按比例计分。" in html
    assert "达到80分得40分；达到60分得24分；都未达到得0分" in html
    assert "统计口径：组织当年“标准化建设”检查中达标的项数" in html
    assert "录入（需佐证），单位：分" in html
    assert "权重合计 <strong>100</strong> / 总分 <strong>100</strong>" in html
    assert "相符，可以计算" in html
    assert "★★★ 总分80分及以上" in html and "总分相同者并列" in html


def test_a_keeper_adds_an_indicator_with_thresholds_typed_a_line_each(cast: Cast) -> None:
    indicator_set = sets.set_create(
        actor=cast.jingyang,
        name="旌阳试点",
        subject_type="organization",
        eligibility="lianyi",
        region=cast.jingyang_region,
    )
    client = login(cast.jingyang)
    response = client.post(
        set_url(indicator_set, "indicators/new/"),
        {
            "name": "活动场次",
            "weight": "30",
            "direction": "higher",
            "rule": "thresholds",
            "thresholds": "2:0.5\n6：1",
            "lower_bound": "7",  # typed before switching rule: not kept
            "source_kind": "computed",
            "metric": "organization.activities",
        },
        follow=True,
    )
    indicator = indicator_set.indicators.get()
    assert (indicator.thresholds, indicator.lower_bound) == ([["2", "0.5"], ["6", "1"]], None)
    assert "已添加指标“活动场次”。" in messages_of(response)
    html = response.content.decode()
    assert "还差 70 分，相符后才能计算" in html

    response = client.post(
        set_url(indicator_set, "indicators/new/"),
        {
            "name": "成员人数",
            "weight": "80",
            "direction": "higher",
            "rule": "rank",
            "source_kind": "computed",
            "metric": "organization.members",
        },
    )
    assert sets.WEIGHTS_OVER_TOTAL.format(sum="110", total="100") in response.content.decode()
    assert indicator_set.indicators.count() == 1


def test_a_computed_indicator_needs_its_metric(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        set_url(cast.gov.indicator_set, "indicators/new/"),
        {
            "name": "无来源",
            "weight": "1",
            "direction": "higher",
            "rule": "rank",
            "source_kind": "computed",
        },
    )
    assert "由记录统计的指标须选择统计指标。" in response.content.decode()


def test_editing_an_indicator_sends_the_computed_round_back_to_draft(cast: Cast) -> None:
    indicator = cast.gov.indicator
    client = login(cast.jingyang)
    form = client.get(f"/indicators/{indicator.pk}/edit/").context["form"]
    data = {**form.initial, "upper_bound": "4"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(f"/indicators/{indicator.pk}/edit/", data, follow=True)
    assert Indicator.objects.get(pk=indicator.pk).upper_bound == D("4")
    assert "4项及以上得满分60分" in response.content.decode()
    assert fresh(cast.gov.evaluation_round).state == RoundState.DRAFT


def test_an_indicator_with_entered_values_cannot_be_removed(cast: Cast) -> None:
    entered = cast.gov.indicator_set.indicators.get(source_kind="entered")
    response = login(cast.jingyang).post(f"/indicators/{entered.pk}/remove/", follow=True)
    assert sets.INDICATOR_HAS_VALUES in messages_of(response)
    assert Indicator.objects.filter(pk=entered.pk).exists()
    response = login(cast.jingyang).post(
        f"/indicators/{cast.gov.indicator.pk}/remove/", follow=True
    )
    assert not Indicator.objects.filter(pk=cast.gov.indicator.pk).exists()


def test_a_published_set_is_frozen_on_its_page(cast: Cast) -> None:
    rounds.round_publish(actor=cast.jingyang, evaluation=cast.gov.evaluation_round)
    client = login(cast.jingyang)
    html = page(client, set_url(cast.gov.indicator_set))
    assert "指标和计分规则已冻结" in html and "添加指标" not in html
    form = client.get(set_url(cast.gov.indicator_set, "edit/")).context["form"]
    data = {k: ("" if v is None else v) for k, v in {**form.initial, "total": "120"}.items()}
    response = client.post(set_url(cast.gov.indicator_set, "edit/"), data)
    assert sets.SET_FROZEN in response.content.decode()


# --- a round, end to end --------------------------------------------------------------------------


def test_a_round_is_entered_computed_and_published_from_its_page(cast: Cast) -> None:
    machinery, food, chemicals = three(cast)
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    responsibility = indicator_set.indicators.get(source_kind="entered")
    client = login(cast.jingyang)
    response = client.post(
        set_url(indicator_set, "rounds/new/"),
        {"year": "2022", "scope_region": cast.jingyang_region.pk},
        follow=True,
    )
    evaluation = EvaluationRound.objects.get(set=indicator_set)
    assert response.redirect_chain[-1][0] == round_url(evaluation)
    html = response.content.decode()
    assert "需录入的指标还缺 3 项" in html and "旌阳甲机械有限公司" in html

    # Computing now is refused, naming what is missing, and nothing is scored 0.
    response = client.post(round_url(evaluation, "compute/"), follow=True)
    assert any(m.startswith("以下录入指标尚未录齐，不能计算") for m in messages_of(response))
    assert fresh(evaluation).state == RoundState.DRAFT

    # A value without evidence comes back on its row with the sentence.
    response = enter(client, evaluation, responsibility, machinery, "90", "")
    assert "请填写佐证材料（数据出处、文件名称或说明）。" in response.content.decode()
    assert not EnteredValue.objects.filter(round=evaluation).exists()

    for org, value in ((machinery, "90"), (food, "70"), (chemicals, "100")):
        response = enter(client, evaluation, responsibility, org, value, "区工商联评价表")
        assert response.status_code == 200
    assert EnteredValue.objects.filter(round=evaluation).count() == 3
    assert "需录入的指标已录齐" in response.content.decode()

    response = client.post(round_url(evaluation, "compute/"), follow=True)
    assert "已计算：3个对象参评，3个上榜。请核对排名，无误后发布。" in messages_of(response)
    html = response.content.decode()
    assert PUBLISH_CONFIRM in html  # the publish button asks, saying it freezes the result
    ranking = response.context["rank_rows"]
    assert [(r.result.rank, r.result.subject_name) for r in ranking] == [
        (1, "旌阳乙食品有限公司"),
        (2, "旌阳甲机械有限公司"),
        (3, "旌阳丙化工有限公司"),
    ]
    first = ranking[0]
    assert [c.raw for c in first.cells] == ["12,000万元", "70分"]
    assert "★★★★" in html  # 乙: 60 + 28 = 88 → four stars

    response = client.post(round_url(evaluation, "publish/"), follow=True)
    assert PUBLISHED in messages_of(response)
    assert fresh(evaluation).state == RoundState.PUBLISHED
    html = response.content.decode()
    assert "结果已冻结" in html and "计算</button>" not in html

    response = client.post(round_url(evaluation, "publish/"), follow=True)
    assert rounds.ALREADY_PUBLISHED in messages_of(response)
    response = enter(client, evaluation, responsibility, machinery, "10", "更正")
    assert rounds.ROUND_FROZEN in messages_of(response)
    assert EnteredValue.objects.get(round=evaluation, organization=machinery).value == D("90")


def test_entering_again_replaces_the_value_and_sends_the_round_back(cast: Cast) -> None:
    evaluation = cast.gov.evaluation_round
    entered = cast.gov.indicator_set.indicators.get(source_kind="entered")
    org = Organization.objects.get(name="旌阳区新的社会阶层人士联谊会")
    client = login(cast.jingyang)
    html = page(client, round_url(evaluation), edit=f"v{entered.pk}-o{org.pk}")
    assert "保存修改" in html
    response = enter(client, evaluation, entered, org, "50", "复核后更正")
    assert "本轮已退回草稿，请重新计算。" in " ".join(messages_of(response))
    value = EnteredValue.objects.get(round=evaluation)
    assert (value.value, value.evidence) == (D("50"), "复核后更正")
    assert fresh(evaluation).state == RoundState.DRAFT


def test_a_forged_subject_is_refused_without_naming_it(cast: Cast) -> None:
    evaluation = cast.gov.evaluation_round
    entered = cast.gov.indicator_set.indicators.get(source_kind="entered")
    other = enterprise(cast.luojiang_region, "罗江保密公司", "10")
    response = enter(login(cast.jingyang), evaluation, entered, other, "50", "伪造")
    said = " ".join(messages_of(response))
    assert "不在本轮考评对象中" in said and "罗江保密公司" not in said
    assert not EnteredValue.objects.filter(organization=other).exists()


def test_the_list_cut_shows_the_listed_and_on_demand_everyone(cast: Cast) -> None:
    for n, revenue in enumerate(["900", "800", "800", "100"]):
        enterprise(cast.jingyang_region, f"旌阳{n}号", revenue)
    evaluation = computed_round(
        cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region, list_size=2)
    )
    client = login(cast.jingyang)
    response = client.get(round_url(evaluation))
    assert [r.result.subject_name for r in response.context["rank_rows"]] == [
        "旌阳0号",
        "旌阳1号",
        "旌阳2号",
    ]
    html = response.content.decode()
    assert "上榜名单：前2名，3 个" in html and "显示全部 4 个参评对象" in html
    response = client.get(round_url(evaluation), {"all": "1"})
    assert len(response.context["rank_rows"]) == 4
    assert "以上为上榜名单（前2名），以下未上榜" in response.content.decode()


@pytest.mark.parametrize("draft", [False, True])
def test_the_round_page_runs_a_fixed_number_of_queries(
    cast: Cast, draft: bool, django_assert_max_num_queries: Any
) -> None:
    for n in range(35):
        enterprise(cast.jingyang_region, f"旌阳企业{n:02d}", str(1000 + n))
    if draft:  # thirty-five values to enter, thirty listed at a time
        indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
        evaluation = rounds.round_create(
            actor=cast.jingyang, indicator_set=indicator_set, year=2022
        )
    else:
        evaluation = computed_round(cast.jingyang, revenue_set(cast.jingyang, cast.jingyang_region))
    client = login(cast.jingyang)
    client.get(round_url(evaluation))
    with django_assert_max_num_queries(25):
        response = client.get(round_url(evaluation))
    if draft:
        assert (len(response.context["entry_rows"]), response.context["missing_count"]) == (30, 35)
        assert "共缺 35 项，这里先列出 30 项" in response.content.decode()
    else:
        assert len(response.context["rank_rows"]) == 35


# --- exports and year on year ---------------------------------------------------------------------


def test_the_round_exports_as_xlsx_and_docx(cast: Cast) -> None:
    client = login(cast.leader)
    evaluation = cast.gov.evaluation_round
    xlsx = client.get(round_url(evaluation, "export.xlsx"))
    assert xlsx.status_code == 200
    body = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ["旌阳区新的社会阶层人士联谊会"]
    docx = client.get(round_url(evaluation, "export.docx"))
    assert docx.status_code == 200 and docx["Content-Type"] == exports.DOCX


def test_a_draft_round_has_nothing_to_export(cast: Cast) -> None:
    evaluation = rounds.round_create(
        actor=cast.jingyang, indicator_set=cast.gov.indicator_set, year=2021
    )
    response = login(cast.jingyang).get(round_url(evaluation, "export.xlsx"), follow=True)
    assert exports.NOTHING_TO_EXPORT in messages_of(response)


def test_the_comparison_shows_moves_and_new_entrants(cast: Cast) -> None:
    region = cast.jingyang_region
    for name, before, now in [
        ("旌阳升公司", "100", "900"),
        ("旌阳降公司", "800", "200"),
        ("旌阳稳公司", "500", "500"),
    ]:
        org = enterprise(region, name, before, year=2021)
        registry.figure_save(actor=None, organization=org, year=2022, revenue=D(now))
    enterprise(region, "旌阳新公司", "700")  # 2022 only
    indicator_set = revenue_set(cast.jingyang, region)
    computed_round(cast.jingyang, indicator_set, year=2021)
    current = computed_round(cast.jingyang, indicator_set, year=2022)
    client = login(cast.jingyang)
    html = page(client, round_url(current))
    assert "与 2021 年" in html
    response = client.get(round_url(current, "compare/"))
    rows = {r.name: r for r in response.context["comparison"].rows}
    assert rows["旌阳升公司"].rank_change == 2 and rows["旌阳降公司"].rank_change == -3
    assert rows["旌阳新公司"].status == "new"
    html = response.content.decode()
    assert "bi-arrow-up" in html and "bi-arrow-down" in html and "新上榜" in html


def test_a_first_round_has_no_comparison(cast: Cast) -> None:
    html = page(login(cast.jingyang), round_url(cast.gov.evaluation_round, "compare/"))
    assert "没有可比较的上一轮" in html
