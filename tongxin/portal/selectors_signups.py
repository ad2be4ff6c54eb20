"""Reads of sign-ups for activities: which open activities a person may sign up for and their own
sign-ups; for staff, the openings and sign-up lists of the activities in their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import User
from tongxin.registry.models import Person
from tongxin.work.checks import can_write_owned
from tongxin.work.models import Activity

from .models_events import Signup, SignupOpening, SignupStatus
from .selectors_joins import current_memberships

ACTIVE = Q(signups__status=SignupStatus.SIGNED_UP)


def with_counts(qs: QuerySet[SignupOpening]) -> QuerySet[SignupOpening]:
    """Each opening with ``signed_up`` (active sign-ups), ``checked_in`` and ``places_left``."""
    return qs.annotate(
        signed_up=Count("signups", filter=ACTIVE),
        checked_in=Count("signups", filter=ACTIVE & Q(signups__participation__isnull=False)),
    ).annotate(
        places_left=ExpressionWrapper(F("capacity") - F("signed_up"), output_field=IntegerField())
    )


def _eligible_q(person: Person) -> Q:
    """Openings whose region holds the person's, and (if set) whose organization they belong to."""
    member_of = current_memberships(person).values("organization_id")
    return Q(region__path__in=person.region.ancestor_paths()) & (
        Q(members_of__isnull=True) | Q(members_of__in=member_of)
    )


def is_eligible(person: Person, opening: SignupOpening) -> bool:
    if not opening.region.contains(person.region):
        return False
    if opening.members_of_id is None:
        return True
    return current_memberships(person).filter(organization_id=opening.members_of_id).exists()


def _openings() -> QuerySet[SignupOpening]:
    return SignupOpening.objects.select_related(
        "activity", "activity__type", "activity__region", "region", "members_of"
    )


def open_for(person: Person) -> QuerySet[SignupOpening]:
    """Activities the person may sign up for now: open, before the deadline, eligible."""
    return with_counts(
        _openings()
        .filter(is_open=True, deadline__gt=timezone.now())
        .filter(_eligible_q(person))
        .order_by("activity__date", "deadline", "pk")
    )


def own_signups(person: Person) -> QuerySet[Signup]:
    return (
        Signup.objects.filter(person=person)
        .select_related(
            "opening", "opening__activity", "opening__activity__type", "opening__activity__region"
        )
        .order_by("-opening__activity__date", "-pk")
    )


@dataclass(frozen=True)
class PersonView:
    """One activity as the person sees it: the opening, their sign-up (if any) and what they may
    do now."""

    opening: SignupOpening
    signup: Signup | None
    eligible: bool
    places_left: int

    @property
    def signed_up(self) -> bool:
        return self.signup is not None and self.signup.status == SignupStatus.SIGNED_UP

    @property
    def before_deadline(self) -> bool:
        return self.opening.deadline > timezone.now()

    @property
    def can_sign_up(self) -> bool:
        return (
            not self.signed_up
            and self.eligible
            and self.opening.is_open
            and self.before_deadline
            and self.places_left > 0
        )

    @property
    def can_cancel(self) -> bool:
        return (
            self.signed_up
            and self.signup is not None
            and self.signup.participation_id is None
            and self.before_deadline
        )


def for_person(person: Person, activity_id: int) -> PersonView:
    """The activity's opening if the person may see it: eligible while it is open, or signed up
    (or once signed up) whatever its state. Anything else is 404."""
    # activity__pk, not activity_id: an id past the database's integers then matches nothing
    # (Django's integer lookup), where the raw column would overflow SQLite's.
    opening = with_counts(_openings().filter(activity__pk=activity_id)).first()
    if opening is None:
        raise Http404(access.NOT_FOUND)
    signup = Signup.objects.filter(opening=opening, person=person).first()
    eligible = is_eligible(person, opening)
    if signup is None and not (eligible and opening.is_open):
        raise Http404(access.NOT_FOUND)
    return PersonView(opening, signup, eligible, max(opening.places_left, 0))  # type: ignore[attr-defined]


def opening_by_code(code: str) -> SignupOpening | None:
    return _openings().select_related("opened_by").filter(checkin_code=code).first()


def activity_days(activity: Activity) -> tuple[dt.date, dt.date]:
    return activity.date, activity.end_date or activity.date


def is_activity_day(activity: Activity, day: dt.date | None = None) -> bool:
    first, last = activity_days(activity)
    return first <= (day or timezone.localdate()) <= last


# --- staff ----------------------------------------------------------------------------------------


def staff_openings(user: User) -> QuerySet[SignupOpening]:
    return with_counts(access.scope(user, _openings().select_related("opened_by"))).order_by(
        "-activity__date", "-pk"
    )


def open_opening_count(user: User) -> int:
    return access.scope(user, SignupOpening.objects.filter(is_open=True)).count()


def activity_for_staff(user: User, activity_id: int) -> Activity:
    return access.get_for_user(
        user, Activity.objects.select_related("type", "region", "line"), pk=activity_id
    )


def opening_of(activity: Activity) -> SignupOpening | None:
    return with_counts(_openings().select_related("opened_by").filter(activity=activity)).first()


def upcoming_without_opening(user: User, limit: int = 20) -> list[Activity]:
    """Activities from today on, in the user's scope and theirs to change, not yet opened."""
    activities = (
        access.scope(user, Activity.objects.filter(date__gte=timezone.localdate()))
        .filter(signup_opening__isnull=True)
        .select_related("type", "region", "line")
        .order_by("date", "pk")
    )
    return [a for a in activities[: limit * 2] if can_write_owned(user, a)][:limit]


def signups_of(user: User, opening: SignupOpening) -> QuerySet[Signup]:
    return (
        access.scope(user, Signup.objects.filter(opening=opening))
        .select_related("person", "person__region", "checked_in_by")
        .order_by("-status", "signed_up_at", "pk")  # signed_up before cancelled
    )


def signup_for_staff(user: User, signup_id: int) -> Signup:
    return access.get_for_user(
        user,
        Signup.objects.select_related("opening", "opening__activity", "person"),
        pk=signup_id,
    )
