"""/activities: meetings, trainings, lectures, forums, promotions … with their organizers,
participants (in their roles) and outcomes (documents adopted, projects, enterprises landed,
credit signed).

Handlers only translate: JSON in (Chinese names, ids of records in sight) to service arguments, a
service call, the record out. Records come through access.scope/get_for_user (404 outside one's
scope); the services refuse read-only roles (403) and check links and scope again. Each request's
writes run in one transaction: an activity refused at its third credit leaves nothing behind.
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import Unit, User
from tongxin.governance.models import Mechanism
from tongxin.insight import brief as meeting_brief
from tongxin.registry.models import CodeKind, Organization
from tongxin.work import selectors_activities as selectors
from tongxin.work import services_activities as services
from tongxin.work.checks import check_writer
from tongxin.work.models import (
    Activity,
    Attachment,
    CreditAgreement,
    Output,
    Participation,
    PromotedProject,
)

from .. import versions
from ..errors import CONFLICTS, ErrorOut
from ..pagination import Paged
from ..schemas_activities import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    CreditIn,
    ParticipantIn,
    ProjectIn,
    activity_fields,
    credit_fields,
    participant_specs,
    project_fields,
)
from ..schemas_registry import filter_code
from ..schemas_work import filter_line, filter_region, saving, user_of

router = Router(tags=["活动"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITTEN = (Activity, Participation, PromotedProject, CreditAgreement)


def prefetches(user: User) -> list[Prefetch]:
    """Everything ActivityOut reads, each through its own scope rule: the activity's rows
    (participants, projects, credits, files: a liaison gets no persons) and the records it links
    to (shown only where the user could open them, as on the pages: selectors_activities)."""
    return [
        Prefetch("mechanism", queryset=access.scope(user, Mechanism.objects.only("id", "name"))),
        Prefetch("organizer_units", queryset=access.scope(user, Unit.objects.all())),
        Prefetch(
            "organizer_organizations",
            queryset=access.scope(user, Organization.objects.order_by("name_pinyin", "id")),
        ),
        Prefetch(
            "adopted_outputs",
            queryset=access.scope(user, Output.objects.only("id", "title", "date")),
        ),
        Prefetch(
            "landed_enterprises",
            queryset=access.scope(user, Organization.objects.order_by("name_pinyin", "id")),
        ),
        Prefetch(
            "participations",
            queryset=access.scope(user, Participation.objects.select_related("person", "unit")),
            to_attr="visible_participations",
        ),
        Prefetch(
            "projects",
            queryset=access.scope(user, PromotedProject.objects.all()),
            to_attr="visible_projects",
        ),
        Prefetch(
            "credits",
            queryset=access.scope(user, CreditAgreement.objects.select_related("enterprise")),
            to_attr="visible_credits",
        ),
        Prefetch(
            "attachments",
            queryset=access.scope(user, Attachment.objects.all()),
            to_attr="visible_attachments",
        ),
    ]


def _activity(user: User, activity_id: int) -> Activity:
    activity = selectors.activity_detail(user, activity_id)
    prefetch_related_objects([activity], *prefetches(user))
    return activity


class ActivityQuery(Schema):
    type: str = Field("", description="活动类型（中文名称或别名）")
    date_from: dt.date | None = Field(None, description="起始日期（含），如 2022-01-01")
    date_to: dt.date | None = Field(None, description="截止日期（含）")
    region: str = Field("", description="行政区划代码，含下辖区划")
    line: str = Field("", description="条线（如 新阶）")


@router.get("/activities", response={200: list[ActivityOut], **ERRORS}, summary="活动列表")
@paginate(Paged)
def activity_list(request: HttpRequest, filters: Query[ActivityQuery]) -> QuerySet[Activity]:
    user = user_of(request)
    qs = selectors.activity_list(
        user,
        selectors.ActivityFilter(
            type=filter_code(CodeKind.ACTIVITY_TYPE, "type", filters.type),
            date_from=filters.date_from,
            date_to=filters.date_to,
            region=filter_region(user, filters.region),
            line=filter_line("line", filters.line),
        ),
    )
    return qs.select_related("created_by").prefetch_related(*prefetches(user))


@router.post("/activities", response={201: ActivityOut, **ERRORS}, summary="新增活动")
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status[Activity]:
    user = user_of(request)
    check_writer(user)
    with saving(*WRITTEN):
        fields = activity_fields(user, payload.model_dump())
        projects = fields.pop("projects")
        credits = fields.pop("credits")
        activity = services.activity_create(actor=user, **fields)
        for project in projects:
            services.project_add(actor=user, activity=activity, **project)
        for credit in credits:
            services.credit_add(actor=user, activity=activity, **credit)
    return Status(201, _activity(user, activity.pk))


@router.get("/activities/{activity_id}", response={200: ActivityOut, **ERRORS}, summary="活动详情")
def activity_detail(request: HttpRequest, activity_id: int, response: HttpResponse) -> Activity:
    activity = _activity(user_of(request), activity_id)
    versions.tagged(response, activity)
    return activity


class BriefOut(Schema):
    title: str = Field(description="新闻稿标题，如“……推进会召开”")
    text: str = Field(description="正文，每段一行")


@router.get(
    "/activities/{activity_id}/brief",
    response={200: BriefOut, **ERRORS},
    summary="新闻稿草稿（按活动记录的参加人员、角色和审议通过的文件生成）",
)
def activity_brief(request: HttpRequest, activity_id: int) -> dict[str, str]:
    user = user_of(request)
    brief = meeting_brief.activity_brief(user, selectors.activity_detail(user, activity_id))
    return {"title": brief.title, "text": brief.text}


@router.patch(
    "/activities/{activity_id}",
    response={200: ActivityOut, **ERRORS, **CONFLICTS},
    summary="修改活动",
    description=versions.PATCH_HELP,
)
def activity_update(
    request: HttpRequest,
    activity_id: int,
    response: HttpResponse,
    payload: ActivityPatch | None = None,
) -> Activity:
    user = user_of(request)
    activity = _activity(user, activity_id)
    check_writer(user)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    with saving(*WRITTEN):
        fields = activity_fields(user, data)
        if fields:
            services.activity_update(
                actor=user, activity=activity, expected_version=expected, **fields
            )
    activity = _activity(user, activity.pk)
    versions.tagged(response, activity)
    return activity


# --- participants ---------------------------------------------------------------------------------


@router.post(
    "/activities/{activity_id}/participants",
    response={201: ActivityOut, **ERRORS},
    summary="添加参加人员或单位（排在名单末尾）",
)
def participant_add(
    request: HttpRequest, activity_id: int, payload: ParticipantIn
) -> Status[Activity]:
    user = user_of(request)
    activity = _activity(user, activity_id)
    check_writer(user)
    with saving(*WRITTEN):
        specs = participant_specs(user, [payload.model_dump()])
        services.participations_add(actor=user, activity=activity, participants=specs)
    return Status(201, _activity(user, activity.pk))


@router.delete(
    "/activities/{activity_id}/participants/{participation_id}",
    response={204: None, **ERRORS},
    summary="移除参加人员或单位",
)
def participant_remove(
    request: HttpRequest, activity_id: int, participation_id: int
) -> Status[None]:
    user = user_of(request)
    activity = _activity(user, activity_id)
    participation = access.get_for_user(user, Participation, pk=participation_id, activity=activity)
    services.participation_remove(actor=user, participation=participation)
    return Status(204, None)


# --- outcomes: projects and credit ----------------------------------------------------------------


@router.post(
    "/activities/{activity_id}/projects",
    response={201: ActivityOut, **ERRORS},
    summary="添加推介项目",
)
def project_add(request: HttpRequest, activity_id: int, payload: ProjectIn) -> Status[Activity]:
    user = user_of(request)
    activity = _activity(user, activity_id)
    check_writer(user)
    with saving(*WRITTEN):
        services.project_add(actor=user, activity=activity, **project_fields(payload.model_dump()))
    return Status(201, _activity(user, activity.pk))


@router.delete(
    "/activities/{activity_id}/projects/{project_id}",
    response={204: None, **ERRORS},
    summary="删除推介项目",
)
def project_remove(request: HttpRequest, activity_id: int, project_id: int) -> Status[None]:
    user = user_of(request)
    activity = _activity(user, activity_id)
    project = access.get_for_user(user, PromotedProject, pk=project_id, activity=activity)
    services.project_remove(actor=user, project=project)
    return Status(204, None)


@router.post(
    "/activities/{activity_id}/credits",
    response={201: ActivityOut, **ERRORS},
    summary="添加授信签约（金额单位：万元）",
)
def credit_add(request: HttpRequest, activity_id: int, payload: CreditIn) -> Status[Activity]:
    user = user_of(request)
    activity = _activity(user, activity_id)
    check_writer(user)
    with saving(*WRITTEN):
        services.credit_add(
            actor=user, activity=activity, **credit_fields(user, payload.model_dump())
        )
    return Status(201, _activity(user, activity.pk))


@router.delete(
    "/activities/{activity_id}/credits/{credit_id}",
    response={204: None, **ERRORS},
    summary="删除授信签约",
)
def credit_remove(request: HttpRequest, activity_id: int, credit_id: int) -> Status[None]:
    user = user_of(request)
    activity = _activity(user, activity_id)
    credit = access.get_for_user(user, CreditAgreement, pk=credit_id, activity=activity)
    services.credit_remove(actor=user, credit=credit)
    return Status(204, None)
