"""The person's activity pages: the activities open to them and their sign-ups, one activity with
its sign-up and cancel buttons, and the check-in a scan of the activity's QR code opens.

The check-in happens on opening the scanned link (a GET): that is what a QR code on a wall can do
in a phone's browser. It is safe to repeat (a second scan changes nothing), it only ever acts for
the logged-in person's own sign-up, and only on the activity's day."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tongxin.registry.views import error_text

from . import rates
from . import selectors_signups as selectors
from . import services_signups as services
from .models import PortalAccount
from .realm import portal_login_required

SIGNED_UP = "报名成功。活动当天请在现场扫描签到二维码。"
CANCELLED = "已取消报名。"
CHECKED_IN = "签到成功，欢迎参加！"
ALREADY_IN = "您已签到，无需重复签到。"


@require_GET
@portal_login_required
def activity_list(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    person = account.person
    signups = list(selectors.own_signups(person)[:30])
    mine = {s.opening_id for s in signups}
    return render(
        request,
        "portal/activity_list.html",
        {
            "openings": [o for o in selectors.open_for(person) if o.pk not in mine],
            "signups": signups,
        },
    )


@require_GET
@portal_login_required
def activity_detail(request: HttpRequest, account: PortalAccount, activity_id: int) -> HttpResponse:
    view = selectors.for_person(account.person, activity_id)
    return render(request, "portal/activity_detail.html", {"view": view})


@require_POST
@portal_login_required
def activity_signup(request: HttpRequest, account: PortalAccount, activity_id: int) -> HttpResponse:
    view = selectors.for_person(account.person, activity_id)
    rates.limit(request, group="signup", setting="PORTAL_RATE_SUBMIT", account=account)
    try:
        services.signup_create(person=account.person, opening=view.opening)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, SIGNED_UP)
    return redirect("portal_activity_detail", activity_id=activity_id)


@require_POST
@portal_login_required
def activity_cancel(request: HttpRequest, account: PortalAccount, activity_id: int) -> HttpResponse:
    view = selectors.for_person(account.person, activity_id)
    rates.limit(request, group="signup", setting="PORTAL_RATE_SUBMIT", account=account)
    try:
        services.signup_cancel(person=account.person, opening=view.opening)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, CANCELLED)
    return redirect("portal_activity_detail", activity_id=activity_id)


@require_GET
@portal_login_required
def activity_checkin(
    request: HttpRequest, account: PortalAccount, checkin_code: str
) -> HttpResponse:
    rates.limit(request, group="checkin", setting="PORTAL_RATE_SUBMIT", account=account)
    try:
        signup, new = services.checkin_by_code(person=account.person, code=checkin_code)
    except ValidationError as exc:
        opening = selectors.opening_by_code(checkin_code)
        return render(
            request,
            "portal/activity_checkin.html",
            {"opening": opening, "error": error_text(exc)},
            status=404 if opening is None else 400,
        )
    return render(
        request,
        "portal/activity_checkin.html",
        {"opening": signup.opening, "signup": signup, "message": CHECKED_IN if new else ALREADY_IN},
    )
