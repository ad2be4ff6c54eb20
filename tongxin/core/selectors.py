"""Reads of the core app. Every queryset starts from access.scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from . import access
from .models import ApiToken, AuditEvent, Region, Role, Unit, User


def region_list(user: User, *, q: str = "") -> QuerySet[Region]:
    qs = access.scope(user, Region.objects.select_related("parent"))
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return qs.annotate(unit_count=Count("units", distinct=True)).order_by("path")


def region_children(user: User, region: Region) -> QuerySet[Region]:
    return access.scope(user, region.children.all()).order_by("order", "code")


def unit_list(
    user: User, *, q: str = "", region: Region | None = None, kind: str = ""
) -> QuerySet[Unit]:
    qs = access.scope(user, Unit.objects.select_related("region"))
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q))
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("region__path", "order", "name")


def user_list(user: User, *, q: str = "", role: str = "") -> QuerySet[User]:
    qs = access.scope(user, User.objects.select_related("region", "unit").prefetch_related("lines"))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(name__contains=q))
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("username")


def token_list(user: User, *, owner: User) -> QuerySet[ApiToken]:
    return access.scope(user, ApiToken.objects.filter(user=owner)).order_by("-created_at")


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_events(user: User, f: AuditFilter) -> QuerySet[AuditEvent]:
    qs = access.scope(user, AuditEvent.objects.all())
    if f.actor:
        qs = qs.filter(actor_username__icontains=f.actor)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    tz = timezone.get_current_timezone()
    if f.date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(
            at__lt=dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs.order_by("-at", "-id")


def audit_object_types(user: User) -> list[str]:
    qs = access.scope(user, AuditEvent.objects.exclude(object_type=""))
    return list(qs.order_by("object_type").values_list("object_type", flat=True).distinct())


@dataclass(frozen=True)
class WorkbenchFigures:
    regions: int
    units: int
    users: int | None
    audit_today: int | None
    persons: int | None = None
    organizations: int | None = None


def _registry_counts(user: User) -> tuple[int | None, int | None]:
    """Living people and organizations in the user's scope (archived ones are not counted)."""
    if not access.can_use_registry(user):
        return None, None
    from tongxin.registry.models import Organization, Person

    return (
        access.scope(user, Person.objects.filter(archived_at__isnull=True)).count(),
        access.scope(user, Organization.objects.filter(archived_at__isnull=True)).count(),
    )


def workbench_figures(user: User) -> WorkbenchFigures:
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    persons, organizations = _registry_counts(user)
    return WorkbenchFigures(
        persons=persons,
        organizations=organizations,
        regions=access.scope(user, Region.objects.all()).count(),
        units=access.scope(user, Unit.objects.filter(is_active=True)).count(),
        users=(
            access.scope(user, User.objects.filter(is_active=True)).count()
            if user.role == Role.ADMIN
            else None
        ),
        audit_today=(
            access.scope(user, AuditEvent.objects.filter(at__gte=today)).count()
            if access.can_read_audit(user)
            else None
        ),
    )
