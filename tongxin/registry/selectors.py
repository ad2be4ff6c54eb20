"""Reads of the registry: search and filters for people and organizations, always scoped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from tongxin.core import access, crypto, ids, text
from tongxin.core.models import Region, User

from .models import CodeItem, Membership, Organization, Person

_ID_LIKE = re.compile(r"^\d{15}$|^\d{17}[\dX]$")
_PHONE_LIKE = re.compile(r"^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")

PERSON_SORTS = {
    "pinyin": ("name_pinyin", "id"),
    "-pinyin": ("-name_pinyin", "-id"),
    "region": ("region__path", "name_pinyin", "id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "updated": ("-updated_at", "-id"),
}


@dataclass(frozen=True)
class PersonFilter:
    q: str = ""
    region: Region | None = None
    category: CodeItem | None = None
    stratum_group: CodeItem | None = None
    organization: Organization | None = None
    rep_level: CodeItem | None = None
    representative: bool | None = None
    tag: str = ""
    archived: bool = False
    sort: str = "pinyin"
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    """What the one search box was given: an ID number, a phone, pinyin, or Chinese text."""

    kind: str  # "id_number" | "phone" | "pinyin" | "text"
    value: str


def parse_query(q: str) -> Query | None:
    raw = text.clean(q)
    if not raw:
        return None
    compact = raw.replace(" ", "").replace("-", "").upper()
    if _ID_LIKE.match(compact):
        return Query("id_number", ids.check_id_number(compact).number or compact)
    if _PHONE_LIKE.match(raw.replace(" ", "")):
        return Query("phone", ids.check_phone(raw).number or raw)
    query = text.normalize_query(raw)
    return Query("pinyin" if text.is_latin_query(query) else "text", query)


def name_q(query: Query) -> Q:
    """Name by pinyin initials or full pinyin prefix ("zr", "zengr"), or by characters in either
    script (陳 and 陈 both stored and searched simplified)."""
    if query.kind == "pinyin":
        return _prefix_q("name_initials", query.value) | _prefix_q("name_pinyin", query.value)
    return Q(name_simplified__contains=query.value)


def _prefix_q(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix`` (lowercase ASCII letters, as the keys are stored), said
    also as a range so that the index answers it: SQLite's LIKE is case-insensitive and cannot use
    an ordinary index. "zr" is >= "zr" and < "zs"; "az" is < "b"; "zz" has no upper end."""
    q = Q(**{f"{field}__startswith": prefix, f"{field}__gte": prefix})
    stem = prefix.rstrip("z")
    if stem:
        q &= Q(**{f"{field}__lt": stem[:-1] + chr(ord(stem[-1]) + 1)})
    return q


def person_q(query: Query) -> Q:
    if query.kind in ("id_number", "phone"):
        indexes = crypto.blind_indexes(query.value, purpose=query.kind)
        return Q(**{f"{query.kind}_index__in": indexes})
    if query.kind == "text":
        return name_q(query) | Q(employer_simplified__contains=query.value)
    return name_q(query)


def person_list(user: User, f: PersonFilter) -> QuerySet[Person]:
    qs = access.scope(user, Person.objects.all())
    qs = qs.filter(archived_at__isnull=not f.archived)
    query = parse_query(f.q)
    if query is not None:
        qs = qs.filter(person_q(query))
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.category is not None:
        qs = qs.filter(
            Exists(
                Person.categories.through.objects.filter(
                    person_id=OuterRef("pk"), codeitem_id=f.category.pk
                )
            )
        )
    if f.stratum_group is not None:
        qs = qs.filter(stratum_group=f.stratum_group)
    if f.organization is not None:
        qs = qs.filter(
            Exists(Membership.objects.filter(person_id=OuterRef("pk"), organization=f.organization))
        )
    if f.rep_level is not None:
        qs = qs.filter(representative_level=f.rep_level)
    if f.representative is not None:
        qs = qs.filter(is_representative=f.representative)
    if f.tag:
        qs = qs.filter(
            Exists(Person.tags.through.objects.filter(person_id=OuterRef("pk"), tag__name=f.tag))
        )
    order = PERSON_SORTS.get(f.sort, PERSON_SORTS["pinyin"])
    return (
        qs.select_related(
            "region",
            "ethnicity",
            "religion",
            "political_status",
            "education",
            "stratum_group",
            "stratum_subtype",
            "representative_level",
        )
        .prefetch_related("categories", "tags")
        .order_by(*order)
    )


def person_detail(user: User, person_id: int) -> Person:
    return access.get_for_user(
        user,
        Person.objects.select_related(
            "region",
            "ethnicity",
            "religion",
            "political_status",
            "education",
            "stratum_group",
            "stratum_subtype",
            "representative_level",
            "merged_into",
            "created_by",
        ).prefetch_related("categories", "tags"),
        pk=person_id,
    )


def person_memberships(user: User, person: Person) -> QuerySet[Membership]:
    return access.scope(user, person.memberships.select_related("organization__org_type"))


@dataclass(frozen=True)
class OrganizationFilter:
    q: str = ""
    region: Region | None = None
    org_type: CodeItem | None = None
    designation_kind: CodeItem | None = None
    archived: bool = False


def organization_list(user: User, f: OrganizationFilter) -> QuerySet[Organization]:
    qs = access.scope(user, Organization.objects.all()).filter(archived_at__isnull=not f.archived)
    query = parse_query(f.q)
    if query is not None:
        if query.kind in ("id_number", "phone"):  # they name a person, not an organization
            return qs.none()
        qs = qs.filter(name_q(query) | Q(short_name__icontains=query.value))
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.org_type is not None:
        qs = qs.filter(Q(org_type=f.org_type) | Q(org_subtype=f.org_type))
    if f.designation_kind is not None:
        qs = qs.filter(designations__kind=f.designation_kind).distinct()
    return qs.select_related("region", "org_type", "org_subtype").order_by("name_pinyin", "id")


def organization_members(user: User, organization: Organization) -> QuerySet[Membership]:
    return access.scope(user, organization.memberships.select_related("person__region")).order_by(
        "term_end", "person__name_pinyin"
    )


def codes(kind: str) -> QuerySet[CodeItem]:
    return CodeItem.objects.filter(kind=kind, is_active=True).order_by("order", "id")
