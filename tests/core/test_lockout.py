"""Repeated wrong passwords lock the account, say when to try again, and show in the audit log."""

from __future__ import annotations

import pytest
from django.test import Client

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.core.services import user_unlock

from ..conftest import PASSWORD, Cast, login


def _attempt(client: Client, username: str, password: str) -> object:
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.8"
    )


def test_a_correct_password_logs_in_and_is_audited(cast: Cast) -> None:
    response = _attempt(Client(), "t_jingyang", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == cast.jingyang
    assert event.ip == "10.0.0.8"


def test_a_wrong_password_says_so_in_chinese_and_is_audited(cast: Cast) -> None:
    response = _attempt(Client(), "t_jingyang", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED, actor_username="t_jingyang"
        ).count()
        == 1
    )


def test_repeated_wrong_passwords_lock_the_account(cast: Cast, settings: object) -> None:
    limit = settings.AXES_FAILURE_LIMIT  # type: ignore[attr-defined]
    client = Client()
    for _ in range(limit - 1):
        assert _attempt(client, "t_jingyang", "wrong-password").status_code == 200
    response = _attempt(client, "t_jingyang", "wrong-password")
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已被临时锁定" in text
    assert "以后再试" in text and "分钟" in text
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT).count() == 1

    # Even the right password is refused while the lock holds, from any browser.
    response = _attempt(Client(), "t_jingyang", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session


def test_the_lockout_shows_in_the_auditors_log(cast: Cast, settings: object) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):  # type: ignore[attr-defined]
        _attempt(Client(), "t_luojiang", "wrong-password")
    page = login(cast.auditor).get("/audit/", {"action": "lockout"}).content.decode()
    assert "账号锁定" in page
    assert "t_luojiang" in page


def test_an_admin_can_lift_a_lockout(cast: Cast, settings: object) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):  # type: ignore[attr-defined]
        _attempt(Client(), "t_jingyang", "wrong-password")
    assert _attempt(Client(), "t_jingyang", PASSWORD).status_code == 429
    user_unlock(actor=cast.admin, user=cast.jingyang)
    assert _attempt(Client(), "t_jingyang", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()


def test_a_lockout_of_one_account_leaves_colleagues_on_the_same_address_alone(
    cast: Cast, settings: object
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):  # type: ignore[attr-defined]
        _attempt(Client(), "t_jingyang", "wrong-password")
    assert _attempt(Client(), "t_luojiang", PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_a_non_admin_cannot_lift_a_lockout(cast: Cast, who: str) -> None:
    response = login(getattr(cast, who)).post(f"/users/{cast.jingyang.pk}/unlock/")
    assert response.status_code == 403
