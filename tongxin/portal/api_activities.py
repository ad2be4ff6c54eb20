"""Portal API: activities. The activities open to the person, their sign-ups, signing up and
cancelling, and checking in with the code of the activity's QR code."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tongxin.api.errors import ErrorOut

from . import rates
from . import selectors_signups as selectors
from . import services_signups as services
from .api_auth import account_of
from .models_events import Signup, SignupOpening

router = Router(tags=["门户：活动报名"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PortalActivityOut(Schema):
    activity_id: int
    title: str
    type: str
    date: dt.date
    end_date: dt.date | None
    start_time: dt.time | None
    place: str
    capacity: int
    signed_up: int
    places_left: int
    deadline: dt.datetime
    is_open: bool
    description: str


class PortalSignupOut(Schema):
    activity_id: int
    title: str
    date: dt.date
    status: str
    status_label: str
    signed_up_at: dt.datetime
    checked_in_at: dt.datetime | None


class PortalCheckinOut(PortalSignupOut):
    checked_in_now: bool


def _activity(opening: SignupOpening) -> dict[str, object]:
    a = opening.activity
    return {
        "activity_id": a.pk,
        "title": a.title,
        "type": a.type.name,
        "date": a.date,
        "end_date": a.end_date,
        "start_time": a.start_time,
        "place": a.place,
        "capacity": opening.capacity,
        "signed_up": opening.signed_up,  # type: ignore[attr-defined]
        "places_left": max(opening.places_left, 0),  # type: ignore[attr-defined]
        "deadline": opening.deadline,
        "is_open": opening.is_open,
        "description": opening.description,
    }


def _signup(signup: Signup) -> dict[str, object]:
    a = signup.opening.activity
    return {
        "activity_id": a.pk,
        "title": a.title,
        "date": a.date,
        "status": "checked_in" if signup.participation_id else signup.status,
        "status_label": "已签到" if signup.participation_id else signup.get_status_display(),
        "signed_up_at": signup.signed_up_at,
        "checked_in_at": signup.checked_in_at,
    }


@router.get(
    "/activities", response={200: list[PortalActivityOut], **ERRORS}, summary="可报名的活动"
)
def activity_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_activity(o) for o in selectors.open_for(account_of(request).person)]


@router.get(
    "/activities/{activity_id}",
    response={200: PortalActivityOut, **ERRORS},
    summary="一项活动（可报名的，或本人报过名的）",
)
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, object]:
    return _activity(selectors.for_person(account_of(request).person, activity_id).opening)


@router.get("/signups", response={200: list[PortalSignupOut], **ERRORS}, summary="我的报名")
def signup_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_signup(s) for s in selectors.own_signups(account_of(request).person)]


@router.post(
    "/activities/{activity_id}/signup",
    response={201: PortalSignupOut, 429: ErrorOut, **ERRORS},
    summary="报名（截止前、名额未满、在报名范围内）",
)
def activity_signup(request: HttpRequest, activity_id: int) -> Status[dict[str, object]]:
    account = account_of(request)
    view = selectors.for_person(account.person, activity_id)
    rates.limit(request, group="signup", setting="PORTAL_RATE_SUBMIT", account=account)
    signup = services.signup_create(person=account.person, opening=view.opening)
    return Status(201, _signup(signup))


@router.post(
    "/activities/{activity_id}/cancel",
    response={200: PortalSignupOut, 429: ErrorOut, **ERRORS},
    summary="取消报名（报名截止前）",
)
def activity_cancel(request: HttpRequest, activity_id: int) -> dict[str, object]:
    account = account_of(request)
    view = selectors.for_person(account.person, activity_id)
    rates.limit(request, group="signup", setting="PORTAL_RATE_SUBMIT", account=account)
    return _signup(services.signup_cancel(person=account.person, opening=view.opening))


@router.post(
    "/checkin/{checkin_code}",
    response={200: PortalCheckinOut, 429: ErrorOut, **ERRORS},
    summary="扫码签到（活动当天，本人已报名；重复签到不重复记录）",
)
def checkin(request: HttpRequest, checkin_code: str) -> dict[str, object]:
    account = account_of(request)
    rates.limit(request, group="checkin", setting="PORTAL_RATE_SUBMIT", account=account)
    signup, new = services.checkin_by_code(person=account.person, code=checkin_code)
    return {**_signup(signup), "checked_in_now": new}
