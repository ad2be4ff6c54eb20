"""The shared cast of STYLE.md: one user per role, two district staff, and an outsider.

Regions and units are the Deyang demo's (loaded through the services), plus 成都市锦江区 for the
outsider, a staff member of another city who must see nothing of Deyang."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tongxin.core.ids import make_id_number
from tongxin.core.models import BusinessLine, Region, RegionKind, Role, Unit, User
from tongxin.core.services import token_create
from tongxin.demo.loader import load
from tongxin.portal.messaging import LocMemSMSBackend
from tongxin.registry import services
from tongxin.registry.models import (
    AnnualReview,
    CodeItem,
    Designation,
    EnterpriseFigure,
    Honour,
    ImportJob,
    Membership,
    Organization,
    Person,
    PoliticalArrangement,
    StandardCheck,
)
from tongxin.work import services as work_services
from tongxin.work.models import Case, Opinion, Visit

from .demo_world import WORLDS, DemoWorld, leave_world, make_world, world_of
from .factories import PASSWORD, RegionFactory, UserFactory
from .governance_records import JingyangGovernance, make_jingyang_governance
from .work_records import JingyangWork, make_jingyang_work


@pytest.fixture(autouse=True)
def _fast_tests(settings: object) -> None:
    # Argon2 is the configured hasher (tests/core/test_settings.py); here speed matters more.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    # WhiteNoise indexes the collected static files each time a test client starts a handler;
    # in autorefresh mode it looks a file up only when one is asked for.
    settings.WHITENOISE_AUTOREFRESH = True  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Rate limits count in this process's memory, from zero in each test (the portal's limits).
    settings.RATELIMIT_USE_CACHE = "locmem"  # type: ignore[attr-defined]
    caches["locmem"].clear()
    settings.PORTAL_SMS_BACKEND = "tongxin.portal.messaging.LocMemSMSBackend"  # type: ignore[attr-defined]
    LocMemSMSBackend.outbox.clear()


@dataclass
class JingyangRecords:
    """Registry records of 旌阳区, the probes of the authorization tests. Every name carries 旌阳,
    the marker no other district may ever see."""

    person: Person
    organization: Organization
    membership: Membership
    arrangement: PoliticalArrangement
    honour: Honour
    review: AnnualReview
    figure: EnterpriseFigure
    designation: Designation
    standard_check: StandardCheck
    job: ImportJob
    visit: Visit
    opinion: Opinion
    case: Case


def make_jingyang_records(region: Region, staff: User) -> JingyangRecords:
    code = {(c.kind, c.name): c for c in CodeItem.objects.all()}
    person = services.person_create(
        actor=None,
        name="旌阳测试人员",
        region=region,
        categories=[code["category", "新的社会阶层人士"]],
        id_number=make_id_number("510603", dt.date(1990, 1, 1), 7, "F"),
        phone="13812345678",
        employer="旌阳测试科技有限公司",
        position="总经理",
        ethnicity=code["ethnicity", "回族"],
        religion=code["religion", "伊斯兰教"],
    )
    org = services.organization_create(
        actor=None,
        name="旌阳区新的社会阶层人士联谊会",
        short_name="旌阳新联会",
        org_type=code["org_type", "联谊组织"],
        region=region,
    )
    visit = work_services.visit_record(
        actor=staff,
        visited_on=dt.date(2024, 5, 10),
        person=person,
        region=region,
        visitors="旌阳区委统战部走访组",
        notes="旌阳走访",
        opinions=[("difficulty", "旌阳测试科技有限公司融资难。")],
    )
    return JingyangRecords(
        person=person,
        organization=org,
        membership=services.membership_add(
            actor=None, person=person, organization=org, role="会长", term_start=dt.date(2022, 1, 1)
        ),
        arrangement=services.detail_add(
            actor=None,
            model=PoliticalArrangement,
            person=person,
            kind=code["arrangement_kind", "政协委员"],
            level="county",
            term="第十届（旌阳）",
        ),
        honour=services.detail_add(
            actor=None, model=Honour, person=person, title="旌阳区优秀新阶人士", year=2022
        ),
        review=services.detail_add(
            actor=None,
            model=AnnualReview,
            person=person,
            year=2022,
            result="excellent",
            notes="旌阳区考核",
        ),
        figure=services.figure_save(
            actor=None, organization=org, year=2022, revenue=Decimal("1234.50")
        ),
        designation=services.designation_add(
            actor=None,
            organization=org,
            kind=code["designation_kind", "同心德阳统战工作基地"],
            designated_on=dt.date(2022, 6, 1),
            batch="第一批",
            notes="旌阳",
        ),
        standard_check=services.standard_check_save(
            actor=None, organization=org, year=2022, has_charter=True
        ),
        job=ImportJob.objects.create(
            created_by=staff,
            original_name="旌阳名册.csv",
            region=region,
            file=SimpleUploadedFile("jingyang.csv", "姓名\n旌阳测试\n".encode()),
        ),
        visit=visit,
        opinion=visit.opinions.get(),
        case=work_services.case_create(
            actor=staff,
            title="旌阳企业用地手续诉求",
            text_="旌阳测试科技有限公司反映用地手续办理慢。",
            source="walk_in",
            region=region,
            requester_organization=org,
        ),
    )


@dataclass
class Cast:
    admin: User
    city_staff: User
    jingyang: User
    luojiang: User
    liaison: User
    leader: User
    auditor: User
    outsider: User
    city: Region
    jingyang_region: Region
    luojiang_region: Region
    jingyang_unit: Unit
    luojiang_unit: Unit
    city_unit: Unit
    records: JingyangRecords
    work: JingyangWork
    gov: JingyangGovernance

    def all(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "admin",
                "city_staff",
                "jingyang",
                "luojiang",
                "liaison",
                "leader",
                "auditor",
                "outsider",
            )
        }


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


def make_cast() -> Cast:
    """The cast and its 旌阳 records, for fixtures of a wider scope than ``cast`` (tests/fuzz)."""
    load(with_users=False)
    regions = {r.code: r for r in Region.objects.all()}
    units = {u.short_name: u for u in Unit.objects.all()}
    chengdu = RegionFactory(
        code="510100", name="成都市", kind=RegionKind.CITY, parent=regions["510000"]
    )
    jinjiang = RegionFactory(code="510104", name="锦江区", kind=RegionKind.DISTRICT, parent=chengdu)
    xinjie = BusinessLine.objects.get(name="新阶")
    city = regions["510600"]
    jingyang = UserFactory(
        username="t_jingyang",
        name="旌阳人员",
        role=Role.DISTRICT_STAFF,
        region=regions["510603"],
        unit=units["旌阳区委统战部"],
    )
    records = make_jingyang_records(regions["510603"], jingyang)
    return Cast(
        admin=UserFactory(username="t_admin", name="管理员", role=Role.ADMIN, region=city),
        city_staff=UserFactory(
            username="t_city", name="市级新阶", role=Role.CITY_STAFF, region=city, lines=[xinjie]
        ),
        jingyang=jingyang,
        luojiang=UserFactory(
            username="t_luojiang",
            name="罗江人员",
            role=Role.DISTRICT_STAFF,
            region=regions["510604"],
            unit=units["罗江区委统战部"],
        ),
        liaison=UserFactory(
            username="t_liaison",
            name="网信联络员",
            role=Role.LIAISON,
            region=city,
            unit=units["市委网信办"],
        ),
        leader=UserFactory(username="t_leader", name="领导", role=Role.LEADER, region=city),
        auditor=UserFactory(username="t_auditor", name="审计", role=Role.AUDITOR, region=city),
        outsider=UserFactory(
            username="t_outsider", name="外市人员", role=Role.DISTRICT_STAFF, region=jinjiang
        ),
        city=city,
        jingyang_region=regions["510603"],
        luojiang_region=regions["510604"],
        jingyang_unit=units["旌阳区司法局"],
        luojiang_unit=units["罗江区工商联"],
        city_unit=units["市委网信办"],
        records=records,
        work=make_jingyang_work(
            jingyang, records.person, records.organization, units["旌阳区司法局"]
        ),
        gov=make_jingyang_governance(jingyang, units["旌阳区司法局"]),
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: User) -> dict[str, str]:
    _, raw = token_create(actor=None, user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


__all__ = ["PASSWORD", "Cast", "bearer", "login"]


# The tests of each demo world (tests/demo_world.py) are one xdist group (`make test` runs
# `--dist loadgroup`), kept together, so a worker loads the world once for all of them. Other tests
# are spread one by one, in the order pytest-django gives them (transactional tests last).
@pytest.fixture(scope="session")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoWorld]:
    world = make_world("demo_world", django_db_blocker)
    yield world
    world.leave()


@pytest.fixture(scope="session")
def full_demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoWorld]:
    world = make_world("full_demo_world", django_db_blocker)
    yield world
    world.leave()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = world_of(item)
        if name:
            item.add_marker(pytest.mark.xdist_group(name))
    # Each world's tests one after another, where the first of them stood (pytest-django then
    # puts transactional tests last, keeping this order among the rest).
    for name in WORLDS:
        inside = [item for item in items if world_of(item) == name]
        if inside:
            first = items.index(inside[0])
            rest = [item for item in items if world_of(item) != name]
            items[:] = rest[:first] + inside + rest[first:]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    name = world_of(item)
    if name and world_of(nextitem) != name:
        leave_world(name)
