"""Every URL pattern and every API operation, enumerated, against every member of the cast.

A page or operation added later is covered without anyone remembering: the test walks the URL
resolver and the OpenAPI document. A new path parameter with no probe below fails the test,
asking for one. Each probe names a record of 旌阳区; the 罗江区 user (wrong district) and the
成都 user (outsider) must get 403/404 for it, lists must not show it, and writes must not change
the database."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tongxin.core.models import ApiToken, AuditAction, AuditEvent
from tongxin.core.services import token_create
from tongxin.registry.models import CodeItem

from .conftest import Cast, bearer, login
from .portal.records import jingyang_portal

# Pages anyone may open without logging in.
PUBLIC = {"login", "logout", "api-root"}
# The marker of 旌阳区 records: it must never reach a user outside 旌阳区's line of sight.
MARKER = "旌阳"
ProbeFn = Callable[[Cast], str]
PROBES: dict[str, ProbeFn] = {
    "code": lambda c: c.jingyang_region.code,
    "unit_id": lambda c: str(c.jingyang_unit.pk),
    "user_id": lambda c: str(c.jingyang.pk),
    "token_id": lambda c: str(_jingyang_token(c).pk),
    "person_id": lambda c: str(c.records.person.pk),
    "organization_id": lambda c: str(c.records.organization.pk),
    "membership_id": lambda c: str(c.records.membership.pk),
    "arrangement_id": lambda c: str(c.records.arrangement.pk),
    "honour_id": lambda c: str(c.records.honour.pk),
    "review_id": lambda c: str(c.records.review.pk),
    "figure_id": lambda c: str(c.records.figure.pk),
    "designation_id": lambda c: str(c.records.designation.pk),
    "check_id": lambda c: str(c.records.standard_check.pk),
    "job_id": lambda c: str(c.records.job.pk),
    "visit_id": lambda c: str(c.records.visit.pk),
    "opinion_id": lambda c: str(c.records.opinion.pk),
    "case_id": lambda c: str(c.records.case.pk),
    "activity_id": lambda c: str(c.work.activity.pk),
    "participation_id": lambda c: str(c.work.participation.pk),
    "project_id": lambda c: str(c.work.project.pk),
    "credit_id": lambda c: str(c.work.credit.pk),
    "output_id": lambda c: str(c.work.output.pk),
    "author_id": lambda c: str(c.work.author.pk),
    "endorsement_id": lambda c: str(c.work.endorsement.pk),
    "adoption_id": lambda c: str(c.work.adoption.pk),
    "attachment_id": lambda c: str(c.work.attachment.pk),
    "training_id": lambda c: str(c.work.training.pk),
    "trainee_id": lambda c: str(c.work.trainee.pk),
    "secondment_id": lambda c: str(c.work.secondment.pk),
    "dual_report_id": lambda c: str(c.work.dual_report.pk),
    "mechanism_id": lambda c: str(c.gov.mechanism.pk),
    "member_id": lambda c: str(c.gov.member.pk),
    "agenda_item_id": lambda c: str(c.gov.agenda_item.pk),
    "task_id": lambda c: str(c.gov.task.pk),
    "task_event_id": lambda c: str(c.gov.task_event.pk),
    "duty_report_id": lambda c: str(c.gov.duty_report.pk),
    "indicator_set_id": lambda c: str(c.gov.indicator_set.pk),
    "indicator_id": lambda c: str(c.gov.indicator.pk),
    "round_id": lambda c: str(c.gov.evaluation_round.pk),
    "invitation_id": lambda c: str(jingyang_portal(c).invitation.pk),
    "account_id": lambda c: str(jingyang_portal(c).account.pk),
    "application_id": lambda c: str(jingyang_portal(c).application.pk),
    "request_id": lambda c: str(jingyang_portal(c).profile_request.pk),
    "join_id": lambda c: str(jingyang_portal(c).join.pk),
    "submission_id": lambda c: str(jingyang_portal(c).submission.pk),
    "file_id": lambda c: str(jingyang_portal(c).attachment.pk),
    "signup_id": lambda c: str(jingyang_portal(c).signup.pk),
    "notice_id": lambda c: str(jingyang_portal(c).notice.pk),
    # A metric's key names a figure, not a record: any key will do (see NOT_RECORDS).
    "key": lambda c: "activities_held",
}
# Parameters that name no record (a metric's key): a page or operation with only these is checked
# like a list, answering within the user's own scope without ever showing the marker.
NOT_RECORDS = {"key"}
# Code tables are shared vocabulary: their pages are for admins, whatever the district.
ADMIN_ONLY_PROBES: dict[str, ProbeFn] = {"item_id": lambda c: str(_any_code_item().pk)}
WRITES = (
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.DELETE,
    AuditAction.TOKEN_REVOKE,
    AuditAction.PASSWORD_CHANGE,
    AuditAction.UNLOCK,
)


def _any_code_item() -> CodeItem:
    return CodeItem.objects.order_by("pk").first()  # type: ignore[return-value]


def _jingyang_token(cast: Cast) -> ApiToken:
    token = ApiToken.objects.filter(user=cast.jingyang).first()
    return token or token_create(actor=None, user=cast.jingyang, name="probe")[0]


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in resolvers:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name or ""


def _fill(route: str, cast: Cast) -> str:
    if route.startswith("portal-admin/"):
        jingyang_portal(cast)  # the portal's 旌阳 records, also for pages named by an activity

    def probe(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        probes = {**PROBES, **ADMIN_ONLY_PROBES}
        if name not in probes:
            pytest.fail(f"URL parameter <{name}> has no probe in tests/test_authorization.py")
        return probes[name](cast)

    return "/" + re.sub(r"<([^>]+)>", probe, route)


def _names_a_record(route: str) -> bool:
    names = {m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)}
    return bool(names - NOT_RECORDS)


# The people's realm (tongxin.portal) has its own login and its own test of the enumeration:
# tests/portal/test_realm.py. Here: the staff pages, /portal-admin/ included.
PEOPLE_ROUTES = ("portal/", "api/v1/portal/")


def _pages() -> list[tuple[str, str]]:
    return [
        (r, n)
        for r, n in _patterns(get_resolver().url_patterns)
        if (not r.startswith("api/v1/") or n in {"openapi-json", "openapi-view"})
        and not r.startswith(PEOPLE_ROUTES)
    ]


def _body(response: Any) -> str:
    """A page's text, and a download's too: streamed or not, a CSV decoded, an .xlsx unzipped,
    so that the marker cannot hide in an exported file (an .xlsx or .docx writes Chinese as
    character references, &#26060; for 旌, hence the unescape)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return html.unescape(
                "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
            )
    return str(body.decode("utf-8-sig", errors="replace"))


def _writes() -> int:
    return AuditEvent.objects.filter(action__in=WRITES).count()


@pytest.mark.parametrize(("route", "name"), _pages())
def test_anonymous_visitors_are_sent_to_login(cast: Cast, route: str, name: str) -> None:
    if name in PUBLIC:
        return
    for method in ("get", "post"):
        response = getattr(Client(), method)(_fill(route, cast))
        if response.status_code == 405:  # POST-only actions refuse GET before anything else
            continue
        assert response.status_code == 302, (method, route)
        assert response["Location"].startswith("/login/"), (method, route)


@pytest.mark.parametrize(("route", "name"), _pages())
@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_never_see_or_change_jingyang_records(
    cast: Cast, route: str, name: str, who: str
) -> None:
    if name in PUBLIC:
        return
    client = login(getattr(cast, who))
    url = _fill(route, cast)
    response = client.get(url)
    if _names_a_record(route):
        assert response.status_code in (403, 404, 405), (url, response.status_code)
    else:
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        assert MARKER not in _body(response), url
    before = _writes()
    response = client.post(
        url,
        {
            "name": "改名",
            "username": "x",
            "new_password1": "Aa-123456789",
            "new_password2": "Aa-123456789",
        },
    )
    assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
    assert _writes() == before, f"POST {url} as {who} changed data"


@pytest.mark.parametrize(("route", "name"), _pages())
def test_every_page_opens_for_someone_in_the_cast(cast: Cast, route: str, name: str) -> None:
    """Guards the probes: a page nobody can open would make the refusals above meaningless."""
    if name in PUBLIC or name == "logout":
        return
    url = _fill(route, cast)
    statuses = {who: login(user).get(url).status_code for who, user in cast.all().items()}
    if 200 not in statuses.values() and 405 in statuses.values():
        # A POST-only action (some roles may be refused before the method is): someone must be
        # let through, to a redirect or to the form's own refusal of an empty request.
        statuses = {who: login(user).post(url).status_code for who, user in cast.all().items()}
        assert any(s not in (403, 404, 405) for s in statuses.values()), (url, statuses)
    else:
        assert 200 in statuses.values(), (url, statuses)


# --- the API, operation by operation ----------------------------------------------------------


def _operations(cast: Cast) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every (method, path, route, operation) of the OpenAPI document."""
    schema = login(cast.admin).get("/api/v1/openapi.json").json()
    ops = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            route = re.sub(r"\{([^}]+)\}", r"<\1>", path.removeprefix("/"))
            ops.append((method, path, route, _request_body(schema, operation, cast)))
    assert ops, "the OpenAPI document lists no operations"
    return ops


# Plausible values aimed at 旌阳区 records, so that a write passes body validation and reaches
# the scope check that must refuse it.
SAMPLES: dict[str, Callable[[Cast], Any]] = {
    "region": lambda c: c.jingyang_region.code,
    "person": lambda c: c.records.person.pk,
    "organization": lambda c: c.records.organization.pk,
    "name": lambda c: "越权写入测试",
    "on_duplicate": lambda c: "skip",
}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _sample(schema: dict[str, Any], name: str, node: dict[str, Any], cast: Cast) -> Any:
    if name in SAMPLES:
        return SAMPLES[name](cast)
    node = _resolve(schema, node)
    kind = node.get("type") or next(
        (o.get("type") for o in node.get("anyOf", []) if o.get("type") != "null"), "string"
    )
    if node.get("format") == "date":
        return "2022-01-01"
    return {"integer": 1, "number": 1, "boolean": False, "array": []}.get(kind, "测试")


def _request_body(schema: dict[str, Any], operation: dict[str, Any], cast: Cast) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return {"data": {"file": SimpleUploadedFile("roster.csv", "姓名\n测试\n".encode())}}
    if "application/json" not in content:
        return {}
    body_schema = _resolve(schema, content["application/json"]["schema"])
    body = {
        name: _sample(schema, name, prop, cast)
        for name, prop in body_schema.get("properties", {}).items()
        if name in body_schema.get("required", []) or name in SAMPLES
    }
    return {"data": json.dumps(body), "content_type": "application/json"}


def _call(method: str, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return getattr(Client(), method)(url, **body, **headers)


def test_every_api_operation_refuses_requests_without_credentials(cast: Cast) -> None:
    for method, path, route, body in _operations(cast):
        response = _call(method, _fill(route, cast), body, {})
        assert response.status_code == 401, (method, path)
        assert set(response.json()) >= {"detail", "code"}, (method, path)


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_every_api_operation_hides_jingyang_records_from_other_districts(
    cast: Cast, who: str
) -> None:
    headers = bearer(getattr(cast, who))
    for method, _path, route, body in _operations(cast):
        url = _fill(route, cast)
        before = _writes()
        mark = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
        response = _call(method, url, body, headers)
        assert response.status_code < 500, (method, url, response.content)
        assert MARKER not in _body(response), (method, url)
        if _names_a_record(route):
            assert response.status_code in (403, 404), (method, url, response.status_code)
            assert response.json()["code"] in ("forbidden", "not_found")
            assert _writes() == before, (method, url)
        elif method == "get":
            assert response.status_code in (200, 403), (method, url, response.status_code)
        else:
            # A write without a path names no record: it may create the user's own, never
            # change or delete anyone's.
            assert not AuditEvent.objects.filter(
                action__in=(AuditAction.UPDATE, AuditAction.DELETE), id__gt=mark
            ).exists(), (method, url)


def test_jingyang_staff_reach_their_own_records_through_the_api(cast: Cast) -> None:
    headers = bearer(cast.jingyang)
    for method, path, route, body in _operations(cast):
        response = _call(method, _fill(route, cast), body, headers)
        if method == "get":
            assert response.status_code == 200, (method, path, response.content)
        else:
            assert response.status_code not in (401, 404) and response.status_code < 500, (
                method,
                path,
                response.content,
            )
