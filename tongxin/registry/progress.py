"""How far a long import has got, readable by another request while it runs.

The running request writes to the cache (shared by the workers of a host), never to the database:
a commit's own writes stay invisible until its transaction ends, and progress must not wait."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.core.cache import cache

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
TTL = 3600


def new_token() -> str:
    return uuid.uuid4().hex


def is_token(value: str) -> bool:
    return bool(_TOKEN.match(value or ""))


def report(token: str | None, *, phase: str, rows: int) -> None:
    if token and is_token(token):
        cache.set(f"tongxin:import-progress:{token}", {"phase": phase, "rows": rows}, TTL)


def read(token: str) -> dict[str, Any] | None:
    if not is_token(token):
        return None
    value = cache.get(f"tongxin:import-progress:{token}")
    return value if isinstance(value, dict) else None
