"""Reads of activities: the list with its filters, the detail with everything hanging off it, and
the sums of money (credit signed, investment promoted) as Decimal sums made by the database.

What the detail shows follows the scoping rules. Rows of the activity itself (participations,
projects, credits, attachments) come through their own rules: a liaison's participations hold
units only, never people. Records an activity merely links to (organizer units and
organizations, documents adopted, enterprises landed) are shown only where the viewer could open
them anyway."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry.models import CodeItem, Organization

from .models import (
    Activity,
    Attachment,
    CreditAgreement,
    Output,
    ParticipantRole,
    Participation,
    PromotedProject,
)

# The order of the meeting brief: who spoke, who chaired, who attended, who exchanged views …
ROLE_ORDER = (
    ParticipantRole.SPEAKS,
    ParticipantRole.CHAIRS,
    ParticipantRole.ATTENDS,
    ParticipantRole.EXCHANGE,
    ParticipantRole.LECTURES,
    ParticipantRole.TAKES_PART,
    ParticipantRole.TRAINEE,
)
WAN_PER_YI = Decimal(10000)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ActivityFilter:
    q: str = ""
    type: CodeItem | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    region: Region | None = None
    line: BusinessLine | None = None


def scoped_count(user: User, qs: QuerySet[Any], field: str) -> Subquery:
    """How many rows of ``qs`` the user may see per outer row, as one correlated subquery (no
    GROUP BY over the outer query, no query per row)."""
    counted = (
        access.scope(user, qs.filter(**{field: OuterRef("pk")}))
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))  # type: ignore[return-value]


def activity_list(user: User, f: ActivityFilter) -> QuerySet[Activity]:
    qs = access.scope(user, Activity.objects.all())
    query = text.line(f.q)
    if query:
        # Titles are kept as typed: a query in either script finds them.
        qs = qs.filter(Q(title__contains=query) | Q(title__contains=text.t2s(query)))
    if f.type is not None:
        qs = qs.filter(type=f.type)
    if f.date_from is not None:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(date__lte=f.date_to)
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.line is not None:
        qs = qs.filter(line=f.line)
    return (
        qs.select_related("type", "region", "line")
        .annotate(participant_count=scoped_count(user, Participation.objects.all(), "activity"))
        .order_by("-date", "-id")
    )


def activity_detail(user: User, activity_id: Any) -> Activity:
    return access.get_for_user(
        user,
        Activity.objects.select_related("type", "region", "line", "created_by"),
        pk=activity_id,
    )


# --- money ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A sum in 万元, also read in 亿元 (the unit of the yearly summary: "授信签约62.38亿元")."""

    wan: Decimal

    @property
    def yi(self) -> Decimal:
        return self.wan / WAN_PER_YI

    @property
    def yi_text(self) -> str:
        """亿元 without trailing zeros: 62.38, 0.0800, never 6.238E+1."""
        digits = format(self.yi, "f")
        return digits.rstrip("0").rstrip(".") if "." in digits else digits


def _sum(qs: QuerySet[Any], field: str) -> Amount:
    total = qs.aggregate(total=Sum(field))["total"]
    return Amount(ZERO if total is None else Decimal(total).quantize(Decimal("0.01")))


def credit_total(user: User, activity: Activity) -> Amount:
    return _sum(access.scope(user, CreditAgreement.objects.filter(activity=activity)), "amount")


def investment_total(user: User, activity: Activity) -> Amount:
    return _sum(access.scope(user, PromotedProject.objects.filter(activity=activity)), "investment")


# --- the detail page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleGroup:
    label: str
    participations: list[Participation]


@dataclass(frozen=True)
class ActivityParts:
    organizer_units: list[Unit]
    organizer_organizations: list[Organization]
    groups: list[RoleGroup]
    participant_count: int
    adopted_outputs: list[Output]
    projects: list[PromotedProject]
    investment: Amount
    landed_enterprises: list[Organization]
    credits: list[CreditAgreement]
    credit_total: Amount
    attachments: list[Attachment]
    # Linked records the viewer may not open: how many there are, never which.
    hidden: dict[str, int]


def participations(user: User, activity: Activity) -> list[RoleGroup]:
    rows = access.scope(
        user,
        Participation.objects.filter(activity=activity).select_related("person__region", "unit"),
    ).order_by("order", "id")
    by_role: dict[str, list[Participation]] = {}
    for row in rows:
        by_role.setdefault(row.role, []).append(row)
    return [RoleGroup(role.label, by_role[role]) for role in ROLE_ORDER if role in by_role]


def activity_attachments(user: User, activity: Activity) -> list[Attachment]:
    return list(
        access.scope(
            user, Attachment.objects.filter(activity=activity).select_related("uploaded_by")
        )
    )


LINKS = ("organizer_units", "organizer_organizations", "adopted_outputs", "landed_enterprises")


def _hidden(activity: Activity, shown: dict[str, list[Any]]) -> dict[str, int]:
    counts = {}
    for name in LINKS:
        through = getattr(Activity, name).through
        counts[name] = through.objects.filter(activity=activity).count() - len(shown[name])
    return counts


def activity_parts(user: User, activity: Activity) -> ActivityParts:
    groups = participations(user, activity)
    links: dict[str, list[Any]] = {
        "organizer_units": list(
            access.scope(user, Unit.objects.filter(organized_activities=activity))
        ),
        "organizer_organizations": list(
            access.scope(user, Organization.objects.filter(organized_activities=activity)).order_by(
                "name_pinyin", "id"
            )
        ),
        "adopted_outputs": list(
            access.scope(user, Output.objects.filter(adopted_at=activity)).order_by("-date", "id")
        ),
        "landed_enterprises": list(
            access.scope(user, Organization.objects.filter(landed_at=activity)).order_by(
                "name_pinyin", "id"
            )
        ),
    }
    return ActivityParts(
        organizer_units=links["organizer_units"],
        organizer_organizations=links["organizer_organizations"],
        groups=groups,
        participant_count=sum(len(g.participations) for g in groups),
        adopted_outputs=links["adopted_outputs"],
        projects=list(access.scope(user, PromotedProject.objects.filter(activity=activity))),
        investment=investment_total(user, activity),
        landed_enterprises=links["landed_enterprises"],
        credits=list(
            access.scope(
                user, CreditAgreement.objects.filter(activity=activity).select_related("enterprise")
            )
        ),
        credit_total=credit_total(user, activity),
        attachments=activity_attachments(user, activity),
        hidden=_hidden(activity, links),
    )


def visible_ids(user: User, objs: list[Any]) -> set[int]:
    """Which of the given registry records the user may open (for links from a work record)."""
    if not objs:
        return set()
    model = type(objs[0])
    return set(
        access.scope(user, model._default_manager.filter(pk__in={o.pk for o in objs})).values_list(
            "pk", flat=True
        )
    )
