"""Who sees and who keeps indicator sets and rounds (access.py and check_set_keeper): a set and
all of its rounds follow the set's region and line; leaders read; liaisons, auditors, other
districts and other cities see nothing and change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import BusinessLine, User
from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models import (
    EnteredValue,
    EvaluationRound,
    Indicator,
    IndicatorSet,
    ResultScore,
    RoundEvent,
    RoundResult,
)
from tongxin.governance.models_indicators import SubjectType
from tongxin.governance.selectors_indicators import round_list, set_list, subject_results
from tongxin.work.checks import NOT_YOURS

from ..conftest import Cast
from .indicator_records import enterprise, weighted_set

MODELS: list[type[Model]] = [
    IndicatorSet,
    Indicator,
    EvaluationRound,
    EnteredValue,
    RoundResult,
    ResultScore,
    RoundEvent,
]


@pytest.fixture
def jingyang_round(cast: Cast) -> EvaluationRound:
    """A computed round of a 旌阳 set, with an entered value."""
    orgs = [enterprise(cast.jingyang_region, f"旌阳访问{n}公司", str(100 * n)) for n in (1, 2)]
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    for org in orgs:
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=org,
            value="60",
            evidence="旌阳区工商联评分表",
        )
    return rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)


def _count(user: User, model: type[Model]) -> int:
    return access.scope(user, model._default_manager.all()).count()


@pytest.mark.parametrize("who", ["outsider", "luojiang", "liaison", "auditor"])
def test_others_see_nothing_of_a_jingyang_set_and_round(
    cast: Cast, jingyang_round: EvaluationRound, who: str
) -> None:
    user = getattr(cast, who)
    assert {m.__name__: _count(user, m) for m in MODELS} == {m.__name__: 0 for m in MODELS}
    with pytest.raises(Http404):
        access.get_for_user(user, EvaluationRound, pk=jingyang_round.pk)
    with pytest.raises(Http404):
        access.get_for_user(user, IndicatorSet, pk=jingyang_round.set_id)
    assert not set_list(user).exists() and not round_list(user).exists()
    result = jingyang_round.results.first()
    assert result is not None and result.organization is not None
    assert not subject_results(user, result.organization).exists()


@pytest.mark.parametrize("who", ["jingyang", "admin", "leader", "city_staff"])
def test_the_district_the_city_and_leaders_see_it(
    cast: Cast, jingyang_round: EvaluationRound, who: str
) -> None:
    user = getattr(cast, who)
    assert all(_count(user, m) for m in MODELS)
    assert access.get_for_user(user, EvaluationRound, pk=jingyang_round.pk) == jingyang_round
    assert jingyang_round in round_list(user)


def _writes(cast: Cast, evaluation: EvaluationRound) -> dict[str, Callable[[User], object]]:
    indicator_set = evaluation.set
    social = indicator_set.indicators.get(name="社会责任")
    subject = evaluation.results.first().organization  # type: ignore[union-attr]
    return {
        "compute": lambda u: rounds.round_compute(actor=u, evaluation=evaluation),
        "publish": lambda u: rounds.round_publish(actor=u, evaluation=evaluation),
        "enter": lambda u: rounds.value_enter(
            actor=u,
            evaluation=evaluation,
            indicator=social,
            subject=subject,  # type: ignore[arg-type]
            value="1",
            evidence="越权",
        ),
        "new round": lambda u: rounds.round_create(actor=u, indicator_set=indicator_set, year=2021),
        "add indicator": lambda u: sets.indicator_add(
            actor=u,
            indicator_set=indicator_set,
            name="越权指标",
            weight=1,
            rule="rank",
            source_kind="computed",
            metric="enterprise.tax",
        ),
        "update set": lambda u: sets.set_update(actor=u, indicator_set=indicator_set, name="改名"),
    }


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [
        ("luojiang", ValidationError, NOT_YOURS),
        ("outsider", ValidationError, NOT_YOURS),
        ("leader", PermissionDenied, access.READ_ONLY),
        ("liaison", PermissionDenied, access.ROLE_FORBIDDEN),
        ("auditor", PermissionDenied, access.READ_ONLY),
    ],
)
def test_only_keepers_write(
    cast: Cast, jingyang_round: EvaluationRound, who: str, error: type[Exception], message: str
) -> None:
    user = getattr(cast, who)
    for name, write in _writes(cast, jingyang_round).items():
        with pytest.raises(error, match=message):
            write(user)
        state = EvaluationRound.objects.get(pk=jingyang_round.pk).state
        assert (name, state) == (name, jingyang_round.state)
    assert not EnteredValue.objects.filter(evidence="越权").exists()
    assert not Indicator.objects.filter(name="越权指标").exists()


def test_the_keeper_writes(cast: Cast, jingyang_round: EvaluationRound) -> None:
    writes = _writes(cast, jingyang_round)
    for name in ("enter", "compute", "publish"):
        writes[name](cast.jingyang)
    jingyang_round.refresh_from_db()
    assert jingyang_round.is_published
    assert rounds.can_keep(cast.jingyang, jingyang_round)
    assert not rounds.can_keep(cast.luojiang, jingyang_round)
    assert not rounds.can_keep(cast.leader, jingyang_round)


def test_a_round_stays_within_the_sets_region(cast: Cast) -> None:
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    with pytest.raises(ValidationError, match=rounds.SCOPE_OUTSIDE_SET):
        rounds.round_create(
            actor=cast.admin,
            indicator_set=indicator_set,
            year=2022,
            scope_region=cast.luojiang_region,
        )
    with pytest.raises(ValidationError, match=rounds.YEAR_IN_FUTURE):
        rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2100)


def test_a_city_set_of_a_line_is_seen_by_that_lines_staff_only(cast: Cast) -> None:
    feigong = BusinessLine.objects.get(name="非公经济")
    city_set = sets.set_create(
        actor=cast.admin,
        name="德阳非公企业50强",
        subject_type=SubjectType.ENTERPRISE,
        eligibility="non_public_local",
        region=cast.city,
        line=feigong,
        list_size=50,
    )

    def sees(user: User) -> bool:
        return access.scope(user, IndicatorSet.objects.filter(pk=city_set.pk)).exists()

    assert sees(cast.admin) and sees(cast.leader)
    for other in (cast.city_staff, cast.jingyang, cast.luojiang):  # 新阶 line; districts
        assert not sees(other)
    with pytest.raises(ValidationError, match=NOT_YOURS):
        sets.set_update(actor=cast.city_staff, indicator_set=city_set, name="改名")
    with pytest.raises(ValidationError, match="请选择您所负责的条线"):
        sets.set_create(
            actor=cast.city_staff,
            name="新阶越线体系",
            subject_type=SubjectType.ENTERPRISE,
            eligibility="non_public_local",
            region=cast.city,
            line=feigong,
        )
