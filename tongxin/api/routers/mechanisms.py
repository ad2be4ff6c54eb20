"""/mechanisms with their member units and meetings, and the issue list (议题) of their meetings:
raised by a member unit, put on a meeting's agenda, closed there or carried over to the next.

Handlers only translate: JSON in (Chinese labels, ids of records in sight) to service arguments,
a service call, the record out. Records come through access.get_for_user (404 outside one's
scope); the services decide who may write (403) and refuse a step the item's state does not allow
(422, with the service's sentence, changing nothing).
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import Role, User
from tongxin.governance import services_mechanisms as services
from tongxin.governance.models import AgendaItem, AgendaState, Mechanism, MechanismKind, MemberUnit
from tongxin.work.checks import check_writer
from tongxin.work.models import Activity, Output

from ..errors import ErrorOut
from ..pagination import Paged
from ..schemas_governance import (
    MEMBER_NOT_FOUND,
    MEMBER_REQUIRED,
    AgendaCloseIn,
    AgendaItemIn,
    AgendaItemOut,
    CarryOverIn,
    MechanismDetailOut,
    MechanismIn,
    MechanismOut,
    MemberUnitIn,
    MemberUnitOut,
    ScheduleIn,
    mechanism_fields,
    member_fields,
)
from ..schemas_work import filter_choice, filter_region, in_region, saving, user_of, visible_one

router = Router(tags=["工作机制"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- mechanisms -----------------------------------------------------------------------------------


def mechanism_prefetches(user: User) -> list[Prefetch]:
    return [
        Prefetch(
            "rules_document",
            queryset=access.scope(user, Output.objects.only("id", "title")),
            to_attr="visible_rules_document",
        )
    ]


def detail_prefetches(user: User) -> list[Prefetch]:
    """A mechanism's member units (a liaison: their own unit's row) and meetings, each through
    its own scope rule."""
    return [
        *mechanism_prefetches(user),
        Prefetch(
            "members",
            queryset=access.scope(user, MemberUnit.objects.select_related("unit", "liaison")),
            to_attr="visible_members",
        ),
        Prefetch(
            "meetings",
            queryset=access.scope(
                user, Activity.objects.only("id", "title", "date", "mechanism")
            ).order_by("date", "id"),
            to_attr="visible_meetings",
        ),
    ]


def _mechanism(user: User, mechanism_id: int) -> Mechanism:
    mechanism = access.get_for_user(
        user, Mechanism.objects.select_related("lead_unit", "region", "line"), pk=mechanism_id
    )
    prefetch_related_objects([mechanism], *detail_prefetches(user))
    return mechanism


class MechanismQuery(Schema):
    kind: str = Field("", description="类型：联席会议制度、领导小组、其他（或其英文值）")
    region: str = Field("", description="行政区划代码，含下辖区划")
    is_active: bool | None = Field(None, description="true 只列运行中的")


@router.get("/mechanisms", response={200: list[MechanismOut], **ERRORS}, summary="工作机制列表")
@paginate(Paged)
def mechanism_list(request: HttpRequest, filters: Query[MechanismQuery]) -> QuerySet[Mechanism]:
    user = user_of(request)
    qs = in_region(access.scope(user, Mechanism.objects.all()), filter_region(user, filters.region))
    kind = filter_choice(MechanismKind, "机制类型", "kind", filters.kind)
    if kind:
        qs = qs.filter(kind=kind)
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return qs.select_related("lead_unit", "region", "line").prefetch_related(
        *mechanism_prefetches(user)
    )


@router.post("/mechanisms", response={201: MechanismDetailOut, **ERRORS}, summary="新建工作机制")
def mechanism_create(request: HttpRequest, payload: MechanismIn) -> Status[Mechanism]:
    user = user_of(request)
    check_writer(user)
    with saving(Mechanism):
        mechanism = services.mechanism_create(
            actor=user, **mechanism_fields(user, payload.model_dump())
        )
    return Status(201, _mechanism(user, mechanism.pk))


@router.get(
    "/mechanisms/{mechanism_id}",
    response={200: MechanismDetailOut, **ERRORS},
    summary="工作机制详情：成员单位与会议",
)
def mechanism_detail(request: HttpRequest, mechanism_id: int) -> Mechanism:
    return _mechanism(user_of(request), mechanism_id)


@router.post(
    "/mechanisms/{mechanism_id}/members",
    response={201: MemberUnitOut, **ERRORS},
    summary="增加成员单位",
    description="liaison 为该单位“成员单位联络员”账号的用户 id，可不填。",
)
def member_add(
    request: HttpRequest, mechanism_id: int, payload: MemberUnitIn
) -> Status[MemberUnit]:
    user = user_of(request)
    mechanism = access.get_for_user(user, Mechanism, pk=mechanism_id)
    with saving(MemberUnit):
        member = services.member_add(
            actor=user, mechanism=mechanism, **member_fields(user, payload.model_dump())
        )
    return Status(201, member)


# --- the issue list -------------------------------------------------------------------------------


def agenda_items(user: User) -> QuerySet[AgendaItem]:
    """The items in the user's scope, with what AgendaItemOut reads: the meeting only where the
    user could open it."""
    return (
        access.scope(user, AgendaItem.objects.all())
        .select_related("mechanism", "raised_by__unit", "carried_to")
        .prefetch_related(
            Prefetch(
                "meeting",
                queryset=access.scope(user, Activity.objects.only("id", "title", "date")),
                to_attr="visible_meeting",
            )
        )
    )


def _item(user: User, agenda_item_id: int) -> AgendaItem:
    return access.get_for_user(user, agenda_items(user), pk=agenda_item_id)


class AgendaQuery(Schema):
    state: str = Field("", description="状态：待议、已列入议程、已办结、转下次（或其英文值）")
    meeting: int | None = Field(None, description="会议（活动 id）")


@router.get(
    "/mechanisms/{mechanism_id}/agenda-items",
    response={200: list[AgendaItemOut], **ERRORS},
    summary="议题清单",
    description="联络员只见本单位提出的议题。",
)
@paginate(Paged)
def agenda_list(
    request: HttpRequest, mechanism_id: int, filters: Query[AgendaQuery]
) -> QuerySet[AgendaItem]:
    user = user_of(request)
    mechanism = access.get_for_user(user, Mechanism, pk=mechanism_id)
    qs = agenda_items(user).filter(mechanism=mechanism)
    state = filter_choice(AgendaState, "议题状态", "state", filters.state)
    if state:
        qs = qs.filter(state=state)
    if filters.meeting is not None:
        qs = qs.filter(meeting_id=filters.meeting)
    return qs.order_by("raised_on", "id")


def _raiser(user: User, mechanism: Mechanism, member_id: int | None) -> MemberUnit:
    """The member unit raising the item: the one named, if in sight; a liaison's own by
    default (a liaison sees no other unit's member row)."""
    members = access.scope(user, MemberUnit.objects.filter(mechanism=mechanism))
    if member_id is None and user.role != Role.LIAISON:
        raise ValidationError(MEMBER_REQUIRED)
    if member_id is not None:
        members = members.filter(pk=member_id)
    found = members.select_related("mechanism", "unit").first()
    if found is None:
        raise ValidationError(MEMBER_NOT_FOUND)
    return found


@router.post(
    "/mechanisms/{mechanism_id}/agenda-items",
    response={201: AgendaItemOut, **ERRORS},
    summary="提出议题",
    description="成员单位的联络员为本单位提出议题（member 可不填），"
    "或负责本机制的业务人员代为录入。",
)
def agenda_raise(
    request: HttpRequest, mechanism_id: int, payload: AgendaItemIn
) -> Status[AgendaItem]:
    user = user_of(request)
    mechanism = access.get_for_user(user, Mechanism, pk=mechanism_id)
    access.require_write(user)
    with saving(AgendaItem):
        item = services.agenda_raise(
            actor=user,
            member=_raiser(user, mechanism, payload.member),
            title=payload.title,
            text_=payload.text,
            raised_on=payload.raised_on,
        )
    return Status(201, _item(user, item.pk))


def _meeting(user: User, pk: int, field: str) -> Activity:
    try:
        meeting = visible_one(user, Activity, pk, "会议")
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    assert meeting is not None  # an id was given
    return meeting


@router.post(
    "/agenda-items/{agenda_item_id}/schedule",
    response={200: AgendaItemOut, **ERRORS},
    summary="议题列入会议议程",
    description="只有“待议”的议题可以列入议程；会议须是本机制的联席会议或领导小组会议。",
)
def agenda_schedule(request: HttpRequest, agenda_item_id: int, payload: ScheduleIn) -> AgendaItem:
    user = user_of(request)
    item = _item(user, agenda_item_id)
    check_writer(user)
    with saving(AgendaItem):
        services.agenda_schedule(
            actor=user, item=item, meeting=_meeting(user, payload.meeting, "meeting")
        )
    return _item(user, item.pk)


@router.post(
    "/agenda-items/{agenda_item_id}/close",
    response={200: AgendaItemOut, **ERRORS},
    summary="议题在会上办结",
    description="只有“已列入议程”的议题可以办结；note 填写议定事项。",
)
def agenda_close(request: HttpRequest, agenda_item_id: int, payload: AgendaCloseIn) -> AgendaItem:
    user = user_of(request)
    item = _item(user, agenda_item_id)
    check_writer(user)
    with saving(AgendaItem):
        services.agenda_close(actor=user, item=item, note=payload.note)
    return _item(user, item.pk)


@router.post(
    "/agenda-items/{agenda_item_id}/carry-over",
    response={201: AgendaItemOut, **ERRORS},
    summary="议题转下次会议",
    description="本议题记为“转下次”，并在下次会议的议程上生成接续议题（返回该接续议题，"
    "carried_from 指向本议题）。note 填写原因。",
)
def agenda_carry_over(
    request: HttpRequest, agenda_item_id: int, payload: CarryOverIn
) -> Status[AgendaItem]:
    user = user_of(request)
    item = _item(user, agenda_item_id)
    check_writer(user)
    with saving(AgendaItem):
        successor = services.agenda_carry_over(
            actor=user,
            item=item,
            next_meeting=_meeting(user, payload.next_meeting, "next_meeting"),
            note=payload.note,
        )
    return Status(201, _item(user, successor.pk))
