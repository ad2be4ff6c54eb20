"""The portal's doors: home, login (password or SMS code), password reset, invitations,
applications and the privacy notice. Every door is rate-limited per IP and per phone number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from tongxin.core.ids import mask_phone
from tongxin.registry.views import form_errors

from . import rates, selectors_home
from . import services_accounts as svc
from .forms_accounts import (
    ApplyForm,
    CodeLoginForm,
    ConsentForm,
    LoginForm,
    RegisterForm,
    ResetForm,
)
from .models import CodePurpose, Invitation, InvitationTarget, PortalAccount
from .realm import current_account, portal_login, portal_login_required, portal_logout
from .services_invitations import invitation_check

CODE_SENT = "验证码已发送至 {phone}，{minutes}分钟内有效。"
REGISTERED = "账号已开通，欢迎使用同心个人门户。"
APPLIED = "申请已提交。工作人员审核后会短信通知您，通过后即可用手机号和密码登录。"
PASSWORD_RESET = "密码已重设，请用新密码登录。"  # noqa: S105 - a message
LOGGED_OUT = "您已安全退出。"


def _ip(request: HttpRequest) -> str | None:
    return rates.client_ip(request)


def _ua(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/portal/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith("/portal/") else "/portal/"


def _send_code(request: HttpRequest, form: forms.Form, purpose: str) -> None:
    """The "获取验证码" button of a form: text a code to the form's phone number."""
    phone = form.cleaned_data.get("phone", "")
    rates.limit_phone(request, group="code", setting="PORTAL_RATE_CODE", phone=phone)
    try:
        svc.code_send(phone=phone, purpose=purpose)
    except ValidationError as e:
        form_errors(form, e)
        return
    messages.info(
        request, CODE_SENT.format(phone=mask_phone(svc.mobile(phone)), minutes=svc.CODE_MINUTES)
    )


def _code_door(
    request: HttpRequest,
    form: forms.Form,
    purpose: str,
    group: str,
    act: Callable[[dict[str, Any]], HttpResponse],
) -> HttpResponse | None:
    """A form with a "获取验证码" button. The button texts a code to the form's number; the submit,
    counted against the IP's and the number's limits, runs ``act`` with the form's data and
    answers with its response, or puts its refusal on the form (None: show the form again)."""
    if request.method != "POST" or not _phone_valid(form):
        return None
    if request.POST.get("action") == "send_code":
        _send_code(request, form, purpose)
        return None
    if not form.is_valid():
        return None
    phone = form.cleaned_data["phone"]
    rates.limit_phone(request, group=group, setting="PORTAL_RATE_LOGIN", phone=phone)
    try:
        return act(form.cleaned_data)
    except ValidationError as e:
        form_errors(form, e)
        return None


def _phone_valid(form: forms.Form) -> bool:
    form.is_valid()
    return "phone" in getattr(form, "cleaned_data", {})


@portal_login_required
def home(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"account": account, "person": account.person, "home": selectors_home.home(account)},
    )


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if current_account(request) is not None:
        return redirect(_next(request))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        rates.limit_phone(request, group="login", setting="PORTAL_RATE_LOGIN", phone=phone)
        try:
            account = svc.account_authenticate(phone=phone, password=form.cleaned_data["password"])
        except ValidationError as e:
            form_errors(form, e)
        else:
            portal_login(request, account)
            return redirect(_next(request))
    return render(request, "portal/login.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def login_by_code(request: HttpRequest) -> HttpResponse:
    form = CodeLoginForm(request.POST if request.method == "POST" else None)

    def act(data: dict[str, Any]) -> HttpResponse:
        portal_login(request, svc.account_by_code(phone=data["phone"], code=data.get("code", "")))
        return redirect(_next(request))

    done = _code_door(request, form, CodePurpose.LOGIN, "login", act)
    return done or render(request, "portal/login_code.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        portal_logout(request)
        messages.info(request, LOGGED_OUT)
        return redirect("/portal/login/")
    return render(request, "portal/logout.html", {})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST if request.method == "POST" else None)

    def act(data: dict[str, Any]) -> HttpResponse:
        svc.password_reset(
            phone=data["phone"], code=data.get("code", ""), password=data.get("password", "")
        )
        messages.success(request, PASSWORD_RESET)
        return redirect("/portal/login/")

    done = _code_door(request, form, CodePurpose.RESET, "login", act)
    return done or render(request, "portal/password_reset.html", {"form": form})


def _consent_version(form: forms.Form) -> str:
    return svc.current_privacy_version() if form.cleaned_data.get("consent") else ""


def _invitation_context(invitation: Invitation) -> dict[str, Any]:
    return {
        "invitation": invitation,
        "for_organization": invitation.target == InvitationTarget.ORGANIZATION,
        "for_activity": invitation.target == InvitationTarget.ACTIVITY,
    }


def _invited_page(invitation: Invitation) -> str:
    """Where an invitation leads once the person has an account: its activity, its
    organization's list (where the application it filed waits), or home."""
    if invitation.activity_id:
        return f"/portal/activities/{invitation.activity_id}/"
    if invitation.organization_id:
        return "/portal/organizations/"
    return "/portal/"


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, invitation_code: str) -> HttpResponse:
    found = (
        Invitation.objects.select_related("region", "organization", "activity")
        .filter(code=invitation_code)
        .first()
    )
    try:
        invitation_check(found)
    except ValidationError as e:
        return render(
            request,
            "portal/invitation_closed.html",
            {"message": e.messages[0]},
            status=410 if found else 404,
        )
    assert found is not None
    if current_account(request) is not None:
        return redirect(_invited_page(found))
    form = RegisterForm(request.POST if request.method == "POST" else None)

    def act(data: dict[str, Any]) -> HttpResponse:
        account = svc.register_by_invitation(
            invitation_code=invitation_code,
            name=data.get("name", ""),
            phone=data["phone"],
            code=data.get("code", ""),
            password=data.get("password", ""),
            consent_version=_consent_version(form),
            ip=_ip(request),
            user_agent=_ua(request),
        )
        portal_login(request, account)
        messages.success(request, REGISTERED)
        return redirect(_invited_page(found))

    done = _code_door(request, form, CodePurpose.REGISTER, "register", act)
    return done or render(
        request, "portal/invitation.html", {"form": form, **_invitation_context(found)}
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST if request.method == "POST" else None)

    def act(data: dict[str, Any]) -> HttpResponse:
        svc.application_submit(
            name=data.get("name", ""),
            phone=data["phone"],
            code=data.get("code", ""),
            password=data.get("password", ""),
            region=data["region"],
            employer=data.get("employer", ""),
            position=data.get("position", ""),
            message=data.get("message", ""),
            consent_version=_consent_version(form),
            ip=_ip(request),
            user_agent=_ua(request),
        )
        return render(request, "portal/applied.html", {"message": APPLIED})

    done = _code_door(request, form, CodePurpose.REGISTER, "register", act)
    return done or render(request, "portal/apply.html", {"form": form})


@require_http_methods(["GET", "POST"])
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: anyone may read it; a logged-in person who has not accepted its
    current version accepts it here before any of their data is shown."""
    account = current_account(request)
    accepted = account is not None and svc.has_current_consent(account)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and account is not None and not accepted:
        rates.limit(request, group="consent", setting="PORTAL_RATE_SUBMIT", account=account)
        if form.is_valid():
            svc.consent_record(
                account=account,
                version=svc.current_privacy_version(),
                ip=_ip(request),
                user_agent=_ua(request),
            )
            return redirect(_next(request))
        form.add_error(None, svc.CONSENT_REQUIRED)
    return render(
        request,
        "portal/privacy.html",
        {
            "form": form,
            "asking": account is not None and not accepted,
            "version": svc.current_privacy_version(),
            "next": _next(request),
        },
    )
