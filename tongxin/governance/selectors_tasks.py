"""Reads of 督办事项 for the pages, the workbench and a unit's page, always through access.scope.

"Due soon" is the cases' rule (work.models.DUE_SOON_DAYS): open, and due today or within three
days; "overdue": open and past the deadline (Task.is_overdue)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, Role, Unit, User
from tongxin.work.checks import STAFF
from tongxin.work.models import DUE_SOON_DAYS, Attachment

from .models import OPEN_TASK_STATES, Mechanism, Task, TaskEvent, TaskEventKind

UNIT_TASKS_LIMIT = 8
LIAISON_BOARD_LIMIT = 8


def overdue_q(today: dt.date) -> Q:
    """The same rule as Task.is_overdue, for querysets."""
    return Q(state__in=OPEN_TASK_STATES, deadline__lt=today)


def due_soon_q(today: dt.date) -> Q:
    return Q(
        state__in=OPEN_TASK_STATES,
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    )


DUE_FILTERS = {"overdue": overdue_q, "soon": due_soon_q}


def with_last_progress(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate ``last_progress_at``: when the assignee last reported progress."""
    latest = TaskEvent.objects.filter(task=OuterRef("pk"), kind=TaskEventKind.PROGRESS).order_by(
        "-at", "-id"
    )
    return qs.annotate(last_progress_at=Subquery(latest.values("at")[:1]))


def _open_first(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Open tasks first, nearest deadline first; then the closed and returned ones."""
    return qs.annotate(
        closed_rank=Case(
            When(state__in=OPEN_TASK_STATES, then=0), default=1, output_field=IntegerField()
        )
    ).order_by("closed_rank", "deadline", "id")


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    state: str = ""
    due: str = ""  # "open" | "overdue" | "soon"
    unit: Unit | None = None  # 承办单位
    region: Region | None = None  # the assignee (a unit of it, or the region itself) lies there
    mechanism: Mechanism | None = None


def task_list(user: User, f: TaskFilter, *, today: dt.date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    qs = access.scope(user, Task.objects.all())
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(text__icontains=f.q))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.due == "open":
        qs = qs.filter(state__in=OPEN_TASK_STATES)
    elif f.due in DUE_FILTERS:
        qs = qs.filter(DUE_FILTERS[f.due](today))
    if f.unit is not None:
        qs = qs.filter(assignee_unit=f.unit)
    if f.region is not None:
        qs = qs.filter(
            Q(assignee_region__path__startswith=f.region.path)
            | Q(assignee_unit__region__path__startswith=f.region.path)
        )
    if f.mechanism is not None:
        qs = qs.filter(mechanism=f.mechanism)
    qs = qs.select_related("assignee_unit", "assignee_region", "owner", "mechanism", "region")
    return _open_first(with_last_progress(qs))


def scoped_units(user: User) -> QuerySet[Unit]:
    return access.scope(user, Unit.objects.all()).order_by("region__path", "order", "name")


def units_with_tasks(user: User) -> QuerySet[Unit]:
    """The units the user may see that have tasks the user may see: the unit filter's choices."""
    tasks = access.scope(user, Task.objects.filter(assignee_unit=OuterRef("pk")))
    return scoped_units(user).filter(Exists(tasks))


def mechanisms_with_tasks(user: User) -> QuerySet[Mechanism]:
    tasks = access.scope(user, Task.objects.filter(mechanism=OuterRef("pk")))
    return access.scope(user, Mechanism.objects.all()).filter(Exists(tasks)).order_by("name", "id")


def task_mechanisms(user: User) -> QuerySet[Mechanism]:
    """The running mechanisms a new task may belong to."""
    return access.scope(user, Mechanism.objects.filter(is_active=True)).order_by("name", "id")


def owner_choices(user: User) -> QuerySet[User]:
    """The staff who may be named 督办责任人 (services_tasks._check_owner): active staff of the
    regions the user may see. Only names are shown."""
    regions = access.scope(user, Region.objects.all())
    return (
        User.objects.filter(role__in=STAFF, is_active=True, region__in=regions)
        .select_related("region")
        .order_by("region__path", "name", "id")
    )


def task_detail(user: User, task_id: int) -> Task:
    return access.get_for_user(
        user,
        Task.objects.select_related(
            "mechanism",
            "region",
            "line",
            "assignee_unit__region",
            "assignee_region",
            "owner__unit",
            "created_by__unit",
        ),
        pk=task_id,
    )


def task_timeline(user: User, task: Task) -> QuerySet[TaskEvent]:
    """The task's events, oldest first, each with the files of its progress report."""
    files = access.scope(user, Attachment.objects.all()).order_by("uploaded_at", "id")
    return (
        access.scope(user, TaskEvent.objects.filter(task=task))
        .select_related("actor__unit")
        .prefetch_related(Prefetch("attachments", queryset=files))
        .order_by("at", "id")
    )


# --- a unit's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitTasks:
    tasks: list[Task]
    count: int
    open_count: int


def unit_tasks(user: User, unit: Unit, *, limit: int = UNIT_TASKS_LIMIT) -> UnitTasks:
    """The tasks assigned to ``unit`` that the user may see, open ones first."""
    qs = access.scope(user, Task.objects.filter(assignee_unit=unit))
    counts = qs.aggregate(count=Count("pk"), open=Count("pk", filter=Q(state__in=OPEN_TASK_STATES)))
    tasks = list(_open_first(qs.select_related("mechanism"))[:limit])
    return UnitTasks(tasks=tasks, count=counts["count"], open_count=counts["open"])


# --- the workbench --------------------------------------------------------------------------------


@dataclass
class TaskGroup:
    label: str
    params: str  # the task list's query string for this group
    tasks: list[Task] = field(default_factory=list)


@dataclass(frozen=True)
class TaskBoard:
    """A liaison's board is their unit's open tasks; staff's is the overdue and due-soon tasks
    they keep or handle, grouped per assignee."""

    for_unit: bool
    open_tasks: list[Task]  # a liaison's, nearest deadline first (the first LIAISON_BOARD_LIMIT)
    open_count: int
    overdue: list[TaskGroup]
    due_soon: list[TaskGroup]
    overdue_count: int
    due_soon_count: int

    def sections(self) -> list[tuple[str, str, list[TaskGroup], int, str]]:
        """(heading, colour, groups, count, the task list's due filter) of the two lists."""
        return [
            ("逾期督办事项", "danger", self.overdue, self.overdue_count, "overdue"),
            (
                f"即将到期（{DUE_SOON_DAYS}天内）",
                "warning",
                self.due_soon,
                self.due_soon_count,
                "soon",
            ),
        ]


def _group(tasks: list[Task], due: str) -> list[TaskGroup]:
    groups: dict[tuple[str, int], TaskGroup] = {}
    for task in tasks:
        if task.assignee_unit is not None:
            unit = task.assignee_unit
            key, label = ("unit", unit.pk), unit.short_name or unit.name
            params = f"due={due}&unit={unit.pk}"
        else:
            region = task.assignee_region
            assert region is not None
            key, label = ("region", region.pk), region.name
            params = f"due={due}&region={region.code}"
        groups.setdefault(key, TaskGroup(label, params)).tasks.append(task)
    # The longest lists first: that is where help is needed.
    return sorted(groups.values(), key=lambda g: (-len(g.tasks), g.label))


def task_board(user: User, *, today: dt.date | None = None) -> TaskBoard:
    today = today or timezone.localdate()
    qs = access.scope(user, Task.objects.filter(state__in=OPEN_TASK_STATES)).select_related(
        "assignee_unit", "assignee_region"
    )
    if user.role == Role.LIAISON:
        counts = qs.aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_q(today)),
            soon=Count("pk", filter=due_soon_q(today)),
        )
        return TaskBoard(
            for_unit=True,
            open_tasks=list(qs.order_by("deadline", "id")[:LIAISON_BOARD_LIMIT]),
            open_count=counts["open"],
            overdue=[],
            due_soon=[],
            overdue_count=counts["overdue"],
            due_soon_count=counts["soon"],
        )
    tasks = list(qs.filter(overdue_q(today) | due_soon_q(today)).order_by("deadline", "id"))
    overdue = [t for t in tasks if t.deadline < today]
    soon = [t for t in tasks if t.deadline >= today]
    return TaskBoard(
        for_unit=False,
        open_tasks=[],
        open_count=0,
        overdue=_group(overdue, "overdue"),
        due_soon=_group(soon, "soon"),
        overdue_count=len(overdue),
        due_soon_count=len(soon),
    )
