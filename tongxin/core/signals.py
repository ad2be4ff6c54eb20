"""Authentication events into the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from . import audit
from .models import AuditAction, User


def _ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit.record(AuditAction.LOGIN, obj=user, actor=user, ip=_ip(request))


def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(AuditAction.LOGOUT, obj=user, actor=user, ip=_ip(request))


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    if getattr(request, "axes_locked_out", False):
        detail = "账号已锁定期间的登录尝试"
    else:
        detail = "用户名或密码错误"
    audit.record(
        AuditAction.LOGIN_FAILED,
        object_type="core.user",
        object_repr=username,
        actor_username=username or "（未填写）",
        detail=detail,
        ip=_ip(request),
    )


def _locked_out(
    sender: Any, request: HttpRequest, username: str, ip_address: str, **kwargs: Any
) -> None:
    audit.record(
        AuditAction.LOCKOUT,
        object_type="core.user",
        object_repr=username,
        actor_username=username,
        detail="连续登录失败次数过多，账号已被临时锁定",
        ip=ip_address,
    )


def connect() -> None:
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="tongxin-audit-login")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="tongxin-audit-logout")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="tongxin-audit-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="tongxin-audit-lockout")
