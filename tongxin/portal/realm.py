"""Two realms on one site: staff (core.User, Django's auth) and people (PortalAccount).

A person's login lives under its own session key and never sets Django's user, so every staff page
(login_required) and staff API operation (tongxin.api.auth) already refuses it; the middleware
below makes that refusal explicit (403, not a login redirect) for every path outside the portal,
and refuses portal tokens on the staff API. Logging in to one realm ends any login to the other."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from tongxin.core import audit

from .models import PORTAL_TOKEN_PREFIX, PortalAccount

SESSION_KEY = "portal_account_id"
SESSION_AUTH_AT = "portal_auth_at"
PORTAL_PREFIXES = ("/portal/", "/api/v1/portal/", "/static/")
STAFF_FORBIDDEN = "".join(
    [
        "您登录的是个人门户账号，不能访问工作人员页面。",
        "请返回个人门户；工作人员请先退出后用工作账号登录。",
    ]
)
STAFF_API_FORBIDDEN = "个人门户令牌不能访问工作人员接口，请使用 /api/v1/portal/ 下的接口。"
RATE_LIMITED = "操作太频繁，请稍后再试。"


def portal_login(request: HttpRequest, account: PortalAccount) -> None:
    """Start a fresh session for ``account``: whatever was logged in before (a staff user too)
    is logged out, and the session id changes (no fixation)."""
    request.session.flush()
    request.session[SESSION_KEY] = account.pk
    request.session[SESSION_AUTH_AT] = timezone.now().isoformat()
    request.session.set_expiry(settings.PORTAL_SESSION_DAYS * 86400)
    PortalAccount.objects.filter(pk=account.pk).update(last_login_at=timezone.now())
    set_account(request, account)


def portal_logout(request: HttpRequest) -> None:
    request.session.flush()
    request._portal_account = None  # type: ignore[attr-defined]


def _account_from_session(request: HttpRequest) -> PortalAccount | None:
    account_id = request.session.get(SESSION_KEY)
    if account_id is None:
        return None
    account = (
        PortalAccount.objects.select_related("person", "person__region")
        .filter(pk=account_id)
        .first()
    )
    if account is None or not account.is_active or not _in_service(account):
        return None
    auth_at = request.session.get(SESSION_AUTH_AT, "")
    if auth_at < account.password_changed_at.isoformat():
        return None  # the password changed since: every older session ends
    return account


def _in_service(account: PortalAccount) -> bool:
    from .services_accounts import person_in_service

    return person_in_service(account)


def current_account(request: HttpRequest) -> PortalAccount | None:
    """The person's account of this request (session or portal token), or None."""
    if not hasattr(request, "_portal_account"):
        set_account(request, _account_from_session(request))
    return request._portal_account  # type: ignore[attr-defined]


def set_account(request: HttpRequest, account: PortalAccount | None) -> None:
    """The request acts for ``account``: what it writes is logged as the person's own doing."""
    request._portal_account = account  # type: ignore[attr-defined]
    if account is not None:
        audit.set_via(f"本人（个人门户）：{account.person.name}")


def is_portal_path(path: str) -> bool:
    return path.startswith(PORTAL_PREFIXES) or path == "/portal"


def _bearer(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


class PortalRealmMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.portal_account = SimpleLazyObject(lambda: current_account(request))  # type: ignore[attr-defined]
        if not is_portal_path(request.path):
            if _bearer(request).startswith(PORTAL_TOKEN_PREFIX):
                return JsonResponse(
                    {"detail": STAFF_API_FORBIDDEN, "code": "portal_token"}, status=403
                )
            # The session key alone decides, without a query: a person's session is never staff.
            if SESSION_KEY in request.session and not request.user.is_authenticated:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": STAFF_FORBIDDEN, "code": "portal_account"}, status=403
                    )
                return render(
                    request,
                    "errors/error.html",
                    {"code": 403, "title": "无权访问", "message": STAFF_FORBIDDEN},
                    status=403,
                )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .rates import RateLimited

        return rate_limited(request, exception) if isinstance(exception, RateLimited) else None


def portal_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A portal page: a person logged in, who has accepted the current privacy notice."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from .services_accounts import has_current_consent

        account = current_account(request)
        if account is None:
            return redirect(f"/portal/login/?next={request.path}")
        if not has_current_consent(account):
            return redirect(f"/portal/privacy/?next={request.path}")
        return view(request, account, *args, **kwargs)

    return wrapped


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": RATE_LIMITED, "code": "rate_limited"}, status=429)
    return render(
        request,
        "errors/error.html",
        {"code": 429, "title": "操作太频繁", "message": RATE_LIMITED},
        status=429,
    )
