"""Helpers of the work-record API tests: a client per user, JSON bodies, the cast's records."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tongxin.core.models import User

from ..conftest import bearer


def api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=bearer(user)["HTTP_AUTHORIZATION"])


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def detail(response: Any) -> str:
    """The Chinese sentence of an error response."""
    return str(response.json()["detail"])
