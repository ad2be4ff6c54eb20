"""Writes of trainings and trainees, secondments (挂职锻炼) and 双走访双报告."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from tongxin.core import text, versioning
from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry.models import Person

from .checks import (
    check_owner_writable,
    check_region,
    check_region_line,
    check_visible,
    check_writer,
    tidy,
)
from .models import DualVisitReport, Secondment, Trainee, Training

TITLE_REQUIRED = "请填写培训班名称。"
TRAINEE_TWICE = "“{name}”已是本培训班学员。"
PERSON_NOT_VISIBLE = "所选人员不存在或不在您的管辖范围内，请重新选择。"


def _clean(model: type[Model], fields: dict[str, Any]) -> dict[str, Any]:
    return tidy(model, fields)


@transaction.atomic
def training_create(
    *,
    actor: User,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    hours: Decimal,
    region: Region,
    line: BusinessLine | None = None,
    organizer: Unit | None = None,
    **fields: Any,
) -> Training:
    check_writer(actor)
    check_region_line(actor, region, line)
    check_visible(actor, "organizer", "主办单位", [organizer])
    training = Training(
        title=text.line(title),
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        region=region,
        line=line,
        organizer=organizer,
        created_by=actor,
        **_clean(Training, fields),
    )
    if not training.title:
        raise ValidationError({"title": TITLE_REQUIRED})
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def training_update(
    *, actor: User, training: Training, expected_version: int | None = None, **fields: Any
) -> Training:
    check_owner_writable(actor, training)
    versioning.claim(training, expected_version)
    for name, value in _clean(Training, fields).items():
        setattr(training, name, value)
    check_region_line(actor, training.region, training.line)
    check_visible(actor, "organizer", "主办单位", [training.organizer])
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def trainees_add(
    *,
    actor: User,
    training: Training,
    people: Sequence[Person],
    hours: Decimal | None = None,
    completed: bool = True,
    notes: str = "",
) -> list[Trainee]:
    check_owner_writable(actor, training)
    check_visible(actor, "person", "学员", people)
    existing = set(training.trainees.values_list("person_id", flat=True))
    created = []
    for person in people:
        if person.pk in existing:
            raise ValidationError({"person": TRAINEE_TWICE.format(name=person.name)})
        trainee = Trainee(
            training=training,
            person=person,
            hours=hours,
            completed=completed,
            notes=text.line(notes),
        )
        trainee.full_clean()
        trainee.save()
        existing.add(person.pk)
        created.append(trainee)
    return created


@transaction.atomic
def trainee_remove(*, actor: User, trainee: Trainee) -> None:
    check_owner_writable(actor, trainee.training)
    trainee.delete()


@transaction.atomic
def secondment_create(
    *,
    actor: User,
    person: Person,
    direction: str,
    batch: int,
    start_date: dt.date,
    region: Region,
    host_unit: Unit | None = None,
    **fields: Any,
) -> Secondment:
    check_writer(actor)
    check_visible(actor, "person", "挂职干部", [person])
    check_visible(actor, "host_unit", "挂职单位", [host_unit])
    check_region(actor, region)
    secondment = Secondment(
        person=person,
        direction=direction,
        batch=batch,
        start_date=start_date,
        region=region,
        host_unit=host_unit,
        created_by=actor,
        **_clean(Secondment, fields),
    )
    secondment.full_clean()
    secondment.save()
    return secondment


@transaction.atomic
def secondment_update(
    *, actor: User, secondment: Secondment, expected_version: int | None = None, **fields: Any
) -> Secondment:
    check_owner_writable(actor, secondment)
    versioning.claim(secondment, expected_version)
    for name, value in _clean(Secondment, fields).items():
        setattr(secondment, name, value)
    check_visible(actor, "host_unit", "挂职单位", [secondment.host_unit])
    secondment.full_clean()
    secondment.save()
    return secondment


@transaction.atomic
def dual_report_save(
    *,
    actor: User,
    person: Person,
    year: int,
    expected_version: int | None = None,
    **fields: Any,
) -> DualVisitReport:
    """One record per person and year: created the first time, updated after."""
    check_writer(actor)
    check_visible(actor, "person", "党外代表人士", [person])
    report = DualVisitReport.objects.filter(person=person, year=year).first()
    if report is None:
        report = DualVisitReport(person=person, year=year, created_by=actor)
    else:
        versioning.claim(report, expected_version)
    for name, value in _clean(DualVisitReport, fields).items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    return report
