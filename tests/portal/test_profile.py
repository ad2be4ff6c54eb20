"""本人申报 in the portal and its decision: a person proposes changes to their own record, staff
of the person's region approve (the changes go through the registry's services and the history
says "本人申报，审核人：…") or reject with a reason; one pending change at a time; a request is
decided once; the person downloads their own data and nothing of anyone else's."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from openpyxl import load_workbook

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.portal import services_notices as notices
from tongxin.portal import services_profile as svc
from tongxin.portal import views_profile as views
from tongxin.portal.messaging import LocMemSMSBackend
from tongxin.portal.models import DeliveryStatus, ProfileRequest, ProfileRequestKind, ReviewStatus
from tongxin.registry.history import person_history
from tongxin.registry.models import Honour, Person

from ..conftest import Cast, login
from .helpers import portal_client
from .profile_world import OWN_PHONE, ProfileWorld, education, file_change, make_profile_world

NOTE = "本人申报，审核人：旌阳人员"


@pytest.fixture
def world(cast: Cast) -> ProfileWorld:
    return make_profile_world(cast)


def _full_change(world: ProfileWorld) -> ProfileRequest:
    return file_change(
        world,
        title="高级经济师",
        phone="139 0000 1234",
        education=education().pk,
        honour={
            "title": "德阳市优秀民营企业家",
            "year": 2024,
            "level": "city",
            "issuer": "德阳市委",
        },
    )


# --- approval -------------------------------------------------------------------------------------


def test_an_approved_change_is_applied_and_the_history_names_the_approver(
    cast: Cast, world: ProfileWorld, django_capture_on_commit_callbacks: Any
) -> None:
    request = _full_change(world)
    with django_capture_on_commit_callbacks(execute=True):
        svc.request_approve(actor=cast.jingyang, profile_request=request)

    person = Person.objects.get(pk=world.person.pk)
    assert (person.employer, person.position, person.title) == (
        "旌阳新单位有限公司",
        "副总经理",
        "高级经济师",
    )
    assert person.phone == "13900001234"
    assert person.education == education()
    honour = Honour.objects.get(person=person, title="德阳市优秀民营企业家")
    assert (honour.year, honour.level, honour.issuer) == (2024, "city", "德阳市委")

    history = person_history(cast.admin, person)
    applied = [e for e in history if e.detail == NOTE]
    assert {e.subject for e in applied} == {"基本信息", "荣誉：德阳市优秀民营企业家"}
    assert all(e.actor == "旌阳人员" for e in applied)
    basic = next(e for e in applied if e.subject == "基本信息")
    assert {c.label for c in basic.changes} >= {"工作单位", "职务", "职称", "学历", "手机号码"}

    request.refresh_from_db()
    assert request.status == ReviewStatus.APPROVED
    assert request.reviewed_by == cast.jingyang
    assert LocMemSMSBackend.outbox[-1][0] == OWN_PHONE
    assert "审核通过" in LocMemSMSBackend.outbox[-1][1]


def test_a_change_made_elsewhere_is_not_noted_as_self_declared(
    cast: Cast, world: ProfileWorld
) -> None:
    svc.request_approve(actor=cast.jingyang, profile_request=file_change(world))
    from tongxin.registry import services as registry

    registry.person_update(
        actor=cast.jingyang, person=Person.objects.get(pk=world.person.pk), notes="电话回访"
    )
    last = AuditEvent.objects.filter(object_type="registry.person").latest("id")
    assert last.detail == ""


def test_the_reviewer_sees_the_value_at_filing_and_the_proposed_one(
    cast: Cast, world: ProfileWorld
) -> None:
    from tongxin.portal import selectors_profile as sel

    request = _full_change(world)
    rows = {r.field: r for r in sel.change_rows(request, world.person)}
    assert (rows["employer"].before, rows["employer"].after) == (
        "旌阳测试科技有限公司",
        "旌阳新单位有限公司",
    )
    assert (rows["phone"].before, rows["phone"].after) == ("138****5678", "139****1234")
    assert rows["education"].after == "硕士研究生"
    assert rows["honour"].after == "德阳市优秀民营企业家（2024年，市级，德阳市委）"


def test_a_proposed_phone_stays_encrypted_in_the_request(world: ProfileWorld) -> None:
    request = _full_change(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM portal_profilerequest WHERE id = %s", [request.pk])
        stored = str(cursor.fetchone()[0])
    assert "13900001234" not in stored
    assert "139****1234" in stored


# --- rejection and refusals -----------------------------------------------------------------------


def test_a_rejection_needs_a_reason_and_changes_nothing(
    cast: Cast, world: ProfileWorld, django_capture_on_commit_callbacks: Any
) -> None:
    request = _full_change(world)
    with pytest.raises(ValidationError) as refused:
        svc.request_reject(actor=cast.jingyang, profile_request=request, reason="  ")
    assert svc.REASON_REQUIRED in refused.value.messages
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        svc.request_reject(
            actor=cast.jingyang, profile_request=request, reason="请提供新单位的任职文件。"
        )
    person = Person.objects.get(pk=world.person.pk)
    assert person.employer == "旌阳测试科技有限公司"
    assert person.phone == OWN_PHONE
    assert not Honour.objects.filter(person=person, title="德阳市优秀民营企业家").exists()
    assert not AuditEvent.objects.filter(detail__startswith="本人申报").exists()
    request.refresh_from_db()
    assert (request.status, request.review_reason) == (
        ReviewStatus.REJECTED,
        "请提供新单位的任职文件。",
    )
    assert "请提供新单位的任职文件" in LocMemSMSBackend.outbox[-1][1]


def test_it_refuses_a_proposal_that_changes_nothing(world: ProfileWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        svc.change_submit(
            account=world.account,
            proposal={
                "employer": " 旌阳测试科技有限公司 ",
                "position": "总经理",
                "phone": OWN_PHONE,
            },
        )
    assert refused.value.messages == [svc.NOTHING_CHANGED]
    assert not ProfileRequest.objects.exists()


def test_only_one_change_waits_at_a_time_until_it_is_withdrawn(world: ProfileWorld) -> None:
    first = file_change(world)
    with pytest.raises(ValidationError) as refused:
        file_change(world, employer="又一个单位")
    assert refused.value.messages == [svc.PENDING_EXISTS]

    svc.request_withdraw(account=world.account, request_id=first.pk)
    second = file_change(world, employer="又一个单位")
    assert second.status == ReviewStatus.PENDING
    first.refresh_from_db()
    assert first.status == ReviewStatus.WITHDRAWN


def test_a_request_is_decided_once(cast: Cast, world: ProfileWorld) -> None:
    request = file_change(world)
    svc.request_approve(actor=cast.jingyang, profile_request=request)
    for decide in (
        lambda: svc.request_approve(actor=cast.admin, profile_request=request),
        lambda: svc.request_reject(actor=cast.admin, profile_request=request, reason="重复"),
    ):
        with pytest.raises(ValidationError) as refused:
            decide()
        assert "已由旌阳人员于" in refused.value.messages[0]
    assert Person.objects.get(pk=world.person.pk).version == world.person.version + 1


def test_a_withdrawn_request_cannot_be_decided(cast: Cast, world: ProfileWorld) -> None:
    request = file_change(world)
    svc.request_withdraw(account=world.account, request_id=request.pk)
    with pytest.raises(ValidationError) as refused:
        svc.request_approve(actor=cast.jingyang, profile_request=request)
    assert refused.value.messages == [svc.ALREADY_WITHDRAWN]


def test_wrong_district_staff_cannot_decide_through_the_service(
    cast: Cast, world: ProfileWorld
) -> None:
    from django.http import Http404

    request = file_change(world)
    for user in (cast.luojiang, cast.outsider):
        with pytest.raises(Http404):
            svc.request_approve(actor=user, profile_request=request)
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING


def test_a_bad_honour_or_phone_is_refused_on_its_field(world: ProfileWorld) -> None:
    for proposal, field in (
        ({"honour": {"year": 2020}}, "honour_title"),
        ({"honour": {"title": "某奖", "year": 1800}}, "honour_year"),
        ({"honour": {"title": "某奖", "level": "galaxy"}}, "honour_level"),
        ({"phone": "12ab"}, "phone"),
        ({"education": 999999}, "education"),
    ):
        with pytest.raises(ValidationError) as refused:
            svc.change_submit(account=world.account, proposal=proposal)
        assert field in refused.value.error_dict


def test_a_correction_is_handled_with_a_reply_the_person_reads(
    cast: Cast, world: ProfileWorld
) -> None:
    request = svc.correction_submit(account=world.account, text="我的出生日期应为1990年2月1日。")
    assert request.kind == ProfileRequestKind.CORRECTION
    with pytest.raises(ValidationError):
        svc.correction_handle(actor=cast.jingyang, profile_request=request, reply="")
    svc.correction_handle(
        actor=cast.jingyang, profile_request=request, reply="已核实身份证，出生日期已更正。"
    )
    page = portal_client(world.account).get(f"/portal/profile/requests/{request.pk}/")
    assert "已核实身份证，出生日期已更正。" in page.content.decode()
    assert "已处理" in page.content.decode()


# --- the portal pages -----------------------------------------------------------------------------


def test_the_profile_page_shows_the_own_record_and_nothing_of_others(
    world: ProfileWorld, cast: Cast
) -> None:
    file_change(world)
    svc.correction_submit(account=world.neighbour_account, text="邻居的更正")
    page = portal_client(world.account).get("/portal/profile/")
    html = page.content.decode()
    assert page.status_code == 200
    for shown in (
        "旌阳测试人员",
        "138****5678",
        "旌阳区新的社会阶层人士联谊会",
        "会长",
        "旌阳区优秀新阶人士",
        "政协委员",
        "新的社会阶层人士",
        "待审核",
        "工作单位、职务",
    ):
        assert shown in html, shown
    for hidden in (OWN_PHONE, "旌阳邻居", "邻居咨询", "邻居的更正"):
        assert hidden not in html, hidden


def test_a_person_files_a_change_through_the_page(world: ProfileWorld) -> None:
    client = portal_client(world.account)
    form = client.get("/portal/profile/change/")
    assert form.status_code == 200
    assert "旌阳测试科技有限公司" in form.content.decode()
    response = client.post(
        "/portal/profile/change/",
        {
            "employer": "旌阳新单位有限公司",
            "position": "总经理",
            "title": "",
            "phone": "",
            "education": education("大学本科").pk,
            "honour_title": "",
            "honour_year": "",
            "honour_level": "",
            "honour_issuer": "",
            "note": "3月调任",
        },
    )
    assert response.status_code == 302
    request = ProfileRequest.objects.get(person=world.person)
    assert set(request.changes) == {"employer", "education"}
    assert request.note == "3月调任"
    again = client.get("/portal/profile/change/")
    assert svc.PENDING_EXISTS in again.content.decode()


def test_the_change_page_says_when_nothing_changed(world: ProfileWorld) -> None:
    response = portal_client(world.account).post(
        "/portal/profile/change/", {"employer": "旌阳测试科技有限公司", "position": "总经理"}
    )
    assert response.status_code == 200
    assert svc.NOTHING_CHANGED in response.content.decode()
    assert not ProfileRequest.objects.exists()


def test_a_person_asks_for_a_correction_and_withdraws_it(world: ProfileWorld) -> None:
    client = portal_client(world.account)
    empty = client.post("/portal/profile/correction/", {"text": ""})
    assert empty.status_code == 200
    assert (
        client.post("/portal/profile/correction/", {"text": "类别应为无党派人士"}).status_code
        == 302
    )
    request = ProfileRequest.objects.get(person=world.person)
    assert request.kind == ProfileRequestKind.CORRECTION
    assert client.post(f"/portal/profile/requests/{request.pk}/withdraw/").status_code == 302
    request.refresh_from_db()
    assert request.status == ReviewStatus.WITHDRAWN


def test_another_persons_account_gets_404_for_your_request(world: ProfileWorld) -> None:
    request = file_change(world)
    other = portal_client(world.neighbour_account)
    assert other.get(f"/portal/profile/requests/{request.pk}/").status_code == 404
    assert other.post(f"/portal/profile/requests/{request.pk}/withdraw/").status_code == 404
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING


def test_portal_pages_need_a_portal_login(cast: Cast, world: ProfileWorld) -> None:
    staff = login(cast.jingyang)
    for path in ("/portal/profile/", "/portal/profile/change/", "/portal/profile/export/"):
        response = staff.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/portal/login/")


def test_submissions_are_rate_limited(world: ProfileWorld, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    client = portal_client(world.account)
    codes = [
        client.post("/portal/profile/correction/", {"text": f"更正{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert ProfileRequest.objects.count() == 2


# --- the download ---------------------------------------------------------------------------------


def test_the_download_holds_only_the_own_data_and_is_audited(
    cast: Cast, world: ProfileWorld
) -> None:
    file_change(world)
    svc.correction_submit(account=world.neighbour_account, text="邻居的更正")
    response = portal_client(world.account).get("/portal/profile/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["record"]["name"] == "旌阳测试人员"
    assert data["record"]["phone"] == OWN_PHONE
    assert data["record"]["honours"][0]["title"] == "旌阳区优秀新阶人士"
    assert data["memberships"] == [
        {
            "organization": "旌阳区新的社会阶层人士联谊会",
            "role": "会长",
            "term_start": "2022-01-01",
            "term_end": None,
        }
    ]
    assert [r["kind"] for r in data["profile_requests"]] == ["信息变更"]
    assert len(data["consents"]) == 1
    text = response.content.decode()
    for hidden in ("旌阳邻居", "邻居咨询", "邻居的更正", "13800000002"):
        assert hidden not in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(world.person.pk))
    assert event.object_type == "registry.person"
    assert "本人" in event.actor_username


def test_the_download_is_read_and_audited_by_one_service_naming_what_it_held(
    world: ProfileWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    download = svc.own_data_export(account=world.account, fmt="xlsx")
    assert download.content_type.endswith("spreadsheetml.sheet")
    assert download.name.startswith("我的信息-旌阳测试人员-") and download.name.endswith(".xlsx")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(world.person.pk))
    assert event.changes["格式"] == [None, "xlsx"]
    assert event.changes["荣誉"] == [None, 1]
    assert event.changes["参加的组织"] == [None, 1]
    # A file that cannot be made leaves no audit row claiming a download.
    monkeypatch.setattr("tongxin.portal.profile_export._xlsx", _broken)
    with pytest.raises(OSError):
        svc.own_data_export(account=world.account, fmt="xlsx")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def _broken(data: Any) -> bytes:
    raise OSError("磁盘已满")


def test_the_download_as_a_spreadsheet(world: ProfileWorld) -> None:
    response = portal_client(world.account).get("/portal/profile/export/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert "基本信息" in book.sheetnames and "参加的组织" in book.sheetnames
    rows = {r[0]: r[1] for r in book["基本信息"].iter_rows(values_only=True)}
    assert rows["姓名"] == "旌阳测试人员"
    assert tuple(list(book["参加的组织"].iter_rows(values_only=True))[1][:2]) == (
        "旌阳区新的社会阶层人士联谊会",
        "会长",
    )


# --- the email address notices reach ----------------------------------------------------------


def test_a_person_sets_their_email_and_sees_it_on_the_profile(world: ProfileWorld) -> None:
    client = portal_client(world.account)
    page = client.get("/portal/profile/").content.decode()
    assert "电子邮箱" in page and "未填写" in page
    assert client.get("/portal/profile/email/").status_code == 200
    response = client.post("/portal/profile/email/", {"email": " Wu.Hao@Example.COM "}, follow=True)
    assert views.EMAIL_SAVED.format(email="Wu.Hao@example.com") in response.content.decode()
    world.account.refresh_from_db()
    assert world.account.email == "Wu.Hao@example.com"
    assert "Wu.Hao@example.com" in client.get("/portal/profile/").content.decode()
    assert AuditEvent.objects.filter(
        object_type="portal.portalaccount", object_id=str(world.account.pk)
    ).exists()


def test_an_empty_email_clears_it(world: ProfileWorld) -> None:
    svc.account_set_email(account=world.account, email="wuhao@example.com")
    response = portal_client(world.account).post(
        "/portal/profile/email/", {"email": ""}, follow=True
    )
    assert views.EMAIL_CLEARED in response.content.decode()
    world.account.refresh_from_db()
    assert world.account.email == ""


@pytest.mark.parametrize("bad", ["wuhao", "wuhao@", "吴浩@例子", "a@b", "x" * 250 + "@qq.com"])
def test_a_malformed_email_is_refused_saying_how_to_write_it(world: ProfileWorld, bad: str) -> None:
    response = portal_client(world.account).post("/portal/profile/email/", {"email": bad})
    assert response.status_code == 400
    assert svc.EMAIL_INVALID in response.content.decode()
    with pytest.raises(ValidationError, match="邮箱地址格式不正确"):
        svc.account_set_email(account=world.account, email=bad)
    world.account.refresh_from_db()
    assert world.account.email == ""


def test_setting_the_email_is_rate_limited(world: ProfileWorld, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    client = portal_client(world.account)
    codes = [
        client.post("/portal/profile/email/", {"email": f"a{i}@example.com"}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    world.account.refresh_from_db()
    assert world.account.email == "a1@example.com"


def test_the_email_set_is_where_notices_with_email_go(cast: Cast, world: ProfileWorld) -> None:
    portal_client(world.account).post("/portal/profile/email/", {"email": "wuhao@example.com"})
    notice = notices.notice_send(
        actor=cast.jingyang,
        title="年会通知",
        body="定于12月20日召开年会。",
        filters="q=旌阳测试人员",
        send_email=True,
    )
    assert [m.to for m in mail.outbox] == [["wuhao@example.com"]]
    assert notice.recipients.get().email_status == DeliveryStatus.SENT


def test_the_email_is_only_ever_the_own_accounts(cast: Cast, world: ProfileWorld) -> None:
    portal_client(world.neighbour_account).post(
        "/portal/profile/email/", {"email": "neighbour@example.com"}
    )
    world.account.refresh_from_db()
    world.neighbour_account.refresh_from_db()
    assert (world.account.email, world.neighbour_account.email) == ("", "neighbour@example.com")
    assert "neighbour@example.com" not in (
        portal_client(world.account).get("/portal/profile/").content.decode()
    )
    staff = login(cast.jingyang)
    response = staff.post("/portal/profile/email/", {"email": "staff@example.com"})
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
