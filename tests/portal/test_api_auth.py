"""The person a portal API operation answers for (api_auth.account_of): the PortalAccount the
portal's auth found, and nothing else."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from ninja.errors import AuthenticationError

from tongxin.portal.api_auth import account_of

from ..conftest import Cast
from .helpers import make_account


def test_it_answers_the_account_the_portal_auth_found(cast: Cast) -> None:
    account = make_account(cast.records.person)
    request = RequestFactory().get("/api/v1/portal/profile")
    request.auth = account  # type: ignore[attr-defined]
    assert account_of(request) == account


@pytest.mark.parametrize("auth", ["staff", None, "missing"])
def test_anything_else_is_refused_as_unauthenticated(cast: Cast, auth: str | None) -> None:
    request = RequestFactory().get("/api/v1/portal/profile")
    if auth == "staff":
        request.auth = cast.jingyang  # type: ignore[attr-defined]
    elif auth is None:
        request.auth = None  # type: ignore[attr-defined]
    with pytest.raises(AuthenticationError):
        account_of(request)
