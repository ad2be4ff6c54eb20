"""Reads of mechanisms for the pages: the list with its figures, a mechanism's member units, its
meetings with their agendas (the issue list by state), and duty reports. Every queryset passes
through access.scope, so a liaison gets their own unit's rows only and staff their region and
line; a figure on the list counts only rows the reader may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tongxin.core import access, text
from tongxin.core.models import Role, Unit, User
from tongxin.work.models import Activity, Output
from tongxin.work.selectors_activities import scoped_count

from .checks import check_keeper, is_liaison_of
from .models import (
    AgendaItem,
    AgendaState,
    DutyReport,
    Mechanism,
    MemberUnit,
)

A = AgendaState
OPEN_AGENDA = (A.PENDING, A.SCHEDULED)


def keeps(user: User, mechanism: Mechanism) -> bool:
    """Staff who may change the mechanism's records (its region and line); never read-only roles
    or liaisons."""
    if not access.has_role(user, *access.STAFF_ROLES):
        return False
    try:
        check_keeper(user, mechanism)
    except (PermissionDenied, ValidationError):
        return False
    return True


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MechanismFilter:
    q: str = ""
    kind: str = ""
    active: bool | None = None


def _meeting_date(user: User, aggregate: type[Max] | type[Min], **lookup: Any) -> Subquery:
    """The date of the last (Max) or next (Min) meeting the user may see, per mechanism."""
    meetings = access.scope(
        user, Activity.objects.filter(mechanism=OuterRef("pk"), **lookup)
    ).order_by()
    return Subquery(meetings.values("mechanism").annotate(on=aggregate("date")).values("on")[:1])


def mechanism_list(user: User, f: MechanismFilter) -> QuerySet[Mechanism]:
    qs = access.scope(user, Mechanism.objects.all())
    query = text.line(f.q)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(name__contains=text.t2s(query)))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.active is not None:
        qs = qs.filter(is_active=f.active)
    today = timezone.localdate()
    return (
        qs.select_related("lead_unit", "region", "line")
        .annotate(
            member_count=scoped_count(user, MemberUnit.objects.all(), "mechanism"),
            pending_count=scoped_count(
                user, AgendaItem.objects.filter(state=A.PENDING), "mechanism"
            ),
            scheduled_count=scoped_count(
                user, AgendaItem.objects.filter(state=A.SCHEDULED), "mechanism"
            ),
            last_meeting=_meeting_date(user, Max, date__lte=today),
            next_meeting=_meeting_date(user, Min, date__gt=today),
        )
        .order_by("-is_active", "region__path", "-established_on", "id")
    )


def mechanism_detail(user: User, mechanism_id: Any) -> Mechanism:
    return access.get_for_user(
        user,
        Mechanism.objects.select_related(
            "lead_unit", "region", "line", "rules_document", "created_by"
        ),
        pk=mechanism_id,
    )


def mechanisms_for(user: User) -> QuerySet[Mechanism]:
    """The mechanisms a user may pick (in filters, and as the mechanism of a meeting)."""
    return access.scope(user, Mechanism.objects.all()).order_by("-is_active", "name", "id")


# --- a mechanism's parts --------------------------------------------------------------------------


def members(user: User, mechanism: Mechanism) -> list[MemberUnit]:
    return list(
        access.scope(user, MemberUnit.objects.filter(mechanism=mechanism)).select_related(
            "unit", "liaison"
        )
    )


def member_detail(user: User, member_id: Any) -> MemberUnit:
    return access.get_for_user(
        user,
        MemberUnit.objects.select_related("mechanism", "mechanism__region", "unit", "liaison"),
        pk=member_id,
    )


def own_member(user: User, mechanism: Mechanism) -> MemberUnit | None:
    """A liaison's own unit's member row in the mechanism, if their unit is a member."""
    if user.role != Role.LIAISON or not user.unit_id:
        return None
    return (
        access.scope(user, MemberUnit.objects.filter(mechanism=mechanism, unit_id=user.unit_id))
        .select_related("unit", "mechanism")
        .first()
    )


def liaisons_in(units: QuerySet[Unit]) -> QuerySet[User]:
    """The active liaison accounts of the given units (already scoped by the caller): the only
    possible liaisons of a member unit (MemberUnit.clean)."""
    return (
        User.objects.filter(role=Role.LIAISON, unit__in=units, is_active=True)
        .select_related("unit")
        .order_by("unit__name", "name", "username")
    )


def liaisons_of(user: User, unit: Unit | None) -> QuerySet[User]:
    if unit is None:
        return User.objects.none()
    return liaisons_in(access.scope(user, Unit.objects.filter(pk=unit.pk)))


def meetings(user: User, mechanism: Mechanism) -> list[Activity]:
    """The mechanism's meetings the user may see, newest first."""
    return list(
        access.scope(user, Activity.objects.filter(mechanism=mechanism))
        .select_related("type")
        .order_by("-date", "-id")
    )


def rules_document_openable(user: User, mechanism: Mechanism) -> bool:
    doc = mechanism.rules_document_id
    return doc is not None and access.scope(user, Output.objects.filter(pk=doc)).exists()


def agenda_item_detail(user: User, agenda_item_id: Any) -> AgendaItem:
    return access.get_for_user(
        user,
        AgendaItem.objects.select_related(
            "mechanism", "mechanism__region", "mechanism__line", "meeting", "raised_by__unit"
        ),
        pk=agenda_item_id,
    )


@dataclass
class MeetingAgenda:
    """One meeting and the items on its agenda that the user may see."""

    meeting: Activity
    openable: bool  # the user may open the meeting's activity page
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def unsettled(self) -> list[AgendaItem]:
        """Items only on the agenda: neither closed nor carried over (meeting_settle's rule)."""
        return [i for i in self.items if i.state == A.SCHEDULED]

    @property
    def is_past(self) -> bool:
        return self.meeting.date <= timezone.localdate()


@dataclass
class Agenda:
    """The issue list of a mechanism: items awaiting a meeting, then each meeting's agenda."""

    pending: list[AgendaItem]
    meetings: list[MeetingAgenda]
    counts: dict[str, int]


def agenda(user: User, mechanism: Mechanism, meetings_seen: Iterable[Activity]) -> Agenda:
    """The mechanism's items the user may see, grouped: 待议 first, then per meeting (newest
    first). A liaison's items may sit on a meeting their unit did not attend: that meeting shows
    by name and date, without a link."""
    items = list(
        access.scope(user, AgendaItem.objects.filter(mechanism=mechanism))
        .select_related(
            "raised_by__unit",
            "meeting__type",
            "carried_from__meeting",
            "carried_to__meeting",
        )
        .order_by("raised_on", "id")
    )
    by_meeting: dict[int, MeetingAgenda] = {
        m.pk: MeetingAgenda(meeting=m, openable=True) for m in meetings_seen
    }
    pending = []
    for item in items:
        if item.meeting is None:
            pending.append(item)
            continue
        group = by_meeting.get(item.meeting_id)  # type: ignore[arg-type]
        if group is None:
            group = by_meeting[item.meeting.pk] = MeetingAgenda(
                meeting=item.meeting, openable=False
            )
        group.items.append(item)
    ordered = sorted(
        by_meeting.values(), key=lambda g: (g.meeting.date, g.meeting.pk), reverse=True
    )
    counts = {state.label: sum(1 for i in items if i.state == state) for state in A}
    return Agenda(pending=pending, meetings=ordered, counts=counts)


# --- duty reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyReportFilter:
    year: int | None = None
    state: str = ""
    unit: Unit | None = None
    mechanism: Mechanism | None = None


def duty_report_list(user: User, f: DutyReportFilter) -> QuerySet[DutyReport]:
    qs = access.scope(user, DutyReport.objects.all())
    if f.year is not None:
        qs = qs.filter(year=f.year)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.unit is not None:
        qs = qs.filter(member__unit=f.unit)
    if f.mechanism is not None:
        qs = qs.filter(member__mechanism=f.mechanism)
    return qs.select_related("member__unit", "member__mechanism").order_by(
        "-year", "member__mechanism__name", "member__order", "id"
    )


def duty_report_detail(user: User, duty_report_id: Any) -> DutyReport:
    return access.get_for_user(
        user,
        DutyReport.objects.select_related(
            "member__unit",
            "member__mechanism__region",
            "member__mechanism__line",
            "member__liaison",
            "submitted_by__unit",
            "reviewed_by__unit",
        ),
        pk=duty_report_id,
    )


def report_years(user: User) -> list[int]:
    """The years of the reports the user may see, newest first, and always last year (the
    default year of a report)."""
    seen = set(
        access.scope(user, DutyReport.objects.order_by()).values_list("year", flat=True).distinct()
    )
    seen.add(timezone.localdate().year - 1)
    return sorted(seen, reverse=True)


def member_units(user: User) -> QuerySet[Unit]:
    """Units that are member units of a mechanism the user may see (the list's unit filter)."""
    rows = access.scope(user, MemberUnit.objects.all()).values("unit_id")
    return Unit.objects.filter(pk__in=rows).order_by("region__path", "name")


def duty_year(today: dt.date | None = None) -> int:
    """The year reported on by default: last year's work is reported early this year."""
    return (today or timezone.localdate()).year - 1


@dataclass(frozen=True)
class DutyRow:
    member: MemberUnit
    report: DutyReport | None


def duty_overview(
    user: User, mechanism: Mechanism, year: int, rows: list[MemberUnit]
) -> list[DutyRow]:
    """Each of the member units (as ``members`` read them), with its report for ``year``."""
    reports = {
        r.member_id: r
        for r in access.scope(
            user, DutyReport.objects.filter(member__mechanism=mechanism, year=year)
        )
    }
    return [DutyRow(member=m, report=reports.get(m.pk)) for m in rows]


def liaison_may_submit(user: User, member: MemberUnit | None) -> bool:
    return member is not None and is_liaison_of(user, member.unit) and not user.is_read_only
