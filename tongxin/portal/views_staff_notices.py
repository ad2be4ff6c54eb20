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
from django.views.decorators.http import require_GET, require_POST

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
from .rates_staff import staff_over_rate
from .selectors_notices import Reach

# Notices are registry work: staff send them, leaders read them, liaisons and auditors do not.
notice_view = role_required(*access.PORTAL_STAFF_ROLES)

COUNT_CHANGED = "收件人数已变为 {count} 人（名册在此期间有变动），请核对后再次点击发送。"
RATE_LIMITED = (
    "您发送通知太频繁：每位工作人员{period}最多发送 {count} 条通知。请稍后再发送；"
    "如确需加发，请联系系统管理员。"
)
RESENT = "已补发：重新尝试了 {count} 名接收人的短信或邮件，已发送的没有重复发送。结果见下方。"
NONE_TO_RESEND = "所有接收人都已发送成功，没有需要补发的。"
RECIPIENT_PAGE = 50
_UNITS = {"s": "秒", "m": "分钟", "h": "小时", "d": "天"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- the rate limit: django-ratelimit's counters, one per staff user ----------------------------


def _over_rate(request: HttpRequest, user: User) -> bool:
    """Count this send (or resend) and say whether it is one too many: counted before anything
    goes out, so that two quick posts cannot both pass a check made before either counted."""
    return staff_over_rate(request, user=user, group="notice", setting="PORTAL_RATE_NOTICE")


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
        # Refusals the page can see are said before the send is counted against the rate (the
        # service checks them again, with the count it sends to).
        elif reach.people == 0:
            form.add_error(None, services.NO_RECIPIENTS)
        elif reach.people > services.MAX_RECIPIENTS:
            form.add_error(
                None, services.TOO_MANY.format(count=reach.people, limit=services.MAX_RECIPIENTS)
            )
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
            "unsent": delivery.unsent(notice),
            "can_resend": access.can_edit_registry(user) and not user.is_read_only,
        },
    )


@require_POST
@notice_view
def notice_resend(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Send again to the recipients not marked sent (a delivery that stopped, failures, people
    who have since given an address); counted against the sender's rate like a send."""
    user = _user(request)
    access.require_write(user, *access.STAFF_ROLES)
    notice = selectors.notice_detail(user, notice_id)
    if not (notice.send_sms or notice.send_email):
        # Said before counting: nothing would go out (the service refuses it too).
        messages.error(request, services.NOTHING_TO_RESEND)
        return redirect("portal_notice_detail", notice_id=notice.pk)
    if _over_rate(request, user):
        messages.error(request, rate_limited_message())
        return redirect("portal_notice_detail", notice_id=notice.pk)
    try:
        count = services.notice_resend(actor=user, notice=notice)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if count:
            messages.success(request, RESENT.format(count=count))
        else:
            messages.info(request, NONE_TO_RESEND)
    return redirect("portal_notice_detail", notice_id=notice.pk)
