"""The workbench's line for the portal: how much people's business waits in the user's scope."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_accounts import pending_applications
from ..selectors_joins import pending_join_count
from ..selectors_opinions import waiting_count
from ..selectors_profile import pending_count

register = template.Library()


@register.simple_tag
def portal_waiting(user: Any) -> int:
    """Account applications, profile requests, opinions and join applications waiting."""
    return (
        pending_applications(user)
        + pending_count(user)
        + waiting_count(user)
        + pending_join_count(user)
    )
