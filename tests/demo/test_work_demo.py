"""The work demo: the department's 2022 and the 2023-07-05 meeting of seed 000, written through the
services on the days they happened. Loaded once for the class with few people (SMALL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Sum

from tongxin.core.models import AuditEvent
from tongxin.demo import district_data, work_data
from tongxin.demo.loader import load
from tongxin.work.models import (
    Activity,
    Case,
    CaseEvent,
    CaseStatus,
    CreditAgreement,
    Endorsement,
    Output,
    Participation,
    PromotedProject,
    Visit,
)

from ..demo_world import PEOPLE, DemoWorld

SMALL = PEOPLE


@pytest.fixture(scope="class")
def loaded(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py), loaded once for all the tests that read it."""
    demo_world.enter()


def _in_2022(model: Any, **lookup: Any) -> Any:
    return model.objects.filter(date__year=2022, **lookup)


@pytest.mark.usefixtures("loaded", "db")
class TestWorkDemo:
    def test_the_meeting_of_seed_000_has_its_speakers_chair_and_adopted_rules(self) -> None:
        meeting = Activity.objects.get(title=work_data.MEETING_TITLE)
        assert meeting.date == dt.date(2023, 7, 5) and meeting.type.name == "联席会议"
        roles = [(p.who, p.role) for p in meeting.participations.select_related("unit", "person")]
        assert roles[:7] == [
            ("朱莉", "speaks"),
            ("曾蓉", "attends"),
            ("毛毅", "chairs"),
            ("市委网信办", "exchange"),
            ("市司法局", "exchange"),
            ("罗江区委统战部", "exchange"),
            ("中江县委统战部", "exchange"),
        ]
        assert [o.title for o in meeting.adopted_outputs.all()] == [work_data.JOINT_MEETING_RULES]

    def test_2022_has_the_meetings_seed_003_counts(self) -> None:
        by_type = dict(
            _in_2022(Activity).values_list("type__name").annotate(n=Count("id")).order_by()
        )
        assert by_type["政党协商会议"] == 6
        assert by_type["现场推进会"] == 4
        assert by_type["招商推介"] == 3
        face_to_face = _in_2022(
            Activity, line__name="非公经济", type__name__in=["恳谈会", "对接会"]
        )
        assert face_to_face.count() == 5

    def test_promotions_bring_46_projects_10_enterprises_and_credit_of_62_38_yi(self) -> None:
        assert PromotedProject.objects.filter(activity__date__year=2022).count() == 46
        landed = Activity.landed_enterprises.through.objects.filter(activity__date__year=2022)
        assert landed.count() == 10
        total = CreditAgreement.objects.filter(activity__date__year=2022).aggregate(
            t=Sum("amount")
        )["t"]
        assert total == Decimal("623800.00")  # 万元: 62.38亿元

    def test_73_difficulties_of_hktw_enterprises_were_resolved_in_2022(self) -> None:
        resolved = Case.objects.filter(
            line__name="港澳台侨",
            resolved_at__year=2022,
            status__in=[CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP],
        )
        assert resolved.count() == 73

    def test_events_carry_the_day_they_happened_not_the_day_of_loading(self) -> None:
        years = set(
            CaseEvent.objects.filter(case__line__name="港澳台侨").values_list("at__year", flat=True)
        )
        assert years == {2022}

    def test_the_parties_reports_are_endorsed_and_adopted_as_seed_003_says(self) -> None:
        reports = _in_2022(Output, kind="research_report", line__name="党派")
        assert reports.count() == 7
        assert reports.filter(endorsements__level__in=["province", "city"]).distinct().count() == 5
        adopted = reports.filter(adoptions__adopter__in=["party_central", "npc", "cppcc"])
        assert adopted.distinct().count() == 3
        provincial = Endorsement.objects.filter(
            date__year=2022, level="province", is_affirmative=True
        )
        assert provincial.count() == 7

    def test_the_workbench_has_open_cases_for_the_justice_bureau(self) -> None:
        open_ = Case.objects.filter(status=CaseStatus.IN_PROGRESS, units__short_name="市司法局")
        assert open_.exists()
        assert any(c.is_overdue for c in open_)

    def test_district_visits_heard_opinions(self) -> None:
        assert Visit.objects.filter(region__code="510603").annotate(n=Count("opinions")).exists()
        assert not Participation.objects.filter(person__isnull=True, unit__isnull=True, name="")

    def test_a_second_load_adds_nothing(self) -> None:
        counted = (Activity, Participation, Case, CaseEvent, Output, Visit, AuditEvent)
        before = [model.objects.count() for model in counted]
        load(people=SMALL)
        assert [model.objects.count() for model in counted] == before

    def test_every_district_has_its_own_years_work(self) -> None:
        """What a district's target assessment, its summary and the dashboard count: each district
        held its own meetings, visited, resolved cases and submitted information in 2022."""
        for code in district_data.DISTRICTS:
            in_district = {"region__code": code}
            assert Activity.objects.filter(date__year=2022, **in_district).exists(), code
            assert Visit.objects.filter(visited_on__year=2022, **in_district).exists(), code
            assert Case.objects.filter(
                received_on__year=2022, status=CaseStatus.RESOLVED, **in_district
            ).exists(), code
            assert Output.objects.filter(date__year=2022, **in_district).exists(), code

    def test_the_districts_work_is_of_no_kind_the_city_summary_counts(self) -> None:
        counted = {"政党协商会议", "恳谈会", "对接会", "现场推进会", "招商推介", "培训班"}
        mine = Activity.objects.filter(
            organizer_units__short_name__in=[d for d, _ in district_data.DISTRICTS.values()]
        )
        assert mine.exists()
        assert not mine.filter(type__name__in=counted).exists()
        assert not Case.objects.filter(
            region__code__in=list(district_data.DISTRICTS), line__name="港澳台侨"
        ).exists()
