"""Personal data encrypted at rest; blind indexes; key rotation without losing search."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tongxin.core import crypto
from tongxin.core.ids import make_id_number
from tongxin.registry.models import Person
from tongxin.registry.selectors import PersonFilter, person_list
from tongxin.registry.services import person_create

from ..conftest import Cast

OLD = ("r1", b"\x01" * 32)
NEW = ("r2", b"\x02" * 32)


def _raw(person: Person) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_person WHERE id = %s", [person.pk])
        return cursor.fetchone()  # type: ignore[return-value]


def test_a_value_round_trips_and_differs_each_time(settings: object) -> None:
    settings.FIELD_KEYS = [OLD]  # type: ignore[attr-defined]
    a = crypto.encrypt("510603199001011234", context="t.f")
    b = crypto.encrypt("510603199001011234", context="t.f")
    assert a != b and a.startswith("r1$")
    assert crypto.decrypt(a, context="t.f") == "510603199001011234"


def test_a_value_moved_to_another_column_does_not_decrypt(settings: object) -> None:
    settings.FIELD_KEYS = [OLD]  # type: ignore[attr-defined]
    token = crypto.encrypt("13812345678", context="registry.person.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="registry.person.id_number")


def test_a_missing_key_says_what_to_do(settings: object) -> None:
    settings.FIELD_KEYS = [OLD]  # type: ignore[attr-defined]
    token = crypto.encrypt("x", context="t.f")
    settings.FIELD_KEYS = [NEW]  # type: ignore[attr-defined]
    with pytest.raises(crypto.DecryptionError, match="TONGXIN_FIELD_KEYS"):
        crypto.decrypt(token, context="t.f")


def test_the_database_holds_no_id_number_or_phone_in_clear(cast: Cast) -> None:
    person = cast.records.person
    raw_id, raw_phone = _raw(person)
    assert person.id_number not in raw_id and person.phone not in raw_phone
    assert person.id_number[-4:] not in raw_id


def test_rotation_keeps_search_working_and_moves_every_value(cast: Cast, settings: object) -> None:
    existing = list(settings.FIELD_KEYS)  # type: ignore[attr-defined]  # the cast's records
    settings.FIELD_KEYS = [OLD, *existing]  # type: ignore[attr-defined]
    number = make_id_number("510604", dt.date(1985, 3, 9), 12, "M")
    person = person_create(
        actor=None,
        name="轮换测试",
        region=cast.luojiang_region,
        id_number=number,
        phone="13900001111",
    )
    assert _raw(person)[0].startswith("r1$")

    settings.FIELD_KEYS = [NEW, OLD, *existing]  # type: ignore[attr-defined]
    found = person_list(cast.luojiang, PersonFilter(q=number))
    assert list(found) == [person], "search must work before the rotation has run"

    call_command("rotate_keys", stdout=StringIO())
    assert _raw(person)[0].startswith("r2$")
    assert _raw(cast.records.person)[0].startswith("r2$")

    settings.FIELD_KEYS = [NEW]  # type: ignore[attr-defined]
    person.refresh_from_db()
    assert person.id_number == number
    assert list(person_list(cast.luojiang, PersonFilter(q="13900001111"))) == [person]
