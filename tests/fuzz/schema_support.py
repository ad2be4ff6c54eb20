"""What the schema fuzz tests share (test_api_schema.py for the staff API,
test_portal_api_schema.py for the people's portal API): the checks every answer must pass, the
in-process handler that keeps the test's transaction, the document as schemathesis reads it, and
the test of a generated path id that stands for a real record."""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from schemathesis import checks as st_checks
from schemathesis.config import SchemathesisConfig

SMALL = 1000  # a generated id below this stands for the real record
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
]


class InTestTransaction(WSGIHandler):
    """Django's WSGI handler, without closing the database connection at the ends of a request
    (as Django's own test client does): the test's transaction must outlive each request."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


def openapi_schema(document: dict[str, Any], *, coverage: str) -> Any:
    """``document`` for schemathesis, calling the app in-process. Its generated examples (valid
    and invalid requests) are bounded by budget.py; ``coverage`` adds its coverage phase in those
    modes: the boundary values of every parameter and field ("positive"), or also each one of the
    wrong type or missing ("all", a few hundred requests for the larger bodies); "" for none."""
    phase = {"enabled": bool(coverage), "generation": {"mode": coverage or "positive"}}
    config = SchemathesisConfig.from_dict({"phases": {"coverage": phase}})
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(document)), config=config)
    schema.app = InTestTransaction()
    return schema


def is_small(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < SMALL
    return isinstance(value, str) and len(value) <= 2


def response_text(response: Any) -> str:
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.content.decode("utf-8", errors="replace")
