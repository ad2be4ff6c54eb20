"""The portal API's notices: the person's own, newest first; reading one marks it read; nobody
else's, and nothing for staff credentials."""

from __future__ import annotations

import pytest
from django.test import Client

from tongxin.portal import services_notices as services
from tongxin.portal.api import CONSENT_NEEDED, portal_api
from tongxin.portal.models import Notice, NoticeRecipient, PortalAccount
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem

from ..conftest import Cast, bearer, login
from .helpers import make_account, portal_bearer, portal_client


def _send(cast: Cast, title: str, filters: str = "") -> Notice:
    return services.notice_send(
        actor=cast.jingyang, title=title, body=f"{title}的正文。", filters=filters
    )


@pytest.fixture
def account(cast: Cast) -> PortalAccount:
    return make_account(cast.records.person)


def test_the_list_gives_the_persons_notices_newest_first_with_unread_status(
    cast: Cast, account: PortalAccount
) -> None:
    first = _send(cast, "第一条通知")
    second = _send(cast, "第二条通知")
    NoticeRecipient.objects.filter(notice=first).update(read_at=first.created_at)
    body = portal_client(account).get("/api/v1/portal/notices").json()
    assert body["count"] == 2
    assert [(n["id"], n["title"], n["unread"]) for n in body["items"]] == [
        (second.pk, "第二条通知", True),
        (first.pk, "第一条通知", False),
    ]
    assert body["items"][0]["sender"] == "旌阳区统战部门"


def test_reading_a_notice_marks_it_read(cast: Cast, account: PortalAccount) -> None:
    notice = _send(cast, "旌阳通知")
    headers = portal_bearer(account)
    response = portal_client(account).get(f"/api/v1/portal/notices/{notice.pk}", **headers)
    assert response.status_code == 200
    assert response.json()["body"] == "旌阳通知的正文。"
    assert response.json()["unread"] is False and response.json()["read_at"]
    assert NoticeRecipient.objects.get(notice=notice).read_at is not None


def test_another_persons_account_gets_404_for_a_notice_not_addressed_to_them(
    cast: Cast, account: PortalAccount
) -> None:
    other = registry.person_create(
        actor=None,
        name="旌阳非公人员",
        region=cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="非公有制经济人士")],
    )
    xinjie = CodeItem.objects.get(kind="category", name="新的社会阶层人士")
    notice = _send(cast, "只发新阶", filters=f"category={xinjie.pk}")
    headers = portal_bearer(make_account(other, phone="13900000009"))

    response = Client().get(f"/api/v1/portal/notices/{notice.pk}", **headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Client().get("/api/v1/portal/notices", **headers).json()["count"] == 0
    assert NoticeRecipient.objects.get(notice=notice).read_at is None


@pytest.mark.parametrize("notice_id", ["999999", str(10**30)])
def test_a_notice_id_of_no_notice_is_404_as_documented(
    account: PortalAccount, notice_id: str
) -> None:
    # Found by tests/fuzz/test_portal_api_schema.py: 404 was not documented, and an id past the
    # database's integers was a server error on SQLite.
    operation = portal_api.get_openapi_schema()["paths"]["/api/v1/portal/notices/{notice_id}"]
    assert 404 in operation["get"]["responses"]
    response = Client().get(f"/api/v1/portal/notices/{notice_id}", **portal_bearer(account))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["jingyang", "admin"])
def test_staff_credentials_get_nothing(cast: Cast, account: PortalAccount, who: str) -> None:
    notice = _send(cast, "旌阳通知")
    staff = getattr(cast, who)

    for url in ("/api/v1/portal/notices", f"/api/v1/portal/notices/{notice.pk}"):
        token = Client().get(url, **bearer(staff))
        assert token.status_code in (401, 403), url
        assert "旌阳通知" not in token.content.decode()
        session = login(staff).get(url)
        assert session.status_code in (401, 403), url
    assert NoticeRecipient.objects.get(notice=notice).read_at is None


def test_without_consent_to_the_current_notice_the_api_refuses(cast: Cast) -> None:
    account = make_account(cast.records.person, consent=False)
    notice = _send(cast, "旌阳通知")

    response = Client().get(f"/api/v1/portal/notices/{notice.pk}", **portal_bearer(account))
    assert response.status_code == 403
    assert response.json()["detail"] == CONSENT_NEEDED
    assert NoticeRecipient.objects.get(notice=notice).read_at is None
