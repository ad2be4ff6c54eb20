"""A staff login ends any portal login in the same browser: one realm per session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .realm import SESSION_AUTH_AT, SESSION_KEY


@receiver(user_logged_in)
def _leave_portal(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
        request.session.pop(SESSION_AUTH_AT, None)
