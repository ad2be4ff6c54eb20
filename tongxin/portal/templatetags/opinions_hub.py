"""The staff hub's card of opinions: how many wait for an answer in the user's scope."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_opinions import waiting_count

register = template.Library()


@register.simple_tag
def opinions_waiting(user: Any) -> int:
    return waiting_count(user)
