"""Loads tongxin.demo.data and the registry demo (registry_data) through the services, so the demo
obeys every rule real data does."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tongxin.core import audit, crypto, services, text
from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.governance.models import EvaluationRound, Mechanism, Task
from tongxin.registry import services as registry
from tongxin.registry.models import (
    AnnualReview,
    CodeItem,
    Honour,
    Organization,
    Person,
    PoliticalArrangement,
)

from . import (
    data,
    district_data,
    evaluation_data,
    governance_data,
    insight_data,
    portal_data,
    registry_data,
    work_data,
)


@dataclass(frozen=True)
class Summary:
    regions: int
    units: int
    users: int
    people: int = 0
    organizations: int = 0
    mechanisms: int = 0
    tasks: int = 0
    rounds: int = 0


@transaction.atomic
def load(*, with_users: bool = True, people: int = registry_data.PEOPLE) -> Summary:
    """Reference data always; demo accounts and the registry demo (``people`` fictional people,
    the organizations and designations of the seeds) unless ``with_users`` is false."""
    with audit.acting_as(None, via="演示数据"):
        regions = _regions()
        units = _units(regions)
        if not with_users:  # --reference-only: no accounts, no people
            return Summary(regions=len(regions), units=len(units), users=0)
        users = _users(regions, units)
        load_registry(regions, people=people)
        work_data.load_work(regions, units)
        district_data.load_districts(regions, units)
        governance_data.load_governance(regions, units)
        evaluation_data.load_evaluations(regions)
        insight_data.load_insight(regions, units)
        portal_data.load_portal(regions)
    return Summary(
        regions=len(regions),
        units=len(units),
        users=users,
        people=Person.objects.filter(archived_at__isnull=True).count(),
        organizations=Organization.objects.filter(archived_at__isnull=True).count(),
        mechanisms=Mechanism.objects.filter(is_active=True).count(),
        tasks=Task.objects.count(),
        rounds=EvaluationRound.objects.count(),
    )


def _regions() -> dict[str, Region]:
    found: dict[str, Region] = {}
    for code, name, kind, parent_code in data.REGIONS:
        parent = found[parent_code] if parent_code else None
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = services.region_create(
                actor=None, code=code, name=name, kind=kind, parent=parent
            )
        elif (region.name, region.kind, region.parent_id) != (name, kind, parent and parent.pk):
            region = services.region_update(
                actor=None, region=region, name=name, kind=kind, parent=parent
            )
        found[code] = region
    return found


def _units(regions: dict[str, Region]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    for order, (name, short, kind, region_code) in enumerate(data.UNITS):
        unit = Unit.objects.filter(name=name).first()
        wanted = {"short_name": short, "kind": kind, "region": regions[region_code], "order": order}
        if unit is None:
            unit = services.unit_create(actor=None, name=name, **wanted)  # type: ignore[arg-type]
        elif any(getattr(unit, k) != v for k, v in wanted.items()):
            unit = services.unit_update(actor=None, unit=unit, **wanted)  # type: ignore[arg-type]
        found[short] = unit
    return found


def _users(regions: dict[str, Region], units: dict[str, Unit]) -> int:
    lines = {line.name: line for line in BusinessLine.objects.all()}
    for username, name, role, region_code, line_names, unit_short, title in data.USERS:
        fields = {
            "name": name,
            "role": role,
            "region": regions[region_code],
            "unit": units[unit_short] if unit_short else None,
            "title": title,
        }
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=username,
                lines=[lines[n] for n in line_names],
                password=data.DEMO_PASSWORD,
                **fields,  # type: ignore[arg-type]
            )
            continue
        changed = {k: v for k, v in fields.items() if getattr(user, k) != v}
        wanted_lines = [lines[n] for n in line_names]
        if (
            changed
            or not user.is_active
            or sorted(user.lines.values_list("name", flat=True)) != sorted(line_names)
        ):
            services.user_update(
                actor=None,
                user=user,
                lines=wanted_lines,
                is_active=True,
                **changed,  # type: ignore[arg-type]
            )
        # The logins make run prints must work, whatever was done to the demo accounts since.
        if not user.check_password(data.DEMO_PASSWORD):
            services.user_set_password(actor=None, user=user, password=data.DEMO_PASSWORD)
    return len(data.USERS)


# --- registry demo --------------------------------------------------------------------------------


def load_registry(regions: dict[str, Region], *, people: int = registry_data.PEOPLE) -> None:
    """The organizations, then the people. Each part is written once: its first record (the city
    新联会, the first person's ID number) marks it as loaded, so a second run adds nothing."""
    head = registry_data.generate(people=min(people, 1))  # enough to read the markers
    first = head.organizations[0]
    orgs_loaded = Organization.objects.filter(
        name=text.clean(first.name), region=regions[first.region]
    ).exists()
    people_loaded = not head.people or _loaded(head.people[0])
    if orgs_loaded and people_loaded:
        return
    dataset = head if people_loaded else registry_data.generate(people=people)
    codes = {(c.kind, c.name): c for c in CodeItem.objects.all()}
    if orgs_loaded:
        orgs = _existing_organizations(dataset, regions)
    else:
        orgs = _organizations(dataset, regions, codes)
    if not people_loaded:
        _people(dataset.people, regions, codes, orgs)


def _loaded(marker: registry_data.PersonSpec) -> bool:
    # Archived or merged away since, the marker still says the people were loaded once.
    indexes = crypto.blind_indexes(marker.id_number, purpose="id_number")
    return Person.objects.filter(id_number_index__in=indexes).exists()


def _existing_organizations(
    dataset: registry_data.Dataset, regions: dict[str, Region]
) -> dict[str, Organization]:
    # Names are stored cleaned (full-width brackets become half-width): look them up that way.
    wanted = {(text.clean(o.name), regions[o.region].pk): o.name for o in dataset.organizations}
    found = Organization.objects.filter(name__in=[name for name, _ in wanted])
    return {wanted[o.name, o.region_id]: o for o in found if (o.name, o.region_id) in wanted}


def _organizations(
    dataset: registry_data.Dataset,
    regions: dict[str, Region],
    codes: dict[tuple[str, str], CodeItem],
) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in dataset.organizations:
        orgs[spec.name] = registry.organization_create(
            actor=None,
            name=spec.name,
            short_name=spec.short_name,
            org_type=codes["org_type", spec.org_type],
            org_subtype=codes["org_subtype", spec.org_subtype] if spec.org_subtype else None,
            region=regions[spec.region],
            parent=orgs[spec.parent] if spec.parent else None,
            founded_on=spec.founded_on,
            legal_registration=spec.legal_registration,
            is_non_public=spec.is_non_public,
            is_taiwan_funded=spec.is_taiwan_funded,
            is_overseas_funded=spec.is_overseas_funded,
            credit_code=spec.credit_code,
            address=spec.address,
        )
    for figure in dataset.figures:
        registry.figure_save(
            actor=None,
            organization=orgs[figure.organization],
            year=figure.year,
            revenue=figure.revenue,
            tax=figure.tax,
            employees=figure.employees,
            rd_spend=figure.rd_spend,
        )
    for designation in dataset.designations:
        registry.designation_add(
            actor=None,
            organization=orgs[designation.organization],
            kind=codes["designation_kind", designation.kind],
            batch=designation.batch,
            designated_on=designation.designated_on,
            issuer=designation.issuer,
        )
    for check in dataset.checks:
        registry.standard_check_save(
            actor=None, organization=orgs[check.organization], year=check.year, **check.items
        )
    return orgs


def _people(
    specs: list[registry_data.PersonSpec],
    regions: dict[str, Region],
    codes: dict[tuple[str, str], CodeItem],
    orgs: dict[str, Organization],
) -> None:
    tags = {t.name: t for t in registry.tags_from_names(registry_data.TAGS)}

    def code(kind: str, name: str) -> CodeItem | None:
        return codes[kind, name] if name else None

    for spec in specs:
        person = registry.person_create(
            actor=None,
            name=spec.name,
            region=regions[spec.region],
            categories=[codes["category", c] for c in spec.categories],
            tags=[tags[t] for t in spec.tags],
            id_number=spec.id_number,
            phone=spec.phone,
            ethnicity=code("ethnicity", spec.ethnicity),
            religion=code("religion", spec.religion),
            political_status=code("political_status", spec.political_status),
            education=code("education", spec.education),
            title=spec.title,
            employer=spec.employer,
            position=spec.position,
            stratum_group=code("stratum_group", spec.stratum_group),
            stratum_subtype=code("stratum_subtype", spec.stratum_subtype),
            is_representative=spec.is_representative,
            representative_level=code("rep_level", spec.representative_level),
            political_performance=spec.political_performance,
        )
        for m in spec.memberships:
            registry.membership_add(
                actor=None,
                person=person,
                organization=orgs[m.organization],
                role=m.role,
                term_start=m.term_start,
                term_end=m.term_end,
            )
        for a in spec.arrangements:
            registry.detail_add(
                actor=None,
                model=PoliticalArrangement,
                person=person,
                kind=codes["arrangement_kind", a.kind],
                level=a.level,
                term=a.term,
                role=a.role,
                start_year=a.start_year,
                end_year=a.end_year,
            )
        for title, level, year, issuer in spec.honours:
            registry.detail_add(
                actor=None,
                model=Honour,
                person=person,
                title=title,
                level=level,
                year=year,
                issuer=issuer,
            )
        for year, result in spec.reviews:
            registry.detail_add(
                actor=None,
                model=AnnualReview,
                person=person,
                year=year,
                result=result,
                notes="履职考核",
            )
