"""/trainings with their trainees, /secondments (挂职锻炼) and /dual-reports (双走访双报告).

Handlers only translate: JSON in, a service call (services_cadres), the record out. Records come
through access.scope/get_for_user: trainings by region and line, secondments and 双走访双报告 by
the person they are about. Each request's writes run in one transaction.
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import User
from tongxin.registry.models import Person
from tongxin.work import selectors_cadres as selectors
from tongxin.work import services_cadres as services
from tongxin.work.checks import check_writer
from tongxin.work.models import (
    DualVisitReport,
    Secondment,
    SecondmentDirection,
    Trainee,
    Training,
)

from .. import versions
from ..errors import CONFLICTS, ErrorOut
from ..pagination import Paged
from ..schemas_cadres import (
    PERSONS_REQUIRED,
    DualReportIn,
    DualReportOut,
    SecondmentIn,
    SecondmentOut,
    SecondmentPatch,
    TraineesIn,
    TrainingDetailOut,
    TrainingIn,
    TrainingOut,
    TrainingPatch,
    secondment_fields,
    trainee_fields,
    training_fields,
)
from ..schemas_work import (
    filter_choice,
    filter_line,
    filter_region,
    in_region,
    saving,
    user_of,
    visible,
    year_filter,
)

router = Router(tags=["培训与干部"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- trainings ------------------------------------------------------------------------------------


def _training(user: User, training_id: int) -> Training:
    training = selectors.training_detail(user, training_id)
    trainees = selectors.training_trainees(user, training)
    training.visible_trainees = trainees  # type: ignore[attr-defined]
    training.trainee_count = len(trainees)  # type: ignore[attr-defined]
    return training


class TrainingQuery(Schema):
    year: int | None = year_filter("开班年度")
    region: str = Field("", description="行政区划代码，含下辖区划")
    line: str = Field("", description="条线")


@router.get("/trainings", response={200: list[TrainingOut], **ERRORS}, summary="培训班列表")
@paginate(Paged)
def training_list(request: HttpRequest, filters: Query[TrainingQuery]) -> QuerySet[Training]:
    user = user_of(request)
    qs = selectors.training_list(
        user,
        selectors.TrainingFilter(
            year=filters.year,
            region=filter_region(user, filters.region),
            line=filter_line("line", filters.line),
        ),
    )
    return qs.select_related("created_by")


@router.post("/trainings", response={201: TrainingDetailOut, **ERRORS}, summary="新增培训班")
def training_create(request: HttpRequest, payload: TrainingIn) -> Status[Training]:
    user = user_of(request)
    check_writer(user)
    with saving(Training):
        training = services.training_create(
            actor=user, **training_fields(user, payload.model_dump())
        )
    return Status(201, _training(user, training.pk))


@router.get(
    "/trainings/{training_id}",
    response={200: TrainingDetailOut, **ERRORS},
    summary="培训班详情及学员",
)
def training_detail(request: HttpRequest, training_id: int, response: HttpResponse) -> Training:
    training = _training(user_of(request), training_id)
    versions.tagged(response, training)
    return training


@router.patch(
    "/trainings/{training_id}",
    response={200: TrainingDetailOut, **ERRORS, **CONFLICTS},
    summary="修改培训班",
    description=versions.PATCH_HELP,
)
def training_update(
    request: HttpRequest,
    training_id: int,
    response: HttpResponse,
    payload: TrainingPatch | None = None,
) -> Training:
    user = user_of(request)
    training = _training(user, training_id)
    check_writer(user)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    with saving(Training):
        fields = training_fields(user, data)
        if fields:
            services.training_update(
                actor=user, training=training, expected_version=expected, **fields
            )
    training = _training(user, training.pk)
    versions.tagged(response, training)
    return training


@router.post(
    "/trainings/{training_id}/trainees",
    response={201: TrainingDetailOut, **ERRORS},
    summary="添加学员",
)
def trainees_add(request: HttpRequest, training_id: int, payload: TraineesIn) -> Status[Training]:
    user = user_of(request)
    training = _training(user, training_id)
    check_writer(user)
    data = payload.model_dump()
    with saving(Training, Trainee):
        if not data["persons"]:
            raise ValidationError({"persons": PERSONS_REQUIRED})
        people = visible(user, Person, data.pop("persons"), "学员")
        services.trainees_add(actor=user, training=training, people=people, **trainee_fields(data))
    return Status(201, _training(user, training.pk))


@router.delete(
    "/trainings/{training_id}/trainees/{trainee_id}",
    response={204: None, **ERRORS},
    summary="移除学员",
)
def trainee_remove(request: HttpRequest, training_id: int, trainee_id: int) -> Status[None]:
    user = user_of(request)
    training = _training(user, training_id)
    trainee = access.get_for_user(user, Trainee, pk=trainee_id, training=training)
    services.trainee_remove(actor=user, trainee=trainee)
    return Status(204, None)


# --- secondments ----------------------------------------------------------------------------------


class SecondmentQuery(Schema):
    batch: int | None = Field(None, description="批次（第几批）")
    year: int | None = year_filter("开始挂职的年度")
    direction: str = Field("", description="上挂 或 下派")
    region: str = Field("", description="组织区域的行政区划代码，含下辖区划")


@router.get("/secondments", response={200: list[SecondmentOut], **ERRORS}, summary="挂职锻炼列表")
@paginate(Paged)
def secondment_list(request: HttpRequest, filters: Query[SecondmentQuery]) -> QuerySet[Secondment]:
    user = user_of(request)
    qs = selectors.secondment_list(
        user,
        selectors.SecondmentFilter(
            batch=filters.batch,
            direction=filter_choice(
                SecondmentDirection, "挂职方式", "direction", filters.direction
            ),
            year=filters.year,
        ),
    )
    return in_region(qs, filter_region(user, filters.region))


@router.post("/secondments", response={201: SecondmentOut, **ERRORS}, summary="新增挂职记录")
def secondment_create(request: HttpRequest, payload: SecondmentIn) -> Status[Secondment]:
    user = user_of(request)
    check_writer(user)
    data = payload.model_dump()
    with saving(Secondment):
        person = visible(user, Person, [data.pop("person")], "挂职干部")[0]
        fields = secondment_fields(user, data)
        secondment = services.secondment_create(actor=user, person=person, **fields)
    return Status(201, selectors.secondment_detail(user, secondment.pk))


@router.get(
    "/secondments/{secondment_id}",
    response={200: SecondmentOut, **ERRORS},
    summary="挂职记录详情",
)
def secondment_detail(
    request: HttpRequest, secondment_id: int, response: HttpResponse
) -> Secondment:
    secondment = selectors.secondment_detail(user_of(request), secondment_id)
    versions.tagged(response, secondment)
    return secondment


@router.patch(
    "/secondments/{secondment_id}",
    response={200: SecondmentOut, **ERRORS, **CONFLICTS},
    summary="修改挂职记录",
    description=versions.PATCH_HELP,
)
def secondment_update(
    request: HttpRequest,
    secondment_id: int,
    response: HttpResponse,
    payload: SecondmentPatch | None = None,
) -> Secondment:
    user = user_of(request)
    secondment = selectors.secondment_detail(user, secondment_id)
    check_writer(user)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    with saving(Secondment):
        fields = secondment_fields(user, data)
        if fields:
            services.secondment_update(
                actor=user, secondment=secondment, expected_version=expected, **fields
            )
    secondment = selectors.secondment_detail(user, secondment.pk)
    versions.tagged(response, secondment)
    return secondment


# --- 双走访双报告 --------------------------------------------------------------------------------


def dual_reports(user: User) -> QuerySet[DualVisitReport]:
    # selectors_cadres.dual_report_list is for one year; the API also lists all years.
    return access.scope(user, DualVisitReport.objects.select_related("person"))


@router.get(
    "/dual-reports",
    response={200: list[DualReportOut], **ERRORS},
    summary="双走访双报告列表",
)
@paginate(Paged)
def dual_report_list(
    request: HttpRequest, year: int | None = Query(None, description="年度")
) -> QuerySet[DualVisitReport]:
    qs = dual_reports(user_of(request))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "person__name_pinyin", "id")


@router.post(
    "/dual-reports",
    response={200: DualReportOut, 201: DualReportOut, **ERRORS},
    summary="保存双走访双报告（按人员和年度：首次新增 201，之后更新 200）",
)
def dual_report_save(request: HttpRequest, payload: DualReportIn) -> Any:
    user = user_of(request)
    check_writer(user)
    data = payload.model_dump(exclude_unset=True)
    with saving(DualVisitReport):
        person = visible(user, Person, [data.pop("person")], "党外代表人士")[0]
        year = data.pop("year")
        # null for a count or a text means "not given"; for the date it clears it.
        fields = {k: v for k, v in data.items() if v is not None or k == "reported_on"}
        existed = dual_reports(user).filter(person=person, year=year).exists()
        report = services.dual_report_save(actor=user, person=person, year=year, **fields)
    return Status(200 if existed else 201, dual_reports(user).get(pk=report.pk))


@router.get(
    "/dual-reports/{dual_report_id}",
    response={200: DualReportOut, **ERRORS},
    summary="双走访双报告详情",
)
def dual_report_detail(request: HttpRequest, dual_report_id: int) -> DualVisitReport:
    return selectors.dual_report_detail(user_of(request), dual_report_id)
