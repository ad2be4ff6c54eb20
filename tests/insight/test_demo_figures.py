"""The Deyang demo, loaded once for the module, gives every 2022 figure of DESIGN.md's table
(seed 003) from its records; changing a record changes the figure; every counting metric's
records page lists exactly as many records as its value.

The figures depend on the number of people only through the training classes and the seconded
cadres, which take people of given categories: PEOPLE holds enough of each for every class to be
full, so these are the figures of the full demo (registry_data.PEOPLE), loaded in half the time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.http import Http404
from django.test import Client

from tongxin.core.models import BusinessLine, Region, User
from tongxin.demo.loader import load
from tongxin.demo.work_data import TZ
from tongxin.insight import metrics
from tongxin.insight.metrics import COUNT
from tongxin.registry.models import Organization
from tongxin.work import services as cases
from tongxin.work import services_activities as activities
from tongxin.work.models import Activity, CaseStatus

from ..demo_world import FULL_PEOPLE, DemoWorld
from .helpers import activity_type

PEOPLE = FULL_PEOPLE
# DESIGN.md, "Seed figures the demo data must reproduce": (key, lowest, highest). A figure the
# summary rounds down with 余 ("400余") must read so: at least 400, below 500.
FIGURES = [
    ("endorsements_provincial", 7, 7),
    ("feigong_meetings", 5, 5),
    ("top50_listed", 50, 50),
    ("private100_entrants", 12, 12),
    ("tongxin_bases", 10, 10),
    ("site_meetings", 4, 4),
    ("investment_events", 3, 3),
    ("promoted_projects", 46, 46),
    ("new_taiwan_enterprises", 10, 10),
    ("hmt_cases_resolved", 73, 73),  # 70余件
    ("party_consultations", 6, 6),
    ("party_reports", 7, 7),
    ("party_reports_endorsed", 5, 5),
    ("party_reports_adopted", 3, 3),
    ("immersion_sites", 400, 499),  # 400余个
    ("model_course_modules", 40, 49),  # 40余个板块
    ("model_courses", 8, 8),  # 8套
    ("themed_activities", 800, 899),  # 800余场次
    ("provincial_events", 3, 3),
    ("religious_model_sites", 12, 12),
    ("trainees", 200, 299),  # 200余人
    ("secondments_batch_number", 4, 4),  # 第4批
    ("secondments_batch", 16, 16),
    ("secondments_total", 49, 49),
]


@pytest.fixture(scope="module")
def loaded(full_demo_world: DemoWorld) -> None:
    """The full demo world (tests/demo_world.py), loaded once for the tests that read it."""
    full_demo_world.enter()


pytestmark = pytest.mark.usefixtures("loaded", "db")


def _leader() -> User:
    return User.objects.get(username="demo_leader")


def _value(key: str, user: User | None = None, region: str = "510600") -> Any:
    return metrics.measure(key, user=user or _leader(), year=2022, region=region).value


@pytest.mark.parametrize(("key", "lowest", "highest"), FIGURES)
def test_the_2022_city_figure_is_that_of_seed_003(key: str, lowest: int, highest: int) -> None:
    assert lowest <= _value(key) <= highest


def test_the_credit_signed_is_62_38_yi_yuan() -> None:
    assert _value("hmt_credit") == Decimal("623800.00")  # 万元: 62.38亿元


def test_every_training_class_is_full_as_in_the_full_demo() -> None:
    assert _value("trainees") == 48 + 46 + 44 + 42 + 40


@pytest.mark.parametrize("key", [m.key for m in metrics.all_metrics() if m.kind == COUNT])
@pytest.mark.parametrize("who", ["demo_leader", "demo_district"])
def test_the_records_page_lists_exactly_the_value(key: str, who: str) -> None:
    user = User.objects.get(username=who)
    client = Client()
    client.force_login(user)
    response = client.get(f"/metrics/{key}/records/", {"year": 2022})
    assert response.status_code == 200
    value = metrics.measure(key, user=user, year=2022).value
    assert response.context["value"] == value
    assert response.context["page"].paginator.count == value


def test_adding_a_party_consultation_in_2022_makes_seven() -> None:
    admin = User.objects.get(username="demo_admin")
    activities.activity_create(
        actor=admin,
        type=activity_type("政党协商会议"),
        title="2022年第7次政党协商会议：年度工作总结",
        date=dt.date(2022, 12, 20),
        region=Region.objects.get(code="510600"),
        line=BusinessLine.objects.get(code="dangpai"),
    )
    assert _value("party_consultations") == 7


def _hmt_case(resolved_on: dt.date) -> None:
    admin = User.objects.get(username="demo_admin")
    firm = Organization.objects.filter(is_taiwan_funded=True).order_by("pk").first()
    received = resolved_on - dt.timedelta(days=10)
    with time_machine.travel(dt.datetime(*received.timetuple()[:3], 10, tzinfo=TZ), tick=False):
        case = cases.case_create(
            actor=admin,
            title="台资企业用工诉求",
            text_="企业反映招工难。",
            source="walk_in",
            region=Region.objects.get(code="510600"),
            requester_organization=firm,
            line=BusinessLine.objects.get(code="gangaotaiqiao"),
        )
        case = cases.case_transition(
            case=case,
            to_status=CaseStatus.ASSIGNED,
            actor=admin,
            units=[admin.unit],
            deadline=resolved_on,
        )
        case = cases.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=admin)
    with time_machine.travel(dt.datetime(*resolved_on.timetuple()[:3], 16, tzinfo=TZ), tick=False):
        cases.case_transition(
            case=case, to_status=CaseStatus.RESOLVED, actor=admin, resolution="已协调解决。"
        )


def test_resolving_a_hmt_case_in_2022_counts_and_one_resolved_in_2023_does_not() -> None:
    _hmt_case(dt.date(2022, 12, 30))
    assert _value("hmt_cases_resolved") == 74
    _hmt_case(dt.date(2023, 1, 3))
    assert _value("hmt_cases_resolved") == 74
    assert metrics.measure("hmt_cases_resolved", user=_leader(), year=2023).value >= 1


def test_a_district_figure_counts_only_that_district() -> None:
    district = User.objects.get(username="demo_district")
    own = _value("themed_activities", district, "510603")
    assert (
        own
        == Activity.objects.filter(
            type__code="zhuti", region__code="510603", date__year=2022
        ).count()
    )
    districts = Region.objects.filter(parent__code="510600")
    assert sum(_value("themed_activities", region=r.code) for r in districts) == _value(
        "themed_activities"
    )
    assert _value("feigong_meetings", district, "510603") == 1  # 旌阳区专场
    with pytest.raises(Http404):
        _value("feigong_meetings", district, "510600")
    with pytest.raises(Http404):
        _value("feigong_meetings", User.objects.get(username="demo_luojiang"), "510603")


def test_a_second_load_adds_nothing() -> None:
    before = {key: _value(key) for key, *_ in FIGURES}
    load(people=PEOPLE)
    assert {key: _value(key) for key, *_ in FIGURES} == before
