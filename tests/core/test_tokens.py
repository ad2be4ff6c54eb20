"""API tokens: printed once, stored hashed, listed per user, revocable."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from tongxin.core.models import ApiToken, AuditAction, AuditEvent
from tongxin.core.services import token_revoke

from ..conftest import Cast, login


def _command_token(username: str) -> str:
    out = StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def test_the_token_command_prints_a_token_that_opens_the_api(cast: Cast) -> None:
    raw = _command_token("t_jingyang")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "t_jingyang"
    assert me["role"] == "district_staff"
    assert me["region"] == "510603"
    assert "510604" not in me["region_codes"]


def test_only_a_digest_of_the_token_is_stored(cast: Cast) -> None:
    raw = _command_token("t_jingyang")
    token = ApiToken.objects.get(user=cast.jingyang)
    assert raw not in (token.digest, token.prefix)
    assert token.prefix == raw[:10]
    assert not ApiToken.objects.filter(digest__contains=raw).exists()


def test_a_revoked_token_is_refused(cast: Cast) -> None:
    raw = _command_token("t_jingyang")
    token_revoke(actor=cast.jingyang, token=ApiToken.objects.get(user=cast.jingyang))
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKE).count() == 1


def test_the_token_of_a_deactivated_user_is_refused(cast: Cast) -> None:
    raw = _command_token("t_jingyang")
    cast.jingyang.is_active = False
    cast.jingyang.save()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_tokens_are_listed_and_revoked_by_the_command(cast: Cast) -> None:
    raw = _command_token("t_jingyang")
    out = StringIO()
    call_command("token", "t_jingyang", "--list", stdout=out)
    assert raw[:10] in out.getvalue() and "有效" in out.getvalue()
    call_command("token", "t_jingyang", "--revoke", raw[:10], stdout=StringIO())
    out = StringIO()
    call_command("token", "t_jingyang", "--list", stdout=out)
    assert "已吊销" in out.getvalue()


def test_a_user_creates_a_token_on_the_page_and_sees_it_once(cast: Cast) -> None:
    client = login(cast.jingyang)
    page = client.post("/account/tokens/", {"name": "统计脚本"}).content.decode()
    token = ApiToken.objects.get(user=cast.jingyang)
    assert "只显示这一次" in page
    assert token.prefix in page
    again = client.get("/account/tokens/").content.decode()
    assert "只显示这一次" not in again


def test_a_user_cannot_revoke_someone_elses_token(cast: Cast) -> None:
    _command_token("t_jingyang")
    token = ApiToken.objects.get(user=cast.jingyang)
    response = login(cast.luojiang).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_an_admin_sees_and_revokes_a_users_tokens(cast: Cast) -> None:
    _command_token("t_jingyang")
    token = ApiToken.objects.get(user=cast.jingyang)
    admin = login(cast.admin)
    assert token.prefix in admin.get(f"/users/{cast.jingyang.pk}/").content.decode()
    assert admin.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert not token.is_active
