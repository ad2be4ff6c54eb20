"""The metrics indicators are computed from (indicator_sources.py) and who takes part in a round
(indicator_subjects.py): each counts what its rule in words says, for all subjects at once, in a
number of queries that does not grow with the subjects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tongxin.core.models import Region, Unit
from tongxin.governance import indicator_sources, indicator_subjects
from tongxin.governance import services_duty as duty
from tongxin.governance.models import Task, TaskState
from tongxin.governance.models_indicators import SubjectType
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Organization
from tongxin.work import services_activities as activities
from tongxin.work import services_outputs as outputs
from tongxin.work.models import Case, CaseStatus, Visit

from ..conftest import Cast
from ..work_records import activity_type
from .indicator_records import enterprise, org_type
from .records import joint_meeting

D = Decimal
YEAR = 2021  # the cast's own records are of 2022 and later: 2021 holds only what a test makes


def compute(key: str, pks: list[int], year: int = YEAR) -> dict[int, Decimal | None]:
    return indicator_sources.get(key).compute(year, pks)


def test_every_metric_states_its_rule_and_unit() -> None:
    for metric in indicator_sources.registry().values():
        assert metric.label and metric.unit and len(metric.rule) > 10, metric.key
        assert set(metric.subject_types) <= set(SubjectType.values), metric.key
    for rule in indicator_subjects.registry().values():
        assert rule.subject_type in SubjectType.values and rule.label, rule.key
    keys = [k for k, _ in indicator_sources.metric_choices(SubjectType.ENTERPRISE)]
    assert keys == [f"enterprise.{f}" for f in ("revenue", "tax", "employees", "rd_spend")]


def test_enterprise_figures_are_the_years_and_missing_is_no_data(cast: Cast) -> None:
    region = cast.jingyang_region
    a = enterprise(region, "旌阳甲公司", "1200.50", year=YEAR, tax=D("60"), employees=35)
    b = enterprise(region, "旌阳乙公司", "800", year=YEAR)
    registry.figure_save(actor=None, organization=a, year=YEAR + 1, revenue=D("99999"))
    c = enterprise(region, "旌阳丙公司", "500", year=YEAR + 1)  # nothing for YEAR
    pks = [a.pk, b.pk, c.pk]
    assert compute("enterprise.revenue", pks) == {a.pk: D("1200.50"), b.pk: D("800"), c.pk: None}
    assert compute("enterprise.tax", pks) == {a.pk: D("60"), b.pk: None, c.pk: None}
    assert compute("enterprise.employees", pks) == {a.pk: D(35), b.pk: None, c.pk: None}


def test_enterprises_take_part_when_non_public_local_and_with_revenue(cast: Cast) -> None:
    region = cast.jingyang_region
    enterprise(region, "旌阳参评公司", "100", year=YEAR)
    enterprise(region, "旌阳无收入公司", None, year=YEAR)
    enterprise(cast.luojiang_region, "罗江公司", "100", year=YEAR)
    state_owned = enterprise(region, "旌阳国企", "100", year=YEAR)
    registry.organization_update(actor=None, organization=state_owned, is_non_public=False)
    closed_later = enterprise(region, "旌阳后来注销公司", "100", year=YEAR)
    registry.organization_archive(actor=None, organization=closed_later, reason="已注销")
    closed = enterprise(region, "旌阳当年注销公司", "100", year=YEAR)
    registry.organization_archive(actor=None, organization=closed, reason="已注销")
    during = timezone.make_aware(dt.datetime(YEAR, 11, 1))
    Organization.objects.filter(pk=closed.pk).update(archived_at=during)
    found = indicator_subjects.get("non_public_local").find(YEAR, region)
    # Archived after the year ended: it was in the register on 31 December, so it counts.
    assert [s.name for s in found] == ["旌阳参评公司", "旌阳后来注销公司"]
    city = Region.objects.get(code="510600")
    names = {s.name for s in indicator_subjects.get("non_public_local").find(YEAR, city)}
    assert names == {"旌阳参评公司", "旌阳后来注销公司", "罗江公司"}


def _lianyi(cast: Cast, name: str) -> Organization:
    return registry.organization_create(
        actor=None, name=name, org_type=org_type("联谊组织"), region=cast.jingyang_region
    )


def test_organizations_count_standard_items_members_and_activities(cast: Cast) -> None:
    full, empty, unchecked = (_lianyi(cast, f"旌阳联谊会{n}") for n in "甲乙丙")
    registry.standard_check_save(
        actor=None,
        organization=full,
        year=YEAR,
        **{item: True for item in ("has_charter", "has_council", "has_venue", "has_rules")},
    )
    registry.standard_check_save(actor=None, organization=empty, year=YEAR)
    pks = [full.pk, empty.pk, unchecked.pk]
    assert compute("organization.standard_items", pks) == {
        full.pk: 4,
        empty.pk: 0,
        unchecked.pk: None,
    }

    member = CodeItem.objects.get(kind=CodeKind.CATEGORY, name="新的社会阶层人士")
    people = [
        registry.person_create(
            actor=None, name=f"旌阳会员{n}", region=cast.jingyang_region, categories=[member]
        )
        for n in range(4)
    ]
    terms = [  # in office on 31 December YEAR: the first two only
        (None, None),
        (dt.date(YEAR - 3, 1, 1), dt.date(YEAR + 2, 1, 1)),
        (dt.date(YEAR + 1, 1, 1), None),  # joined later
        (dt.date(YEAR - 3, 1, 1), dt.date(YEAR, 6, 30)),  # left during the year
    ]
    for person, (start, end) in zip(people, terms, strict=True):
        registry.membership_add(
            actor=None, person=person, organization=full, term_start=start, term_end=end
        )
    registry.membership_add(actor=None, person=people[0], organization=full, role="理事")
    assert compute("organization.members", pks) == {full.pk: 2, empty.pk: 0, unchecked.pk: 0}

    for day in (dt.date(YEAR, 3, 1), dt.date(YEAR, 9, 1), dt.date(YEAR + 1, 1, 5)):
        activities.activity_create(
            actor=cast.jingyang,
            type=activity_type("座谈会"),
            title=f"旌阳联谊会座谈{day}",
            date=day,
            region=cast.jingyang_region,
            organizer_organizations=[full, empty],
        )
    assert compute("organization.activities", pks) == {full.pk: 2, empty.pk: 2, unchecked.pk: 0}


def _party(name: str, region: Region) -> Organization:
    return registry.organization_create(
        actor=None, name=name, org_type=org_type("民主党派组织"), region=region
    )


def test_party_committees_count_their_reports_endorsed_and_adopted(cast: Cast) -> None:
    city = Region.objects.get(code="510600")
    minjian, minmeng = _party("民建德阳市委会", city), _party("民盟德阳市委会", city)
    _party("民建旌阳区总支", cast.jingyang_region)  # not of the city level
    found = indicator_subjects.get("party_committee").find(YEAR, city)
    assert sorted(s.name for s in found) == ["民建德阳市委会", "民盟德阳市委会"]

    def report(title: str, day: dt.date, author: Organization, kind: str = "research_report"):
        return outputs.output_create(
            actor=cast.admin,
            kind=kind,
            title=title,
            date=day,
            region=city,
            authors=[outputs.AuthorSpec(organization=author)],
        )

    endorsed = report("民建调研一", dt.date(YEAR, 3, 1), minjian)
    for level in ("province", "city"):  # two endorsements: one report
        outputs.endorsement_add(
            actor=cast.admin,
            output=endorsed,
            level=level,
            leader_title="领导",
            date=dt.date(YEAR, 4, 1),
        )
    county = report("民建调研二", dt.date(YEAR, 5, 1), minjian)
    outputs.endorsement_add(
        actor=cast.admin,
        output=county,
        level="county",
        leader_title="区领导",
        date=dt.date(YEAR, 6, 1),
    )
    adopted = report("民盟调研", dt.date(YEAR, 7, 1), minmeng)
    for adopter in ("party_central", "cppcc"):
        outputs.adoption_add(
            actor=cast.admin, output=adopted, adopter=adopter, date=dt.date(YEAR, 8, 1)
        )
    report("民建建言", dt.date(YEAR, 5, 1), minjian, kind="proposal")
    report("民建去年报告", dt.date(YEAR - 1, 5, 1), minjian)
    pks = [minjian.pk, minmeng.pk]
    assert compute("party.research_reports", pks) == {minjian.pk: 2, minmeng.pk: 1}
    assert compute("party.reports_endorsed", pks) == {minjian.pk: 1, minmeng.pk: 0}
    assert compute("party.reports_adopted", pks) == {minjian.pk: 0, minmeng.pk: 1}


def test_districts_count_their_subtree(cast: Cast) -> None:
    city = Region.objects.get(code="510600")
    districts = indicator_subjects.get("districts").find(YEAR, city)
    assert [s.name for s in districts][:2] == ["旌阳区", "罗江区"] and len(districts) == 7
    jingyang, luojiang = cast.jingyang_region, cast.luojiang_region
    town = Region.objects.create(
        code="510603001", name="旌阳某街道", kind="functional", parent=jingyang
    )
    for region, day in [
        (jingyang, dt.date(YEAR, 1, 2)),
        (town, dt.date(YEAR, 12, 31)),
        (luojiang, dt.date(YEAR, 5, 1)),
        (jingyang, dt.date(YEAR + 1, 1, 1)),
    ]:
        activities.activity_create(
            actor=cast.admin,
            type=activity_type("座谈会"),
            title=f"{region}座谈",
            date=day,
            region=region,
        )
        Visit.objects.create(
            visited_on=day,
            organization=cast.records.organization,
            region=region,
            visitors="统战部",
            created_by=cast.admin,
        )
    pks = [jingyang.pk, luojiang.pk]
    assert compute("region.activities", pks) == {jingyang.pk: 2, luojiang.pk: 1}
    assert compute("region.visits", pks) == {jingyang.pk: 2, luojiang.pk: 1}

    affirmed = outputs.output_create(
        actor=cast.admin,
        kind="information",
        title="旌阳信息",
        date=dt.date(YEAR, 3, 1),
        region=town,
    )
    outputs.endorsement_add(
        actor=cast.admin,
        output=affirmed,
        level="city",
        leader_title="市领导",
        date=dt.date(YEAR, 3, 9),
    )
    critical = outputs.output_create(
        actor=cast.admin,
        kind="information",
        title="罗江信息",
        date=dt.date(YEAR, 3, 1),
        region=luojiang,
    )
    outputs.endorsement_add(
        actor=cast.admin,
        output=critical,
        level="city",
        leader_title="市领导",
        date=dt.date(YEAR, 3, 9),
        is_affirmative=False,
    )
    assert compute("region.outputs_endorsed", pks) == {jingyang.pk: 1, luojiang.pk: 0}


def test_the_case_on_time_rate_is_case_metrics_own(cast: Cast) -> None:
    jingyang, luojiang = cast.jingyang_region, cast.luojiang_region

    def case(
        region: Region, received: dt.date, deadline: dt.date | None, resolved: dt.date | None
    ) -> None:
        Case.objects.create(
            title="诉求",
            text="内容",
            source="walk_in",
            region=region,
            received_on=received,
            deadline=deadline,
            created_by=cast.admin,
            status=CaseStatus.RESOLVED if resolved else CaseStatus.IN_PROGRESS,
            resolution="已解决" if resolved else "",
            resolved_at=timezone.make_aware(dt.datetime.combine(resolved, dt.time(10)))
            if resolved
            else None,
        )

    case(jingyang, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 20), dt.date(YEAR, 3, 20))  # on time
    case(jingyang, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 20), dt.date(YEAR, 3, 21))  # late
    case(jingyang, dt.date(YEAR, 4, 1), dt.date(YEAR, 4, 20), dt.date(YEAR, 4, 2))  # on time
    case(jingyang, dt.date(YEAR, 5, 1), None, dt.date(YEAR, 5, 2))  # no deadline: not counted
    case(jingyang, dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 5), None)  # open: not counted
    case(jingyang, dt.date(YEAR - 1, 6, 1), dt.date(YEAR - 1, 6, 5), dt.date(YEAR - 1, 9, 5))
    assert compute("region.cases_on_time", [jingyang.pk, luojiang.pk]) == {
        jingyang.pk: D("66.7"),
        luojiang.pk: None,
    }


def test_units_are_scored_by_duty_reports_and_tasks_done_on_time(cast: Cast) -> None:
    joint = joint_meeting(cast)
    cac, justice = joint.cac.unit, joint.justice.unit
    members = indicator_subjects.get("member_units").find(YEAR, Region.objects.get(code="510600"))
    assert {s.pk for s in members} >= {cac.pk, justice.pk}
    report = duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=YEAR, text_="述职。"
    )
    duty.duty_report_score(actor=cast.city_staff, report=report, score="88.5")
    duty.duty_report_submit(
        actor=joint.justice_liaison, member=joint.justice, year=YEAR, text_="述职。"
    )
    assert compute("unit.duty_score", [cac.pk, justice.pk]) == {
        cac.pk: D("88.50"),
        justice.pk: None,
    }

    def task(unit: Unit, deadline: dt.date, state: str, closed: dt.date | None = None) -> None:
        Task.objects.create(
            title="督办",
            region=cast.city,
            owner=cast.city_staff,
            created_by=cast.city_staff,
            assignee_unit=unit,
            deadline=deadline,
            state=state,
            result="已办" if closed else "",
            closed_at=timezone.make_aware(dt.datetime.combine(closed, dt.time(9)))
            if closed
            else None,
        )

    task(cac, dt.date(YEAR, 5, 1), TaskState.DONE, dt.date(YEAR, 4, 30))
    task(cac, dt.date(YEAR, 6, 1), TaskState.DONE, dt.date(YEAR, 6, 2))
    task(cac, dt.date(YEAR, 7, 1), TaskState.IN_PROGRESS)  # overdue, still open
    task(cac, dt.date(YEAR, 8, 1), TaskState.RETURNED)  # back with the department: not counted
    task(justice, dt.date(YEAR + 1, 1, 10), TaskState.DONE, dt.date(YEAR, 12, 1))  # due next year
    assert compute("unit.tasks_on_time", [cac.pk, justice.pk]) == {
        cac.pk: D("33.3"),
        justice.pk: None,
    }


@pytest.mark.parametrize("how_many", [2, 6])
def test_a_metric_reads_all_subjects_in_the_same_few_queries(
    cast: Cast, django_assert_max_num_queries: object, how_many: int
) -> None:
    orgs = [
        enterprise(cast.jingyang_region, f"旌阳查询{n}", str(n), year=YEAR) for n in range(how_many)
    ]
    pks = [o.pk for o in orgs]
    city = Region.objects.get(code="510600")
    regions = [r.pk for r in Region.objects.filter(parent=city)]
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        compute("enterprise.revenue", pks)
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        compute("organization.members", pks)
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        compute("region.activities", regions)
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        indicator_subjects.get("non_public_local").find(YEAR, city)
