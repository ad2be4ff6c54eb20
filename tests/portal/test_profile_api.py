"""The portal API of 本人申报 (/api/v1/portal/profile…): the own record, requests filed, read and
withdrawn, the download; another person's request is 404; staff credentials get nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tongxin.portal import services_profile as svc
from tongxin.portal.models import ProfileRequest, ReviewStatus

from ..conftest import Cast, bearer, login
from .helpers import portal_bearer, portal_client
from .profile_world import ProfileWorld, education, file_change, make_profile_world

API = "/api/v1/portal"


@pytest.fixture
def world(cast: Cast) -> ProfileWorld:
    return make_profile_world(cast)


def _post(client: Any, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **headers)


def test_it_returns_the_own_record(world: ProfileWorld) -> None:
    response = portal_client(world.account).get(f"{API}/profile", **portal_bearer(world.account))
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "旌阳测试人员"
    assert data["phone"] == "138****5678"
    assert data["memberships"][0]["organization"] == "旌阳区新的社会阶层人士联谊会"
    assert data["honours"][0]["title"] == "旌阳区优秀新阶人士"
    assert data["political_arrangements"][0]["kind"] == "政协委员"


def test_a_change_is_filed_listed_read_and_withdrawn(world: ProfileWorld, cast: Cast) -> None:
    auth = portal_bearer(world.account)
    from django.test import Client

    client = Client()
    created = _post(
        client,
        "/profile/requests",
        {
            "kind": "change",
            "changes": {
                "employer": "旌阳新单位有限公司",
                "education": education().pk,
                "honour": {"title": "四川省优秀建设者", "year": 2023, "level": "province"},
            },
            "note": "调任",
        },
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [r["field"] for r in body["changes"]] == ["employer", "education", "honour"]
    assert body["status"] == "pending"

    again = _post(client, "/profile/requests", {"changes": {"employer": "第三家"}}, **auth)
    assert again.status_code == 422
    assert again.json()["detail"] == svc.PENDING_EXISTS

    listed = client.get(f"{API}/profile/requests", **auth).json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert client.get(f"{API}/profile/requests/{body['id']}", **auth).status_code == 200

    withdrawn = _post(client, f"/profile/requests/{body['id']}/withdraw", {}, **auth)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == ReviewStatus.WITHDRAWN


def test_a_proposal_that_changes_nothing_is_refused(world: ProfileWorld) -> None:
    from django.test import Client

    response = _post(
        Client(),
        "/profile/requests",
        {"changes": {"employer": "旌阳测试科技有限公司"}},
        **portal_bearer(world.account),
    )
    assert response.status_code == 422
    assert response.json() == {"detail": svc.NOTHING_CHANGED, "code": "invalid"}


def test_a_correction_through_the_api(world: ProfileWorld) -> None:
    from django.test import Client

    response = _post(
        Client(),
        "/profile/requests",
        {"kind": "correction", "text": "民族应为汉族"},
        **portal_bearer(world.account),
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "correction"


def test_another_persons_account_gets_404_for_your_request(world: ProfileWorld) -> None:
    from django.test import Client

    request = file_change(world)
    other = portal_bearer(world.neighbour_account)
    client = Client()
    assert client.get(f"{API}/profile/requests/{request.pk}", **other).status_code == 404
    assert _post(client, f"/profile/requests/{request.pk}/withdraw", {}, **other).status_code == 404
    assert client.get(f"{API}/profile/requests", **other).json() == []
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING


def test_staff_credentials_get_nothing(cast: Cast, world: ProfileWorld) -> None:
    file_change(world)
    for user in (cast.admin, cast.jingyang):
        token = bearer(user)
        session = login(user)
        for path in ("/profile", "/profile/requests", "/profile/export"):
            assert session.get(f"{API}{path}").status_code in (401, 403)
            from django.test import Client

            assert Client().get(f"{API}{path}", **token).status_code in (401, 403)
        assert _post(
            session, "/profile/requests", {"kind": "correction", "text": "x"}
        ).status_code in (401, 403)
    assert ProfileRequest.objects.count() == 1


def test_submissions_are_rate_limited(world: ProfileWorld, settings: Any) -> None:
    from django.test import Client

    settings.PORTAL_RATE_SUBMIT = "2/h"
    auth = portal_bearer(world.account)
    codes = [
        _post(
            Client(), "/profile/requests", {"kind": "correction", "text": f"更正{i}"}, **auth
        ).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert ProfileRequest.objects.count() == 2


def test_the_export_holds_only_the_own_data(world: ProfileWorld) -> None:
    from django.test import Client

    svc.correction_submit(account=world.neighbour_account, text="邻居的更正")
    response = Client().get(f"{API}/profile/export", **portal_bearer(world.account))
    assert response.status_code == 200
    text = response.content.decode()
    data = json.loads(text)
    assert data["record"]["name"] == "旌阳测试人员"
    for hidden in ("旌阳邻居", "邻居的更正", "13800000002"):
        assert hidden not in text


def test_a_person_sets_and_clears_their_email(world: ProfileWorld) -> None:
    from django.test import Client

    auth = portal_bearer(world.account)
    response = _post(Client(), "/profile/email", {"email": "wuhao@example.com"}, **auth)
    assert response.status_code == 200 and response.json() == {"email": "wuhao@example.com"}
    assert Client().get(f"{API}/profile", **auth).json()["email"] == "wuhao@example.com"
    bad = _post(Client(), "/profile/email", {"email": "wuhao@"}, **auth)
    assert bad.status_code == 422 and svc.EMAIL_INVALID in bad.json()["detail"]
    cleared = _post(Client(), "/profile/email", {"email": ""}, **auth)
    assert cleared.json() == {"email": ""}
    world.account.refresh_from_db()
    assert world.account.email == ""
    # The neighbour's account is untouched throughout.
    world.neighbour_account.refresh_from_db()
    assert world.neighbour_account.email == ""


def test_setting_the_email_is_rate_limited_and_refused_to_staff(
    cast: Cast, world: ProfileWorld, settings: Any
) -> None:
    from django.test import Client

    settings.PORTAL_RATE_SUBMIT = "2/h"
    auth = portal_bearer(world.account)
    codes = [
        _post(Client(), "/profile/email", {"email": f"a{i}@example.com"}, **auth).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]
    for user in (cast.admin, cast.jingyang):
        body = {"email": "staff@example.com"}
        assert _post(Client(), "/profile/email", body, **bearer(user)).status_code in (401, 403)
        assert _post(login(user), "/profile/email", body).status_code in (401, 403)
    world.account.refresh_from_db()
    assert world.account.email == "a1@example.com"
