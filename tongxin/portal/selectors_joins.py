"""Reads of joining an organization: which 联谊组织 and 服务团 a person may ask to join, their own
applications and memberships; for staff, the applications of the organizations in their scope and
each organization's quota for a quarter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import RegionKind, User
from tongxin.registry.models import CodeKind, Membership, Organization, Person

from .models_requests import JoinApplication, JoinQuota, ReviewStatus

# The organization types a person may ask to join, by their stable codes in the registry's code
# table (registry/codes.py ORG_TYPES): 联谊组织 (新联会, 网联会, …) and 服务团. Names may be
# edited by admins; codes stay.
JOINABLE_TYPE_CODES = ("lianyi", "fuwutuan")


def joinable_q(prefix: str = "") -> Q:
    """Organizations of a joinable type, not archived, as a Q over ``prefix``."""
    return Q(
        **{
            f"{prefix}org_type__kind": CodeKind.ORG_TYPE,
            f"{prefix}org_type__code__in": JOINABLE_TYPE_CODES,
            f"{prefix}archived_at__isnull": True,
        }
    )


def _within_reach(person: Person) -> Q:
    """The person's own region and below (a district's 新联会, a street's), and the levels above
    it up to the city (the city's 新联会); not the province's."""
    region = person.region
    above = region.ancestor_paths()[:-1]
    return Q(region__path__startswith=region.path) | (
        Q(region__path__in=above) & ~Q(region__kind=RegionKind.PROVINCE)
    )


def joinable_organizations(person: Person) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(joinable_q())
        .filter(_within_reach(person))
        .select_related("org_type", "region")
        .order_by("-region__depth", "name_pinyin", "pk")
    )


def current_memberships(person: Person) -> QuerySet[Membership]:
    today = timezone.localdate()
    return (
        Membership.objects.filter(person=person)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .select_related("organization", "organization__region")
    )


def own_applications(person: Person) -> QuerySet[JoinApplication]:
    return JoinApplication.objects.filter(person=person).select_related(
        "organization", "organization__region"
    )


def own_application(person: Person, join_id: int) -> JoinApplication:
    """One of the person's own applications; anyone else's is 404, like a missing one."""
    found = own_applications(person).filter(pk=join_id).first()
    if found is None:
        raise Http404(access.NOT_FOUND)
    return found


@dataclass(frozen=True)
class OrganizationChoice:
    """An organization on the person's list, with where the person stands with it."""

    organization: Organization
    is_member: bool
    pending: JoinApplication | None

    @property
    def can_apply(self) -> bool:
        return not self.is_member and self.pending is None


def organization_choices(person: Person) -> list[OrganizationChoice]:
    member_of = set(current_memberships(person).values_list("organization_id", flat=True))
    pending = {
        a.organization_id: a for a in own_applications(person).filter(status=ReviewStatus.PENDING)
    }
    return [
        OrganizationChoice(org, org.pk in member_of, pending.get(org.pk))
        for org in joinable_organizations(person)
    ]


# --- staff ----------------------------------------------------------------------------------------


def join_queue(user: User, status: str = ReviewStatus.PENDING) -> QuerySet[JoinApplication]:
    qs = access.scope(user, JoinApplication.objects.all())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(
        "person", "person__region", "organization", "organization__region", "reviewed_by"
    ).order_by("submitted_at", "pk")


def pending_join_count(user: User) -> int:
    return join_queue(user).count()


def join_for_user(user: User, join_id: int) -> JoinApplication:
    return access.get_for_user(user, join_queue(user, status=""), pk=join_id)


def other_applications_for_user(
    user: User, application: JoinApplication
) -> QuerySet[JoinApplication]:
    """The applicant's other applications that ``user`` answers for: those to organizations out
    of the user's scope are not theirs to see, even beside one that is."""
    return (
        access.scope(user, own_applications(application.person))
        .exclude(pk=application.pk)
        .order_by("-submitted_at", "-pk")
    )


def joinable_in_scope(user: User) -> QuerySet[Organization]:
    """The 联谊组织 and 服务团 the user answers for, with how many applications wait."""
    return (
        access.scope(user, Organization.objects.filter(joinable_q()))
        .select_related("region", "org_type")
        .annotate(pending=Count("join_applications", filter=Q(join_applications__status="pending")))
        .order_by("region__depth", "name_pinyin", "pk")
    )


def organization_for_quota(user: User, organization_id: int) -> Organization:
    return access.get_for_user(user, joinable_in_scope(user), pk=organization_id)


# --- quarters and quotas --------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    """The quarter as [start, end) in local time (Asia/Shanghai), aware."""
    start = dt.datetime(year, 3 * (quarter - 1) + 1, 1)
    end = dt.datetime(year + 1, 1, 1) if quarter == 4 else dt.datetime(year, 3 * quarter + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(end)


def approvals_in_quarter(organization: Organization, year: int, quarter: int) -> int:
    """Applications to ``organization`` approved in the quarter (by the approval's local date):
    the figure a quota caps."""
    start, end = quarter_bounds(year, quarter)
    return JoinApplication.objects.filter(
        organization=organization,
        status=ReviewStatus.APPROVED,
        reviewed_at__gte=start,
        reviewed_at__lt=end,
    ).count()


@dataclass(frozen=True)
class QuarterRow:
    year: int
    quarter: int
    limit: int | None
    approved: int

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.approved, 0)


def next_quarters(day: dt.date, count: int = 4) -> list[tuple[int, int]]:
    year, quarter = quarter_of(day)
    found = []
    for _ in range(count):
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def quota_rows(organization: Organization, day: dt.date | None = None) -> list[QuarterRow]:
    """This quarter and the next three, with the quota set (if any) and approvals so far; and any
    other quarter a quota was set for."""
    day = day or timezone.localdate()
    quotas = {
        (q.year, q.quarter): q.limit for q in JoinQuota.objects.filter(organization=organization)
    }
    quarters = sorted(set(next_quarters(day)) | set(quotas))
    return [
        QuarterRow(y, q, quotas.get((y, q)), approvals_in_quarter(organization, y, q))
        for y, q in quarters
    ]
