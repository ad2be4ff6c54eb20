"""The staff hub's card of 本人申报: how many requests wait in the user's scope."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_profile import pending_count

register = template.Library()


@register.simple_tag
def profile_requests_waiting(user: Any) -> int:
    return pending_count(user)
