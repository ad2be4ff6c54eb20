"""Reads of visits and cases for the pages and the workbench, always through access.scope.

The handler (经办人) of a case is not stored: it is whoever made the case's latest 开始办理 move
(交办 → 办理中), read from the timeline, and only while the case is being handled or after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, Unit, User
from tongxin.registry import selectors as registry
from tongxin.registry.models import Organization, Person

from .models import (
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Opinion,
    Visit,
)

S = CaseStatus
TARGET_LIMIT = 8  # people, and again organizations, offered by the search select


# --- who was visited, who asks: the search select -------------------------------------------------


def _people_named(query: registry.Query) -> QuerySet[Person]:
    return Person.objects.filter(registry.person_q(query))


def _organizations_named(query: registry.Query) -> QuerySet[Organization]:
    if query.kind in ("id_number", "phone"):  # they name a person, not an organization
        return Organization.objects.none()
    return Organization.objects.filter(
        registry.name_q(query) | Q(short_name__icontains=query.value)
    )


@dataclass(frozen=True)
class Targets:
    people: list[Person]
    organizations: list[Organization]


def target_candidates(user: User, q: str) -> Targets:
    """People and organizations in the user's scope matching ``q`` (name, pinyin or initials, ID
    number, phone, employer), for the search select of the visit and case forms."""
    query = registry.parse_query(q)
    if query is None:
        return Targets([], [])
    people = access.scope(user, _people_named(query).filter(archived_at__isnull=True))
    organizations = access.scope(user, _organizations_named(query).filter(archived_at__isnull=True))
    return Targets(
        people=list(people.select_related("region").order_by("name_pinyin", "id")[:TARGET_LIMIT]),
        organizations=list(
            organizations.select_related("region", "org_type").order_by("name_pinyin", "id")[
                :TARGET_LIMIT
            ]
        ),
    )


def target_for_user(user: User, value: str) -> Person | Organization | None:
    """A value of the search select, "person:12" or "organization:7", if that record is in the
    user's scope and not archived; else None."""
    kind, _, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == "person":
        people = Person.objects.filter(pk=int(pk), archived_at__isnull=True)
        return access.scope(user, people.select_related("region")).first()
    if kind == "organization":
        organizations = Organization.objects.filter(pk=int(pk), archived_at__isnull=True)
        return access.scope(user, organizations.select_related("region", "org_type")).first()
    return None


def _named(user: User, query: registry.Query, person: str, organization: str) -> Q:
    """Records naming someone the query finds, among the people and organizations the user may
    see: a search must not confirm a phone or ID number of someone out of sight (a liaison sees
    no one, so searches titles only)."""
    return Q(**{f"{person}__in": access.scope(user, _people_named(query))}) | Q(
        **{f"{organization}__in": access.scope(user, _organizations_named(query))}
    )


# --- visits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFilter:
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    method: str = ""
    region: Region | None = None


def visit_list(user: User, f: VisitFilter) -> QuerySet[Visit]:
    qs = access.scope(user, Visit.objects.all())
    query = registry.parse_query(f.q)
    if query is not None:
        qs = qs.filter(_named(user, query, "person", "organization"))
    if f.date_from:
        qs = qs.filter(visited_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(visited_on__lte=f.date_to)
    if f.method:
        qs = qs.filter(method=f.method)
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    return (
        qs.select_related("person", "organization", "region")
        .annotate(
            opinion_count=Count("opinions", distinct=True),
            case_count=Count("opinions__case", distinct=True),
        )
        .order_by("-visited_on", "-id")
    )


def visit_detail(user: User, visit_id: int) -> Visit:
    return access.get_for_user(
        user,
        Visit.objects.select_related(
            "person__region", "organization__region", "region", "created_by"
        ),
        pk=visit_id,
    )


def visit_opinions(user: User, visit: Visit) -> QuerySet[Opinion]:
    return access.scope(user, visit.opinions.select_related("case")).order_by("id")


def opinion_for_user(user: User, opinion_id: int) -> Opinion:
    return access.get_for_user(user, Opinion.objects.select_related("visit"), pk=opinion_id)


# --- cases ----------------------------------------------------------------------------------------


def _starts() -> QuerySet[CaseEvent]:
    """The 开始办理 moves of the case in the outer query, latest first."""
    return CaseEvent.objects.filter(
        case=OuterRef("pk"), from_status=S.ASSIGNED, to_status=S.IN_PROGRESS
    ).order_by("-at", "-id")


HANDLED = (S.IN_PROGRESS, S.RESOLVED, S.FOLLOWED_UP)


def with_handler(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``handler_id`` and ``handler_name``: the actor of the latest 开始办理 move, for
    cases being handled or handled (a case returned and assigned again has no handler yet)."""

    def handled(value: Subquery) -> SqlCase:
        return SqlCase(When(status__in=HANDLED, then=value), default=None)

    return qs.annotate(
        handler_id=handled(Subquery(_starts().values("actor_id")[:1])),
        handler_name=handled(Subquery(_starts().values("actor__name")[:1])),
    )


def overdue_q(today: dt.date) -> Q:
    """The same rule as Case.is_overdue, for querysets."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def due_soon_q(today: dt.date) -> Q:
    """The same rule as Case.is_due_soon, for querysets."""
    return Q(
        status__in=OPEN_STATUSES,
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    )


DUE_FILTERS = {"overdue": overdue_q, "soon": due_soon_q}


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    status: str = ""
    source: str = ""
    due: str = ""  # "overdue" | "soon" | "open"
    unit: Unit | None = None
    region: Region | None = None
    handler_id: int | None = None


def scoped_units(user: User) -> QuerySet[Unit]:
    return access.scope(user, Unit.objects.all()).order_by("region__path", "order", "name")


def _units_prefetch(user: User) -> Prefetch:
    # A case's units as this user may see them (a liaison: their own unit).
    return Prefetch("units", queryset=scoped_units(user))


def case_list(user: User, f: CaseFilter, *, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    qs = with_handler(access.scope(user, Case.objects.all()))
    query = registry.parse_query(f.q)
    if query is not None:
        qs = qs.filter(
            Q(title__icontains=query.value)
            | _named(user, query, "requester_person", "requester_organization")
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.due == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.due in DUE_FILTERS:
        qs = qs.filter(DUE_FILTERS[f.due](today))
    if f.unit is not None:
        qs = qs.filter(
            Exists(Case.units.through.objects.filter(case_id=OuterRef("pk"), unit_id=f.unit.pk))
        )
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.handler_id is not None:
        qs = qs.filter(Q(handler_id=f.handler_id))  # the annotation of with_handler
    return (
        qs.select_related("requester_person", "requester_organization", "region")
        .prefetch_related(_units_prefetch(user))
        .order_by("-received_on", "-id")
    )


def case_units_with_cases(user: User) -> QuerySet[Unit]:
    """The units in the user's scope that have cases the user may see: the unit filter's choices."""
    cases = access.scope(user, Case.objects.filter(units=OuterRef("pk")))
    return scoped_units(user).filter(Exists(cases))


def case_detail(user: User, case_id: int) -> Case:
    return access.get_for_user(
        user,
        with_handler(
            Case.objects.select_related(
                "requester_person__region",
                "requester_organization__region",
                "region",
                "line",
                "created_by__unit",
                "opinion__visit",
            ).prefetch_related(_units_prefetch(user))
        ),
        pk=case_id,
    )


def case_timeline(user: User, case: Case) -> QuerySet[CaseEvent]:
    return (
        access.scope(user, CaseEvent.objects.filter(case=case))
        .select_related("actor__unit")
        .order_by("at", "id")
    )


# --- the workbench's deadline lists ---------------------------------------------------------------


@dataclass
class DeadlineGroup:
    label: str
    params: str  # the case list's query string for this group
    cases: list[Case] = field(default_factory=list)


@dataclass(frozen=True)
class DeadlineBoard:
    by: str  # "unit" | "handler"
    overdue: list[DeadlineGroup]
    due_soon: list[DeadlineGroup]
    overdue_count: int
    due_soon_count: int

    def sections(self) -> list[tuple[str, str, list[DeadlineGroup], int, str]]:
        """(heading, colour, groups, count, the case list's due filter) of the two lists."""
        return [
            ("逾期诉求", "danger", self.overdue, self.overdue_count, "overdue"),
            (
                f"即将到期（{DUE_SOON_DAYS}天内）",
                "warning",
                self.due_soon,
                self.due_soon_count,
                "soon",
            ),
        ]


NO_HANDLER = "尚未开始办理"
NO_UNIT = "未指定承办单位"


def _group(cases: list[Case], by: str, due: str) -> list[DeadlineGroup]:
    groups: dict[object, DeadlineGroup] = {}
    for case in cases:
        if by == "handler":
            key: object = case.handler_id  # type: ignore[attr-defined]
            label = case.handler_name or NO_HANDLER  # type: ignore[attr-defined]
            params = f"due={due}&handler={key}" if key else f"due={due}&status={S.ASSIGNED}"
            slots = [(key, label, params)]
        else:
            # The units prefetched in scope: a liaison's case is grouped under their unit only.
            units = case.units.all()
            slots = [(u.pk, u.short_name or u.name, f"due={due}&unit={u.pk}") for u in units]
            slots = slots or [(None, NO_UNIT, f"due={due}")]
        for key, label, params in slots:
            groups.setdefault(key, DeadlineGroup(label, params)).cases.append(case)
    # The longest lists first: that is where help is needed.
    return sorted(groups.values(), key=lambda g: (-len(g.cases), g.label))


def deadline_board(user: User, *, by: str = "unit", today: dt.date | None = None) -> DeadlineBoard:
    """The open cases in the user's scope that are overdue or due within DUE_SOON_DAYS days,
    grouped per assigned unit (a case of two units is under both) or per handler."""
    today = today or timezone.localdate()
    qs = (
        with_handler(access.scope(user, Case.objects.all()))
        .filter(overdue_q(today) | due_soon_q(today), archived_at__isnull=True)
        .select_related("requester_person", "requester_organization")
        .prefetch_related(_units_prefetch(user))
        .order_by("deadline", "id")
    )
    cases = list(qs)
    overdue = [c for c in cases if c.deadline is not None and c.deadline < today]
    soon = [c for c in cases if c.deadline is not None and c.deadline >= today]
    by = "handler" if by == "handler" else "unit"
    return DeadlineBoard(
        by=by,
        overdue=_group(overdue, by, "overdue"),
        due_soon=_group(soon, by, "soon"),
        overdue_count=len(overdue),
        due_soon_count=len(soon),
    )
