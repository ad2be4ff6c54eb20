"""The two realms never mix, checked by enumeration so that a page or operation added later is
covered without anyone remembering: a person's session or token gets 403 on every staff page and
every staff API operation, and staff credentials get nothing from any portal API operation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tongxin.core.models import AuditEvent

from ..conftest import Cast, bearer, login
from .helpers import make_account, portal_bearer, portal_client

PEOPLE_PREFIXES = ("portal/", "api/v1/portal/", "static/")


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[str]:
    for p in resolvers:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _url(route: str) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + re.sub(r"<[^>]+>|\{[^}]+\}", "1", route)


def _staff_routes() -> list[str]:
    return [r for r in _patterns(get_resolver().url_patterns) if not r.startswith(PEOPLE_PREFIXES)]


def _operations(client: Client, openapi: str, prefix: str) -> list[tuple[str, str]]:
    schema = client.get(openapi).json()
    return [
        (method, prefix + re.sub(r"\{[^}]+\}", "1", path.removeprefix(prefix)))
        for path, methods in schema["paths"].items()
        for method in methods
    ]


def test_a_persons_session_gets_403_on_every_staff_page(cast: Cast) -> None:
    client = portal_client(make_account(cast.records.person))
    routes = _staff_routes()
    assert len(routes) > 100
    before = AuditEvent.objects.count()
    for route in routes:
        for method in ("get", "post"):
            response = getattr(client, method)(_url(route))
            assert response.status_code == 403, (method, route, response.status_code)
    assert AuditEvent.objects.count() == before


def test_a_persons_token_gets_403_on_every_staff_api_operation(cast: Cast) -> None:
    headers = portal_bearer(make_account(cast.records.person))
    operations = _operations(login(cast.admin), "/api/v1/openapi.json", "/api/v1")
    assert len(operations) > 50
    for method, path in operations:
        response = getattr(Client(), method)(path, **headers)
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json()["code"] == "portal_token"


def test_staff_credentials_get_nothing_from_any_portal_operation(cast: Cast) -> None:
    account = make_account(cast.records.person)
    operations = _operations(portal_client(account), "/api/v1/portal/openapi.json", "")
    assert len(operations) > 3
    token_door = ("post", "/api/v1/portal/auth/token")
    for who in ("admin", "jingyang", "city_staff", "leader"):
        user = getattr(cast, who)
        for client, headers in ((login(user), {}), (Client(), bearer(user))):
            for method, path in operations:
                if (method, path) == token_door:
                    continue  # open to anyone: it asks for a person's phone and password
                response = getattr(client, method)(path, **headers)
                assert response.status_code in (401, 403), (who, method, path, response.status_code)
                assert "旌阳测试人员" not in response.content.decode(), (who, method, path)


def test_staff_sessions_are_sent_to_the_portal_login_on_portal_pages(cast: Cast) -> None:
    client = login(cast.jingyang)
    for path in ("/portal/", "/portal/profile/", "/portal/opinions/", "/portal/notices/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/portal/login/"), path


def test_a_person_reaches_their_own_portal_api_with_a_token(cast: Cast) -> None:
    headers = portal_bearer(make_account(cast.records.person))
    response = Client().get("/api/v1/portal/me", **headers)
    assert response.status_code == 200
    assert response.json()["name"] == "旌阳测试人员"
