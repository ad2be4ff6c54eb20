"""Rate limits of the portal: per IP and per account or phone number, through django-ratelimit's
counters in the shared cache (so every worker process counts together)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from tongxin.core.ids import check_phone

from .models import PortalAccount, phone_index
from .realm import RATE_LIMITED


class RateLimited(Ratelimited):
    def __init__(self, message: str = RATE_LIMITED) -> None:
        super().__init__(message)


def phone_subject(raw: str) -> str:
    """The key of a phone number's counters: the number as the services read it, so that
    "138 1234 5678", "+86 13812345678" and "13812345678" count as one."""
    checked = check_phone(raw or "")
    number = checked.number if checked.ok else (raw or "").strip()
    return "phone:" + phone_index(number)


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind the reverse proxy (TONGXIN_BEHIND_PROXY) every request comes
    from the proxy: the caller is the last address the proxy appended to X-Forwarded-For (the
    ones before it are whatever the client sent, and could be forged)."""
    if settings.BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _hit(request: HttpRequest, group: str, rate: str, key: str) -> bool:
    return bool(
        is_ratelimited(request, group=group, key=lambda _g, _r: key, rate=rate, increment=True)
    )


def limit(
    request: HttpRequest,
    *,
    group: str,
    setting: str,
    account: PortalAccount | None = None,
    subject: str = "",
) -> None:
    """Count one try of ``group`` against the IP and against the account (or the phone number
    being tried, ``subject``); raise RateLimited once either is past the setting's rate."""
    rate = getattr(settings, setting)
    hit_ip = _hit(request, f"portal.{group}.ip", rate, client_ip(request))
    who = f"account:{account.pk}" if account is not None else subject
    hit_who = bool(who) and _hit(request, f"portal.{group}.who", rate, who)
    if hit_ip or hit_who:
        raise RateLimited()


def limit_phone(request: HttpRequest, *, group: str, setting: str, phone: str) -> None:
    """``limit`` for a door that names a phone number: per IP and per number."""
    limit(request, group=group, setting=setting, subject=phone_subject(phone))
