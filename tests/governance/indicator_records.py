"""Records of the indicator tests: non-public enterprises of 旌阳区 with their yearly figures, and
the sets that rank them (by revenue alone, like the 50强, or weighted with an entered indicator).
Built through the services, as a 旌阳 district user would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tongxin.core.models import Region, User
from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import IndicatorSet, SubjectType
from tongxin.governance.models_rounds import EvaluationRound
from tongxin.governance.selectors_indicators import round_ranking
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Organization


def org_type(name: str) -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name=name)


def enterprise(
    region: Region, name: str, revenue: str | None, year: int = 2022, **figures: Any
) -> Organization:
    org = registry.organization_create(
        actor=None, name=name, org_type=org_type("企业"), region=region, is_non_public=True
    )
    registry.figure_save(
        actor=None,
        organization=org,
        year=year,
        revenue=None if revenue is None else Decimal(revenue),
        **figures,
    )
    return org


def revenue_set(
    actor: User, region: Region, name: str = "旌阳非公企业强", **fields: Any
) -> IndicatorSet:
    """Ranked by revenue alone, as the national list is: one rank-based indicator of 100."""
    indicator_set = sets.set_create(
        actor=actor,
        name=name,
        subject_type=SubjectType.ENTERPRISE,
        eligibility="non_public_local",
        region=region,
        description="按营业收入排序，参照全国民营企业500强的做法。",
        **fields,
    )
    sets.indicator_add(
        actor=actor,
        indicator_set=indicator_set,
        name="营业收入",
        weight=100,
        rule="rank",
        source_kind="computed",
        metric="enterprise.revenue",
    )
    return indicator_set


def weighted_set(actor: User, region: Region) -> IndicatorSet:
    """Revenue (rank, 60) and social responsibility (entered, linear 0–100, 40)."""
    indicator_set = sets.set_create(
        actor=actor,
        name="旌阳非公企业综合评价",
        subject_type=SubjectType.ENTERPRISE,
        eligibility="non_public_local",
        region=region,
        star_cutoffs=[[5, 90], [4, 80], [3, 60]],
    )
    sets.indicator_add(
        actor=actor,
        indicator_set=indicator_set,
        name="营业收入",
        weight=60,
        rule="rank",
        source_kind="computed",
        metric="enterprise.revenue",
    )
    sets.indicator_add(
        actor=actor,
        indicator_set=indicator_set,
        name="社会责任",
        weight=40,
        rule="linear",
        lower_bound=0,
        upper_bound=100,
        source_kind="entered",
        unit_label="分",
        description="由区工商联按公益捐赠、稳岗就业等情况评分（0–100）。",
    )
    return indicator_set


def computed_round(actor: User, indicator_set: IndicatorSet, year: int = 2022) -> EvaluationRound:
    evaluation = rounds.round_create(actor=actor, indicator_set=indicator_set, year=year)
    return rounds.round_compute(actor=actor, evaluation=evaluation)


def standings(evaluation: EvaluationRound) -> list[tuple[int, str, Decimal]]:
    """(rank, name, total) in the order shown."""
    return [
        (row.result.rank, row.result.subject_name, row.result.total)
        for row in round_ranking(evaluation).rows
    ]
