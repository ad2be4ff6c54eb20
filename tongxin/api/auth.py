"""API authentication: a bearer token, or the browser session (with CSRF for writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from tongxin.core import audit
from tongxin.core.services import token_authenticate


class BearerToken(HttpBearer):
    openapi_description = "API 令牌：Authorization: Bearer tx_…"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        audit.set_actor(user)
        return user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [BearerToken(), ActiveSession()]
