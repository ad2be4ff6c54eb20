"""schemathesis over the API's own OpenAPI document (/api/v1/openapi.json): every operation, fed
generated valid and invalid requests with a real token, never answers a server error and always
answers what the document says (status, content type, body schema).

Requests go in-process through Django's WSGI handler, inside the test's transaction. The data are
the shared cast's 旌阳 records: a generated path id that is small stands for a real record (the
probes of tests/test_authorization.py), so the handlers work on real objects; large and invalid
ids stay as generated, to probe the edges. Each operation runs as the city staff member and as
the outsider of another city, who must never get data: a record of 旌阳 answers 403 or 404, and
no answer carries the 旌阳 marker. Bounded by tests/fuzz/budget.py (TONGXIN_FUZZ_EXAMPLES)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings

from tongxin.api.api import api

from ..conftest import Cast, bearer, login, make_cast
from ..test_authorization import MARKER, PROBES
from ..work_records import PDF
from .budget import DEEP, fuzz_settings
from .schema_support import CHECKS, is_small, openapi_schema, response_text

# The demo's reference data and the cast are built once for the module; under `--dist loadgroup`
# the group keeps the module on one xdist worker, so they are built once per run.
pytestmark = pytest.mark.xdist_group("tests.fuzz.test_api_schema")

ROLES = ("city_staff", "outsider")
EXAMPLES = 6
# Values in a generated JSON body aimed at real records, so a write reaches its scope check and
# its service instead of stopping at "not found".
BODY_PROBES: dict[str, Callable[[Cast], Any]] = {
    "person": lambda c: c.records.person.pk,
    "organization": lambda c: c.records.organization.pk,
    "unit": lambda c: c.jingyang_unit.pk,
    "region": lambda c: c.jingyang_region.code,
}
API_DOCUMENT = api.get_openapi_schema()


# The city staff member gets the boundary values too, and the outsider the generated examples;
# a deep run (TONGXIN_FUZZ_EXAMPLES) gives both everything.
STAFF_SCHEMA = openapi_schema(API_DOCUMENT, coverage="all" if DEEP else "positive")
OUTSIDER_SCHEMA = openapi_schema(API_DOCUMENT, coverage="all" if DEEP else "")


@dataclass
class World:
    cast: Cast
    headers: dict[str, dict[str, str]]
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
        served = login(cast.admin).get("/api/v1/openapi.json").json()
        assert served == json.loads(json.dumps(API_DOCUMENT)), "the fuzzed document is not served"
        headers = {
            who: {"Authorization": bearer(getattr(cast, who))["HTTP_AUTHORIZATION"]}
            for who in ROLES
        }
        probes = {name: probe(cast) for name, probe in PROBES.items()}
        yield World(cast, headers, probes)
        transaction.set_rollback(True)


@pytest.fixture
def stored_files(world: World) -> None:
    """The probe attachment's file, back in this test's fresh in-memory storage (conftest gives
    each test its own)."""
    attachment = world.cast.work.attachment
    default_storage.save(attachment.file.name, ContentFile(PDF))


def aim_at_records(case: Any, world: World) -> set[str]:
    """Point small generated ids at the 旌阳 probes; the names of the path parameters aimed."""
    aimed = set()
    for name, value in list((case.path_parameters or {}).items()):
        if name in world.probes and is_small(value):
            case.path_parameters[name] = world.probes[name]
            aimed.add(name)
    if isinstance(case.body, dict):
        for name, probe in BODY_PROBES.items():
            if name in case.body and is_small(case.body[name]):
                case.body[name] = probe(world.cast)
    return aimed


def assert_outsider_gets_nothing(case: Any, response: Any, aimed: set[str]) -> None:
    label = f"{case.method} {case.formatted_path}"
    assert MARKER not in response_text(response), f"{label} shows 旌阳 data to the outsider"
    unsupported = case.method.upper() != case.operation.method.upper()  # 405 for TRACE etc.
    if aimed and aimed == set(case.path_parameters) and not unsupported:
        # 400/422: the request itself is invalid, refused before the record is looked up.
        assert response.status_code in (400, 403, 404, 422), (label, response.status_code)


def call(case: Any, world: World, who: str) -> tuple[Any, set[str]]:
    aimed = aim_at_records(case, world)
    headers = world.headers[who]
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    return response, aimed


# The role as a parameter: it also gives each operation's item its own node id
# (test_…[GET /api/v1/me][city_staff]), which pytest-xdist needs to hand the items out.
@STAFF_SCHEMA.parametrize()
@pytest.mark.parametrize("who", ["city_staff"])
@fuzz_settings(EXAMPLES)
def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    case: Any, who: str, world: World, db: None, stored_files: None
) -> None:
    call(case, world, who)


@OUTSIDER_SCHEMA.parametrize()
@pytest.mark.parametrize("who", ["outsider"])
@fuzz_settings(EXAMPLES)
def test_an_outsider_gets_no_data_from_any_operation(
    case: Any, who: str, world: World, db: None, stored_files: None
) -> None:
    response, aimed = call(case, world, who)
    assert_outsider_gets_nothing(case, response, aimed)
