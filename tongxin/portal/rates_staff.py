"""Rate limits on staff actions of the portal (sending notices): one django-ratelimit counter per
staff user, in the same shared cache as the people's limits (rates.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from tongxin.core.models import User


def staff_over_rate(request: HttpRequest, *, user: User, group: str, setting: str) -> bool:
    """Count one try of ``group`` by ``user`` and say whether it is past the setting's rate.

    The try is counted before the action it guards (one cache increment that answers with the new
    count), never checked first and counted after: two requests at once would both read the count
    from before either and both pass."""
    usage = get_usage(
        request,
        group=f"portal.{group}.staff",
        key=lambda _g, _r: f"user:{user.pk}",
        rate=getattr(settings, setting),
        increment=True,
    )
    return usage is not None and bool(usage["should_limit"])
