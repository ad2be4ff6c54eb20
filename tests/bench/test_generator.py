"""The benchmark generator (bench/generate.py) at a tiny scale: its data is data the app itself
would have written — valid ID numbers, encrypted identity fields, the search keys and blind
indexes the models store, people findable by the list's own search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from bench import generate
from tests.conftest import Cast, make_cast
from tongxin.core import crypto, ids
from tongxin.registry import selectors
from tongxin.registry.models import Membership, Organization, Person
from tongxin.work.models import Case, CaseEvent
from tongxin.work.models_activities import Activity, Participation

SCALE = 0.0003  # 300 people


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast]:
    """One generation for the whole module (the tests only read it), rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        cast = make_cast()
        before = Person.objects.count()
        counts = generate.generate(scale=SCALE)
        assert counts["people"] - before == round(generate.FULL["people"] * SCALE)
        yield cast
        transaction.set_rollback(True)


@pytest.fixture
def cast(generated: Cast, db: None) -> Cast:
    return generated


def _generated_people() -> list[Person]:
    return list(Person.objects.filter(created_by__role="admin").select_related("region"))


def test_it_writes_the_scaled_counts_and_marks_the_scale(cast: Cast) -> None:
    expected = generate.Counts(SCALE)
    assert Activity.objects.count() >= expected["activities"]
    assert Participation.objects.filter(person__created_by__role="admin").count() > 0
    assert Membership.objects.filter(person__created_by__role="admin").count() > 0
    assert Case.objects.count() >= expected["cases"]
    assert generate.generated_scale() == SCALE


def test_id_numbers_are_valid_and_agree_with_gender_and_birth_date(cast: Cast) -> None:
    people = _generated_people()
    assert len(people) == round(generate.FULL["people"] * SCALE)
    for person in people:
        check = ids.check_id_number(person.id_number)
        assert check.ok, (person.id_number, check.errors)
        assert (check.gender, check.birth_date) == (person.gender, person.birth_date)
    assert len({p.id_number for p in people}) == len(people)


def test_identity_fields_are_encrypted_at_rest_and_decrypt(cast: Cast) -> None:
    person = _generated_people()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert person.id_number not in stored_id
    assert crypto.decrypt(stored_id, context="registry.person.id_number") == person.id_number
    if person.phone:
        assert crypto.decrypt(stored_phone, context="registry.person.phone") == person.phone


def test_search_keys_are_those_the_models_store(cast: Cast) -> None:
    for person in _generated_people():
        fresh = Person(
            name=person.name, employer=person.employer, id_number=person.id_number,
            phone=person.phone,
        )  # fmt: skip
        fresh.refresh_keys()
        for key in Person.KEY_FIELDS:
            assert getattr(person, key) == getattr(fresh, key), (person.name, key)
    for org in Organization.objects.filter(created_at__isnull=False)[:200]:
        fresh_org = Organization(name=org.name)
        fresh_org.refresh_keys()
        assert (org.name_simplified, org.name_pinyin, org.name_initials) == (
            fresh_org.name_simplified,
            fresh_org.name_pinyin,
            fresh_org.name_initials,
        )


def test_generated_people_are_found_by_initials_and_by_id_number(cast: Cast) -> None:
    person = next(p for p in _generated_people() if p.region.path.startswith(cast.city.path))
    by_initials = selectors.person_list(cast.admin, selectors.PersonFilter(q=person.name_initials))
    assert person in by_initials
    by_id = selectors.person_list(cast.admin, selectors.PersonFilter(q=person.id_number))
    assert list(by_id) == [person]


def test_every_case_has_its_acceptance_event(cast: Cast) -> None:
    without = Case.objects.exclude(pk__in=CaseEvent.objects.filter(note="受理").values("case_id"))
    assert not without.exists()
