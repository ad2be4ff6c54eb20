"""Reads of trainings and trainees, secondments (挂职锻炼) and 双走访双报告, always scoped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet, Sum

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, User
from tongxin.registry import selectors as registry
from tongxin.registry.models import Person

from .models import Activity, DualVisitReport, Secondment, SecondmentDirection, Trainee, Training

CANDIDATES = 20  # people offered by one search of a picker


# --- trainings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingFilter:
    year: int | None = None
    region: Region | None = None
    line: BusinessLine | None = None


def _trainings(user: User, f: TrainingFilter) -> QuerySet[Training]:
    qs = access.scope(user, Training.objects.all())
    if f.year is not None:
        qs = qs.filter(start_date__year=f.year)
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.line is not None:
        qs = qs.filter(line=f.line)
    return qs


def training_list(user: User, f: TrainingFilter) -> QuerySet[Training]:
    return (
        _trainings(user, f)
        .select_related("organizer", "region", "line")
        .annotate(trainee_count=Count("trainees"))
        .order_by("-start_date", "-id")
    )


def training_totals(user: User, f: TrainingFilter) -> dict[str, int]:
    """The classes a list shows and their trainees (人次: one person on two classes counts
    twice). One query."""
    return _trainings(user, f).aggregate(
        trainings=Count("id", distinct=True), trainees=Count("trainees")
    )


def training_years(user: User) -> list[int]:
    dates = access.scope(user, Training.objects.all()).dates("start_date", "year", order="DESC")
    return [d.year for d in dates]


def training_detail(user: User, training_id: int) -> Training:
    return access.get_for_user(
        user,
        Training.objects.select_related("organizer", "region", "line", "created_by"),
        pk=training_id,
    )


def training_activity(user: User, training: Training) -> Activity | None:
    """The activity recorded for the class, if the viewer may see it (activities and classes
    are scoped each by their own region and line)."""
    if training.activity_id is None:
        return None
    return access.scope(user, Activity.objects.filter(pk=training.activity_id)).first()


def training_trainees(user: User, training: Training) -> list[Trainee]:
    """The class list, each trainee marked ``person_visible``: a trainee's row follows the
    training, but the person's page opens only to those who may see the person (a city line's
    class can hold people of another line)."""
    trainees = list(
        access.scope(user, training.trainees.select_related("person__region")).order_by(
            "person__name_pinyin", "id"
        )
    )
    visible = visible_people(user, (t.person_id for t in trainees))
    for t in trainees:
        t.training = training  # effective_hours reads it; saves a query per row
        t.person_visible = t.person_id in visible  # type: ignore[attr-defined]
    return trainees


def trainee_detail(user: User, trainee_id: int) -> Trainee:
    return access.get_for_user(
        user, Trainee.objects.select_related("training", "person"), pk=trainee_id
    )


def visible_people(user: User, person_ids: Iterable[int]) -> set[int]:
    ids = set(person_ids)
    if not ids:
        return set()
    return set(access.scope(user, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def person_candidates(user: User, q: str, *, exclude: Iterable[int] = ()) -> list[Person]:
    """The people a picker offers for a search: in scope, not archived, first few matches."""
    if not q.strip():
        return []
    qs = registry.person_list(user, registry.PersonFilter(q=q)).exclude(pk__in=list(exclude))
    return list(qs.prefetch_related(None)[:CANDIDATES])


def person_for_picker(user: User, person_id: object) -> Person | None:
    """The person a picker chose (``?person=``), or None when missing or out of scope."""
    try:
        pk = int(str(person_id))
    except ValueError:
        return None
    qs = access.scope(user, Person.objects.filter(pk=pk, archived_at__isnull=True))
    return qs.select_related("region").first()


# --- secondments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecondmentFilter:
    batch: int | None = None
    direction: str = ""
    year: int | None = None


def secondment_list(user: User, f: SecondmentFilter) -> QuerySet[Secondment]:
    qs = access.scope(user, Secondment.objects.all())
    if f.batch is not None:
        qs = qs.filter(batch=f.batch)
    if f.direction:
        qs = qs.filter(direction=f.direction)
    if f.year is not None:
        qs = qs.filter(start_date__year=f.year)
    return qs.select_related("person__region", "host_unit", "region").order_by(
        "-batch", "person__name_pinyin", "id"
    )


def secondment_batches(user: User) -> list[int]:
    qs = access.scope(user, Secondment.objects.all()).values_list("batch", flat=True)
    return sorted(set(qs.order_by().distinct()), reverse=True)


def secondment_years(user: User) -> list[int]:
    dates = access.scope(user, Secondment.objects.all()).dates("start_date", "year", order="DESC")
    return [d.year for d in dates]


@dataclass(frozen=True)
class SecondmentTotals:
    batch: int | None
    batch_people: int
    batch_up: int
    batch_down: int
    people: int
    up: int
    down: int


# 统计口径 (shown on the page): a batch counts its people; the cumulative figure counts people,
# not terms, so one person seconded in two batches counts once (上挂 and 下派 alike).
TOTALS_RULE = "累计人数按人计，同一人多批次挂职只计1名；上挂、下派分别按人计。"


def secondment_totals(user: User, batch: int | None) -> SecondmentTotals:
    """This batch (the chosen one, else the latest) and the cumulative count, in the user's
    scope, whatever else the list is filtered by. Two queries."""
    qs = access.scope(user, Secondment.objects.all())
    up, down = SecondmentDirection.UP, SecondmentDirection.DOWN
    overall = qs.aggregate(
        people=Count("person", distinct=True),
        up=Count("person", filter=Q(direction=up), distinct=True),
        down=Count("person", filter=Q(direction=down), distinct=True),
        latest=Max("batch"),
    )
    shown = batch if batch is not None else overall["latest"]
    in_batch = qs.filter(batch=shown).aggregate(
        people=Count("person", distinct=True),
        up=Count("person", filter=Q(direction=up), distinct=True),
        down=Count("person", filter=Q(direction=down), distinct=True),
    )
    return SecondmentTotals(
        batch=shown,
        batch_people=in_batch["people"],
        batch_up=in_batch["up"],
        batch_down=in_batch["down"],
        people=overall["people"],
        up=overall["up"],
        down=overall["down"],
    )


def secondment_detail(user: User, secondment_id: int) -> Secondment:
    return access.get_for_user(
        user,
        Secondment.objects.select_related("person__region", "host_unit", "region", "created_by"),
        pk=secondment_id,
    )


# --- 双走访双报告 ------------------------------------------------------------------------------


def dual_report_years(user: User) -> list[int]:
    qs = access.scope(user, DualVisitReport.objects.all()).values_list("year", flat=True)
    return sorted(set(qs.order_by().distinct()), reverse=True)


def dual_report_list(user: User, year: int) -> QuerySet[DualVisitReport]:
    return (
        access.scope(user, DualVisitReport.objects.filter(year=year))
        .select_related("person__region")
        .order_by("person__name_pinyin", "id")
    )


def dual_report_totals(user: User, year: int) -> dict[str, int]:
    totals = access.scope(user, DualVisitReport.objects.filter(year=year)).aggregate(
        people=Count("id"),
        visits=Sum("visits_made"),
        reports=Count("id", filter=~Q(report_title="")),
    )
    return {k: v or 0 for k, v in totals.items()}


def dual_report_detail(user: User, dual_report_id: int) -> DualVisitReport:
    return access.get_for_user(
        user,
        DualVisitReport.objects.select_related("person__region", "created_by"),
        pk=dual_report_id,
    )
