"""Who takes part in an evaluation round: the registered eligibility rules (参评范围).

Each rule is stated in words (shown on the set and printed in the exports) and finds the round's
subjects for a year within the round's region in one query. "In the register" means on 31
December of the year: an organization archived later still counts for an earlier year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tongxin.core import text
from tongxin.core.models import Region, RegionKind, Unit
from tongxin.registry.models import Designation, Organization

from .models import MemberUnit
from .models_indicators import SubjectType

UNKNOWN_ELIGIBILITY = "请选择参评范围。"
ELIGIBILITY_OF_ANOTHER_TYPE = "参评范围“{label}”适用于{wanted}，与考评对象类型“{given}”不符。"


@dataclass(frozen=True)
class Subject:
    """One subject of a round: which field holds it (organization, region, unit), its name and
    the name of its region as they are when the round is computed."""

    field: str
    pk: int
    name: str
    region_name: str
    sort_name: str  # pinyin of the name: the order within a tie

    @property
    def key(self) -> tuple[str, int]:
        return self.field, self.pk


@dataclass(frozen=True)
class Eligibility:
    key: str
    label: str  # the rule in words
    subject_type: str
    find: Callable[[int, Region], list[Subject]]


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _registered_through(year: int) -> Q:
    """Not archived, or archived only after the year ended."""
    next_year = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return Q(archived_at__isnull=True) | Q(archived_at__gte=next_year)


def _organizations(qs: QuerySet[Organization], year: int) -> list[Subject]:
    rows = (
        qs.filter(_registered_through(year))
        .order_by("name_pinyin", "pk")
        .values_list("pk", "name", "region__name", "name_pinyin")
    )
    return [Subject("organization", pk, name, region, sort) for pk, name, region, sort in rows]


def _of_type(code: str) -> Q:
    return Q(org_type__kind="org_type", org_type__code=code)


def _non_public_local(year: int, scope: Region) -> list[Subject]:
    qs = Organization.objects.filter(
        _of_type("qiye"),
        is_non_public=True,
        region__path__startswith=scope.path,
        figures__year=year,
        figures__revenue__isnull=False,
    )
    return _organizations(qs, year)


def _lianyi(year: int, scope: Region) -> list[Subject]:
    qs = Organization.objects.filter(_of_type("lianyi"), region__path__startswith=scope.path)
    return _organizations(qs, year)


def _tongxin_base(year: int, scope: Region) -> list[Subject]:
    end = year_end(year)
    held = Designation.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=end),
        organization_id=OuterRef("pk"),
        kind__kind="designation_kind",
        kind__code="tongxin_base",
        designated_on__lte=end,
    )
    qs = Organization.objects.filter(Exists(held), region__path__startswith=scope.path)
    return _organizations(qs, year)


def _party_committees(year: int, scope: Region) -> list[Subject]:
    return _organizations(Organization.objects.filter(_of_type("dangpai"), region=scope), year)


def _sort_name(name: str) -> str:
    return text.pinyin_text(name)[0]


def _districts(year: int, scope: Region) -> list[Subject]:
    rows = Region.objects.filter(parent=scope).values_list("pk", "name", "kind", "order", "code")
    # Districts and counties by their code, then the functional areas (whose codes are longer).
    ordered = sorted(rows, key=lambda r: (r[2] == RegionKind.FUNCTIONAL, r[3], r[4]))
    return [Subject("region", pk, name, scope.name, _sort_name(name)) for pk, name, *_ in ordered]


def _member_units(year: int, scope: Region) -> list[Subject]:
    member = MemberUnit.objects.filter(
        unit_id=OuterRef("pk"),
        mechanism__is_active=True,
        mechanism__region__path__startswith=scope.path,
    )
    rows = (
        Unit.objects.filter(Exists(member), is_active=True)
        .order_by("order", "pk")
        .values_list("pk", "name", "region__name")
    )
    return [Subject("unit", pk, name, region, _sort_name(name)) for pk, name, region in rows]


@cache
def registry() -> dict[str, Eligibility]:
    rules = [
        Eligibility(
            "non_public_local",
            "非公有制企业，注册在考评范围内，且有当年营业收入数据",
            SubjectType.ENTERPRISE,
            _non_public_local,
        ),
        Eligibility("lianyi", "考评范围内在册的联谊组织", SubjectType.ORGANIZATION, _lianyi),
        Eligibility(
            "tongxin_base",
            "当年年底在册的“同心德阳”统战工作基地（已命名、未撤销）",
            SubjectType.DESIGNATION,
            _tongxin_base,
        ),
        Eligibility(
            "party_committee",
            "考评范围本级的民主党派委员会（如民主党派市委会）",
            SubjectType.PARTY_COMMITTEE,
            _party_committees,
        ),
        Eligibility(
            "districts",
            "考评范围的下一级区县（含功能区）",
            SubjectType.REGION,
            _districts,
        ),
        Eligibility(
            "member_units",
            "考评范围内运行中的工作机制的成员单位",
            SubjectType.UNIT,
            _member_units,
        ),
    ]
    return {rule.key: rule for rule in rules}


def eligibility_choices(subject_type: str | None = None) -> list[tuple[str, str]]:
    return [
        (rule.key, rule.label)
        for rule in registry().values()
        if subject_type is None or rule.subject_type == subject_type
    ]


def get(key: str) -> Eligibility:
    return registry()[key]


def check_eligibility(key: str, subject_type: str) -> None:
    rule = registry().get(key)
    if rule is None:
        raise ValidationError({"eligibility": UNKNOWN_ELIGIBILITY})
    if rule.subject_type != subject_type:
        raise ValidationError(
            {
                "eligibility": ELIGIBILITY_OF_ANOTHER_TYPE.format(
                    label=rule.label,
                    wanted=SubjectType(rule.subject_type).label,
                    given=SubjectType(subject_type).label
                    if subject_type in SubjectType.values
                    else subject_type,
                )
            }
        )
