"""Settings read the environment once, need nothing for the embedded default, and fail loudly."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import tongxin.settings

SETTINGS = tongxin.settings.__file__
GOOD_KEY = "k1:" + "A" * 43 + "="


def _load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    for name in list(__import__("os").environ):
        if name.startswith("TONGXIN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TONGXIN_VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS)


def test_the_embedded_default_needs_no_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    s = _load(monkeypatch, tmp_path)
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]).parent == tmp_path
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "foreign_keys=ON" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] > 0
    assert {"localhost", "127.0.0.1"} <= set(s["ALLOWED_HOSTS"])
    assert s["SESSION_COOKIE_AGE"] == 30 * 60 and s["SESSION_SAVE_EVERY_REQUEST"]
    assert s["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


def test_the_generated_secrets_are_kept_in_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = _load(monkeypatch, tmp_path)
    second = _load(monkeypatch, tmp_path)
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["FIELD_KEYS"] == second["FIELD_KEYS"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_requires_the_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(ImproperlyConfigured, match="TONGXIN_SECRET_KEY"):
        _load(monkeypatch, tmp_path, TONGXIN_ENV="production")


def test_production_turns_on_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    s = _load(
        monkeypatch,
        tmp_path,
        TONGXIN_ENV="production",
        TONGXIN_SECRET_KEY="x" * 50,
        TONGXIN_FIELD_KEYS=GOOD_KEY,
        TONGXIN_ALLOWED_HOSTS="tongxin.example.gov.cn",
        TONGXIN_DATABASE_URL="postgres://tongxin:pw@db:5432/tongxin",
    )
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] > 0
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert s["ALLOWED_HOSTS"] == ["tongxin.example.gov.cn"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TONGXIN_ENV": "staging"}, "TONGXIN_ENV"),
        ({"TONGXIN_DEBUG": "maybe"}, "TONGXIN_DEBUG"),
        ({"TONGXIN_SESSION_IDLE_MINUTES": "half an hour"}, "TONGXIN_SESSION_IDLE_MINUTES"),
        ({"TONGXIN_SESSION_IDLE_MINUTES": "0"}, "不能小于"),
        ({"TONGXIN_FIELD_KEYS": "not-a-key"}, "TONGXIN_FIELD_KEYS"),
        ({"TONGXIN_FIELD_KEYS": "k1:c2hvcnQ="}, "32字节"),
        ({"TONGXIN_FIELD_KEYS": f"{GOOD_KEY},{GOOD_KEY}"}, "重复"),
        ({"TONGXIN_DATABASE_URL": "mysql://root@localhost/tongxin"}, "PostgreSQL"),
        ({"TONGXIN_DATABASE_URL": "nonsense"}, "TONGXIN_DATABASE_URL"),
        ({"TONGXIN_SECRET_KEY": "short"}, "太短"),
    ],
)
def test_a_bad_value_stops_the_start_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        _load(monkeypatch, tmp_path, **env)


def test_field_keys_parse_with_the_first_key_current(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    second = "k0:" + "B" * 43 + "="
    s = _load(monkeypatch, tmp_path, TONGXIN_FIELD_KEYS=f"{GOOD_KEY},{second}")
    assert [key_id for key_id, _ in s["FIELD_KEYS"]] == ["k1", "k0"]
    assert all(len(key) == 32 for _, key in s["FIELD_KEYS"])


def test_a_postgres_url_is_parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    s = _load(monkeypatch, tmp_path, TONGXIN_DATABASE_URL="postgres://u:p@127.0.0.1:5432/tx")
    db = s["DATABASES"]["default"]
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == ("tx", "u", "127.0.0.1", 5432)
