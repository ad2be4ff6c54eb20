"""Who opens the staff pages of the portal (/portal-admin/): the roles of
access.PORTAL_STAFF_ROLES, one definition for every page of every feature; any other role gets 403
on each of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tongxin.core import access

from ..conftest import Cast, login


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def staff_pages() -> list[str]:
    """The /portal-admin/ pages a GET opens without naming a record."""
    return sorted(
        "/" + route
        for route in _routes(get_resolver().url_patterns)
        if route.startswith("portal-admin/") and "<" not in route and not route.endswith("reach/")
    )


def test_every_portal_staff_page_opens_to_the_portal_staff_roles_and_no_other(
    cast: Cast,
) -> None:
    pages = staff_pages()
    assert "/portal-admin/" in pages and "/portal-admin/joins/" in pages
    assert "/portal-admin/notices/" in pages and "/portal-admin/activities/" in pages
    for name, user in cast.all().items():
        client = login(user)
        for page in pages:
            status = client.get(page).status_code
            if user.role in access.PORTAL_STAFF_ROLES:
                # A page for writing (…/new/) may still refuse a reader: 403 with its sentence.
                assert status in (200, 403) and (status == 200 or page.endswith("new/")), (
                    name,
                    page,
                    status,
                )
            else:
                assert status == 403, (name, page, status)
