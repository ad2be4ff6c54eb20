"""工作记录: the work a person, an organization or a unit appears in, newest first, for their pages.

Each kind of record is one scoped query (access.scope), so a record the viewer may not see is
left out without a trace (no count of hidden records either: a count would tell that a 罗江
activity exists to a 旌阳 user), and the number of queries does not grow with the records. A
timeline shows the newest ``LIMIT`` entries; each query fetches one more than that, which is all
the merge can need, and tells whether there are more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse

from tongxin.core import access
from tongxin.core.models import Unit, User
from tongxin.registry.models import Organization, Person

from .models import (
    OPEN_STATUSES,
    Activity,
    Case,
    CreditAgreement,
    DualVisitReport,
    Output,
    OutputAuthor,
    ParticipantRole,
    Participation,
    Secondment,
    Trainee,
    Visit,
)

LIMIT = 50


@dataclass(frozen=True)
class Kind:
    label: str
    icon: str


KINDS = {
    "activity": Kind("活动", "bi-people"),
    "visit": Kind("走访", "bi-house-door"),
    "case": Kind("诉求", "bi-chat-square-text"),
    "output": Kind("成果", "bi-file-earmark-text"),
    "training": Kind("培训", "bi-mortarboard"),
    "secondment": Kind("挂职", "bi-arrow-down-up"),
    "dual_report": Kind("双走访双报告", "bi-journal-text"),
}


@dataclass(frozen=True)
class Entry:
    """One line of a timeline. ``date`` orders it; ``when`` is what the page prints (a yearly
    record without a date reads "2022年度", not an invented day)."""

    kind: str
    date: dt.date
    pk: int
    title: str
    url: str
    role: str = ""  # the person's or the organization's part: 出席并讲话, 主办, 学员 …
    detail: str = ""
    when: str = ""
    status: str = ""  # a case's state

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    @property
    def icon(self) -> str:
        return KINDS[self.kind].icon

    @property
    def day(self) -> str:
        return self.when or self.date.isoformat()


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    more: bool  # older entries were left out; the page offers them all


def _cut(qs: QuerySet[Any], limit: int | None) -> list[Any]:
    return list(qs if limit is None else qs[: limit + 1])


def _merge(groups: Iterable[list[Entry]], limit: int | None) -> Timeline:
    entries = sorted(
        (e for group in groups for e in group),
        key=lambda e: (e.date, e.kind, e.pk),
        reverse=True,
    )
    if limit is None or len(entries) <= limit:
        return Timeline(entries, more=False)
    return Timeline(entries[:limit], more=True)


def _joined(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if p)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}学时"


# --- the pieces, one query each -------------------------------------------------------------------


def _activity_entry(activity: Activity, role: str = "", extra: str = "") -> Entry:
    return Entry(
        kind="activity",
        date=activity.date,
        pk=activity.pk,
        title=activity.title,
        url=reverse("activity_detail", args=[activity.pk]),
        role=role,
        detail=_joined(activity.type.name, activity.place, extra),
    )


def _visit_entries(user: User, qs: QuerySet[Visit], limit: int | None) -> list[Entry]:
    visits = access.scope(user, qs).order_by("-visited_on", "-id")
    return [
        Entry(
            kind="visit",
            date=v.visited_on,
            pk=v.pk,
            title=f"{v.get_method_display()}：{v.person or v.organization}",
            url=reverse("visit_detail", args=[v.pk]),
            detail=f"走访人：{v.visitors}",
        )
        for v in _cut(visits.select_related("person", "organization"), limit)
    ]


def _case_entries(user: User, qs: QuerySet[Case], limit: int | None) -> list[Entry]:
    cases = access.scope(user, qs).order_by("-received_on", "-id")
    return [
        Entry(
            kind="case",
            date=c.received_on,
            pk=c.pk,
            title=c.title,
            url=reverse("case_detail", args=[c.pk]),
            role="反映人",
            detail=_joined(
                f"来源：{c.get_source_display()}",
                c.category,
                f"办理时限 {c.deadline:%Y-%m-%d}" if c.deadline and c.is_open else "",
            ),
            status=c.get_status_display(),
        )
        for c in _cut(cases, limit)
    ]


def _output_entries(
    user: User, authored: QuerySet[OutputAuthor], limit: int | None, role: str = "作者"
) -> list[Entry]:
    outputs = access.scope(
        user, Output.objects.filter(Exists(authored.filter(output_id=OuterRef("pk"))))
    ).order_by("-date", "-id")
    return [
        Entry(
            kind="output",
            date=o.date,
            pk=o.pk,
            title=o.title,
            url=reverse("output_detail", args=[o.pk]),
            role=role,
            detail=_joined(o.get_kind_display(), o.document_number),
        )
        for o in _cut(outputs, limit)
    ]


# --- a person -------------------------------------------------------------------------------------


def person_timeline(user: User, person: Person, limit: int | None = LIMIT) -> Timeline:
    """Every activity the person took part in, with their role; visits to them, cases they
    raised, outputs they wrote, trainings (with hours), secondments and 双走访双报告. Seven
    queries whatever their number."""
    participations = access.scope(
        user, Participation.objects.filter(person=person).select_related("activity__type")
    ).order_by("-activity__date", "-activity_id")
    trainees = access.scope(
        user, Trainee.objects.filter(person=person).select_related("training")
    ).order_by("-training__start_date", "-training_id")
    secondments = access.scope(
        user, Secondment.objects.filter(person=person).select_related("host_unit")
    ).order_by("-start_date", "-id")
    reports = access.scope(user, DualVisitReport.objects.filter(person=person)).order_by(
        "-year", "-id"
    )
    return _merge(
        [
            [
                _activity_entry(p.activity, p.get_role_display(), _joined(p.title, p.note))
                for p in _cut(participations, limit)
            ],
            _visit_entries(user, Visit.objects.filter(person=person), limit),
            _case_entries(user, Case.objects.filter(requester_person=person), limit),
            _output_entries(user, OutputAuthor.objects.filter(person=person), limit),
            [_training_entry(t) for t in _cut(trainees, limit)],
            [_secondment_entry(s) for s in _cut(secondments, limit)],
            [_dual_report_entry(r) for r in _cut(reports, limit)],
        ],
        limit,
    )


def _training_entry(trainee: Trainee) -> Entry:
    training = trainee.training
    return Entry(
        kind="training",
        date=training.start_date,
        pk=training.pk,
        title=training.title,
        url=reverse("training_detail", args=[training.pk]),
        role=ParticipantRole.TRAINEE.label,
        detail=_joined(
            _hours(trainee.effective_hours), "已结业" if trainee.completed else "未结业"
        ),
    )


def _secondment_entry(s: Secondment) -> Entry:
    term = f"{s.start_date:%Y-%m-%d} 至 {s.end_date:%Y-%m-%d}" if s.end_date else ""
    return Entry(
        kind="secondment",
        date=s.start_date,
        pk=s.pk,
        title=f"第{s.batch}批挂职锻炼：{s.host}",
        url=reverse("secondment_detail", args=[s.pk]),
        role=s.get_direction_display(),
        detail=_joined(s.post, term),
    )


def _dual_report_entry(r: DualVisitReport) -> Entry:
    return Entry(
        kind="dual_report",
        # A year's record without a report date sorts at the end of its year.
        date=r.reported_on or dt.date(r.year, 12, 31),
        pk=r.pk,
        title=f"{r.year}年双走访双报告" + (f"：《{r.report_title}》" if r.report_title else ""),
        url=reverse("dual_report_detail", args=[r.pk]),
        detail=f"走访 {r.visits_made} 次",
        when="" if r.reported_on else f"{r.year}年度",
    )


# --- an organization ------------------------------------------------------------------------------


def organization_timeline(user: User, org: Organization, limit: int | None = LIMIT) -> Timeline:
    """Activities it organized, or where it landed or signed credit; visits to it, cases it
    raised, outputs it wrote. Five queries."""
    organized = Activity.organizer_organizations.through.objects.filter(
        activity_id=OuterRef("pk"), organization_id=org.pk
    )
    landed = Activity.landed_enterprises.through.objects.filter(
        activity_id=OuterRef("pk"), organization_id=org.pk
    )
    credited = CreditAgreement.objects.filter(activity_id=OuterRef("pk"), enterprise_id=org.pk)
    activities = (
        access.scope(
            user, Activity.objects.filter(Exists(organized) | Exists(landed) | Exists(credited))
        )
        .annotate(organized=Exists(organized), landed=Exists(landed), credited=Exists(credited))
        .select_related("type")
        .order_by("-date", "-id")
    )
    return _merge(
        [
            [_activity_entry(a, _organization_part(a)) for a in _cut(activities, limit)],
            _visit_entries(user, Visit.objects.filter(organization=org), limit),
            _case_entries(user, Case.objects.filter(requester_organization=org), limit),
            _output_entries(user, OutputAuthor.objects.filter(organization=org), limit),
        ],
        limit,
    )


def _organization_part(activity: Any) -> str:
    parts = [
        label
        for flag, label in (
            (activity.organized, "主办"),
            (activity.landed, "落地企业"),
            (activity.credited, "授信签约"),
        )
        if flag
    ]
    return "、".join(parts)


# --- a unit ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitWork:
    """A unit's page: the cases assigned to it, open ones first by deadline, and the activities
    it organized or joined. (Tasks, 督办事项, will sit beside the cases.)"""

    cases: list[Case]
    case_count: int
    open_cases: int
    activities: Timeline


def unit_timeline(user: User, unit: Unit, limit: int | None = LIMIT) -> UnitWork:
    """Two queries for the cases (the list, and how many there are and are open) and one for
    the activities."""
    cases = access.scope(user, Case.objects.filter(units=unit))
    counts = cases.aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES))
    )
    ordered = (
        cases.annotate(
            closed=SqlCase(
                When(status__in=OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            open_deadline=SqlCase(When(status__in=OPEN_STATUSES, then=F("deadline"))),
        )
        .select_related("requester_person", "requester_organization")
        # Open cases first, the nearest deadline first and those without one after them
        # (nulls_last: PostgreSQL and SQLite disagree otherwise); then the newest.
        .order_by("closed", F("open_deadline").asc(nulls_last=True), "-received_on", "-id")
    )
    role = Participation.objects.filter(activity_id=OuterRef("pk"), unit_id=unit.pk)
    organized = Activity.organizer_units.through.objects.filter(
        activity_id=OuterRef("pk"), unit_id=unit.pk
    )
    activities = (
        access.scope(user, Activity.objects.filter(Exists(organized) | Exists(role)))
        .annotate(organized=Exists(organized), unit_role=Subquery(role.values("role")[:1]))
        .select_related("type")
        .order_by("-date", "-id")
    )
    return UnitWork(
        cases=list(ordered if limit is None else ordered[:limit]),
        case_count=counts["total"],
        open_cases=counts["open"],
        activities=_merge(
            [[_activity_entry(a, _unit_part(a)) for a in _cut(activities, limit)]], limit
        ),
    )


def _unit_part(activity: Any) -> str:
    parts = ["主办"] if activity.organized else []
    if activity.unit_role:
        parts.append(ParticipantRole(activity.unit_role).label)
    return "、".join(parts)


__all__ = [
    "KINDS",
    "LIMIT",
    "Entry",
    "Timeline",
    "UnitWork",
    "organization_timeline",
    "person_timeline",
    "unit_timeline",
]
