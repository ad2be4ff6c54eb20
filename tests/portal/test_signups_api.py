"""The portal API of activities: what is open to the person, signing up and cancelling, checking
in by the QR code's code (once); staff credentials get nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tongxin.portal import services_signups as services
from tongxin.portal.models_events import Signup, SignupOpening, SignupStatus
from tongxin.work.models import Participation

from ..conftest import Cast, bearer, login
from .events_world import Joining, make_joining, open_signup, today_activity
from .helpers import portal_bearer

API = "/api/v1/portal"


@pytest.fixture
def world(cast: Cast) -> Joining:
    return make_joining(cast)


@pytest.fixture
def opening(cast: Cast) -> SignupOpening:
    return open_signup(cast.jingyang, today_activity(cast.jingyang), capacity=1)


def post(headers: dict[str, str], path: str) -> Any:
    return Client().post(f"{API}{path}", content_type="application/json", **headers)


def test_sign_up_list_and_cancel(world: Joining, opening: SignupOpening) -> None:
    headers = portal_bearer(world.account)
    listed = Client().get(f"{API}/activities", **headers).json()
    assert [(a["activity_id"], a["places_left"]) for a in listed] == [(opening.activity_id, 1)]
    response = post(headers, f"/activities/{opening.activity_id}/signup")
    assert response.status_code == 201 and response.json()["status"] == "signed_up"
    mine = Client().get(f"{API}/signups", **headers).json()
    assert [s["activity_id"] for s in mine] == [opening.activity_id]
    full = post(portal_bearer(world.other), f"/activities/{opening.activity_id}/signup")
    assert full.status_code == 422
    assert full.json()["detail"] == services.FULL.format(capacity=1)
    cancelled = post(headers, f"/activities/{opening.activity_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_signing_up_and_cancelling_are_rate_limited(
    world: Joining, opening: SignupOpening, settings: Any
) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    headers = portal_bearer(world.account)
    base = f"/activities/{opening.activity_id}/"
    responses = [post(headers, base + path) for path in ("signup", "cancel", "signup")]
    assert [r.status_code for r in responses] == [201, 200, 429]
    assert responses[-1].json()["code"] == "rate_limited"


def test_check_in_by_code_once(world: Joining, opening: SignupOpening) -> None:
    headers = portal_bearer(world.account)
    post(headers, f"/activities/{opening.activity_id}/signup")
    first = post(headers, f"/checkin/{opening.checkin_code}")
    assert first.status_code == 200
    assert first.json()["checked_in_now"] is True and first.json()["status"] == "checked_in"
    second = post(headers, f"/checkin/{opening.checkin_code}")
    assert second.json()["checked_in_now"] is False
    assert Participation.objects.filter(person=world.account.person).count() == 1


def test_a_person_not_signed_up_cannot_check_in(world: Joining, opening: SignupOpening) -> None:
    response = post(portal_bearer(world.other), f"/checkin/{opening.checkin_code}")
    assert response.status_code == 422
    assert response.json()["detail"] == services.NOT_SIGNED_UP
    assert not Participation.objects.filter(person=world.other.person).exists()


def test_an_activity_not_open_to_the_person_is_404(cast: Cast, world: Joining) -> None:
    from .events_world import new_person
    from .helpers import make_account

    opening = open_signup(
        cast.jingyang, today_activity(cast.jingyang), members_of=cast.records.organization
    )
    headers = portal_bearer(world.account)
    assert Client().get(f"{API}/activities/{opening.activity_id}", **headers).status_code == 404
    assert post(headers, f"/activities/{opening.activity_id}/signup").status_code == 404
    luojiang = make_account(new_person(cast, "罗江人", region=cast.luojiang_region), "13800000031")
    assert Client().get(f"{API}/activities", **portal_bearer(luojiang)).json() == []
    assert not Signup.objects.exists()


def test_an_activity_id_past_the_databases_integers_is_404(world: Joining) -> None:
    # Found by tests/fuzz/test_portal_api_schema.py: a server error on SQLite.
    headers, huge = portal_bearer(world.account), 10**30
    assert Client().get(f"{API}/activities/{huge}", **headers).status_code == 404
    for action in ("signup", "cancel"):
        response = post(headers, f"/activities/{huge}/{action}")
        assert response.status_code == 404, action
        assert response.json()["code"] == "not_found"


def test_staff_credentials_get_nothing(cast: Cast, world: Joining, opening: SignupOpening) -> None:
    token = bearer(cast.jingyang)
    assert Client().get(f"{API}/activities", **token).status_code == 401
    assert post(token, f"/activities/{opening.activity_id}/signup").status_code == 401
    assert post(token, f"/checkin/{opening.checkin_code}").status_code == 401
    assert login(cast.jingyang).get(f"{API}/signups").status_code == 401
    assert not Signup.objects.filter(status=SignupStatus.SIGNED_UP).exists()
