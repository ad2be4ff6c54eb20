"""The staff hub's card of notices: how many were sent this month in the user's scope."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_notices import notices_this_month

register = template.Library()


@register.simple_tag
def notices_sent_this_month(user: Any) -> int:
    return notices_this_month(user)
