"""The portal's home page: what waits for the person, or for staff on the person's behalf."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from .models import (
    JoinApplication,
    NoticeRecipient,
    PortalAccount,
    ProfileRequest,
    ReviewStatus,
    Signup,
    SignupStatus,
    Submission,
)
from .services_opinions import can_rate


@dataclass(frozen=True)
class Home:
    unread_notices: int
    pending_requests: int
    pending_joins: int
    open_opinions: int
    to_rate: list[Submission] = field(default_factory=list)
    upcoming: list[Signup] = field(default_factory=list)

    @property
    def is_quiet(self) -> bool:
        return not (
            self.unread_notices
            or self.pending_requests
            or self.pending_joins
            or self.open_opinions
            or self.to_rate
            or self.upcoming
        )


def home(account: PortalAccount) -> Home:
    person_id = account.person_id
    submissions = list(
        Submission.objects.filter(person_id=person_id)
        .select_related("case")
        .only("id", "title", "status", "rating", "case__status")
    )
    to_rate = [s for s in submissions if can_rate(s)]
    open_opinions = [s for s in submissions if s.rating is None and s not in to_rate]
    upcoming = (
        Signup.objects.filter(
            person_id=person_id,
            status=SignupStatus.SIGNED_UP,
            opening__activity__date__gte=timezone.localdate(),
        )
        .select_related("opening__activity")
        .order_by("opening__activity__date")[:3]
    )
    return Home(
        unread_notices=NoticeRecipient.objects.filter(
            person_id=person_id, read_at__isnull=True
        ).count(),
        pending_requests=ProfileRequest.objects.filter(
            person_id=person_id, status=ReviewStatus.PENDING
        ).count(),
        pending_joins=JoinApplication.objects.filter(
            person_id=person_id, status=ReviewStatus.PENDING
        ).count(),
        open_opinions=len(open_opinions),
        to_rate=to_rate[:3],
        upcoming=list(upcoming),
    )
