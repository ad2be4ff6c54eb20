"""schemathesis over the people's portal API's own OpenAPI document (/api/v1/portal/openapi.json),
as tests/fuzz/test_api_schema.py fuzzes the staff API: every operation, fed generated valid and
invalid requests with a real portal token, never answers a server error and always answers what
the document says (status, content type, body schema).

The data are the 旌阳 person's portal records (tests/portal/records.py): a generated path id that
is small stands for one of them, so the handlers work on real objects. Each operation runs as the
旌阳 person and as another person (of 罗江区, with an account of their own), who must never see a
word of the 旌阳 person's records (tests/portal/test_realm.py MARKERS) nor change them: a path
naming only 旌阳 records answers 400, 403, 404, 405 or 422. POST /auth/token (open to anyone) is
fuzzed like the rest, its phone aimed at the 旌阳 account. Bounded by tests/fuzz/budget.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings

from tongxin.portal.api import portal_api
from tongxin.portal.models import (
    JoinApplication,
    NoticeRecipient,
    PortalAccount,
    ProfileRequest,
    Signup,
    Submission,
)

from ..conftest import Cast, make_cast
from ..portal.helpers import portal_bearer, portal_client
from ..portal.records import JingyangPortal, jingyang_portal
from ..portal.test_realm import MARKERS, _other_person, _probes
from .budget import DEEP, fuzz_settings
from .schema_support import CHECKS, is_small, openapi_schema, response_text

# The cast and the portal records are built once for the module (one xdist worker under
# `--dist loadgroup`), as in test_api_schema.py.
pytestmark = pytest.mark.xdist_group("tests.fuzz.test_portal_api_schema")

EXAMPLES = 6
STORED = "旌阳现场".encode()  # the attachment's content, as tests/portal/records.py saves it
# Values in a generated JSON or form body aimed at real records, so a write reaches its checks
# and its service instead of stopping at "not found" or "wrong version".
BODY_PROBES: dict[str, Callable[[Cast, JingyangPortal], Any]] = {
    "organization_id": lambda c, p: c.records.organization.pk,
    "phone": lambda c, p: p.account.phone,
    "version": lambda c, p: settings.PORTAL_PRIVACY_VERSION,
    "kind": lambda c, p: "difficulty",  # an opinion's kind (POST /opinions' form)
}

PORTAL_DOCUMENT = portal_api.get_openapi_schema()
# The 旌阳 person gets the boundary values too, the other person the generated examples; a deep
# run (TONGXIN_FUZZ_EXAMPLES) gives both everything.
OWN_SCHEMA = openapi_schema(PORTAL_DOCUMENT, coverage="all" if DEEP else "positive")
OTHER_SCHEMA = openapi_schema(PORTAL_DOCUMENT, coverage="all" if DEEP else "")


@dataclass
class World:
    cast: Cast
    portal: JingyangPortal
    accounts: dict[str, PortalAccount]
    probes: dict[str, str]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    quick = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with django_db_blocker.unblock(), quick, transaction.atomic():
        cast = make_cast()
        portal = jingyang_portal(cast)
        served = portal_client(portal.account).get("/api/v1/portal/openapi.json").json()
        fuzzed = json.loads(json.dumps(PORTAL_DOCUMENT))
        assert served == fuzzed, "the fuzzed document is not served"
        accounts = {"jingyang": portal.account, "other": _other_person(cast)}
        yield World(cast, portal, accounts, _probes(cast))
        transaction.set_rollback(True)


@pytest.fixture
def stored_files(world: World) -> None:
    """The attachment's file, back in this test's fresh in-memory storage (conftest gives each
    test its own)."""
    default_storage.save(world.portal.attachment.file.name, ContentFile(STORED))


def aim_at_records(case: Any, world: World) -> set[str]:
    """Point small generated ids at the 旌阳 person's records; the path parameters aimed."""
    aimed = set()
    for name, value in list((case.path_parameters or {}).items()):
        if name in world.probes and is_small(value):
            case.path_parameters[name] = world.probes[name]
            aimed.add(name)
    if isinstance(case.body, dict):
        for name, probe in BODY_PROBES.items():
            if name in case.body and is_small(case.body[name]):
                case.body[name] = probe(world.cast, world.portal)
    return aimed


def call(case: Any, world: World, who: str) -> tuple[Any, set[str]]:
    aimed = aim_at_records(case, world)
    # A token of its own for each request: POST /auth/logout revokes the one it is sent with.
    headers = {"Authorization": portal_bearer(world.accounts[who])["HTTP_AUTHORIZATION"]}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    return response, aimed


def jingyang_state(portal: JingyangPortal) -> tuple[object, ...]:
    """What another person's request could change of the 旌阳 person's records."""
    return (
        ProfileRequest.objects.get(pk=portal.profile_request.pk).status,
        JoinApplication.objects.get(pk=portal.join.pk).status,
        Submission.objects.values_list("status", "rating").get(pk=portal.submission.pk),
        Signup.objects.values_list("status", "checked_in_at").get(pk=portal.signup.pk),
        NoticeRecipient.objects.get(notice=portal.notice, person=portal.account.person).read_at,
    )


def assert_other_gets_nothing(case: Any, response: Any, aimed: set[str]) -> None:
    label = f"{case.method} {case.formatted_path}"
    text = response_text(response)
    for marker in MARKERS:
        assert marker not in text, f"{label} shows {marker} to another person"
    if aimed and aimed == set(case.path_parameters):
        # 400/422: the request itself is invalid, refused before the record is looked up;
        # 405: a method the path does not have (the coverage phase sends TRACE and the like).
        assert response.status_code in (400, 403, 404, 405, 422), (label, response.status_code)


# The person as a parameter, which also gives each operation's item its own node id
# (test_…[GET /api/v1/portal/me][jingyang]) for pytest-xdist to hand the items out.
@OWN_SCHEMA.parametrize()
@pytest.mark.parametrize("who", ["jingyang"])
@fuzz_settings(EXAMPLES)
def test_every_portal_operation_answers_as_documented_and_never_with_a_server_error(
    case: Any, who: str, world: World, db: None, stored_files: None
) -> None:
    call(case, world, who)


@OTHER_SCHEMA.parametrize()
@pytest.mark.parametrize("who", ["other"])
@fuzz_settings(EXAMPLES)
def test_another_person_gets_nothing_of_a_persons_records_from_any_portal_operation(
    case: Any, who: str, world: World, db: None, stored_files: None
) -> None:
    before = jingyang_state(world.portal)
    response, aimed = call(case, world, who)
    assert_other_gets_nothing(case, response, aimed)
    assert jingyang_state(world.portal) == before, f"{case.method} {case.formatted_path}"
