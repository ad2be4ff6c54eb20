"""The sidebar: which sections this user's role may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "directory": access.can_use_directory(user),
            "registry": access.can_use_registry(user),
            "registry_edit": access.can_edit_registry(user),
            "visits": access.can_use_registry(user),
            "cases": access.can_use_cases(user),
            "activities": access.can_use_activities(user),
            "users": access.can_manage_users(user),
            "audit": access.can_read_audit(user),
        }
    }
