"""Sending a notice to the people a registry filter picks, by the portal and optionally by SMS and
email; and a person reading it."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, audit, ids, text
from tongxin.core.models import AuditAction, User

from . import messaging
from .forms_notices import recipient_filter
from .models import (
    AccountStatus,
    DeliveryStatus,
    Notice,
    NoticeRecipient,
    PortalAccount,
)
from .selectors_notices import recipients

logger = logging.getLogger(__name__)

# One notice reaches at most this many people: beyond it, a slip in the filter (none chosen) would
# reach a whole city, and SMS are sent while the sender waits.
MAX_RECIPIENTS = 5000
TOO_MANY = (
    "按所选条件共有 {count} 人，超过单条通知 {limit} 人的上限。"
    "请按区域、类别或组织缩小范围，分批发送。"
)
NO_RECIPIENTS = "按所选条件没有可接收通知的人员，请调整筛选条件。"
SMS_EXCERPT = 60
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _excerpt(body: str, size: int) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= size else flat[:size] + "……"


def sms_text(notice: Notice) -> str:
    return (
        f"{notice.title}：{_excerpt(notice.body, SMS_EXCERPT)}（全文请登录同心个人门户“通知”查看）"
    )


def email_subject(notice: Notice) -> str:
    return f"【同心】{notice.title}"


def email_text(notice: Notice) -> str:
    return (
        f"{notice.body}\n\n——\n{notice.region.name}统战部门通过同心统战工作平台发送。"
        "登录同心个人门户，在“通知”中可查看您收到的全部通知。"
    )


@transaction.atomic
def _create(
    *, actor: User, title: str, body: str, filters: str, send_sms: bool, send_email: bool
) -> Notice:
    f = recipient_filter(actor, filters)
    people = recipients(actor, f)
    count = people.count()
    if count == 0:
        raise ValidationError(NO_RECIPIENTS)
    if count > MAX_RECIPIENTS:
        raise ValidationError(TOO_MANY.format(count=count, limit=MAX_RECIPIENTS))
    notice = Notice(
        title=text.line(title),
        body=text.prose(body),
        region=f.region or actor.region,
        filters=filters,
        send_sms=send_sms,
        send_email=send_email,
        created_by=actor,
    )
    notice.full_clean()
    notice.save()
    person_ids = list(people.prefetch_related(None).values_list("pk", flat=True))
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, person_id=pk) for pk in person_ids], batch_size=1000
    )
    channels = "门户" + ("、短信" if send_sms else "") + ("、邮件" if send_email else "")
    audit.record(
        AuditAction.CREATE,
        obj=notice,
        actor=actor,
        detail=f"发送通知给 {len(person_ids)} 人（{channels}），条件：{filters or '全部'}",
    )
    return notice


def notice_send(
    *,
    actor: User,
    title: str,
    body: str,
    filters: str = "",
    send_sms: bool = False,
    send_email: bool = False,
) -> Notice:
    """Create the notice and its recipients (one transaction, with its audit row), then send the
    SMS and emails asked for, recording for each recipient sent, failed or no address."""
    access.require_write(actor, *access.STAFF_ROLES)
    notice = _create(
        actor=actor,
        title=title,
        body=body,
        filters=filters,
        send_sms=send_sms,
        send_email=send_email,
    )
    # After the commit: a message sent cannot be taken back by a rollback, so the notice and its
    # recipients exist before the first one goes out.
    if send_sms or send_email:
        _deliver(notice)
    return notice


def _account(recipient: NoticeRecipient) -> PortalAccount | None:
    try:
        return recipient.person.portal_account
    except PortalAccount.DoesNotExist:
        return None


def _sms(notice: Notice, recipient: NoticeRecipient) -> str:
    phone = ids.check_phone(recipient.person.phone).number
    if not _MOBILE.fullmatch(phone):
        return DeliveryStatus.NO_ADDRESS
    try:
        messaging.send_sms(phone, sms_text(notice))
    except Exception:
        logger.exception("notice %s: SMS to recipient %s failed", notice.pk, recipient.pk)
        return DeliveryStatus.FAILED
    return DeliveryStatus.SENT


def _email(notice: Notice, recipient: NoticeRecipient) -> str:
    account = _account(recipient)
    if account is None or account.status != AccountStatus.ACTIVE or not account.email:
        return DeliveryStatus.NO_ADDRESS
    try:
        messaging.send_email(account.email, email_subject(notice), email_text(notice))
    except Exception:
        logger.exception("notice %s: email to recipient %s failed", notice.pk, recipient.pk)
        return DeliveryStatus.FAILED
    return DeliveryStatus.SENT


def _deliver(notice: Notice) -> None:
    rows = list(
        NoticeRecipient.objects.filter(notice=notice).select_related(
            "person", "person__portal_account"
        )
    )
    fields = []
    for recipient in rows:
        if notice.send_sms:
            recipient.sms_status = _sms(notice, recipient)
        if notice.send_email:
            recipient.email_status = _email(notice, recipient)
    if notice.send_sms:
        fields.append("sms_status")
    if notice.send_email:
        fields.append("email_status")
    NoticeRecipient.objects.bulk_update(rows, fields, batch_size=1000)


def notice_mark_read(*, recipient: NoticeRecipient) -> NoticeRecipient:
    """The person opened the notice: the first time counts."""
    if recipient.read_at is None:
        now = timezone.now()
        updated = NoticeRecipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(
            read_at=now
        )
        if updated:
            recipient.read_at = now
    return recipient
