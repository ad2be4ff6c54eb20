"""The registry demo: a deterministic Deyang roster, written through the services.

The generator's invariants are checked without a database; the loaded demo is checked once per
class with every organization and designation but only a few people (SMALL), to stay fast."""

from __future__ import annotations

from io import StringIO
from typing import cast

import pytest
from django.core.management import call_command

from tongxin.core import ids, text
from tongxin.core.models import AuditEvent, Region, Role, User
from tongxin.demo import insight_data, registry_data, work_data
from tongxin.demo.loader import load
from tongxin.registry import selectors
from tongxin.registry.models import (
    AnnualReview,
    Designation,
    EnterpriseFigure,
    Honour,
    Membership,
    Organization,
    Person,
    PoliticalArrangement,
    StandardCheck,
)
from tongxin.registry.selectors import PersonFilter

from ..demo_world import PEOPLE, DemoWorld
from ..factories import UserFactory

SMALL = PEOPLE


@pytest.fixture(scope="module")
def small() -> registry_data.Dataset:
    return registry_data.generate(people=SMALL)


# --- the generator ------------------------------------------------------------------------------


def test_every_id_number_passes_the_check_and_is_unique() -> None:
    people = registry_data.generate().people  # the full demo: no database, about a second
    assert len(people) == registry_data.PEOPLE
    for person in people:
        check = ids.check_id_number(person.id_number)
        assert check.errors == [], (person.name, person.id_number)
        assert check.number == person.id_number
        assert (check.gender, check.birth_date) == (person.gender, person.birth)
    assert len({p.id_number for p in people}) == len(people)


def test_every_phone_is_a_valid_mobile_and_unique(small: registry_data.Dataset) -> None:
    for person in small.people:
        check = ids.check_phone(person.phone)
        assert check.errors == [] and check.number == person.phone
        assert len(person.phone) == 11
    assert len({p.phone for p in small.people}) == SMALL


def test_id_numbers_are_issued_from_deyang_area_codes(small: registry_data.Dataset) -> None:
    codes = {code for choices in registry_data.AREA_CODES.values() for code, _ in choices}
    assert {p.id_number[:6] for p in small.people} <= codes


def test_the_same_seed_gives_the_same_dataset() -> None:
    assert registry_data.generate(people=40) == registry_data.generate(people=40)


def test_organizations_do_not_depend_on_the_number_of_people(
    small: registry_data.Dataset,
) -> None:
    tiny = registry_data.generate(people=5)
    parts = ("organizations", "figures", "designations", "checks")
    assert all(getattr(tiny, part) == getattr(small, part) for part in parts)


def test_people_spread_over_every_district_and_category(small: registry_data.Dataset) -> None:
    assert {p.region for p in small.people} == set(registry_data.DISTRICTS)
    full = registry_data.generate().people
    counts: dict[str, int] = {}
    for person in full:
        for category in person.categories:
            counts[category] = counts.get(category, 0) + 1
    assert set(counts) == set(registry_data.CATEGORY_WEIGHTS)
    largest = sorted(counts, key=counts.__getitem__, reverse=True)[:2]
    assert set(largest) == {registry_data.XINJIE, registry_data.FEIGONG}
    assert any(len(p.categories) > 1 for p in full)
    representatives = sum(p.is_representative for p in full) / len(full)
    assert 0.07 < representatives < 0.13


def test_memberships_end_after_they_start_and_some_have_ended() -> None:
    memberships = [m for p in registry_data.generate().people for m in p.memberships]
    ended = [(m.term_start, m.term_end) for m in memberships if m.term_end is not None]
    assert ended and all(start is not None and start <= end for start, end in ended)
    assert all(m.role for m in memberships)


def test_most_new_stratum_people_are_in_no_organization(small: registry_data.Dataset) -> None:
    stratum = [p for p in small.people if registry_data.XINJIE in p.categories]
    covered = [p for p in stratum if p.memberships]
    assert stratum and all(p.stratum_group and p.stratum_subtype for p in stratum)
    assert 0 < len(covered) < len(stratum) * 0.7


# --- the loaded demo ----------------------------------------------------------------------------


@pytest.fixture(scope="class")
def loaded(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py), loaded once for all the tests that read it."""
    demo_world.enter()


def _names(user: User, q: str) -> set[str]:
    return {p.name for p in selectors.person_list(user, PersonFilter(q=q))}


@pytest.mark.usefixtures("loaded", "db")
class TestLoadedDemo:
    @pytest.fixture
    def admin(self) -> User:
        city = Region.objects.get(code="510600")
        return cast(User, UserFactory(username="t_demo_admin", role=Role.ADMIN, region=city))

    def test_zr_finds_zeng_rong(self, admin: User) -> None:
        assert "曾蓉" in _names(admin, "zr")
        assert "曾蓉" in _names(admin, "zengrong")

    def test_surname_readings_find_shan_and_yuchi(self, admin: User) -> None:
        assert "单小红" in _names(admin, "shan")
        assert "尉迟明" in _names(admin, "ycm")

    def test_traditional_and_simplified_find_each_other(self, admin: User) -> None:
        assert "陳建國" in _names(admin, "陈")
        assert "陳建國" in _names(admin, "陈建国")
        assert any(name.startswith("陈") for name in _names(admin, "陳"))

    def test_every_district_has_people(self) -> None:
        for code in registry_data.DISTRICTS:
            assert Person.objects.filter(region__code=code).exists(), code
        assert Person.objects.count() == SMALL

    def test_stored_id_numbers_and_phones_are_the_generated_ones(self) -> None:
        wanted = {(p.id_number, p.phone) for p in registry_data.generate(people=SMALL).people}
        assert {(p.id_number, p.phone) for p in Person.objects.all()} == wanted

    def test_a_second_load_adds_nothing(self) -> None:
        counted = (
            Person,
            Organization,
            Membership,
            EnterpriseFigure,
            Designation,
            StandardCheck,
            PoliticalArrangement,
            Honour,
            AnnualReview,
            AuditEvent,
        )
        before = [model.objects.count() for model in counted]
        load(people=SMALL)
        assert [model.objects.count() for model in counted] == before

    def test_the_seed_designations_of_2022_are_there(self) -> None:
        in_2022 = Designation.objects.filter(designated_on__year=2022)
        bases = in_2022.filter(kind__name=registry_data.BASE)
        assert bases.count() == 10
        assert set(bases.values_list("batch", flat=True)) == {"第一批"}
        sites = in_2022.filter(kind__name=registry_data.RELIGIOUS_MODEL)
        assert sites.count() == 12
        assert set(sites.values_list("organization__org_type__name", flat=True)) == {"宗教活动场所"}
        assert Designation.objects.filter(kind__name=registry_data.ETHNIC_MODEL).exists()
        assert Designation.objects.filter(kind__name=registry_data.XINJIE_BASE).exists()

    def test_the_seed_organizations_are_there(self) -> None:
        short_names = set(Organization.objects.values_list("short_name", flat=True))
        assert {party[0] for party in registry_data.PARTIES} <= short_names
        assert {"市新联会", "旌阳区新联会", "市网联会", "新阶服务团", "德阳市工商联"} <= short_names
        think_tank = Organization.objects.get(name=registry_data.THINK_TANK)
        assert think_tank.founded_on is not None and think_tank.founded_on.year == 2022
        sites = Organization.objects.filter(org_type__name="宗教活动场所")
        assert sites.filter(legal_registration="registered").exists()
        assert sites.exclude(legal_registration="registered").exists()
        enterprises = Organization.objects.filter(org_type__name="企业")
        # The registry's 200, and the new ones the work demo's 2022 promotions brought.
        assert enterprises.count() == 200 + work_data.NEW_ENTERPRISES
        assert enterprises.filter(is_taiwan_funded=True).exists()
        assert enterprises.filter(is_overseas_funded=True).exists()

    def test_every_enterprise_founded_before_2022_has_figures_for_2021_to_2023(self) -> None:
        figures = EnterpriseFigure.objects.filter(
            organization__org_type__name="企业", organization__founded_on__year__lt=2022
        )
        assert figures.count() == 200 * 3
        assert set(figures.values_list("year", flat=True)) == {2021, 2022, 2023}
        assert not figures.filter(revenue__isnull=True).exists()

    def test_friendship_organizations_have_checklists_for_2022_and_2023(self) -> None:
        for name in registry_data.LIANYI_ORGS:
            checks = StandardCheck.objects.filter(organization__name=text.clean(name))
            assert sorted(checks.values_list("year", flat=True)) == [2022, 2023], name

    def test_the_command_counts_people_and_organizations(self) -> None:
        out = StringIO()
        call_command("demo", "--people", str(SMALL), "--quiet-logins", stdout=out)
        organizations = len(registry_data.generate(people=0).organizations)
        organizations += work_data.NEW_ENTERPRISES + insight_data.NEW_SCHOOLS
        assert f"统战对象 {SMALL} 人，组织 {organizations} 个" in out.getvalue()

    def test_organizations_have_one_head_and_chairmen_their_enterprise(self) -> None:
        lawyers = Membership.objects.filter(organization__name=registry_data.LAWYERS)
        assert lawyers.filter(role="会长").count() == 1
        chairmen = Membership.objects.filter(role="董事长").select_related("person")
        assert chairmen.exists()
        assert all(m.person.employer == m.organization.name for m in chairmen)


# --- the command ---------------------------------------------------------------------------------


def test_reference_only_loads_no_people(db: None) -> None:
    call_command("demo", "--reference-only", stdout=StringIO())
    assert not Person.objects.exists()
    assert not Organization.objects.exists()
