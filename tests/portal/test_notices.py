"""Notices: staff pick recipients with the registry's filters, see how many before sending, send
through the portal and optionally SMS and email; the list and detail with read counts; people read
their own notices in the portal, and only theirs."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from tongxin.core.models import AuditEvent
from tongxin.portal import services_notices as services
from tongxin.portal import views_staff_notices as views
from tongxin.portal.forms_notices import FILTER_INVALID, FILTER_KEYS
from tongxin.portal.messaging import LocMemSMSBackend
from tongxin.portal.models import DeliveryStatus, Notice, NoticeRecipient
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, Person

from ..conftest import Cast, login
from .helpers import make_account, portal_client


def _code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


def _person(
    cast: Cast,
    name: str,
    *,
    region: Any = None,
    category: str = "新的社会阶层人士",
    phone: str = "",
) -> Person:
    return registry.person_create(
        actor=None,
        name=name,
        region=region or cast.jingyang_region,
        categories=[_code("category", category)],
        phone=phone,
    )


@dataclass
class People:
    """旌阳测试人员 (cast: 新阶, phone 13812345678), and around them: another 旌阳 新阶 person
    without a phone, a 旌阳 非公 person with a landline, an archived 旌阳 新阶 person, and a 罗江
    新阶 person."""

    xinjie: Person
    no_phone: Person
    feigong: Person
    archived: Person
    luojiang: Person


@pytest.fixture
def people(cast: Cast) -> People:
    archived = _person(cast, "旌阳已归档人员", phone="13900000003")
    registry.person_archive(actor=cast.jingyang, person=archived, reason="迁出")
    return People(
        xinjie=cast.records.person,
        no_phone=_person(cast, "旌阳无电话人员"),
        feigong=_person(cast, "旌阳非公人员", category="非公有制经济人士", phone="0838-2345678"),
        archived=archived,
        luojiang=_person(cast, "罗江新阶人员", region=cast.luojiang_region, phone="13900000005"),
    )


def _xinjie() -> str:
    return str(_code("category", "新的社会阶层人士").pk)


def reach(client: Client, **filters: str) -> Any:
    response = client.get("/portal-admin/notices/new/reach/", filters)
    assert response.status_code == 200
    return response.context["reach"]


def send(client: Client, *, title: str = "关于召开新阶联谊会年会的通知", **data: Any) -> Any:
    """Compose and send as the page does: see the count, then post with it."""
    filters = {k: v for k, v in data.items() if k in FILTER_KEYS}
    seen = reach(client, **filters)
    body = {
        "title": title,
        "body": "定于12月20日下午在旌阳区召开年会，请准时参加。",
        "expected": seen.people if seen else "",
        **data,
    }
    return client.post("/portal-admin/notices/new/", body)


def sent_to(notice: Notice) -> set[str]:
    return {r.person.name for r in notice.recipients.select_related("person")}


# --- choosing recipients --------------------------------------------------------------------------


def test_the_count_is_the_people_in_scope_matching_the_filter(cast: Cast, people: People) -> None:
    client = login(cast.jingyang)
    everyone = reach(client)
    assert everyone.people == 3  # 旌阳: 新阶 ×2 and 非公; not the archived one, not 罗江's
    assert everyone.with_phone == 2  # the mobile and the landline
    xinjie = reach(client, category=_xinjie())
    assert (xinjie.people, xinjie.with_phone, xinjie.with_account) == (2, 1, 0)
    make_account(people.no_phone, phone="13900000002")
    assert reach(client, category=_xinjie()).with_account == 1


def test_sending_creates_a_recipient_for_each_person_the_filter_picks(
    cast: Cast, people: People
) -> None:
    response = send(login(cast.jingyang), category=_xinjie())
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal-admin/notices/{notice.pk}/"
    assert sent_to(notice) == {"旌阳测试人员", "旌阳无电话人员"}
    assert notice.region == cast.jingyang_region
    assert notice.filters == f"category={_xinjie()}"
    assert AuditEvent.objects.filter(object_type="portal.notice", object_id=str(notice.pk)).exists()


def test_the_filter_region_is_the_notice_region(cast: Cast, people: People) -> None:
    send(login(cast.admin), region=cast.luojiang_region.code)
    notice = Notice.objects.get()
    assert notice.region == cast.luojiang_region
    assert sent_to(notice) == {"罗江新阶人员"}


def test_luojiang_staff_cannot_send_to_jingyang_people(cast: Cast, people: People) -> None:
    client = login(cast.luojiang)
    response = send(client, region=cast.jingyang_region.code)
    assert response.status_code == 200
    assert FILTER_INVALID.format(label="所属区域") in response.content.decode()
    assert not Notice.objects.exists()
    # Without a region, their scope alone: 罗江's people, none of 旌阳's.
    send(client)
    assert sent_to(Notice.objects.get()) == {"罗江新阶人员"}


def test_the_service_refuses_a_filter_outside_the_senders_scope(cast: Cast, people: People) -> None:
    with pytest.raises(Exception, match="所属区域"):
        services.notice_send(
            actor=cast.luojiang, title="越权", body="越权", filters="region=510603"
        )
    assert not Notice.objects.exists()


def test_city_staff_reach_only_the_people_of_their_lines(cast: Cast, people: People) -> None:
    send(login(cast.city_staff))
    assert sent_to(Notice.objects.get()) == {"旌阳测试人员", "旌阳无电话人员", "罗江新阶人员"}


@pytest.mark.parametrize("who", ["leader", "liaison", "auditor"])
def test_read_only_and_other_roles_cannot_send(cast: Cast, people: People, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/portal-admin/notices/new/").status_code == 403
    assert send_raw(client).status_code == 403
    assert not Notice.objects.exists()


def send_raw(client: Client) -> Any:
    return client.post(
        "/portal-admin/notices/new/", {"title": "通知", "body": "正文", "expected": "3"}
    )


def test_a_count_changed_since_it_was_seen_is_not_sent(cast: Cast, people: People) -> None:
    client = login(cast.jingyang)
    response = client.post(
        "/portal-admin/notices/new/", {"title": "通知", "body": "正文", "expected": "2"}
    )
    assert views.COUNT_CHANGED.format(count=3) in response.content.decode()
    assert not Notice.objects.exists()


def test_more_recipients_than_the_limit_are_refused(
    cast: Cast, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_RECIPIENTS", 2)
    response = send(login(cast.jingyang))
    text = response.content.decode()
    assert services.TOO_MANY.format(count=3, limit=2) in text
    assert "单条通知最多发给 2 人" in text
    assert not Notice.objects.exists()
    assert send(login(cast.jingyang), category=_xinjie()).status_code == 302


def test_a_filter_that_picks_no_one_sends_nothing(cast: Cast, people: People) -> None:
    response = send(login(cast.jingyang), q="查无此人")
    assert services.NO_RECIPIENTS in response.content.decode()
    assert not Notice.objects.exists()


def test_a_staff_user_may_send_only_so_many_notices(
    cast: Cast, people: People, settings: Any
) -> None:
    settings.PORTAL_RATE_NOTICE = "2/h"
    client = login(cast.jingyang)
    assert send(client, title="第一条").status_code == 302
    assert send(client, title="第二条").status_code == 302
    response = send(client, title="第三条")
    assert response.status_code == 200
    assert "每位工作人员每小时最多发送 2 条通知" in response.content.decode()
    assert Notice.objects.count() == 2
    # The count is per staff user: a colleague may still send.
    assert send(login(cast.admin), title="管理员的通知").status_code == 302


def test_refused_sends_do_not_count_against_the_rate(
    cast: Cast, people: People, settings: Any
) -> None:
    settings.PORTAL_RATE_NOTICE = "1/h"
    client = login(cast.jingyang)
    send(client, q="查无此人")
    assert send(client).status_code == 302


def test_two_sends_at_once_cannot_both_pass_the_rate(
    cast: Cast, people: People, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second post arriving while the first is still sending (a double click, two tabs) finds
    the first already counted."""
    settings.PORTAL_RATE_NOTICE = "1/h"
    first_send = services.notice_send
    inner: list[Any] = []

    def sending_slowly(**kwargs: Any) -> Notice:
        if not inner:
            inner.append(send(login(cast.jingyang), title="第二条"))
        return first_send(**kwargs)

    monkeypatch.setattr(services, "notice_send", sending_slowly)
    assert send(login(cast.jingyang), title="第一条").status_code == 302
    assert "每位工作人员每小时最多发送 1 条通知" in inner[0].content.decode()
    assert list(Notice.objects.values_list("title", flat=True)) == ["第一条"]


def test_rate_words_say_the_period_in_chinese() -> None:
    assert views.rate_words("10/h") == "每小时"
    assert views.rate_words("5/10m") == "每10分钟"
    assert views.rate_words("3/d") == "每天"


# --- SMS and email -------------------------------------------------------------------------------


def test_sms_and_email_go_to_those_with_an_address_and_each_outcome_is_recorded(
    cast: Cast, people: People
) -> None:
    account = make_account(people.no_phone, phone="13900000002")
    account.email = "wuhao@example.com"
    account.save()
    send(login(cast.jingyang), send_sms="on", send_email="on")
    notice = Notice.objects.get()
    status = {
        r.person.name: (r.sms_status, r.email_status)
        for r in notice.recipients.select_related("person")
    }
    assert status == {
        "旌阳测试人员": (DeliveryStatus.SENT, DeliveryStatus.NO_ADDRESS),
        "旌阳无电话人员": (DeliveryStatus.NO_ADDRESS, DeliveryStatus.SENT),
        "旌阳非公人员": (DeliveryStatus.NO_ADDRESS, DeliveryStatus.NO_ADDRESS),  # a landline
    }
    assert LocMemSMSBackend.outbox == [
        (
            "13812345678",
            "【同心】关于召开新阶联谊会年会的通知：定于12月20日下午在旌阳区召开年会，"
            "请准时参加。（全文请登录同心个人门户“通知”查看）",
        )
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["wuhao@example.com"], "【同心】关于召开新阶联谊会年会的通知")
    ]
    assert "定于12月20日下午在旌阳区召开年会" in mail.outbox[0].body


def test_without_the_options_nothing_goes_out_but_the_portal(cast: Cast, people: People) -> None:
    send(login(cast.jingyang))
    assert LocMemSMSBackend.outbox == [] and mail.outbox == []
    assert set(NoticeRecipient.objects.values_list("sms_status", "email_status")) == {
        (DeliveryStatus.NONE, DeliveryStatus.NONE)
    }


def test_a_failing_sms_gateway_is_recorded_as_failed(
    cast: Cast, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, phone: str, text: str) -> None:
        raise OSError("网关不可达")

    monkeypatch.setattr(LocMemSMSBackend, "send", broken)
    response = send(login(cast.jingyang), send_sms="on")
    assert response.status_code == 302
    mine = NoticeRecipient.objects.get(person=people.xinjie)
    assert mine.sms_status == DeliveryStatus.FAILED


def test_a_long_body_is_cut_short_in_the_sms(cast: Cast, people: People) -> None:
    send(login(cast.jingyang), category=_xinjie(), send_sms="on", body="很长的正文。" * 40)
    ((_, text),) = LocMemSMSBackend.outbox
    assert "……（全文请登录同心个人门户“通知”查看）" in text
    assert len(text) < 120


class WorkerDied(BaseException):
    """The process sending stops (killed, restarted): not an error a sender catches."""


@pytest.fixture
def many(cast: Cast) -> list[Person]:
    """Four 旌阳 people with mobile phones, found by the name 批量收件人."""
    return [_person(cast, f"批量收件人{i}", phone=f"1390000010{i}") for i in range(1, 5)]


def _dies_on_the_third_sms(monkeypatch: pytest.MonkeyPatch) -> None:
    real = LocMemSMSBackend.send

    def send(self: LocMemSMSBackend, phone: str, text: str) -> None:
        if len(LocMemSMSBackend.outbox) == 2:
            raise WorkerDied
        real(self, phone, text)

    monkeypatch.setattr(LocMemSMSBackend, "send", send)


def test_a_delivery_that_stops_keeps_what_it_sent_and_a_resend_texts_no_one_twice(
    cast: Cast, many: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "DELIVERY_BATCH", 2)
    _dies_on_the_third_sms(monkeypatch)
    with pytest.raises(WorkerDied):
        services.notice_send(
            actor=cast.jingyang, title="分批", body="正文", filters="q=批量收件人", send_sms=True
        )
    notice = Notice.objects.get()
    statuses = list(notice.recipients.order_by("pk").values_list("sms_status", flat=True))
    assert statuses == [DeliveryStatus.SENT] * 2 + [DeliveryStatus.NONE] * 2
    monkeypatch.undo()
    body = login(cast.jingyang).get(f"/portal-admin/notices/{notice.pk}/").content.decode()
    assert "待发送 2" in body and "补发未送达的 2 人" in body
    assert services.notice_resend(actor=cast.jingyang, notice=notice) == 2
    phones = [phone for phone, _ in LocMemSMSBackend.outbox]
    assert sorted(phones) == sorted(p.phone for p in many)  # each one text, none twice
    assert set(notice.recipients.values_list("sms_status", flat=True)) == {DeliveryStatus.SENT}
    assert services.notice_resend(actor=cast.jingyang, notice=notice) == 0
    assert len(LocMemSMSBackend.outbox) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_resends_at_once_text_no_one_twice(
    cast: Cast, many: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers by itself")
    monkeypatch.setattr(services, "DELIVERY_BATCH", 2)
    notice = services.notice_send(
        actor=cast.jingyang, title="补发", body="正文", filters="q=批量收件人"
    )
    Notice.objects.filter(pk=notice.pk).update(send_sms=True)  # as if its delivery never ran
    notice.refresh_from_db()
    real = LocMemSMSBackend.send

    def slow(self: LocMemSMSBackend, phone: str, text: str) -> None:
        time.sleep(0.05)  # long enough for the other resend to reach the same recipients
        real(self, phone, text)

    monkeypatch.setattr(LocMemSMSBackend, "send", slow)
    barrier = threading.Barrier(2)

    def resend() -> None:
        barrier.wait()
        try:
            services.notice_resend(actor=cast.jingyang, notice=notice)
        finally:
            connection.close()

    threads = [threading.Thread(target=resend) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phones = [phone for phone, _ in LocMemSMSBackend.outbox]
    assert sorted(phones) == sorted(p.phone for p in many)


def test_staff_resend_to_the_failed_and_to_those_with_an_address_since(
    cast: Cast, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, phone: str, text: str) -> None:
        raise OSError("网关不可达")

    with monkeypatch.context() as patched:
        patched.setattr(LocMemSMSBackend, "send", broken)
        send(login(cast.jingyang), category=_xinjie(), send_sms="on", send_email="on")
    notice = Notice.objects.get()
    account = make_account(people.no_phone, phone="13900000002")
    account.email = "wuhao@example.com"
    account.save()
    client = login(cast.jingyang)
    response = client.post(f"/portal-admin/notices/{notice.pk}/resend/", follow=True)
    assert views.RESENT.format(count=2) in response.content.decode()
    assert [phone for phone, _ in LocMemSMSBackend.outbox] == ["13812345678"]
    assert [m.to for m in mail.outbox] == [["wuhao@example.com"]]
    assert AuditEvent.objects.filter(detail=services.RESENT_DETAIL).count() == 1
    # Still without a mobile (旌阳无电话人员) or an email (旌阳测试人员): tried again, reached by
    # nothing new, and nobody texted or mailed twice.
    response = client.post(f"/portal-admin/notices/{notice.pk}/resend/", follow=True)
    assert views.RESENT.format(count=2) in response.content.decode()
    assert len(LocMemSMSBackend.outbox) == 1 and len(mail.outbox) == 1


def test_a_notice_for_the_portal_only_has_nothing_to_resend(cast: Cast, people: People) -> None:
    send(login(cast.jingyang))
    notice = Notice.objects.get()
    response = login(cast.jingyang).post(f"/portal-admin/notices/{notice.pk}/resend/", follow=True)
    assert services.NOTHING_TO_RESEND in response.content.decode()
    assert "补发未送达" not in response.content.decode()


def test_a_resend_counts_against_the_senders_rate(
    cast: Cast, people: People, settings: Any
) -> None:
    settings.PORTAL_RATE_NOTICE = "1/h"
    client = login(cast.jingyang)
    send(client, send_sms="on")
    response = client.post(f"/portal-admin/notices/{Notice.objects.get().pk}/resend/", follow=True)
    assert "每位工作人员每小时最多发送 1 条通知" in response.content.decode()
    assert len(LocMemSMSBackend.outbox) == 1


@pytest.mark.parametrize(("who", "status"), [("luojiang", 404), ("outsider", 404), ("leader", 403)])
def test_others_cannot_resend(cast: Cast, people: People, who: str, status: int) -> None:
    send(login(cast.jingyang), send_sms="on")
    notice = Notice.objects.get()
    NoticeRecipient.objects.update(sms_status=DeliveryStatus.FAILED)
    client = login(getattr(cast, who))
    assert client.post(f"/portal-admin/notices/{notice.pk}/resend/").status_code == status
    assert len(LocMemSMSBackend.outbox) == 1
    if who == "leader":
        body = client.get(f"/portal-admin/notices/{notice.pk}/").content.decode()
        assert "补发未送达" not in body
    portal = portal_client(make_account(cast.records.person))
    assert portal.post(f"/portal-admin/notices/{notice.pk}/resend/").status_code == 403


# --- the staff list and detail --------------------------------------------------------------------


@pytest.fixture
def notice(cast: Cast, people: People) -> Notice:
    return services.notice_send(
        actor=cast.jingyang,
        title="旌阳通知",
        body="请各位新阶人士填报年度信息。",
        filters=f"category={_xinjie()}",
        send_sms=True,
    )


def test_the_list_shows_read_counts(
    cast: Cast, notice: Notice, django_assert_max_num_queries: Any
) -> None:
    NoticeRecipient.objects.filter(person=cast.records.person).update(read_at=timezone.now())
    client = login(cast.jingyang)
    with django_assert_max_num_queries(12):
        text = client.get("/portal-admin/notices/").content.decode()
    assert "旌阳通知" in text and "已读 1 / 共 2" in text


def test_the_detail_shows_read_counts_and_recipients_with_masked_phones(
    cast: Cast, notice: Notice, django_assert_max_num_queries: Any
) -> None:
    client = login(cast.jingyang)
    with django_assert_max_num_queries(16):
        response = client.get(f"/portal-admin/notices/{notice.pk}/")
    text = response.content.decode()
    assert "已读 0" in text and "共 2" in text
    assert "138****5678" in text and "13812345678" not in text
    assert "旌阳无电话人员" in text
    assert "人员类别：新的社会阶层人士" in text
    unread = client.get(f"/portal-admin/notices/{notice.pk}/", {"state": "read"})
    assert "旌阳测试人员" not in unread.content.decode()


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_get_404_and_an_empty_list(cast: Cast, notice: Notice, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get(f"/portal-admin/notices/{notice.pk}/").status_code == 404
    assert "旌阳通知" not in client.get("/portal-admin/notices/").content.decode()


@pytest.mark.parametrize("who", ["admin", "city_staff", "leader"])
def test_staff_and_leaders_above_see_the_notice(cast: Cast, notice: Notice, who: str) -> None:
    assert login(getattr(cast, who)).get(f"/portal-admin/notices/{notice.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_are_refused(cast: Cast, notice: Notice, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/portal-admin/notices/").status_code == 403
    assert client.get(f"/portal-admin/notices/{notice.pk}/").status_code == 403


def test_a_portal_session_gets_no_staff_page(cast: Cast, notice: Notice) -> None:
    client = portal_client(make_account(cast.records.person))
    assert client.get("/portal-admin/notices/").status_code == 403
    assert client.get(f"/portal-admin/notices/{notice.pk}/").status_code == 403


def test_the_hub_card_counts_this_months_notices(cast: Cast, notice: Notice) -> None:
    def sent(user: Any) -> str:
        text = login(user).get("/portal-admin/").content.decode()
        return text.split("本月已发", 1)[1].split("</span>", 1)[0]

    assert sent(cast.jingyang).endswith(">1")
    assert sent(cast.luojiang).endswith(">0")
    Notice.objects.update(created_at=timezone.now() - dt.timedelta(days=40))
    assert sent(cast.jingyang).endswith(">0")


# --- the portal -----------------------------------------------------------------------------------


def test_a_person_sees_their_notices_unread_marked_and_opening_one_marks_it_read(
    cast: Cast, notice: Notice
) -> None:
    client = portal_client(make_account(cast.records.person))
    text = client.get("/portal/notices/").content.decode()
    assert "旌阳通知" in text and "未读" in text
    assert 'class="portal-badge">1<' in text
    response = client.get(f"/portal/notices/{notice.pk}/")
    assert response.status_code == 200
    assert "请各位新阶人士填报年度信息。" in response.content.decode()
    mine = NoticeRecipient.objects.get(notice=notice, person=cast.records.person)
    assert mine.read_at is not None
    assert "portal-badge" not in client.get("/portal/notices/").content.decode()
    # Reading again keeps the first time.
    first = mine.read_at
    client.get(f"/portal/notices/{notice.pk}/")
    mine.refresh_from_db()
    assert mine.read_at == first


def test_another_persons_account_gets_404_for_a_notice_not_addressed_to_them(
    cast: Cast, notice: Notice, people: People
) -> None:
    client = portal_client(make_account(people.feigong, phone="13900000004"))
    assert client.get(f"/portal/notices/{notice.pk}/").status_code == 404
    assert "旌阳通知" not in client.get("/portal/notices/").content.decode()
    assert NoticeRecipient.objects.filter(read_at__isnull=False).count() == 0


def test_staff_cannot_open_the_portal_notices(cast: Cast, notice: Notice) -> None:
    response = login(cast.jingyang).get(f"/portal/notices/{notice.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_the_read_count_follows_people_reading(cast: Cast, notice: Notice) -> None:
    portal_client(make_account(cast.records.person)).get(f"/portal/notices/{notice.pk}/")
    text = login(cast.jingyang).get("/portal-admin/notices/").content.decode()
    assert "已读 1 / 共 2" in text
