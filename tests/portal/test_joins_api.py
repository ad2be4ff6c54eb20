"""The portal API of joining: the organizations one may apply to, applying, withdrawing; another
person's application is 404; staff credentials get nothing; submissions are rate-limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tongxin.portal import services_joins as services
from tongxin.portal.models_requests import JoinApplication, ReviewStatus

from ..conftest import Cast, bearer, login
from .events_world import Joining, make_joining
from .helpers import portal_bearer

API = "/api/v1/portal"


@pytest.fixture
def world(cast: Cast) -> Joining:
    return make_joining(cast)


def post(headers: dict[str, str], path: str, body: dict[str, Any] | None = None) -> Any:
    return Client().post(f"{API}{path}", body or {}, content_type="application/json", **headers)


def test_the_list_gives_the_organizations_within_reach(world: Joining) -> None:
    response = Client().get(f"{API}/organizations", **portal_bearer(world.account))
    assert response.status_code == 200
    names = {o["name"] for o in response.json()}
    assert {world.service_team.name, world.city_club.name} <= names
    assert world.luojiang_club.name not in names and world.enterprise.name not in names


def test_apply_list_and_withdraw(world: Joining) -> None:
    headers = portal_bearer(world.account)
    response = post(
        headers, "/joins", {"organization_id": world.service_team.pk, "reason": "希望加入服务团"}
    )
    assert response.status_code == 201
    join_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    again = post(headers, "/joins", {"organization_id": world.service_team.pk, "reason": "再来"})
    assert again.status_code == 422
    assert again.json()["detail"] == services.ALREADY_PENDING
    listed = Client().get(f"{API}/joins", **headers).json()
    assert [a["id"] for a in listed] == [join_id]
    withdrawn = post(headers, f"/joins/{join_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_applying_out_of_reach_is_404(world: Joining) -> None:
    headers = portal_bearer(world.account)
    response = post(
        headers, "/joins", {"organization_id": world.luojiang_club.pk, "reason": "想加入"}
    )
    assert response.status_code == 404
    assert not JoinApplication.objects.exists()


def test_another_persons_account_gets_404_on_your_application(world: Joining) -> None:
    application = services.join_apply(
        person=world.account.person, organization=world.service_team, reason="加入"
    )
    headers = portal_bearer(world.other)
    assert Client().get(f"{API}/joins/{application.pk}", **headers).status_code == 404
    assert post(headers, f"/joins/{application.pk}/withdraw").status_code == 404
    assert Client().get(f"{API}/joins", **headers).json() == []
    application.refresh_from_db()
    assert application.status == ReviewStatus.PENDING


def test_staff_credentials_get_nothing(cast: Cast, world: Joining) -> None:
    services.join_apply(person=world.account.person, organization=world.service_team, reason="加入")
    token = bearer(cast.jingyang)
    assert Client().get(f"{API}/joins", **token).status_code == 401
    assert (
        post(token, "/joins", {"organization_id": world.service_team.pk, "reason": "x"}).status_code
        == 401
    )
    staff_session = login(cast.jingyang)
    assert staff_session.get(f"{API}/organizations").status_code == 401
    assert JoinApplication.objects.count() == 1


def test_applications_are_rate_limited(world: Joining, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    headers = portal_bearer(world.account)
    orgs = [world.service_team, world.city_club]
    for org in orgs:
        assert (
            post(headers, "/joins", {"organization_id": org.pk, "reason": "加入"}).status_code
            == 201
        )
    response = post(headers, "/joins", {"organization_id": world.service_team.pk, "reason": "加入"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
