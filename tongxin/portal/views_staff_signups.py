"""Staff pages for activity sign-ups (/portal-admin/activities/): the activities open for sign-up
and the coming ones that could be; one activity's opening (terms, QR code for check-in, the list
of who signed up, with attendance to mark)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongxin.core import access, versioning
from tongxin.core.models import User
from tongxin.core.views.helpers import role_required
from tongxin.registry.views import error_text, form_errors
from tongxin.work.checks import can_write_owned

from . import selectors_signups as selectors
from . import services_signups as services
from .forms_signups import OpeningForm
from .models_events import SignupOpening

OPENED = "已开放报名。把签到二维码打印或投屏，活动当天报名的人扫码即可签到。"
SAVED = "报名设置已保存。"
CLOSED = "已停止报名。已报名的人仍可在活动当天签到。"
MARKED = "已标记{name}到场，并记入活动参加人员（参加）。"
MARKED_BEFORE = "{name}已签到，无需重复标记。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def checkin_url(request: HttpRequest, opening: SignupOpening) -> str:
    """The address in the QR code: the public portal address if set (staff may reach the app by
    another name than the people do), else the one this page was asked by."""
    path = reverse("portal_activity_checkin", kwargs={"checkin_code": opening.checkin_code})
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@role_required(*access.PORTAL_STAFF_ROLES)
@require_GET
def opening_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "portal/staff/signup_list.html",
        {
            "openings": list(selectors.staff_openings(user)[:100]),
            "upcoming": selectors.upcoming_without_opening(user)
            if user.role in access.STAFF_ROLES
            else [],
            "now": timezone.now(),
        },
    )


@role_required(*access.PORTAL_STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def opening_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = _user(request)
    activity = selectors.activity_for_staff(user, activity_id)
    opening = selectors.opening_of(activity)
    form = OpeningForm(request.POST or None, user=user, activity=activity, opening=opening)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.opening_save(
                actor=user,
                activity=activity,
                capacity=data["capacity"],
                deadline=data["deadline"],
                region=data["region"],
                members_of=data["members_of"],
                description=data["description"],
                expected_version=versioning.expected_from(form) if opening else None,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, SAVED if opening else OPENED)
            return redirect("portal_signup_opening", activity_id=activity.pk)
    return render(
        request,
        "portal/staff/signup_opening.html",
        {
            "activity": activity,
            "opening": opening,
            "form": form,
            "can_write": can_write_owned(user, activity),
            "signups": list(selectors.signups_of(user, opening)) if opening else [],
            "checkin_url": checkin_url(request, opening) if opening else "",
            "is_day": selectors.is_activity_day(activity),
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


def _opening(user: User, activity_id: int) -> SignupOpening:
    activity = selectors.activity_for_staff(user, activity_id)
    opening = selectors.opening_of(activity)
    if opening is None:
        raise Http404(access.NOT_FOUND)
    return opening


@role_required(*access.PORTAL_STAFF_ROLES)
@require_POST
def opening_close(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = _user(request)
    opening = _opening(user, activity_id)
    try:
        services.opening_close(actor=user, opening=opening)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, CLOSED)
    return redirect("portal_signup_opening", activity_id=activity_id)


@role_required(*access.PORTAL_STAFF_ROLES)
@require_GET
def opening_qr(request: HttpRequest, activity_id: int) -> HttpResponse:
    opening = _opening(_user(request), activity_id)
    # A standalone SVG document (with its namespace): svg_inline's output shows in an <img> as a
    # broken image.
    svg = io.BytesIO()
    segno.make(checkin_url(request, opening), error="m").save(
        svg, kind="svg", scale=8, border=2, xmldecl=False
    )
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        name = f"checkin-{opening.activity_id}.svg"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*access.PORTAL_STAFF_ROLES)
@require_POST
def attendance(request: HttpRequest, signup_id: int) -> HttpResponse:
    user = _user(request)
    signup = selectors.signup_for_staff(user, signup_id)
    try:
        _, new = services.attendance_mark(actor=user, signup=signup)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        template = MARKED if new else MARKED_BEFORE
        messages.success(request, template.format(name=signup.person.name))
    return redirect("portal_signup_opening", activity_id=signup.opening.activity_id)
