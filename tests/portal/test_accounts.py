"""Opening a portal account: invitations (expiry, use limit, revocation), SMS codes, consent,
applications reviewed by staff, login, password reset, and the rate limits on each door."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tongxin.api.errors import ERROR_REF
from tongxin.core.models import AuditEvent
from tongxin.portal import services_accounts as svc
from tongxin.portal import services_invitations as inv
from tongxin.portal import services_staff_accounts as staff_svc
from tongxin.portal.api import portal_api
from tongxin.portal.messaging import LocMemSMSBackend
from tongxin.portal.models import (
    AccountApplication,
    ApplicationStatus,
    CodePurpose,
    Consent,
    Invitation,
    InvitationTarget,
    JoinApplication,
    OneTimeCode,
    PortalAccount,
    PortalToken,
)
from tongxin.registry.models import Person

from ..conftest import Cast, login
from .helpers import PORTAL_PASSWORD, make_account, portal_client

VERSION = settings.PORTAL_PRIVACY_VERSION
NEW_PHONE = "13900001111"


def _last_code(phone: str) -> str:
    sent = [text for to, text in LocMemSMSBackend.outbox if to == phone]
    found = re.search(r"验证码是 (\d{6})", sent[-1])
    assert found is not None
    return found.group(1)


def _invitation(cast: Cast, **fields: object) -> Invitation:
    values: dict[str, object] = {
        "actor": cast.jingyang,
        "target": InvitationTarget.REGION,
        "region": cast.jingyang_region,
        "title": "旌阳新阶注册",
        "expires_at": timezone.now() + dt.timedelta(days=7),
        "max_uses": 2,
        **fields,
    }
    return inv.invitation_create(**values)  # type: ignore[arg-type]


def _register(client: Client, invitation: Invitation, name: str, phone: str) -> object:
    url = f"/portal/invite/{invitation.code}/"
    client.post(url, {"name": name, "phone": phone, "action": "send_code"})
    return client.post(
        url,
        {
            "name": name,
            "phone": phone,
            "code": _last_code(phone),
            "password": PORTAL_PASSWORD,
            "consent": "on",
            "action": "register",
        },
    )


def test_an_invited_person_with_a_record_gets_an_account_linked_to_it(cast: Cast) -> None:
    invitation = _invitation(cast)
    client = Client()
    response = _register(client, invitation, "旌阳测试人员", "13812345678")
    assert response.status_code == 302  # type: ignore[attr-defined]
    account = PortalAccount.objects.get()
    assert account.person == cast.records.person
    assert Consent.objects.get(account=account).version == VERSION
    invitation.refresh_from_db()
    assert invitation.uses == 1
    home = client.get("/portal/")
    assert home.status_code == 200
    assert "旌阳测试人员" in home.content.decode()


def test_an_invited_stranger_gets_a_new_record_in_the_invitations_region(cast: Cast) -> None:
    invitation = _invitation(cast)
    _register(Client(), invitation, "新朋友", NEW_PHONE)
    person = PortalAccount.objects.get().person
    assert person.name == "新朋友"
    assert person.region == cast.jingyang_region
    assert person.phone == NEW_PHONE


def test_an_invitation_refuses_once_its_uses_run_out(cast: Cast) -> None:
    invitation = _invitation(cast, max_uses=1)
    _register(Client(), invitation, "第一人", NEW_PHONE)
    response = Client().get(f"/portal/invite/{invitation.code}/")
    assert response.status_code == 410
    assert inv.INVITATION_USED_UP in response.content.decode()
    with pytest.raises(ValidationError, match="名额已用完"):
        svc.register_by_invitation(
            invitation_code=invitation.code,
            name="第二人",
            phone="13900002222",
            code="000000",
            password=PORTAL_PASSWORD,
            consent_version=VERSION,
        )
    assert PortalAccount.objects.count() == 1


def test_an_expired_or_revoked_invitation_opens_no_account(cast: Cast) -> None:
    expired = _invitation(cast)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    response = Client().get(f"/portal/invite/{expired.code}/")
    assert response.status_code == 410
    assert inv.INVITATION_EXPIRED in response.content.decode()
    revoked = inv.invitation_revoke(actor=cast.jingyang, invitation=_invitation(cast))
    response = Client().post(
        f"/portal/invite/{revoked.code}/", {"name": "某", "phone": NEW_PHONE, "action": "send_code"}
    )
    assert inv.INVITATION_REVOKED in response.content.decode()
    assert Client().get("/portal/invite/nonsense/").status_code == 404
    assert not PortalAccount.objects.exists()
    assert not Person.objects.filter(name="某").exists()


def test_registration_without_consent_or_with_a_wrong_code_changes_nothing(cast: Cast) -> None:
    invitation = _invitation(cast)
    url = f"/portal/invite/{invitation.code}/"
    client = Client()
    client.post(url, {"name": "新朋友", "phone": NEW_PHONE, "action": "send_code"})
    code = _last_code(NEW_PHONE)
    fields = {"name": "新朋友", "phone": NEW_PHONE, "password": PORTAL_PASSWORD}
    response = client.post(url, {**fields, "code": code, "action": "register"})
    assert svc.CONSENT_REQUIRED in response.content.decode()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(url, {**fields, "code": wrong, "consent": "on", "action": "register"})
    assert svc.CODE_WRONG in response.content.decode()
    assert not PortalAccount.objects.exists()
    assert not Person.objects.filter(name="新朋友").exists()
    assert Invitation.objects.get(pk=invitation.pk).uses == 0


def test_a_code_is_spent_after_five_wrong_tries(cast: Cast) -> None:
    svc.code_send(phone=NEW_PHONE, purpose=CodePurpose.REGISTER)
    code = _last_code(NEW_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(svc.CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            svc.code_verify(phone=NEW_PHONE, purpose=CodePurpose.REGISTER, code=wrong)
    with pytest.raises(ValidationError):
        svc.code_verify(phone=NEW_PHONE, purpose=CodePurpose.REGISTER, code=code)


def test_an_organizations_invitation_files_an_application_to_join_it(cast: Cast) -> None:
    invitation = _invitation(
        cast, target=InvitationTarget.ORGANIZATION, organization=cast.records.organization
    )
    _register(Client(), invitation, "新朋友", NEW_PHONE)
    application = JoinApplication.objects.get()
    assert application.organization == cast.records.organization
    assert application.status == "pending"


def test_staff_cannot_invite_for_another_district(cast: Cast) -> None:
    with pytest.raises(Exception, match=r"无权|未找到"):
        _invitation(cast, actor=cast.luojiang)
    assert not Invitation.objects.exists()


def _apply(client: Client, cast: Cast, phone: str = NEW_PHONE) -> object:
    data = {"name": "申请人", "phone": phone, "region": cast.jingyang_region.pk}
    client.post("/portal/apply/", {**data, "action": "send_code"})
    return client.post(
        "/portal/apply/",
        {
            **data,
            "code": _last_code(phone),
            "password": PORTAL_PASSWORD,
            "employer": "申请科技公司",
            "consent": "on",
            "action": "apply",
        },
    )


def test_an_application_is_approved_by_staff_of_its_district_only(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    response = _apply(Client(), cast)
    assert "申请已提交" in response.content.decode()  # type: ignore[attr-defined]
    application = AccountApplication.objects.get()
    url = f"/portal-admin/applications/{application.pk}/"
    for who in (cast.luojiang, cast.outsider):
        assert login(who).get(url).status_code == 404
        assert login(who).post(url, {"decision": "approve"}).status_code == 404
        assert "申请人" not in login(who).get("/portal-admin/applications/").content.decode()
    assert not PortalAccount.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.jingyang).post(url, {"decision": "approve", "person": ""})
    assert response.status_code == 302
    account = PortalAccount.objects.get()
    assert account.person.name == "申请人"
    assert account.person.employer == "申请科技公司"
    assert account.consents.get().version == VERSION
    assert any("已开通" in text for _, text in LocMemSMSBackend.outbox)
    client = Client()
    client.post("/portal/login/", {"phone": NEW_PHONE, "password": PORTAL_PASSWORD})
    assert client.get("/portal/").status_code == 200


def test_a_rejection_needs_a_reason_and_tells_the_applicant(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _apply(Client(), cast)
    application = AccountApplication.objects.get()
    url = f"/portal-admin/applications/{application.pk}/"
    response = login(cast.jingyang).post(url, {"decision": "reject", "reason": ""})
    assert staff_svc.REASON_REQUIRED in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.jingyang).post(url, {"decision": "reject", "reason": "请通过所在商会推荐"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert any("请通过所在商会推荐" in text for _, text in LocMemSMSBackend.outbox)
    assert not PortalAccount.objects.exists()


def test_a_wrong_password_is_refused_and_logins_are_rate_limited(
    cast: Cast, settings: object
) -> None:
    settings.PORTAL_RATE_LOGIN = "3/m"  # type: ignore[attr-defined]
    make_account(cast.records.person, phone="13812345678")
    client = Client()
    response = client.post("/portal/login/", {"phone": "13812345678", "password": "wrong-pass1"})
    assert svc.LOGIN_FAILED in response.content.decode()
    for _ in range(2):
        client.post("/portal/login/", {"phone": "13812345678", "password": "wrong-pass1"})
    response = client.post("/portal/login/", {"phone": "13812345678", "password": PORTAL_PASSWORD})
    assert response.status_code == 429
    # The same phone from another address is limited too (per account, not only per IP).
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post("/portal/login/", {"phone": "13812345678", "password": PORTAL_PASSWORD})
    assert response.status_code == 429


def test_code_requests_are_rate_limited(cast: Cast, settings: object) -> None:
    settings.PORTAL_RATE_CODE = "2/h"  # type: ignore[attr-defined]
    client = Client()
    for _ in range(2):
        client.post("/portal/login/code/", {"phone": NEW_PHONE, "action": "send_code"})
    response = client.post("/portal/login/code/", {"phone": NEW_PHONE, "action": "send_code"})
    assert response.status_code == 429
    assert len(LocMemSMSBackend.outbox) == 2


def test_a_code_logs_in_and_a_password_reset_ends_older_sessions_and_tokens(cast: Cast) -> None:
    account = make_account(cast.records.person, phone="13812345678")
    old_session = portal_client(account)
    token = svc.portal_token_create(account=account)
    client = Client()
    client.post("/portal/login/code/", {"phone": "13812345678", "action": "send_code"})
    code = _last_code("13812345678")
    client.post("/portal/login/code/", {"phone": "13812345678", "code": code, "action": "login"})
    assert client.get("/portal/").status_code == 200
    client.post("/portal/password/reset/", {"phone": "13812345678", "action": "send_code"})
    code = _last_code("13812345678")
    response = client.post(
        "/portal/password/reset/",
        {"phone": "13812345678", "code": code, "password": "Xinmima@2026", "action": "reset"},
    )
    assert response.status_code == 302
    assert old_session.get("/portal/").status_code == 302
    assert svc.portal_token_authenticate(token) is None
    assert PortalToken.objects.get().revoked_at is not None
    fresh = Client()
    fresh.post("/portal/login/", {"phone": "13812345678", "password": "Xinmima@2026"})
    assert fresh.get("/portal/").status_code == 200


def test_a_new_privacy_notice_is_accepted_before_anything_else(
    cast: Cast, settings: object
) -> None:
    account = make_account(cast.records.person)
    settings.PORTAL_PRIVACY_VERSION = "2027-01"  # type: ignore[attr-defined]
    client = portal_client(account)
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/privacy/")
    client.post("/portal/privacy/", {"consent": "on", "next": "/portal/"})
    assert account.consents.filter(version="2027-01").exists()
    assert client.get("/portal/").status_code == 200


def test_a_staff_login_ends_the_portal_login_in_the_same_browser(cast: Cast) -> None:
    account = make_account(cast.records.person)
    client = portal_client(account)
    client.force_login(cast.jingyang)
    assert client.get("/portal/").status_code == 302
    assert client.get("/").status_code == 200


def test_a_portal_login_logs_the_staff_user_out(cast: Cast) -> None:
    make_account(cast.records.person, phone="13812345678")
    client = login(cast.jingyang)
    client.post("/portal/login/", {"phone": "13812345678", "password": PORTAL_PASSWORD})
    assert client.get("/portal/").status_code == 200
    assert client.get("/").status_code == 403


def test_the_invitation_qr_code_is_an_svg_for_staff_in_scope(cast: Cast) -> None:
    invitation = _invitation(cast)
    url = f"/portal-admin/invitations/{invitation.pk}/qr.svg"
    response = login(cast.jingyang).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert login(cast.luojiang).get(url).status_code == 404
    page = login(cast.jingyang).get(f"/portal-admin/invitations/{invitation.pk}/")
    assert invitation.code in page.content.decode()


def test_the_portal_api_gives_a_token_for_a_phone_and_password(cast: Cast) -> None:
    make_account(cast.records.person, phone="13812345678")
    client = Client()
    response = client.post(
        "/api/v1/portal/auth/token",
        {"phone": "13812345678", "password": PORTAL_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    raw = response.json()["token"]
    me = client.get("/api/v1/portal/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.json()["name"] == "旌阳测试人员"
    assert me.json()["phone"] != "13812345678"  # masked
    bad = client.post(
        "/api/v1/portal/auth/token",
        {"phone": "13812345678", "password": "nope-nope1"},
        content_type="application/json",
    )
    assert bad.status_code == 401


def test_the_token_door_answers_its_refusals_as_its_document_says(
    cast: Cast, settings: object
) -> None:
    # Found by tests/fuzz/test_portal_api_schema.py: 401 and 429 were answered, not documented.
    make_account(cast.records.person, phone="13812345678")
    settings.PORTAL_RATE_LOGIN = "1/m"  # type: ignore[attr-defined]
    responses = portal_api.get_openapi_schema()["paths"]["/api/v1/portal/auth/token"]["post"][
        "responses"
    ]
    for status in (401, 429):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}
    wrong = {"phone": "13812345678", "password": "nope-nope1"}
    for status in (401, 429):
        response = Client().post(
            "/api/v1/portal/auth/token", wrong, content_type="application/json"
        )
        assert response.status_code == status
        assert set(response.json()) == {"detail", "code"}


def test_consent_through_the_api_keeps_no_address_when_the_server_was_given_none(
    cast: Cast,
) -> None:
    # Found by tests/fuzz/test_portal_api_schema.py: "unknown" went into Consent.ip, a server
    # error on PostgreSQL.
    account = make_account(cast.records.person, consent=False)
    response = portal_client(account).post(
        "/api/v1/portal/consent",
        {"version": VERSION},
        content_type="application/json",
        REMOTE_ADDR="",
    )
    assert response.status_code == 204
    assert Consent.objects.get(account=account).ip is None


def test_consent_through_the_api_is_rate_limited_as_documented(
    cast: Cast, settings: object
) -> None:
    settings.PORTAL_RATE_SUBMIT = "1/m"  # type: ignore[attr-defined]
    responses = portal_api.get_openapi_schema()["paths"]["/api/v1/portal/consent"]["post"][
        "responses"
    ]
    assert responses[429]["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}
    client = portal_client(make_account(cast.records.person, consent=False))
    for status in (204, 429):
        response = client.post(
            "/api/v1/portal/consent", {"version": VERSION}, content_type="application/json"
        )
        assert response.status_code == status


def test_the_home_page_lists_what_waits_for_the_person_and_nothing_of_others(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    from .records import jingyang_portal

    portal = jingyang_portal(cast)
    client = portal_client(portal.account)
    with django_assert_max_num_queries(14):
        page = client.get("/portal/").content.decode()
    assert "1</strong> 条未读通知" in page
    assert "1</strong> 条反映正在办理" in page
    assert "1</strong> 项信息申报等待审核" in page
    assert "1</strong> 份入会申请等待审核" in page
    stranger = make_account(
        Person.objects.create(name="罗江某人", region=cast.luojiang_region), phone="13900007777"
    )
    page = portal_client(stranger).get("/portal/").content.decode()
    assert "暂时没有需要您处理的事项" in page


def test_an_invitation_opened_when_logged_in_leads_to_what_it_invites_to(cast: Cast) -> None:
    invitation = _invitation(
        cast, target=InvitationTarget.ACTIVITY, activity=cast.work.activity, title="旌阳活动邀请"
    )
    client = portal_client(make_account(cast.records.person))
    response = client.get(f"/portal/invite/{invitation.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/activities/{cast.work.activity.pk}/"
    assert Invitation.objects.get(pk=invitation.pk).uses == 0


def test_staff_see_an_applicants_phone_masked_unless_they_may_reveal(cast: Cast) -> None:
    _apply(Client(), cast)
    url = f"/portal-admin/applications/{AccountApplication.objects.get().pk}/"
    assert NEW_PHONE not in login(cast.jingyang).get(url).content.decode()
    cast.jingyang.can_reveal = True
    cast.jingyang.save(update_fields=["can_reveal"])
    assert NEW_PHONE in login(cast.jingyang).get(url).content.decode()


def test_the_workbench_counts_the_portal_business_waiting_in_scope(cast: Cast) -> None:
    from .records import jingyang_portal

    jingyang_portal(cast)  # an application, a correction, an opinion and a join, all waiting
    page = login(cast.jingyang).get("/").content.decode()
    assert re.search(r"个人门户待办<span[^>]*>4</span>", page)
    page = login(cast.luojiang).get("/").content.decode()
    assert "个人门户待办" in page
    assert not re.search(r"个人门户待办<span", page)


def test_behind_the_proxy_the_limit_counts_each_callers_address(
    cast: Cast, settings: object
) -> None:
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    settings.PORTAL_RATE_CODE = "2/h"  # type: ignore[attr-defined]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for i in range(3):
        # Three callers behind one proxy, each asking a code for their own number once.
        client = Client(**proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{i}")
        response = client.post(
            "/portal/login/code/", {"phone": f"1390000100{i}", "action": "send_code"}
        )
        assert response.status_code == 200
    forged = Client(**proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.0")
    response = forged.post("/portal/login/code/", {"phone": "13900002000", "action": "send_code"})
    assert response.status_code == 200  # the second try from 203.0.113.0
    response = forged.post("/portal/login/code/", {"phone": "13900002001", "action": "send_code"})
    assert response.status_code == 429  # a forged first address does not make a new caller


# --- the doors hold (review findings) -------------------------------------------------------------


def test_wrong_reset_codes_are_counted_through_the_page_until_the_code_dies(cast: Cast) -> None:
    make_account(cast.records.person, phone="13812345678")
    client = Client()
    client.post("/portal/password/reset/", {"phone": "13812345678", "action": "send_code"})
    code = _last_code("13812345678")
    wrong = "000000" if code != "000000" else "111111"
    data = {"phone": "13812345678", "password": "Xinmima@2026", "action": "reset"}
    for _ in range(svc.CODE_MAX_ATTEMPTS):
        response = client.post("/portal/password/reset/", {**data, "code": wrong})
        assert svc.CODE_WRONG in response.content.decode()
    response = client.post("/portal/password/reset/", {**data, "code": code})
    assert svc.CODE_WRONG in response.content.decode()  # spent by the wrong tries
    assert PortalAccount.objects.get().check_password(PORTAL_PASSWORD)


def test_one_number_written_in_other_ways_counts_as_one_for_the_limit(
    cast: Cast, settings: object
) -> None:
    settings.PORTAL_RATE_LOGIN = "3/m"  # type: ignore[attr-defined]
    make_account(cast.records.person, phone="13812345678")
    spellings = ["13812345678", "138 1234 5678", "+86 138-1234-5678", "８６13812345678"]
    statuses = []
    for i, phone in enumerate(spellings):
        client = Client(REMOTE_ADDR=f"10.0.1.{i}")  # each from its own address
        response = client.post("/portal/login/", {"phone": phone, "password": "wrong-pass1"})
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]


def test_stored_codes_are_keyed_digests_that_a_dictionary_cannot_read(cast: Cast) -> None:
    import hashlib

    svc.code_send(phone=NEW_PHONE, purpose=CodePurpose.REGISTER)
    code = _last_code(NEW_PHONE)
    stored = OneTimeCode.objects.get()
    assert code not in stored.digest
    plain = hashlib.sha256(f"{stored.phone_index}:{code}".encode()).hexdigest()
    assert stored.digest != plain


def test_an_application_does_not_tell_a_stranger_which_numbers_have_accounts(cast: Cast) -> None:
    make_account(cast.records.person, phone="13812345678")
    data = {
        "name": "打听者",
        "phone": "13812345678",
        "region": cast.jingyang_region.pk,
        "password": PORTAL_PASSWORD,
        "consent": "on",
        "action": "apply",
        "code": "123456",
    }
    page = Client().post("/portal/apply/", data).content.decode()
    assert svc.PHONE_TAKEN not in page
    assert svc.CODE_WRONG in page


def test_staff_cannot_link_an_applicant_to_a_record_with_another_phone(cast: Cast) -> None:
    _apply(Client(), cast)  # 申请人, NEW_PHONE; the record below has 13812345678
    application = AccountApplication.objects.get()
    AccountApplication.objects.filter(pk=application.pk).update(name="旌阳测试人员")
    url = f"/portal-admin/applications/{application.pk}/"
    page = login(cast.jingyang).get(url).content.decode()
    assert "手机号不一致，不能关联" in page
    response = login(cast.jingyang).post(
        url, {"decision": "approve", "person": cast.records.person.pk}
    )
    assert svc.PHONE_MISMATCH in response.content.decode()
    assert not PortalAccount.objects.exists()


def test_an_archived_persons_session_ends_and_login_says_the_account_is_off(cast: Cast) -> None:
    from tongxin.registry import services as registry

    account = make_account(cast.records.person, phone="13812345678")
    client = portal_client(account)
    registry.person_archive(actor=cast.jingyang, person=cast.records.person, reason="已调离本市")
    assert client.get("/portal/").status_code == 302
    response = Client().post(
        "/portal/login/", {"phone": "13812345678", "password": PORTAL_PASSWORD}
    )
    assert svc.ACCOUNT_DISABLED in response.content.decode()


def test_a_merge_brings_the_dropped_records_account_and_opinions_to_the_kept_one(
    cast: Cast,
) -> None:
    from tongxin.portal.models import Submission
    from tongxin.registry import services as registry

    drop = registry.person_create(actor=None, name="旌阳测试人员", region=cast.jingyang_region)
    account = make_account(drop, phone="13900003333")
    Submission.objects.create(
        person=drop, kind="suggestion", title="建议", text="内容", region=cast.jingyang_region
    )
    registry.person_merge(actor=cast.jingyang, keep=cast.records.person, drop=drop)
    account.refresh_from_db()
    assert account.person == cast.records.person
    assert Submission.objects.get().person == cast.records.person
    assert portal_client(account).get("/portal/").status_code == 200


def test_staff_switch_an_account_off_and_its_sessions_and_tokens_end_at_once(
    cast: Cast,
) -> None:
    account = make_account(cast.records.person, phone="13812345678")
    session = portal_client(account)
    token = svc.portal_token_create(account=account)
    url = f"/portal-admin/accounts/{account.pk}/status/"
    for who in (cast.luojiang, cast.outsider):
        assert login(who).post(url, {"active": "0", "reason": "越权"}).status_code == 404
        assert "旌阳测试人员" not in login(who).get("/portal-admin/accounts/").content.decode()
    assert login(cast.leader).post(url, {"active": "0", "reason": "只读"}).status_code == 403
    response = login(cast.jingyang).post(url, {"active": "0", "reason": ""})
    assert PortalAccount.objects.get().is_active  # a reason is needed
    login(cast.jingyang).post(url, {"active": "0", "reason": "本人要求注销"})
    assert not PortalAccount.objects.get().is_active
    assert session.get("/portal/").status_code == 302
    assert svc.portal_token_authenticate(token) is None
    response = Client().post(
        "/portal/login/", {"phone": "13812345678", "password": PORTAL_PASSWORD}
    )
    assert svc.ACCOUNT_DISABLED in response.content.decode()
    assert AuditEvent.objects.filter(
        object_type="portal.portalaccount", detail__contains="本人要求注销"
    ).exists()
    login(cast.jingyang).post(url, {"active": "1"})
    assert PortalAccount.objects.get().is_active


def test_the_staff_person_page_says_whether_the_person_has_a_portal_account(cast: Cast) -> None:
    url = f"/persons/{cast.records.person.pk}/"
    assert "未开通" in login(cast.jingyang).get(url).content.decode()
    make_account(cast.records.person)
    page = login(cast.jingyang).get(url).content.decode()
    assert "<dt>个人门户</dt><dd>已开通" in page
