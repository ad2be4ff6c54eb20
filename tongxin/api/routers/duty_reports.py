"""/duty-reports: 述职. A member unit's liaison submits the year's report for their unit (again,
until it is scored); the staff who keep the mechanism score it, and a scored report is final.
A liaison sees their own unit's reports only."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import Role, Unit, User
from tongxin.governance import selectors_mechanisms as selectors
from tongxin.governance import services_duty as services
from tongxin.governance.models import DutyReport, DutyReportState, Mechanism, MemberUnit

from ..errors import ErrorOut
from ..pagination import Paged
from ..schemas_governance import DutyReportIn, DutyReportOut, DutyScoreIn, score_value
from ..schemas_work import filter_choice, saving, user_of

router = Router(tags=["述职"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NOT_A_MEMBER = (
    "本单位不是该工作机制的成员单位。请在 mechanism 中填写本单位所在机制的 id"
    "（见 GET /api/v1/mechanisms）。"
)
WHICH_MECHANISM = (
    "本单位是多个工作机制的成员单位，请在 mechanism 中填写述职所在机制的 id"
    "（见 GET /api/v1/mechanisms）。"
)


def _report(user: User, duty_report_id: int) -> DutyReport:
    return selectors.duty_report_detail(user, duty_report_id)


class DutyReportQuery(Schema):
    year: int | None = Field(None, description="述职年度")
    state: str = Field("", description="状态：草稿、已提交、已评分（或其英文值）")
    mechanism: int | None = Field(None, description="工作机制 id")
    unit: int | None = Field(None, description="成员单位（单位 id）")


@router.get(
    "/duty-reports",
    response={200: list[DutyReportOut], **ERRORS},
    summary="述职报告列表",
    description="联络员只见本单位的述职报告。",
)
@paginate(Paged)
def duty_report_list(request: HttpRequest, filters: Query[DutyReportQuery]) -> QuerySet[DutyReport]:
    user = user_of(request)
    unit = mechanism = None
    if filters.unit is not None:
        unit = access.get_for_user(user, Unit, pk=filters.unit)
    if filters.mechanism is not None:
        mechanism = access.get_for_user(user, Mechanism, pk=filters.mechanism)
    qs = selectors.duty_report_list(
        user,
        selectors.DutyReportFilter(
            year=filters.year,
            state=filter_choice(DutyReportState, "述职状态", "state", filters.state),
            unit=unit,
            mechanism=mechanism,
        ),
    )
    return qs.select_related("submitted_by", "reviewed_by")


def _own_member(user: User, mechanism_id: int | None) -> MemberUnit:
    """The liaison's unit's member row (a liaison sees no other): in the mechanism named, or the
    only one there is."""
    rows = access.scope(user, MemberUnit.objects.all())
    if mechanism_id is not None:
        rows = rows.filter(mechanism_id=mechanism_id)
    found = list(rows.select_related("unit", "mechanism").order_by("pk")[:2])
    if not found:
        raise ValidationError(NOT_A_MEMBER)
    if len(found) > 1:
        raise ValidationError(WHICH_MECHANISM)
    return found[0]


@router.post(
    "/duty-reports",
    response={201: DutyReportOut, **ERRORS},
    summary="联络员提交本单位述职报告",
    description="同一年度再次提交即修改原报告，直到评分为止。",
)
def duty_report_submit(request: HttpRequest, payload: DutyReportIn) -> Status[DutyReport]:
    user = user_of(request)
    access.require_write(user)
    if user.role != Role.LIAISON:
        raise PermissionDenied(services.NOT_MEMBER_LIAISON)
    with saving(DutyReport):
        report = services.duty_report_submit(
            actor=user,
            member=_own_member(user, payload.mechanism),
            year=payload.year,
            text_=payload.text,
        )
    return Status(201, _report(user, report.pk))


@router.get(
    "/duty-reports/{duty_report_id}",
    response={200: DutyReportOut, **ERRORS},
    summary="述职报告详情",
)
def duty_report_detail(request: HttpRequest, duty_report_id: int) -> DutyReport:
    return _report(user_of(request), duty_report_id)


@router.post(
    "/duty-reports/{duty_report_id}/score",
    response={200: DutyReportOut, **ERRORS},
    summary="述职报告评分",
    description="负责本机制的业务人员为已提交的述职报告评分（0到100，最多两位小数）；评分后不能再改。",
)
def duty_report_score(
    request: HttpRequest, duty_report_id: int, payload: DutyScoreIn
) -> DutyReport:
    user = user_of(request)
    report = _report(user, duty_report_id)
    access.require_write(user)
    with saving(DutyReport):
        services.duty_report_score(
            actor=user, report=report, score=score_value(payload.score), review=payload.review
        )
    return _report(user, report.pk)
