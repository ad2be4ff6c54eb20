"""Reading the annual summary: the latest saved wording (or a chosen version, or the default
wording when none is saved) with numbers measured now, for the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, User

from . import metrics
from .models_summary import SummaryDraft
from .summary import Summary, draft_summary

# The summary is the department's: staff and leaders in their scope. Liaisons read figures of
# their unit's records only, which make no summary of a region.
SUMMARY_ROLES = access.REGISTRY_ROLES
FIRST_YEAR, LAST_YEAR = 2000, 2100
VERSION_NOT_FOUND = "没有这个版本。请从“历史版本”中选择。"
BAD_YEAR = "年度须为 2000 至 2100 之间的四位数字，例如 year=2022。"


def require_summary(user: Any) -> None:
    access.require_role(user, *SUMMARY_ROLES)


def default_year() -> int:
    """A summary is written early in the year about the year before."""
    return timezone.localdate().year - 1


def parse_year(value: str | int | None) -> int:
    """The year asked for; ValueError (with BAD_YEAR) when it is not one."""
    if value is None or value == "":
        return default_year()
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValueError(BAD_YEAR) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(BAD_YEAR)
    return year


def _versions(year: int, place: Region) -> QuerySet[SummaryDraft]:
    return (
        SummaryDraft.objects.filter(year=year, region=place)
        .select_related("created_by", "region")
        .order_by("-version")
    )


def summary_versions(
    user: User, *, year: int, region: Region | str | None = None
) -> QuerySet[SummaryDraft]:
    """The saved versions of ``year``'s summary for ``region``, newest first."""
    require_summary(user)
    return _versions(year, metrics.resolve_region(user, region))


def annual_summary(
    user: User, *, year: int, region: Region | str | None = None, version: int | None = None
) -> Summary:
    """The summary in its latest saved wording (or ``version``'s), numbers measured now.
    PermissionDenied for a role without summaries, Http404 for a region outside the user's
    scope or a version that does not exist."""
    require_summary(user)
    place = metrics.resolve_region(user, region)
    drafts = _versions(year, place)
    draft = drafts.filter(version=version).first() if version else drafts.first()
    if version and draft is None:
        raise Http404(VERSION_NOT_FOUND)
    return draft_summary(
        user,
        year=year,
        region=place,
        title=draft.title if draft else "",
        overrides=draft.wording if draft else None,
        version=draft,
    )
