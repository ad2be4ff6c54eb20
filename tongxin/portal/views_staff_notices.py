"""Staff pages of notices (/portal-admin/notices/): compose one for the people a registry filter
picks, seeing how many it reaches before sending; the list with read counts; a notice with its
recipients."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_ratelimit.core import get_usage

from tongxin.core import access
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page, role_required

from . import selectors_notices as selectors
from . import services_notices as services
from .forms_notices import (
    NoticeForm,
    describe_filters,
    filter_errors,
    filter_form,
    filter_query,
)
from .selectors_notices import Reach

# Notices are registry work: staff send them, leaders read them, liaisons and auditors do not.
notice_view = role_required(*access.REGISTRY_ROLES)

COUNT_CHANGED = "收件人数已变为 {count} 人（名册在此期间有变动），请核对后再次点击发送。"
RATE_LIMITED = (
    "您发送通知太频繁：每位工作人员{period}最多发送 {count} 条通知。请稍后再发送；"
    "如确需加发，请联系系统管理员。"
)
RECIPIENT_PAGE = 50
_UNITS = {"s": "秒", "m": "分钟", "h": "小时", "d": "天"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- the rate limit: django-ratelimit's counters, one per staff user ----------------------------


def _rate_usage(request: HttpRequest, user: User, *, increment: bool) -> dict[str, int]:
    usage = get_usage(
        request,
        group="portal.notice.staff",
        key=lambda _g, _r: f"user:{user.pk}",
        rate=settings.PORTAL_RATE_NOTICE,
        increment=increment,
    )
    return usage or {"count": 0, "limit": 0}


def rate_words(rate: str) -> str:
    """ "10/h" → "每小时", "10/10m" → "每10分钟"."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\w*\s*", rate)
    if match is None:
        return "每段时间内"
    many, unit = match.groups()
    return f"每{many if many and many != '1' else ''}{_UNITS[unit]}"


def rate_limited_message() -> str:
    rate = settings.PORTAL_RATE_NOTICE
    return RATE_LIMITED.format(period=rate_words(rate), count=rate.split("/")[0].strip())


def _over_rate(request: HttpRequest, user: User) -> bool:
    usage = _rate_usage(request, user, increment=False)
    return usage["count"] >= usage["limit"]


# --- pages ----------------------------------------------------------------------------------------


@notice_view
def notice_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = paginate(request, selectors.notice_list(user))
    return render(
        request,
        "portal/staff/notice_list.html",
        {"page": page, "can_send": access.can_edit_registry(user)},
    )


def _reach_context(user: User, filters: str) -> dict[str, object]:
    form = filter_form(user, filters)
    errors = filter_errors(form)
    reach: Reach | None = None if errors else selectors.reach(user, form.person_filter())
    return {
        "person_form": form,
        "filter_errors": errors,
        "reach": reach,
        "filters": filters,
        "too_many": reach is not None and reach.people > services.MAX_RECIPIENTS,
        "max_recipients": services.MAX_RECIPIENTS,
    }


@notice_view
def notice_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_write(user, *access.STAFF_ROLES)
    # The filters come in the query string (a link from the person list) or with the form.
    filters = filter_query(request.POST if request.method == "POST" else request.GET)
    context = _reach_context(user, filters)
    form = NoticeForm(request.POST or None)
    reach = context["reach"]
    if request.method == "POST" and form.is_valid() and isinstance(reach, Reach):
        if form.cleaned_data["expected"] != reach.people:
            form.add_error(None, COUNT_CHANGED.format(count=reach.people))
        elif _over_rate(request, user):
            form.add_error(None, rate_limited_message())
        else:
            try:
                notice = services.notice_send(
                    actor=user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    filters=filters,
                    send_sms=form.cleaned_data["send_sms"],
                    send_email=form.cleaned_data["send_email"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                _rate_usage(request, user, increment=True)
                messages.success(
                    request, f"通知已发送给 {reach.people} 人。阅读情况和短信、邮件发送结果见下方。"
                )
                return redirect("portal_notice_detail", notice_id=notice.pk)
    return render(request, "portal/staff/notice_form.html", {"form": form, **context})


@require_GET
@notice_view
def notice_reach(request: HttpRequest) -> HttpResponse:
    """htmx: how many people the filters chosen so far reach."""
    user = _user(request)
    access.require_write(user, *access.STAFF_ROLES)
    context = _reach_context(user, filter_query(request.GET))
    return render(request, "portal/staff/_notice_reach.html", context)


@notice_view
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = _user(request)
    notice = selectors.notice_detail(user, notice_id)
    state = request.GET.get("state", "")
    rows = selectors.notice_recipients(user, notice, state)
    page = paginate(request, rows, size=RECIPIENT_PAGE)
    delivery = selectors.notice_delivery(notice)
    visible = selectors.notice_recipients(user, notice).count() if not state else None
    return render(
        request,
        "portal/staff/notice_detail.html",
        {
            "notice": notice,
            "delivery": delivery,
            "page": page,
            "state": state,
            "query": query_without_page(request),
            "criteria": describe_filters(filter_form(notice.created_by, notice.filters)),
            "hidden": delivery.total - visible if visible is not None else 0,
        },
    )
