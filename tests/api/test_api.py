"""The API: bearer and session auth, /me, scoped lists, one error shape."""

from __future__ import annotations

from django.test import Client

from tongxin.api.errors import NOT_AUTHENTICATED

from ..conftest import Cast, bearer, login


def test_without_credentials_the_api_answers_401_in_the_error_shape(cast: Cast) -> None:
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": NOT_AUTHENTICATED, "code": "not_authenticated"}


def test_a_wrong_token_is_401(cast: Cast) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tx_not-a-real-token")
    assert response.status_code == 401


def test_me_describes_role_and_scope(cast: Cast) -> None:
    me = Client().get("/api/v1/me", **bearer(cast.city_staff)).json()
    assert me["role"] == "city_staff" and me["role_label"] == "市级业务人员"
    assert me["lines"] == ["新阶"]
    assert {"510600", "510603", "510604"} <= set(me["region_codes"])
    me = Client().get("/api/v1/me", **bearer(cast.liaison)).json()
    assert me["unit"] == "中共德阳市委网络安全和信息化委员会办公室"


def test_the_browser_session_also_opens_the_api(cast: Cast) -> None:
    assert login(cast.leader).get("/api/v1/me").json()["role"] == "leader"


def test_lists_are_paged_in_the_agreed_shape(cast: Cast) -> None:
    body = Client().get("/api/v1/units", {"page": 2, "page_size": 5}, **bearer(cast.admin)).json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert body["page"] == 2 and body["page_size"] == 5
    assert len(body["items"]) == 5
    assert body["count"] > 10


def test_units_are_scoped_to_the_users_district_and_above(cast: Cast) -> None:
    body = Client().get("/api/v1/units", {"page_size": 200}, **bearer(cast.jingyang)).json()
    regions = {item["region_code"] for item in body["items"]}
    assert regions == {"510600", "510603"}


def test_a_unit_filter_by_a_foreign_region_is_404(cast: Cast) -> None:
    response = Client().get("/api/v1/units", {"region": "510604"}, **bearer(cast.jingyang))
    assert response.status_code == 404


def test_invalid_parameters_answer_422_in_chinese(cast: Cast) -> None:
    response = Client().get("/api/v1/units", {"page": 0}, **bearer(cast.admin))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "请求参数有误" in body["detail"]
    assert body["details"][0]["loc"]


def test_region_detail(cast: Cast) -> None:
    body = Client().get("/api/v1/regions/510603", **bearer(cast.jingyang)).json()
    assert body == {
        "code": "510603",
        "name": "旌阳区",
        "kind": "district",
        "kind_label": "区",
        "parent_code": "510600",
        "depth": 2,
    }


def test_the_openapi_document_and_docs_are_served_locally(cast: Cast) -> None:
    client = login(cast.jingyang)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in docs and "unpkg" not in docs


def test_the_unit_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    headers = bearer(cast.jingyang)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        Client().get("/api/v1/units", {"page_size": 200}, **headers)


def test_chinese_is_sent_as_utf8_not_escapes(cast: Cast) -> None:
    response = Client().get("/api/v1/me", **bearer(cast.jingyang))
    assert "旌阳区".encode() in response.content
    assert b"\\u" not in response.content
    assert response["Content-Type"].startswith("application/json")
