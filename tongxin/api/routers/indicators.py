"""/indicator-sets with their indicators, and /rounds: created, values entered with evidence,
computed, published, read with their ranking, and exported as .xlsx and .docx.

Handlers only translate: JSON in (Chinese labels or keys, ids of records in sight) to service
arguments, a service call, the record out. Sets and rounds come through access.get_for_user (404
outside one's scope); the services decide who may write (403). A step the round's state does not
allow — computing or entering once it is published, publishing before it is computed or twice —
answers 409 with the service's sentence and changes nothing; any other refusal is 422.
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import Region, Unit, User
from tongxin.governance import exports_indicators as exports
from tongxin.governance import selectors_indicators as selectors
from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import Indicator, IndicatorSet, SubjectType
from tongxin.governance.models_rounds import EnteredValue, EvaluationRound, RoundState
from tongxin.registry.models import Organization
from tongxin.work.checks import check_region_line, check_writer

from ..errors import ErrorOut
from ..pagination import Paged
from ..schemas_indicators import (
    EnteredValueOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorSetDetailOut,
    IndicatorSetIn,
    IndicatorSetOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    ValueIn,
    indicator_fields,
    ranking_rows,
    set_fields,
    subject_ref,
)
from ..schemas_work import (
    filter_choice,
    filter_region,
    in_region,
    region,
    saving,
    user_of,
    visible_one,
)

router = Router(tags=["考评"])
ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
# The service's refusals that are about the round's state, not about what was sent.
STATE_CONFLICTS = {rounds.ROUND_FROZEN, rounds.NOT_COMPUTED, rounds.ALREADY_PUBLISHED}
NOT_AN_ENTERED = (
    "指标 id {pk} 不是本轮需要录入的指标。"
    "需录入的指标见 GET /rounds/{round_id} 的 indicators（source 为录入）。"
)
NOT_A_SUBJECT = (
    "对象 id {pk} 不在本轮考评对象中。尚未录入的对象见 GET /rounds/{round_id} 的 missing。"
)
SUBJECT_MODELS: dict[str, type[Model]] = {
    "organization": Organization,
    "region": Region,
    "unit": Unit,
}
DOWNLOAD_XLSX = {
    "responses": {
        200: {
            "description": "排名表（.xlsx）",
            "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
        }
    }
}
DOWNLOAD_DOCX = {
    "responses": {200: {"description": "名单文件（.docx）", "content": {exports.DOCX: {}}}}
}


def _conflict(message: str) -> Status[dict[str, str]]:
    return Status(409, {"detail": message, "code": "illegal_transition"})


def _state_conflict(exc: ValidationError) -> str | None:
    messages = exc.messages
    return messages[0] if len(messages) == 1 and messages[0] in STATE_CONFLICTS else None


# --- indicator sets -------------------------------------------------------------------------------


def _set(user: User, indicator_set_id: int) -> IndicatorSet:
    indicator_set = access.get_for_user(
        user, IndicatorSet.objects.select_related("region", "line"), pk=indicator_set_id
    )
    indicator_set.set_indicators = selectors.set_indicators(indicator_set)  # type: ignore[attr-defined]
    indicator_set.visible_rounds = list(  # type: ignore[attr-defined]
        selectors.round_list(user, indicator_set=indicator_set)
    )
    return indicator_set


class SetQuery(Schema):
    subject_type: str = Field(
        "", description="考评对象类型：企业、组织、命名单位、区县、单位、民主党派"
    )
    region: str = Field("", description="行政区划代码，含下辖区划")


@router.get(
    "/indicator-sets", response={200: list[IndicatorSetOut], **ERRORS}, summary="指标体系列表"
)
@paginate(Paged)
def indicator_set_list(request: HttpRequest, filters: Query[SetQuery]) -> QuerySet[IndicatorSet]:
    user = user_of(request)
    qs = in_region(selectors.set_list(user), filter_region(user, filters.region))
    subject_type = filter_choice(SubjectType, "考评对象类型", "subject_type", filters.subject_type)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    return qs


@router.post(
    "/indicator-sets",
    response={201: IndicatorSetDetailOut, **ERRORS},
    summary="新建指标体系",
    description="指标在新建后逐项添加（POST /indicator-sets/{id}/indicators）。",
)
def indicator_set_create(request: HttpRequest, payload: IndicatorSetIn) -> Status[IndicatorSet]:
    user = user_of(request)
    check_writer(user)
    with saving(IndicatorSet):
        fields = set_fields(payload.model_dump())
        check_region_line(user, fields["region"], fields.get("line"))
        indicator_set = sets.set_create(actor=user, **fields)
    return Status(201, _set(user, indicator_set.pk))


@router.get(
    "/indicator-sets/{indicator_set_id}",
    response={200: IndicatorSetDetailOut, **ERRORS},
    summary="指标体系详情：指标、计分规则与统计口径、考评轮次",
)
def indicator_set_detail(request: HttpRequest, indicator_set_id: int) -> IndicatorSet:
    return _set(user_of(request), indicator_set_id)


@router.post(
    "/indicator-sets/{indicator_set_id}/indicators",
    response={201: IndicatorOut, **ERRORS},
    summary="添加指标",
    description="各项指标权重合计不能超过总分，等于总分才能计算。"
    "已有已发布考评轮次的指标体系不能再添加指标（422）。",
)
def indicator_add(
    request: HttpRequest, indicator_set_id: int, payload: IndicatorIn
) -> Status[Indicator]:
    user = user_of(request)
    indicator_set = access.get_for_user(user, IndicatorSet, pk=indicator_set_id)
    with saving(Indicator):
        indicator = sets.indicator_add(
            actor=user,
            indicator_set=indicator_set,
            **indicator_fields(indicator_set, payload.model_dump()),
        )
    return Status(201, indicator)


# --- rounds ---------------------------------------------------------------------------------------


def _round(user: User, round_id: int) -> EvaluationRound:
    return access.get_for_user(
        user,
        EvaluationRound.objects.select_related("set", "scope_region", "published_by"),
        pk=round_id,
    )


def _round_detail(user: User, round_id: int) -> EvaluationRound:
    evaluation = _round(user, round_id)
    has_results = evaluation.state != RoundState.DRAFT
    ranking = selectors.round_ranking(evaluation) if has_results else None
    evaluation.detail_indicators = (  # type: ignore[attr-defined]
        ranking.indicators if ranking else selectors.set_indicators(evaluation.set)
    )
    evaluation.detail_ranking = ranking_rows(ranking) if ranking else []  # type: ignore[attr-defined]
    evaluation.detail_missing = (  # type: ignore[attr-defined]
        []
        if evaluation.is_published
        else [
            {
                "indicator": {"id": i.pk, "name": i.name},
                "subjects": [subject_ref(s) for s in subjects],
            }
            for i, subjects in selectors.missing_values(evaluation)
        ]
    )
    evaluation.detail_events = list(selectors.round_events(evaluation))  # type: ignore[attr-defined]
    return evaluation


class RoundQuery(Schema):
    indicator_set: int | None = Field(None, description="指标体系 id")
    year: int | None = Field(None, description="考评年度")
    state: str = Field("", description="状态：草稿、已计算、已发布（或其英文值）")


@router.get("/rounds", response={200: list[RoundOut], **ERRORS}, summary="考评轮次列表")
@paginate(Paged)
def round_list(request: HttpRequest, filters: Query[RoundQuery]) -> QuerySet[EvaluationRound]:
    user = user_of(request)
    indicator_set = None
    if filters.indicator_set is not None:
        indicator_set = access.get_for_user(user, IndicatorSet, pk=filters.indicator_set)
    return selectors.round_list(
        user,
        indicator_set=indicator_set,
        year=filters.year,
        state=filter_choice(RoundState, "状态", "state", filters.state) or None,
    )


@router.post(
    "/rounds",
    response={201: RoundDetailOut, **ERRORS},
    summary="新建考评轮次",
    description="同一指标体系在同一考评范围每年一轮。",
)
def round_create(request: HttpRequest, payload: RoundIn) -> Status[EvaluationRound]:
    user = user_of(request)
    check_writer(user)
    with saving(EvaluationRound):
        indicator_set = visible_one(user, IndicatorSet, payload.indicator_set, "指标体系")
        assert indicator_set is not None
        scope = region(payload.scope_region) if payload.scope_region else None
        evaluation = rounds.round_create(
            actor=user,
            indicator_set=indicator_set,
            year=payload.year,
            scope_region=scope,
            title=payload.title,
        )
    return Status(201, _round_detail(user, evaluation.pk))


@router.get(
    "/rounds/{round_id}",
    response={200: RoundDetailOut, **ERRORS},
    summary="考评轮次详情：排名、各项指标得分、尚未录入的数值、考评记录",
)
def round_detail(request: HttpRequest, round_id: int) -> EvaluationRound:
    return _round_detail(user_of(request), round_id)


@router.get(
    "/rounds/{round_id}/export.xlsx",
    response=ERRORS,
    summary="导出排名（.xlsx）",
    description="默认导出上榜名单；all=true 含未上榜的参评对象。尚未计算的返回 422。",
    openapi_extra=DOWNLOAD_XLSX,
)
def round_export_xlsx(request: HttpRequest, round_id: int, all: bool = False) -> HttpResponseBase:
    user = user_of(request)
    return exports.xlsx_response(user, _round(user, round_id), everyone=all)


@router.get(
    "/rounds/{round_id}/export.docx",
    response=ERRORS,
    summary="导出名单（.docx）",
    description="默认导出上榜名单；all=true 含未上榜的参评对象。尚未计算的返回 422。",
    openapi_extra=DOWNLOAD_DOCX,
)
def round_export_docx(request: HttpRequest, round_id: int, all: bool = False) -> HttpResponseBase:
    user = user_of(request)
    return exports.docx_response(user, _round(user, round_id), everyone=all)


def _subject(evaluation: EvaluationRound, pk: int) -> Any:
    """The subject of this round with id ``pk``; refused without naming what the id is, so that
    an id reveals nothing outside the round."""
    field = evaluation.set.subject_field
    if (field, pk) not in {s.key for s in rounds.round_subjects(evaluation)}:
        raise ValidationError(NOT_A_SUBJECT.format(pk=pk, round_id=evaluation.pk))
    return SUBJECT_MODELS[field]._default_manager.get(pk=pk)


@router.post(
    "/rounds/{round_id}/values",
    response={201: EnteredValueOut, **ERRORS},
    summary="录入指标数值（附佐证）",
    description="录入的指标须为每个参评对象录入数值和佐证材料，录齐后才能计算。"
    "再次录入同一对象的同一指标即修改原值；已计算的轮次退回草稿。已发布的轮次返回 409。",
)
def round_value_enter(request: HttpRequest, round_id: int, payload: ValueIn) -> Status[Any]:
    user = user_of(request)
    evaluation = _round(user, round_id)
    sets.check_set_keeper(user, evaluation.set)
    if evaluation.is_published:
        return _conflict(rounds.ROUND_FROZEN)
    indicator = next(
        (
            i
            for i in selectors.set_indicators(evaluation.set)
            if i.pk == payload.indicator and i.is_entered
        ),
        None,
    )
    if indicator is None:
        raise ValidationError(NOT_AN_ENTERED.format(pk=payload.indicator, round_id=round_id))
    try:
        with saving(EnteredValue):
            row = rounds.value_enter(
                actor=user,
                evaluation=evaluation,
                indicator=indicator,
                subject=_subject(evaluation, payload.subject),
                value=payload.value,
                evidence=payload.evidence,
            )
    except ValidationError as exc:
        conflict = _state_conflict(exc)
        if conflict:
            return _conflict(conflict)
        raise
    return Status(
        201, EnteredValue.objects.select_related("indicator", "entered_by").get(pk=row.pk)
    )


@router.post(
    "/rounds/{round_id}/compute",
    response={200: RoundDetailOut, **ERRORS},
    summary="计算（或重新计算）得分、排名和星级",
    description="按当前记录和录入的数值计算。权重合计不等于总分、需录入的数值未录齐、"
    "没有参评对象时返回 422 并说明缺什么；已发布的轮次返回 409。",
)
def round_compute(request: HttpRequest, round_id: int) -> Any:
    user = user_of(request)
    evaluation = _round(user, round_id)
    try:
        rounds.round_compute(actor=user, evaluation=evaluation)
    except ValidationError as exc:
        conflict = _state_conflict(exc)
        if conflict:
            return _conflict(conflict)
        raise
    return _round_detail(user, round_id)


@router.post(
    "/rounds/{round_id}/publish",
    response={200: RoundDetailOut, **ERRORS},
    summary="发布：结果冻结",
    description="只有已计算的轮次可以发布；发布后不能再录入、计算，此后记录的变化也不改变本轮名单。"
    "尚未计算或已经发布的返回 409。",
)
def round_publish(request: HttpRequest, round_id: int) -> Any:
    user = user_of(request)
    evaluation = _round(user, round_id)
    try:
        rounds.round_publish(actor=user, evaluation=evaluation)
    except ValidationError as exc:
        conflict = _state_conflict(exc)
        if conflict:
            return _conflict(conflict)
        raise
    return _round_detail(user, round_id)
