"""Requests at the edges, as the schema fuzzing (tests/fuzz/test_api_schema.py) sent them: each
answers in the one error shape, or as documented, and never with a server error."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from ninja import Schema

from tongxin.api import errors
from tongxin.api.api import api as the_api
from tongxin.work import services_activities
from tongxin.work.checks import LINK_OUT_OF_SCOPE
from tongxin.work.models import Activity

from ..conftest import Cast, login
from .work_helpers import api, detail, send


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


# --- the document ---------------------------------------------------------------------------------


def test_no_two_schemas_share_a_name_in_the_openapi_document() -> None:
    # The document keeps one schema per class name: a second FigureOut silently replaced the
    # first, and the enterprise figures were documented in the annual summary's shape.
    owners: dict[str, set[str]] = {}
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("tongxin."):
            owners.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {n: m for n, m in owners.items() if len(m) > 1} == {}


def test_every_operation_documents_the_errors_any_request_can_get() -> None:
    document = the_api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if "requestBody" in operation:
                assert 400 in responses, (method, path)
            if "requestBody" in operation or operation.get("parameters"):
                assert 422 in responses, (method, path)


def test_the_served_document_is_the_one_with_the_common_errors(cast: Cast) -> None:
    served = login(cast.admin).get("/api/v1/openapi.json").json()
    assert "422" in served["paths"]["/api/v1/regions"]["get"]["responses"]
    assert "400" in served["paths"]["/api/v1/persons"]["post"]["responses"]


# --- requests the fuzzing found -------------------------------------------------------------------


def test_a_body_declared_multipart_without_a_boundary_is_400_not_a_server_error(
    cast: Cast,
) -> None:
    response = Client().post(
        f"/api/v1/opinions/{cast.records.opinion.pk}/case",
        data='{"title": ""}',
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=api(cast.jingyang).defaults["HTTP_AUTHORIZATION"],
    )
    assert response.status_code == 400
    assert response.json() == {"detail": errors.UNPARSABLE_FORM, "code": "invalid"}


def test_a_year_filter_of_year_0_answers_422(cast: Cast) -> None:
    client = api(cast.jingyang)
    for url in ("/api/v1/outputs", "/api/v1/trainings", "/api/v1/secondments"):
        response = client.get(url, {"year": 0})
        assert response.status_code == 422 and response.json()["code"] == "invalid", url
    assert client.get("/api/v1/outputs", {"year": 2022}).json()["count"] == 1


def test_a_page_past_the_end_is_empty_however_far(cast: Cast) -> None:
    client = api(cast.jingyang)
    url = f"/api/v1/mechanisms/{cast.gov.mechanism.pk}/agenda-items"
    response = client.get(url, {"page": 10**30})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["items"] == [] and body["count"] >= 1 and body["page"] == 10**30


def test_an_id_past_the_databases_integers_is_a_missing_link(cast: Cast) -> None:
    client = api(cast.jingyang)
    url = f"/api/v1/activities/{cast.work.activity.pk}"
    response = send(client, "patch", url, {"adopted_outputs": [2**70]})
    assert response.status_code == 422
    assert LINK_OUT_OF_SCOPE.format(label="审议通过的文件") in detail(response)


def test_a_patch_with_null_for_a_list_empties_it(cast: Cast) -> None:
    client = api(cast.jingyang)
    url = f"/api/v1/activities/{cast.work.activity.pk}"
    response = send(client, "patch", url, {"adopted_outputs": None, "landed_enterprises": None})
    assert response.status_code == 200, response.content
    assert response.json()["adopted_outputs"] == []
    assert not Activity.objects.get(pk=cast.work.activity.pk).adopted_outputs.exists()
    response = send(client, "patch", url, {"organizers": None})
    assert response.status_code == 200, response.content
    assert response.json()["organizers"] == []
    response = send(client, "patch", f"/api/v1/outputs/{cast.work.output.pk}", {"authors": None})
    assert response.status_code in (200, 422), response.content


def test_an_amount_of_more_digits_than_decimal_keeps_is_refused_in_chinese(cast: Cast) -> None:
    for value in ("1E+30", "9" * 40, "1e-40"):
        try:
            services_activities.parse_wan_yuan(value)
        except services_activities.ValidationError as exc:
            assert services_activities.AMOUNT_INVALID in exc.messages[0], value
        else:
            raise AssertionError(value)
    response = send(
        api(cast.jingyang),
        "post",
        f"/api/v1/activities/{cast.work.activity.pk}/credits",
        {"enterprise": cast.work.credit.enterprise_id, "bank": "旌阳银行", "amount": "1E+30"},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_a_value_the_database_cannot_hold_is_422_not_a_server_error(cast: Cast) -> None:
    # PostgreSQL refuses NUL in any text, a filter's included; SQLite keeps it (no such unit).
    client = api(cast.jingyang)
    response = client.get("/api/v1/units", {"region": "5106\x0003"})
    if connection.vendor == "postgresql":
        assert response.status_code == 422
        assert response.json() == {"detail": errors.UNSTORABLE_VALUE, "code": "invalid"}
    else:
        assert response.status_code == 404
    response = send(
        client, "patch", f"/api/v1/persons/{cast.records.person.pk}", {"name": "旌\x00阳"}
    )
    assert response.status_code in (200, 422), response.content
