"""The staff hub's cards of joining and activities: applications waiting in the user's scope, and
activities open for sign-up."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_joins import pending_join_count
from ..selectors_signups import open_opening_count

register = template.Library()


@register.simple_tag
def joins_waiting(user: Any) -> int:
    return pending_join_count(user)


@register.simple_tag
def openings_open(user: Any) -> int:
    return open_opening_count(user)
