"""The department's evaluations in the demo (issue 5, point 5): the 非公企业50强 of 2022 and 2023
and its weighted set, the 2022 entrants of the 四川省民营企业100强, the 联谊组织 stars, the
同心德阳 bases, the democratic parties and the districts' target assessment. Loaded once for the
module with few people (SMALL)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tongxin.core.models import Region, User
from tongxin.demo import evaluation_data as ev
from tongxin.demo.loader import load
from tongxin.governance import exports_indicators, indicator_sources
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import IndicatorSet
from tongxin.governance.models_rounds import (
    EnteredValue,
    EvaluationRound,
    ResultScore,
    RoundEvent,
    RoundResult,
    RoundState,
)
from tongxin.governance.selectors_indicators import round_comparison, round_ranking
from tongxin.registry import services as registry
from tongxin.registry.models import Designation, EnterpriseFigure, Organization, StandardCheck
from tongxin.work.models import Output, Visit

from ..demo_world import PEOPLE, DemoWorld

SMALL = PEOPLE
HEADINGS = ["名次", "企业名称", "所属区域", "营业收入（万元）"]


@pytest.fixture(scope="module")
def loaded(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py), loaded once for all the tests that read it."""
    demo_world.enter()


pytestmark = pytest.mark.usefixtures("loaded", "db")


def _round(set_name: str, year: int) -> EvaluationRound:
    return EvaluationRound.objects.select_related("set").get(set__name=set_name, year=year)


def _admin() -> User:
    return User.objects.get(username="demo_admin")


def _local_day(value: dt.datetime | None) -> dt.date:
    assert value is not None
    return timezone.localtime(value).date()


def _revenues(year: int) -> list[tuple[str, Decimal]]:
    """Every non-public Deyang enterprise with revenue that year, largest first."""
    rows = (
        EnterpriseFigure.objects.filter(
            year=year,
            revenue__isnull=False,
            organization__is_non_public=True,
            organization__org_type__code="qiye",
            organization__region__path__startswith=Region.objects.get(code="510600").path,
        )
        .order_by("-revenue")
        .values_list("organization__name", "revenue")
    )
    return list(rows)


def _listed(evaluation: EvaluationRound) -> list[tuple[int, str, Decimal | None]]:
    """(rank, name, revenue as stored) of the listed results, in order."""
    rows = round_ranking(evaluation, listed_only=True).rows
    return [(row.result.rank, row.result.subject_name, _first_raw(row.scores)) for row in rows]


def _first_raw(scores: list[ResultScore | None]) -> Decimal | None:
    return scores[0].raw_value if scores[0] is not None else None


# --- 非公企业50强 ---------------------------------------------------------------------------------


def test_the_2022_top_50_is_published_in_march_2023_with_50_enterprises_by_revenue() -> None:
    top = _round(ev.TOP_50, 2022)
    assert top.state == RoundState.PUBLISHED
    assert _local_day(top.computed_at) == dt.date(2023, 3, 10)
    assert _local_day(top.published_at) == dt.date(2023, 3, 28)
    listed = _listed(top)
    assert len(listed) == 50
    assert [rank for rank, _, _ in listed] == list(range(1, 51))
    # Exactly the 50 largest by 2022 revenue, in that order, out of every eligible enterprise.
    everyone = _revenues(2022)
    assert top.results.count() == len(everyone) > 50
    assert [(name, revenue) for _, name, revenue in listed] == everyone[:50]
    assert top.set.list_size == 50 and top.set.get_tie_rule_display().startswith("总分相同者并列")


def test_changing_a_2022_revenue_after_publishing_does_not_move_the_list() -> None:
    top = _round(ev.TOP_50, 2022)
    before = _listed(top)
    largest = before[0][2]
    assert largest is not None
    outside = RoundResult.objects.get(round=top, position=51)
    assert outside.in_list is False
    firm = outside.organization
    assert firm is not None
    registry.figure_save(
        actor=_admin(),
        organization=firm,
        year=2022,
        revenue=(largest + 1000).quantize(Decimal("0.01")),
    )
    # The records now put it first; the published list still reads as it was published.
    revenue = indicator_sources.get("enterprise.revenue").compute(2022, [firm.pk])[firm.pk]
    assert revenue is not None and revenue > largest
    assert _listed(top) == before
    with pytest.raises(ValidationError) as refused:
        rounds.round_compute(actor=_admin(), evaluation=top)
    assert refused.value.messages == [rounds.ROUND_FROZEN]
    assert _listed(top) == before


def test_the_2022_top_50_exports_50_rows_to_xlsx_and_a_docx_word_can_read() -> None:
    top = _round(ev.TOP_50, 2022)
    names = [name for _, name, _ in _listed(top)]

    response = exports_indicators.xlsx_response(_admin(), top)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "名次")
    body = rows[header + 1 :]
    assert rows[header][:4] == HEADINGS
    assert len(body) == 50
    assert [r[1] for r in body] == names
    assert [r[0] for r in body] == [str(n) for n in range(1, 51)]

    document = Document(io.BytesIO(exports_indicators.ranking_docx(_admin(), top)))
    assert document.paragraphs[0].text == "2022年德阳非公企业50强"
    table = document.tables[0]
    assert len(table.rows) == 51
    assert [c.text for c in table.rows[0].cells][:4] == HEADINGS
    assert [r.cells[1].text for r in table.rows[1:]] == names


def test_the_2023_list_compares_with_2022_rank_by_rank() -> None:
    later = _round(ev.TOP_50, 2023)
    assert later.state == RoundState.PUBLISHED
    assert [name for _, name, _ in _listed(later)] == [n for n, _ in _revenues(2023)[:50]]
    comparison = round_comparison(later)
    assert comparison is not None and comparison.previous == _round(ev.TOP_50, 2022)
    assert comparison.count("stayed") + comparison.count("new") == 50
    assert comparison.count("new") == comparison.count("dropped")
    assert any(row.rank_change for row in comparison.rows if row.status == "stayed")


def test_the_weighted_set_has_five_indicators_of_100_and_evidence_for_each_enterprise() -> None:
    weighted = _round(ev.TOP_50_WEIGHTED, 2022)
    indicators = list(weighted.set.indicators.order_by("order"))
    assert [i.name for i in indicators] == [
        "营业收入",
        "纳税额",
        "从业人数",
        "研发投入",
        "社会责任",
    ]
    assert sum(i.weight for i in indicators) == weighted.set.total == 100
    assert weighted.state == RoundState.COMPUTED
    assert len(round_ranking(weighted, listed_only=True).rows) == 50
    entered = EnteredValue.objects.filter(round=weighted)
    assert entered.count() == weighted.results.count() == len(_revenues(2022))
    assert not entered.filter(evidence="").exists()
    # Another method, another order: the weighted list is not the revenue list.
    assert _listed(weighted) != _listed(_round(ev.TOP_50, 2022))


# --- 四川省民营企业100强 ------------------------------------------------------------


def test_12_enterprises_entered_the_2022_provincial_100_as_recorded_designations() -> None:
    entrants = ev.private_100_entrants(2022).select_related("organization", "kind")
    assert entrants.count() == 12
    assert {(d.kind.name, d.issuer, d.designated_on.year) for d in entrants} == {
        ("四川省民营企业100强", "四川省工商业联合会", 2022)
    }
    # The provincial list of 2022 ranks by 2021 revenue: the 12 largest entered it, and every
    # one of them is on the city's own 2022 list.
    largest_2021 = {name for name, _ in _revenues(2021)[:12]}
    assert {d.organization.name for d in entrants} == largest_2021
    city_list = {name for _, name, _ in _listed(_round(ev.TOP_50, 2022))}
    assert largest_2021 <= city_list
    assert ev.private_100_entrants(2023).count() == 0


def test_revoking_an_entrant_lowers_the_count() -> None:
    entrant = ev.private_100_entrants(2022).first()
    assert entrant is not None
    registry.designation_update(actor=_admin(), designation=entrant, revoked_on=dt.date(2023, 1, 1))
    assert ev.private_100_entrants(2022).count() == 11
    assert Designation.objects.filter(kind__code=ev.PRIVATE_100).count() == 12


# --- 联谊组织, 同心德阳基地 --------------------------------------------------------


def test_the_lianyi_round_of_2022_is_published_with_stars_from_the_checklist() -> None:
    lianyi = _round(ev.LIANYI, 2022)
    assert lianyi.state == RoundState.PUBLISHED
    cutoffs = lianyi.set.cutoffs
    results = list(lianyi.results.select_related("organization"))
    assert len(results) == 12
    for result in results:
        expected = max((s for s, least in cutoffs if result.total >= least), default=0)
        assert result.stars == expected
    assert len({r.stars for r in results}) >= 2
    checks = {c.organization_id: c.items_met for c in StandardCheck.objects.filter(year=2022)}
    items = ResultScore.objects.filter(
        result__round=lianyi, indicator__metric="organization.standard_items"
    )
    assert {s.result.organization_id: int(s.raw_value) for s in items} == {  # type: ignore[arg-type]
        r.organization_id: checks[r.organization_id]  # type: ignore[index]
        for r in results
    }
    assert _round(ev.LIANYI, 2023).state == RoundState.COMPUTED


def test_the_bases_are_scored_from_values_li_wenjing_entered_with_evidence() -> None:
    bases = _round(ev.BASES, 2023)
    assert bases.state == RoundState.COMPUTED
    assert bases.results.count() == 10
    entered = EnteredValue.objects.filter(round=bases).select_related("entered_by", "indicator")
    assert entered.count() == 30
    assert {v.entered_by.name for v in entered} == {"李文静"}
    assert {v.indicator.name for v in entered} == {"阵地建设", "活动开展", "示范带动"}
    assert all(v.evidence for v in entered)
    assert all(r.stars is not None and r.star_text for r in bases.results.all())


# --- 民主党派, 目标考核 ------------------------------------------------------------


def test_the_party_round_counts_the_7_reports_5_endorsed_3_adopted_of_the_work_demo() -> None:
    parties = _round(ev.PARTIES, 2022)
    assert parties.state == RoundState.PUBLISHED
    assert parties.results.count() == 7
    scores = ResultScore.objects.filter(result__round=parties)
    totals = {
        metric: scores.filter(indicator__metric=metric).aggregate(n=Sum("raw_value"))["n"]
        for metric in ("party.research_reports", "party.reports_endorsed", "party.reports_adopted")
    }
    reports = Output.objects.filter(
        kind="research_report", date__year=2022, authors__organization__org_type__code="dangpai"
    ).distinct()
    assert reports.count() == 7
    assert totals == {
        "party.research_reports": reports.count(),
        "party.reports_endorsed": reports.filter(endorsements__isnull=False).distinct().count(),
        "party.reports_adopted": reports.filter(adoptions__isnull=False).distinct().count(),
    }
    assert list(totals.values()) == [7, 5, 3]
    service = EnteredValue.objects.filter(round=parties, indicator__name="社会服务")
    assert service.count() == 7 and all(v.evidence for v in service)


def test_the_districts_are_assessed_on_their_own_records_of_2022() -> None:
    target = _round(ev.DISTRICTS, 2022)
    assert target.state == RoundState.COMPUTED
    results = {r.subject_name: r for r in target.results.all()}
    assert set(results) == {
        "旌阳区",
        "罗江区",
        "中江县",
        "广汉市",
        "什邡市",
        "绵竹市",
        "德阳经开区",
    }
    visits = ResultScore.objects.get(
        result=results["旌阳区"], indicator__metric="region.visits"
    ).raw_value
    assert (
        visits
        == Visit.objects.filter(
            region__path__startswith=results["旌阳区"].region.path,  # type: ignore[union-attr]
            visited_on__year=2022,
        ).count()
        > 0
    )
    assert sum(i.weight for i in target.set.indicators.all()) == 100


# --- the demo as a whole ----------------------------------------------------------------------


def test_each_round_has_its_timeline_on_the_days_it_happened() -> None:
    top = _round(ev.TOP_50, 2022)
    steps = [(e.kind, _local_day(e.at)) for e in RoundEvent.objects.filter(round=top)]
    assert steps == [
        ("created", dt.date(2023, 2, 20)),
        ("computed", dt.date(2023, 3, 10)),
        ("published", dt.date(2023, 3, 28)),
    ]
    assert EvaluationRound.objects.filter(state=RoundState.DRAFT).count() == 0


def test_a_second_load_adds_nothing() -> None:
    counted = (IndicatorSet, EvaluationRound, RoundResult, EnteredValue, RoundEvent, Designation)
    before = [model.objects.count() for model in counted]
    assert load(people=SMALL).rounds == 8
    assert [model.objects.count() for model in counted] == before
    assert Organization.objects.filter(designations__kind__code=ev.PRIVATE_100).count() == 12
