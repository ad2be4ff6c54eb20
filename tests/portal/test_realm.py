"""The two realms never mix, checked by enumeration so that a page or operation added later is
covered without anyone remembering: a person's session or token gets 403 on every staff page and
every staff API operation, and staff credentials get nothing from any portal API operation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.registry import services as registry

from ..conftest import Cast, bearer, login
from .helpers import make_account, portal_bearer, portal_client
from .records import jingyang_portal

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
        (method, prefix + path.removeprefix(prefix))
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
        path = re.sub(r"\{[^}]+\}", "1", path)
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
                path = re.sub(r"\{[^}]+\}", "1", path)
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


# --- one person never reaches another's records ---------------------------------------------------
# Every people's page and portal API operation, named with the 旌阳 person's records, as another
# person (of 罗江区, with an account of their own): refused, and never a word of the 旌阳 person's.
MARKERS = ("旌阳测试人员", "旌阳反映", "旌阳更正", "旌阳入会", "旌阳通知", "旌阳现场")


def _probes(cast: Cast) -> dict[str, str]:
    portal = jingyang_portal(cast)
    return {
        "submission_id": str(portal.submission.pk),
        "file_id": str(portal.attachment.pk),
        "request_id": str(portal.profile_request.pk),
        "join_id": str(portal.join.pk),
        "notice_id": str(portal.notice.pk),
        "activity_id": str(cast.work.activity.pk),
        "checkin_code": portal.opening.checkin_code,
        "organization_id": str(cast.records.organization.pk),
        "invitation_code": portal.invitation.code,
    }


def _named(route: str, probes: dict[str, str]) -> str:
    def probe(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        assert name in probes, f"portal parameter <{name}> has no probe in test_realm.py"
        return probes[name]

    return "/" + re.sub(r"[<{]([^>}]+)[>}]", probe, route)


def _other_person(cast: Cast) -> Any:
    stranger = registry.person_create(actor=None, name="罗江某人", region=cast.luojiang_region)
    return make_account(stranger, phone="13900007777")


def _no_marker(body: bytes, where: object) -> None:
    text = body.decode("utf-8", "replace")
    for marker in MARKERS:
        assert marker not in text, (where, marker)


def test_another_persons_session_never_reaches_a_persons_pages(cast: Cast) -> None:
    probes = _probes(cast)
    client = portal_client(_other_person(cast))
    routes = [r for r in _patterns(get_resolver().url_patterns) if r.startswith("portal/")]
    mark = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    for route in routes:
        url = _named(route, probes)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code != 500, (method, url)
            if "<" in route and "invitation_code" not in route:
                assert response.status_code in (302, 403, 404, 405), (method, url, response)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            _no_marker(body, (method, url))
    # Whatever the other person tried, nothing of the 旌阳 person's records changed.
    assert not AuditEvent.objects.filter(
        id__gt=mark, action__in=(AuditAction.UPDATE, AuditAction.DELETE)
    ).exists()


def test_another_persons_token_never_reaches_a_persons_records_through_the_api(
    cast: Cast,
) -> None:
    probes = _probes(cast)
    other = _other_person(cast)
    headers = portal_bearer(other)
    for method, path in _operations(portal_client(other), "/api/v1/portal/openapi.json", ""):
        if "{" not in path and method != "get":
            continue
        url = _named(path.removeprefix("/"), probes)
        response = getattr(Client(), method)(url, **headers)
        assert response.status_code != 500, (method, url)
        if "{" in path:
            assert response.status_code in (400, 403, 404, 405, 422), (method, url, response)
        _no_marker(response.content, (method, url))
