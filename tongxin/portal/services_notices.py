"""Sending a notice to the people a registry filter picks, by the portal and optionally by SMS and
email; and a person reading it."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tongxin.core import access, audit, text
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
NOTHING_TO_RESEND = "这条通知只在门户发布，没有要补发的短信或邮件。"
RESENT_DETAIL = "补发通知的短信、邮件（已发送的不再发送）"
SMS_EXCERPT = 60
# Deliveries record their outcomes every this many recipients (see _deliver).
DELIVERY_BATCH = 100


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
    _deliver(notice)
    return notice


def notice_resend(*, actor: User, notice: Notice) -> int:
    """Send the notice's SMS and emails again to the recipients not marked sent: those a stopped
    delivery never reached, those whose sending failed, and those who had no address then.
    Nobody marked sent gets a second message. Returns how many recipients were tried."""
    access.require_write(actor, *access.STAFF_ROLES)
    if not (notice.send_sms or notice.send_email):
        raise ValidationError(NOTHING_TO_RESEND)
    with transaction.atomic():
        audit.record(AuditAction.UPDATE, obj=notice, actor=actor, detail=RESENT_DETAIL)
    return _deliver(notice)


def _account(recipient: NoticeRecipient) -> PortalAccount | None:
    try:
        return recipient.person.portal_account
    except PortalAccount.DoesNotExist:
        return None


def _sms(notice: Notice, recipient: NoticeRecipient) -> str:
    phone = messaging.mobile_number(recipient.person.phone)
    if not phone:
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


def _channels(notice: Notice) -> list[str]:
    return (["sms_status"] if notice.send_sms else []) + (
        ["email_status"] if notice.send_email else []
    )


def _deliver(notice: Notice) -> int:
    """Send to every recipient not yet marked sent on a channel the notice asks for, in batches
    of DELIVERY_BATCH, each recording its outcomes as soon as it is sent: a worker that dies loses
    at most the batch in hand, and a resend skips everyone marked sent.

    Each batch holds the notice's row (FOR NO KEY UPDATE: people reading the notice are not
    held up) and picks its recipients only then, so two deliveries of one notice at once (a
    double-clicked resend) take turns and never pick the same unsent person. Returns how many
    recipients were tried."""
    fields = _channels(notice)
    if not fields:
        return 0
    unsent = Q()
    for field in fields:
        unsent |= ~Q(**{field: DeliveryStatus.SENT})
    tried, after = 0, 0
    while True:
        with transaction.atomic():
            Notice.objects.select_for_update(no_key=True).filter(pk=notice.pk).first()
            batch = list(
                NoticeRecipient.objects.filter(unsent, notice=notice, pk__gt=after)
                .select_related("person", "person__portal_account")
                .order_by("pk")[:DELIVERY_BATCH]
            )
            if not batch:
                return tried
            for recipient in batch:
                if notice.send_sms and recipient.sms_status != DeliveryStatus.SENT:
                    recipient.sms_status = _sms(notice, recipient)
                if notice.send_email and recipient.email_status != DeliveryStatus.SENT:
                    recipient.email_status = _email(notice, recipient)
            NoticeRecipient.objects.bulk_update(batch, fields)
        tried += len(batch)
        after = batch[-1].pk


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
