"""Reads of notices: whom a filter reaches, the notices staff see with their read counts, and the
notices of one person in the portal."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import User
from tongxin.registry.models import Person
from tongxin.registry.selectors import PersonFilter, person_list

from .models import AccountStatus, DeliveryStatus, Notice, NoticeRecipient, PortalAccount


def recipients(user: User, f: PersonFilter) -> QuerySet[Person]:
    """The people a notice with filter ``f`` goes to: those of ``user``'s scope the registry's
    person list shows for it, never archived ones."""
    return person_list(user, dataclasses.replace(f, archived=False, sort="pinyin"))


@dataclass(frozen=True)
class Reach:
    people: int
    with_account: int
    with_phone: int
    with_email: int


def reach(user: User, f: PersonFilter) -> Reach:
    """How many people a filter reaches, and how many of them can get it in the portal, by SMS
    (a phone in the registry) and by email (an address in their portal account)."""
    active = Q(portal_account__status=AccountStatus.ACTIVE)
    counts = (
        recipients(user, f)
        .order_by()
        .aggregate(
            people=Count("pk"),
            with_account=Count("pk", filter=active),
            with_phone=Count("pk", filter=~Q(phone_index="")),
            with_email=Count("pk", filter=active & ~Q(portal_account__email="")),
        )
    )
    return Reach(**counts)


def _with_counts(qs: QuerySet[Notice]) -> QuerySet[Notice]:
    return qs.annotate(
        recipient_count=Count("recipients"),
        read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
    )


def notice_list(user: User) -> QuerySet[Notice]:
    qs = access.scope(user, Notice.objects.all())
    return _with_counts(qs).select_related("created_by", "region").order_by("-created_at", "-id")


def notice_detail(user: User, notice_id: int) -> Notice:
    qs = _with_counts(Notice.objects.select_related("created_by", "region"))
    return access.get_for_user(user, qs, pk=notice_id)


@dataclass(frozen=True)
class Delivery:
    total: int
    read: int
    sms_sent: int
    sms_failed: int
    sms_no_address: int
    email_sent: int
    email_failed: int
    email_no_address: int
    # Not tried yet on a channel the notice asks for: a delivery under way, or one that stopped.
    sms_waiting: int
    email_waiting: int

    def unsent(self, notice: Notice) -> int:
        """Recipients not marked sent on some channel the notice asks for (what a resend tries:
        at most the total)."""
        sms = self.total - self.sms_sent if notice.send_sms else 0
        email = self.total - self.email_sent if notice.send_email else 0
        return max(sms, email)


def notice_delivery(notice: Notice) -> Delivery:
    """Read and delivery counts over all of a notice's recipients (figures, not names: the same
    for everyone who may see the notice)."""
    sent, failed, none = DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.NO_ADDRESS
    counts = NoticeRecipient.objects.filter(notice=notice).aggregate(
        total=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        sms_sent=Count("pk", filter=Q(sms_status=sent)),
        sms_failed=Count("pk", filter=Q(sms_status=failed)),
        sms_no_address=Count("pk", filter=Q(sms_status=none)),
        email_sent=Count("pk", filter=Q(email_status=sent)),
        email_failed=Count("pk", filter=Q(email_status=failed)),
        email_no_address=Count("pk", filter=Q(email_status=none)),
        sms_waiting=Count("pk", filter=Q(sms_status=DeliveryStatus.NONE)),
        email_waiting=Count("pk", filter=Q(email_status=DeliveryStatus.NONE)),
    )
    return Delivery(**counts)


RECIPIENT_STATES = {"read": Q(read_at__isnull=False), "unread": Q(read_at__isnull=True)}


def notice_recipients(user: User, notice: Notice, state: str = "") -> QuerySet[NoticeRecipient]:
    """The recipients ``user`` may see by name (city staff: the people of their lines)."""
    qs = access.scope(user, NoticeRecipient.objects.filter(notice=notice))
    if state in RECIPIENT_STATES:
        qs = qs.filter(RECIPIENT_STATES[state])
    return qs.select_related("person__region", "person__portal_account").order_by(
        "person__name_pinyin", "id"
    )


def notices_this_month(user: User) -> int:
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return access.scope(user, Notice.objects.filter(created_at__gte=start)).count()


# --- the portal: one person's own notices ---------------------------------------------------------


def portal_notices(account: PortalAccount) -> QuerySet[NoticeRecipient]:
    return (
        NoticeRecipient.objects.filter(person_id=account.person_id)
        .select_related("notice__region")
        .order_by("-notice__created_at", "-notice_id")
    )


def portal_notice(account: PortalAccount, notice_id: int) -> NoticeRecipient:
    """The person's copy of a notice; 404 alike for one not addressed to them and none at all."""
    # notice__pk, not notice_id: an id past the database's integers matches nothing, where the
    # raw column would overflow SQLite's.
    found = portal_notices(account).filter(notice__pk=notice_id).first()
    if found is None:
        raise Http404(access.NOT_FOUND)
    return found
