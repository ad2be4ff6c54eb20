"""The person's own record in the portal: see it, propose changes, ask for a correction, withdraw
a pending request, set the email address notices reach them at, and download everything kept
about oneself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from tongxin.registry.views import form_errors

from . import forms_profile as forms
from . import rates
from . import selectors_profile as selectors
from . import services_profile as services
from .models import PortalAccount
from .realm import portal_login_required

SENT_CHANGE = "已提交，工作人员审核通过后会更新到您的信息中，结果会短信通知您。"
SENT_CORRECTION = "已提交，工作人员处理后会在这里答复您，并短信通知您。"
WITHDRAWN = "已撤回该申报。"
EMAIL_SAVED = "已保存电子邮箱。之后带邮件的通知会发到 {email}。"
EMAIL_CLEARED = "已清除电子邮箱，之后不再通过邮件接收通知。"
FIX_BELOW = "未提交：请按下方提示修改后再提交。"
RATE_GROUP = "profile"


@portal_login_required
def profile(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    person = selectors.own_person(account)
    requests = list(selectors.own_requests(account)[:20])
    return render(
        request,
        "portal/profile.html",
        {
            "person": person,
            "requests": [(r, selectors.summary(r)) for r in requests],
            "account": account,
            "pending_change": next(
                (r for r in requests if r.kind == "change" and r.status == "pending"), None
            ),
        },
    )


@portal_login_required
def profile_change(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    person = selectors.own_person(account)
    pending = selectors.has_pending_change(account)
    form = forms.ProfileChangeForm(request.POST or None, person=person)
    if request.method == "POST" and pending is None:
        rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
        if form.is_valid():
            try:
                services.change_submit(
                    account=account, proposal=form.proposal(), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, SENT_CHANGE)
                return redirect("portal_profile")
        if not form.non_field_errors():
            messages.error(request, FIX_BELOW)
        forms.mark_invalid(form)
    return render(
        request,
        "portal/profile_change.html",
        {
            "form": form,
            "person": person,
            "pending": pending,
            "pending_text": services.PENDING_EXISTS,
        },
    )


@portal_login_required
def profile_correction(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    form = forms.CorrectionForm(request.POST or None)
    if request.method == "POST":
        rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
        if form.is_valid():
            try:
                services.correction_submit(account=account, text=form.cleaned_data["text"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, SENT_CORRECTION)
                return redirect("portal_profile")
        forms.mark_invalid(form)
    return render(request, "portal/profile_correction.html", {"form": form})


@portal_login_required
def profile_email(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    form = forms.EmailForm(request.POST or None, initial={"email": account.email})
    if request.method == "POST":
        rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
        if form.is_valid():
            try:
                saved = services.account_set_email(
                    account=account, email=form.cleaned_data["email"]
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                if saved.email:
                    messages.success(request, EMAIL_SAVED.format(email=saved.email))
                else:
                    messages.success(request, EMAIL_CLEARED)
                return redirect("portal_profile")
        forms.mark_invalid(form)
    return render(
        request, "portal/profile_email.html", {"form": form}, status=400 if form.errors else 200
    )


@portal_login_required
def profile_request(request: HttpRequest, account: PortalAccount, request_id: int) -> HttpResponse:
    found = selectors.own_request(account, request_id)
    return render(
        request,
        "portal/profile_request.html",
        {"r": found, "rows": selectors.change_rows(found)},
    )


@require_POST
@portal_login_required
def profile_withdraw(request: HttpRequest, account: PortalAccount, request_id: int) -> HttpResponse:
    rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
    try:
        services.request_withdraw(account=account, request_id=request_id)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
    else:
        messages.success(request, WITHDRAWN)
    return redirect("portal_profile")


@portal_login_required
def profile_export(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    rates.limit(request, group="profile_export", setting="PORTAL_RATE_SUBMIT", account=account)
    download = services.own_data_export(account=account, fmt=request.GET.get("format", "json"))
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download.name)
    return response
