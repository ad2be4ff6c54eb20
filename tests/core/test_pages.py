"""The pages: workbench, directory, user management, password change, session and headers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tongxin.core.models import Role, User
from tongxin.core.passwords import CLASSES_MESSAGE

from ..conftest import PASSWORD, Cast, login


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "liaison", "leader"])
def test_the_workbench_shows_the_users_scope(cast: Cast, who: str) -> None:
    page = login(getattr(cast, who)).get("/").content.decode()
    assert "数据范围" in page


def test_the_workbench_names_the_district(cast: Cast) -> None:
    page = login(cast.jingyang).get("/").content.decode()
    assert "旌阳区（510603）及下辖区划" in page


def test_the_auditor_lands_on_the_audit_log(cast: Cast) -> None:
    response = login(cast.auditor).get("/")
    assert response.status_code == 302 and response["Location"] == "/audit/"


def test_the_unit_list_searches_by_name(cast: Cast) -> None:
    page = login(cast.admin).get("/units/", {"q": "网信"}).content.decode()
    assert "中共德阳市委网络安全和信息化委员会办公室" in page
    assert "德阳市司法局" not in page


def test_the_unit_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.admin).get("/units/", {"q": "司法"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "德阳市司法局" in text


def test_the_unit_list_filters_by_region_subtree(cast: Cast) -> None:
    page = login(cast.admin).get("/units/", {"region": "510603"}).content.decode()
    assert "旌阳区司法局" in page and "罗江区工商联" not in page


@pytest.mark.parametrize("url", ["/units/", "/regions/", "/users/", "/audit/"])
def test_list_pages_run_a_fixed_number_of_queries(
    cast: Cast, url: str, django_assert_max_num_queries: object
) -> None:
    client = login(cast.admin)
    client.get(url)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_the_region_detail_lists_its_units(cast: Cast) -> None:
    page = login(cast.jingyang).get("/regions/510603/").content.decode()
    assert "旌阳区司法局" in page


def test_an_admin_adds_a_functional_area(cast: Cast) -> None:
    response = login(cast.admin).post(
        "/regions/new/",
        {
            "code": "510600902",
            "name": "德阳高新区",
            "kind": "functional",
            "parent": cast.city.pk,
            "order": 9,
        },
    )
    assert response.status_code == 302
    page = login(cast.city_staff).get("/regions/").content.decode()
    assert "德阳高新区" in page


def test_an_admin_creates_a_user_who_can_log_in(cast: Cast) -> None:
    response = login(cast.admin).post(
        "/users/new/",
        {
            "username": "new_liaison",
            "name": "新联络员",
            "role": Role.LIAISON,
            "region": cast.city.pk,
            "unit": cast.city_unit.pk,
            "password": "Liaison-2026!",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client = Client()
    assert (
        client.post("/login/", {"username": "new_liaison", "password": "Liaison-2026!"}).status_code
        == 302
    )


def test_city_staff_need_a_line(cast: Cast) -> None:
    response = login(cast.admin).post(
        "/users/new/",
        {
            "username": "no_line",
            "name": "无条线",
            "role": Role.CITY_STAFF,
            "region": cast.city.pk,
        },
    )
    assert response.status_code == 200
    assert "至少需要一个业务条线" in response.content.decode()
    assert not User.objects.filter(username="no_line").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("1234567890123", "密码只包含数字"),
        ("short-1", "密码太短：至少需要 10 个字符"),
        ("abcdefghijkl", CLASSES_MESSAGE),
    ],
)
def test_the_password_policy_explains_itself(cast: Cast, password: str, message: str) -> None:
    response = login(cast.jingyang).post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.jingyang.refresh_from_db()
    assert cast.jingyang.check_password(PASSWORD)


def test_a_user_changes_their_password_and_stays_logged_in(cast: Cast) -> None:
    client = login(cast.jingyang)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-new-2026",
            "new_password2": "Brand-new-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    cast.jingyang.refresh_from_db()
    assert cast.jingyang.check_password("Brand-new-2026")


def test_a_wrong_current_password_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/account/password/",
        {
            "old_password": "nope",
            "new_password1": "Brand-new-2026",
            "new_password2": "Brand-new-2026",
        },
    )
    assert "当前密码不正确" in response.content.decode()


def test_an_idle_session_expires(cast: Cast) -> None:
    client = Client()
    client.post("/login/", {"username": "t_jingyang", "password": PASSWORD})
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_each_request_renews_the_idle_window(cast: Cast, settings: object) -> None:
    client = Client()
    client.post("/login/", {"username": "t_jingyang", "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get("/")
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)  # type: ignore[attr-defined]


def test_pages_carry_the_security_headers(cast: Cast) -> None:
    response = login(cast.jingyang).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert response["Cache-Control"] == "no-store"


def test_forms_require_a_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "t_jingyang", "password": PASSWORD})
    assert response.status_code == 403


def test_logging_out_is_audited(cast: Cast) -> None:
    from tongxin.core.models import AuditAction, AuditEvent

    client = login(cast.jingyang)
    assert client.post("/logout/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=cast.jingyang).exists()
    assert client.get("/").status_code == 302


def test_pages_and_errors_are_in_chinese(cast: Cast) -> None:
    response = login(cast.jingyang).get("/units/999999/")
    assert response.status_code == 404
    assert "未找到该记录，或您无权查看" in response.content.decode()
