"""The person a portal API operation answers for."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError

from .models import PortalAccount


def account_of(request: HttpRequest) -> PortalAccount:
    """The PortalAccount the portal API's auth (api.PORTAL_AUTH: a txp_ token or the portal
    session) put on ``request.auth``. Anything else there (a staff user, nothing) means the
    operation was reached without that auth: it is refused as unauthenticated (401), never
    answered for nobody, and not by an ``assert`` that ``python -O`` would drop."""
    account = getattr(request, "auth", None)
    if not isinstance(account, PortalAccount):
        raise AuthenticationError()
    return account
