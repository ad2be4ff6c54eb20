"""Outputs with authors, endorsements and adoptions; trainings, secondments, 双走访双报告."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tongxin.core import access
from tongxin.core.models import Unit
from tongxin.work import services_cadres as cadres
from tongxin.work import services_outputs as outputs
from tongxin.work.models import (
    DualVisitReport,
    Endorsement,
    Output,
    OutputKind,
    Secondment,
    Trainee,
    Training,
)

from ..conftest import Cast


def _output(cast: Cast, **fields: object) -> Output:
    return outputs.output_create(
        actor=cast.jingyang,
        title=str(fields.pop("title", "旌阳区信息一则")),
        date=dt.date(2022, 4, 1),
        region=cast.jingyang_region,
        **{"kind": OutputKind.INFORMATION, **fields},  # type: ignore[arg-type]
    )


def test_an_output_has_people_organizations_and_units_as_authors_in_order(cast: Cast) -> None:
    unit = Unit.objects.get(short_name="旌阳区司法局")
    output = _output(
        cast,
        authors=[
            outputs.AuthorSpec(unit=unit),
            outputs.AuthorSpec(person=cast.records.person),
            outputs.AuthorSpec(organization=cast.records.organization),
        ],
    )
    assert [str(a) for a in output.authors.all()] == [
        unit.name,
        cast.records.person.name,
        cast.records.organization.name,
    ]
    with pytest.raises(ValidationError) as err:
        outputs.authors_set(
            actor=cast.jingyang,
            output=output,
            authors=[outputs.AuthorSpec(person=cast.records.person, unit=unit)],
        )
    assert outputs.AUTHOR_REQUIRED in err.value.messages
    assert output.authors.count() == 3


def test_endorsements_and_adoptions_attach_to_any_output(cast: Cast) -> None:
    for kind in (OutputKind.PROPOSAL, OutputKind.COURSE, OutputKind.POLICY):
        output = _output(cast, kind=kind, title=f"旌阳{kind}")
        outputs.endorsement_add(
            actor=cast.jingyang,
            output=output,
            level="province",
            leader_title="省委副书记",
            date=dt.date(2022, 5, 1),
        )
        outputs.adoption_add(
            actor=cast.jingyang, output=output, adopter="cppcc", date=dt.date(2022, 6, 1)
        )
        assert output.endorsements.count() == 1 and output.adoptions.count() == 1


def test_an_endorsement_needs_the_leaders_title(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        outputs.endorsement_add(
            actor=cast.jingyang,
            output=cast.work.output,
            level="city",
            leader_title=" ",
            date=dt.date(2022, 5, 1),
        )
    assert outputs.LEADER_REQUIRED in err.value.messages
    assert Endorsement.objects.filter(output=cast.work.output).count() == 1


def test_channel_and_reads_belong_to_media_posts_only(cast: Cast) -> None:
    post = _output(cast, kind=OutputKind.MEDIA_POST, channel="wechat", reads=12000)
    assert post.reads == 12000
    with pytest.raises(ValidationError) as err:
        _output(cast, kind=OutputKind.THEORY_ARTICLE, channel="wechat", title="旌阳理论文章")
    assert outputs.MEDIA_ONLY in err.value.messages


def test_innovation_cases_go_into_a_compilation(cast: Cast) -> None:
    book = _output(cast, kind=OutputKind.COMPILATION, title="旌阳十大创新特色案例汇编")
    case = _output(cast, kind=OutputKind.INNOVATION_CASE, title="旌阳案例一", compilation=book)
    assert list(book.included.all()) == [case]
    with pytest.raises(ValidationError) as err:
        _output(cast, kind=OutputKind.INNOVATION_CASE, title="旌阳案例二", compilation=case)
    assert outputs.COMPILATION_WRONG in err.value.messages


def test_a_training_counts_its_trainees_once_with_their_hours(cast: Cast) -> None:
    training = cast.work.training
    assert training.trainees.get().effective_hours == Decimal("24")
    with pytest.raises(ValidationError) as err:
        cadres.trainees_add(actor=cast.jingyang, training=training, people=[cast.records.person])
    assert cadres.TRAINEE_TWICE.format(name=cast.records.person.name) in err.value.messages
    assert Trainee.objects.filter(training=training).count() == 1


def test_a_training_ends_after_it_starts(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        cadres.training_create(
            actor=cast.jingyang,
            title="旌阳倒置培训班",
            start_date=dt.date(2022, 7, 3),
            end_date=dt.date(2022, 7, 1),
            hours=Decimal("8"),
            region=cast.jingyang_region,
        )
    assert not Training.objects.filter(title="旌阳倒置培训班").exists()


def test_a_secondment_names_a_host_and_a_person_serves_once_per_batch(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        cadres.secondment_create(
            actor=cast.jingyang,
            person=cast.records.person,
            direction="up",
            batch=5,
            start_date=dt.date(2023, 3, 1),
            region=cast.jingyang_region,
        )
    with pytest.raises(ValidationError):
        cadres.secondment_create(
            actor=cast.jingyang,
            person=cast.records.person,
            direction="up",
            batch=4,
            start_date=dt.date(2023, 3, 1),
            region=cast.jingyang_region,
            host_name="市发改委",
        )
    assert Secondment.objects.filter(person=cast.records.person).count() == 1


def test_a_dual_report_is_one_record_per_person_and_year(cast: Cast) -> None:
    report = cadres.dual_report_save(
        actor=cast.jingyang, person=cast.records.person, year=2022, visits_made=5
    )
    assert report.pk == cast.work.dual_report.pk and report.visits_made == 5
    assert DualVisitReport.objects.filter(person=cast.records.person).count() == 1


def test_records_about_a_person_follow_that_persons_scope(cast: Cast) -> None:
    for model in (Secondment, DualVisitReport, Trainee, Training, Output, Endorsement):
        for who in (cast.luojiang, cast.outsider, cast.liaison, cast.auditor):
            assert not access.scope(who, model.objects.all()).exists(), (model, who)
        assert access.scope(cast.jingyang, model.objects.all()).exists(), model


def test_a_city_class_shows_to_a_district_with_its_own_trainees_only(cast: Cast) -> None:
    from tongxin.registry import services as registry
    from tongxin.registry.models import CodeItem

    training = cadres.training_create(
        actor=cast.admin,
        title="全市新阶人士培训班",
        start_date=dt.date(2022, 4, 11),
        end_date=dt.date(2022, 4, 13),
        hours=Decimal("24"),
        region=cast.city,
    )
    luojiang_person = registry.person_create(
        actor=None,
        name="罗江学员",
        region=cast.luojiang_region,
        categories=[CodeItem.objects.get(kind="category", name="新的社会阶层人士")],
    )
    cadres.trainees_add(
        actor=cast.admin, training=training, people=[cast.records.person, luojiang_person]
    )
    assert access.scope(cast.jingyang, Training.objects.filter(pk=training.pk)).exists()
    names = {t.person.name for t in access.scope(cast.jingyang, training.trainees.all())}
    assert names == {cast.records.person.name}
    zhongjiang = Training.objects.filter(pk=training.pk)
    assert access.scope(cast.outsider, zhongjiang).count() == 0
    with pytest.raises(ValidationError):
        cadres.trainee_remove(actor=cast.jingyang, trainee=training.trainees.first())  # type: ignore[arg-type]
