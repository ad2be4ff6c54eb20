"""/visits (with the opinions heard), /opinions/{id}/case, and /cases with their state machine.

A case moves only through services.case_transition: a move the state machine does not allow
answers 409 with the service's own sentence (what the case is, what it may become) and changes
nothing, because the refusal rolls back the transaction it was raised in. Liaisons of an assigned
unit may take, report on, resolve and return their cases; everything else is for staff.
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import Unit, User
from tongxin.work import selectors_cases as selectors
from tongxin.work import services
from tongxin.work.checks import check_region, check_region_line, check_writer
from tongxin.work.models import Case, CaseStatus, Opinion, Visit

from ..errors import ErrorOut
from ..pagination import Paged
from ..schemas_cases import (
    CANNOT_EXTEND,
    CaseDetailOut,
    CaseFromOpinionIn,
    CaseIn,
    CaseOut,
    ExtendIn,
    ProgressIn,
    TransitionIn,
    VisitIn,
    VisitOut,
    case_fields,
    transition_fields,
    visit_fields,
)
from ..schemas_work import filter_choice, filter_region, saving, user_of

router = Router(tags=["走访与诉求"])
ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def _conflict(message: str) -> Status[dict[str, str]]:
    return Status(409, {"detail": message, "code": "illegal_transition"})


# --- visits ---------------------------------------------------------------------------------------


def opinions(user: User) -> list[Prefetch]:
    """A visit's opinions, each with its case when the user may see that case. Two lookups, not
    one nested in the other: Django would fetch a nested reverse one-to-one row by row."""
    return [
        Prefetch(
            "opinions",
            queryset=access.scope(user, Opinion.objects.order_by("id")),
            to_attr="visible_opinions",
        ),
        Prefetch(
            "visible_opinions__case",
            queryset=access.scope(user, Case.objects.all()),
            to_attr="visible_case",
        ),
    ]


def _visit(user: User, visit_id: int) -> Visit:
    visit = selectors.visit_detail(user, visit_id)
    prefetch_related_objects([visit], *opinions(user))
    return visit


class VisitQuery(Schema):
    date_from: dt.date | None = Field(None, description="起始日期（含）")
    date_to: dt.date | None = Field(None, description="截止日期（含）")
    region: str = Field("", description="行政区划代码，含下辖区划")
    person: int | None = Field(None, description="走访对象（人员 id）")
    organization: int | None = Field(None, description="走访对象（组织 id）")


@router.get("/visits", response={200: list[VisitOut], **ERRORS}, summary="走访列表")
@paginate(Paged)
def visit_list(request: HttpRequest, filters: Query[VisitQuery]) -> QuerySet[Visit]:
    user = user_of(request)
    qs = selectors.visit_list(
        user,
        selectors.VisitFilter(
            date_from=filters.date_from,
            date_to=filters.date_to,
            region=filter_region(user, filters.region),
        ),
    )
    if filters.person is not None:
        qs = qs.filter(person_id=filters.person)
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    return qs.select_related("created_by").prefetch_related(*opinions(user))


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="记录走访及听取的意见")
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[Visit]:
    user = user_of(request)
    check_writer(user)
    with saving(Visit, Opinion):
        fields = visit_fields(user, payload.model_dump())
        check_region(user, fields["region"])
        visit = services.visit_record(actor=user, **fields)
    return Status(201, _visit(user, visit.pk))


@router.get("/visits/{visit_id}", response={200: VisitOut, **ERRORS}, summary="走访详情")
def visit_detail(request: HttpRequest, visit_id: int) -> Visit:
    return _visit(user_of(request), visit_id)


FROM_OPINION_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": CaseFromOpinionIn.model_json_schema()}},
    }
}
TITLE_BODY_INVALID = (
    '请求体应为 JSON，例如 {"title": "企业融资难"}；也可省略，标题取意见内容的前30字。'
)


def _title(request: HttpRequest) -> str:
    """The body is optional, so it is read here rather than by ninja, which refuses an empty or
    form-encoded body outright (as for /imports/{id}/commit)."""
    if request.content_type != "application/json":
        return str(request.POST.get("title", ""))
    if not request.body.strip():
        return ""
    try:
        data = json.loads(request.body)
    except ValueError:
        raise ValidationError(TITLE_BODY_INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("title", ""), str):
        raise ValidationError(TITLE_BODY_INVALID)
    return str(data.get("title") or "")


@router.post(
    "/opinions/{opinion_id}/case",
    response={201: CaseDetailOut, **ERRORS},
    summary="走访意见转为诉求（受理）",
    description="请求体可省略；title 为诉求标题，不填取意见内容的前30字。"
    "一条意见只能转一次，再转返回 409。",
    openapi_extra=FROM_OPINION_BODY,
    by_alias=True,
)
def opinion_to_case(request: HttpRequest, opinion_id: int) -> Any:
    user = user_of(request)
    opinion = selectors.opinion_for_user(user, opinion_id)
    check_writer(user)
    title = _title(request)
    if Case.objects.filter(opinion=opinion).exists():
        return _conflict(services.OPINION_ALREADY_CASE)
    with saving(Case):
        case = services.opinion_to_case(actor=user, opinion=opinion, title=title)
    return Status(201, _case(user, case.pk))


# --- cases ----------------------------------------------------------------------------------------


def _case(user: User, case_id: int) -> Case:
    case = selectors.case_detail(user, case_id)
    case.visible_events = list(selectors.case_timeline(user, case))  # type: ignore[attr-defined]
    return case


class CaseQuery(Schema):
    status: str = Field("", description="状态：受理、交办、办理中、办结、回访（或其英文值）")
    overdue: bool | None = Field(None, description="true 只列超过办理时限仍未办结的")
    unit: int | None = Field(None, description="承办单位 id")
    region: str = Field("", description="行政区划代码，含下辖区划")


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="诉求列表")
@paginate(Paged)
def case_list(request: HttpRequest, filters: Query[CaseQuery]) -> QuerySet[Case]:
    user = user_of(request)
    unit = None
    if filters.unit is not None:
        unit = access.get_for_user(user, Unit, pk=filters.unit)
    qs = selectors.case_list(
        user,
        selectors.CaseFilter(
            status=filter_choice(CaseStatus, "诉求状态", "status", filters.status),
            due="overdue" if filters.overdue else "",
            unit=unit,
            region=filter_region(user, filters.region),
        ),
    )
    if filters.overdue is False:
        qs = qs.exclude(selectors.overdue_q(timezone.localdate()))
    return qs.select_related("line", "opinion", "created_by")


@router.post("/cases", response={201: CaseDetailOut, **ERRORS}, summary="受理诉求", by_alias=True)
def case_create(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    user = user_of(request)
    check_writer(user)
    with saving(Case):
        fields = case_fields(user, payload.model_dump())
        check_region_line(user, fields["region"], fields.get("line"))
        case = services.case_create(actor=user, **fields)
    return Status(201, _case(user, case.pk))


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    summary="诉求详情及办理记录",
    by_alias=True,
)
def case_detail(request: HttpRequest, case_id: int) -> Case:
    return _case(user_of(request), case_id)


@router.post(
    "/cases/{case_id}/transition",
    response={200: CaseDetailOut, **ERRORS},
    summary="变更诉求状态（交办、办理、办结、回访、退回）",
    description="to 可填中文状态或英文值。交办须填 units 和 deadline；办结须填 resolution；"
    "回访须填 satisfaction；退回（交办或办理中 → 受理）须在 note 中写明原因。"
    "当前状态不允许的变更返回 409，诉求不作任何改动。",
    by_alias=True,
)
def case_transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> Any:
    user = user_of(request)
    case = access.get_for_user(user, Case, pk=case_id)
    access.require_write(user)
    try:
        with saving(Case):
            fields = transition_fields(user, payload.model_dump())
            fields["units"] = fields["units"] or None
            services.case_transition(case=case, actor=user, **fields)
    except services.IllegalTransition as exc:
        return _conflict(str(exc))
    return _case(user, case.pk)


@router.post(
    "/cases/{case_id}/progress",
    response={201: CaseDetailOut, **ERRORS},
    summary="报告办理进展",
    by_alias=True,
)
def case_progress(request: HttpRequest, case_id: int, payload: ProgressIn) -> Status[Case]:
    user = user_of(request)
    case = access.get_for_user(user, Case, pk=case_id)
    access.require_write(user)
    with saving(Case):
        services.case_progress(case=case, actor=user, note=payload.note)
    return Status(201, _case(user, case.pk))


@router.post(
    "/cases/{case_id}/extend",
    response={200: CaseDetailOut, **ERRORS},
    summary="延长办理时限",
    by_alias=True,
)
def case_extend(request: HttpRequest, case_id: int, payload: ExtendIn) -> Any:
    user = user_of(request)
    case = access.get_for_user(user, Case, pk=case_id)
    access.require_write(user)
    try:
        with saving(Case):
            services.case_extend(
                case=case, actor=user, deadline=payload.deadline, reason=payload.reason
            )
    except services.IllegalTransition:
        return _conflict(CANNOT_EXTEND.format(status=case.get_status_display()))
    return _case(user, case.pk)
