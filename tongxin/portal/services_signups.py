"""Writes of sign-ups: staff open an activity for sign-up (and close it); people sign up or cancel;
at the event a person checks in by scanning the activity's QR code, or staff mark them present.
A check-in becomes the activity's participation with the role 参加 (work.services_activities), once.

Who answers for a self check-in: participations_add takes a staff actor who may change the
activity. A person scanning the code is no such actor, so the participation is written in the name
of the staff member who opened the sign-up, whose opening (and its QR code) is the standing
permission the person acts under; the audit row says 本人扫码签到 and names the person, so nobody
reads it as that staff member's own act. If that account can no longer change the activity, the
scan is refused with a sentence sending the person to the staff on site."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, audit, text, versioning
from tongxin.core.models import AuditAction, Region, User
from tongxin.registry.models import Organization, Person
from tongxin.work import services_activities as activities
from tongxin.work.checks import LINK_OUT_OF_SCOPE, REGION_OUT_OF_SCOPE, check_owner_writable
from tongxin.work.models import Activity, ParticipantRole, Participation

from . import selectors_signups as selectors
from .models_events import Signup, SignupOpening, SignupStatus

CAPACITY_INVALID = "名额须为至少1人的整数。"
CAPACITY_BELOW_TAKEN = "已有{taken}人报名，名额不能少于已报名人数。"
DEADLINE_PAST = "报名截止时间应晚于现在。"
DEADLINE_AFTER_ACTIVITY = "报名截止时间不能晚于活动结束（{last}）。"
NOT_OPEN = "本活动已停止报名。"
PAST_DEADLINE = "报名已于{deadline}截止，不能再报名。如需参加，请联系活动组织方。"
FULL = "报名人数已满（名额{capacity}人），不能再报名。"
NOT_ELIGIBLE = "本活动只接受{who}报名，您不在报名范围内。如有疑问，请联系活动组织方。"
ALREADY = "您已报名本活动，无需重复报名。"
NOT_SIGNED_UP = "您没有报名本活动，不能签到。请联系现场工作人员。"
CANCEL_AFTER_DEADLINE = "报名已截止，不能在网上取消。如不能参加，请告知活动组织方。"
CANCEL_CHECKED_IN = "您已签到，不能取消报名。"
NOTHING_TO_CANCEL = "您没有报名本活动，无需取消。"
CODE_UNKNOWN = "签到二维码无效。请扫描活动现场张贴的二维码，或联系现场工作人员。"
NOT_TODAY = "签到只在活动当天进行（{days}）。"
CHECKIN_UNAVAILABLE = "暂时无法扫码签到，请联系现场工作人员为您标记到场。"
ATTEND_CANCELLED = "该报名已取消，不能标记到场。"
ATTEND_EARLY = "活动尚未开始（{first}），不能标记到场。"

SELF_CHECKIN = "本人扫码签到（{name}）"
STAFF_CHECKIN = "工作人员标记到场（{name}）"


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _days(activity: Activity) -> str:
    first, last = selectors.activity_days(activity)
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"


# --- staff: open and close ------------------------------------------------------------------------


def _terms(opening: SignupOpening) -> dict[str, object]:
    """What the audit row shows of an opening's terms."""
    return {
        "capacity": opening.capacity,
        "deadline": _when(opening.deadline),
        "region": str(opening.region),
        "members_of": str(opening.members_of) if opening.members_of_id else None,
        "is_open": opening.is_open,
    }


def _check_opening(
    actor: User,
    activity: Activity,
    capacity: int,
    deadline: dt.datetime,
    region: Region,
    members_of: Organization | None,
) -> None:
    if capacity < 1:
        raise ValidationError({"capacity": CAPACITY_INVALID})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": DEADLINE_PAST})
    _, last = selectors.activity_days(activity)
    if timezone.localtime(deadline).date() > last:
        raise ValidationError({"deadline": DEADLINE_AFTER_ACTIVITY.format(last=f"{last:%Y-%m-%d}")})
    if not access.scope(actor, Region.objects.filter(pk=region.pk)).exists():
        raise ValidationError({"region": REGION_OUT_OF_SCOPE})
    if (
        members_of is not None
        and not access.scope(actor, Organization.objects.filter(pk=members_of.pk)).exists()
    ):
        raise ValidationError({"members_of": LINK_OUT_OF_SCOPE.format(label="仅限该组织成员")})


@transaction.atomic
def opening_save(
    *,
    actor: User,
    activity: Activity,
    capacity: int,
    deadline: dt.datetime,
    region: Region | None = None,
    members_of: Organization | None = None,
    description: str = "",
    expected_version: int | None = None,
) -> SignupOpening:
    """Open ``activity`` for sign-up, or change its opening (and open it again if closed)."""
    check_owner_writable(actor, activity)
    region = region or activity.region
    _check_opening(actor, activity, capacity, deadline, region, members_of)
    opening = SignupOpening.objects.filter(activity=activity).first()
    before = _terms(opening) if opening is not None else {}
    if opening is None:
        opening = SignupOpening(activity=activity, opened_by=actor)
    else:
        versioning.claim(opening, expected_version)
        taken = opening.signups.filter(status=SignupStatus.SIGNED_UP).count()
        if taken > capacity:
            raise ValidationError({"capacity": CAPACITY_BELOW_TAKEN.format(taken=taken)})
    opening.capacity = capacity
    opening.deadline = deadline
    opening.region = region
    opening.members_of = members_of
    opening.description = text.prose(description)
    opening.is_open = True
    opening.full_clean()
    opening.save()
    audit.record(
        AuditAction.UPDATE,
        obj=opening,
        actor=actor,
        changes={k: [before.get(k), v] for k, v in _terms(opening).items() if before.get(k) != v},
        detail="开放活动报名" if not before else "修改活动报名",
    )
    return opening


@transaction.atomic
def opening_close(
    *, actor: User, opening: SignupOpening, expected_version: int | None = None
) -> SignupOpening:
    check_owner_writable(actor, opening.activity)
    versioning.claim(opening, expected_version)
    if opening.is_open:
        opening.is_open = False
        opening.save(update_fields=["is_open"])
        audit.record(
            AuditAction.UPDATE,
            obj=opening,
            actor=actor,
            changes={"is_open": [True, False]},
            detail="停止活动报名",
        )
    return opening


# --- the person: sign up and cancel ---------------------------------------------------------------


def _who(opening: SignupOpening) -> str:
    who = f"{opening.region.name}的人员"
    if opening.members_of_id is not None:
        who = f"{opening.region.name}“{opening.members_of}”的成员"
    return who


@transaction.atomic
def signup_create(*, person: Person, opening: SignupOpening) -> Signup:
    # The opening's row is locked: sign-ups for one activity are counted one at a time.
    locked = (
        SignupOpening.objects.select_for_update(of=("self",))
        .select_related("region", "members_of")
        .get(pk=opening.pk)
    )
    if not locked.is_open:
        raise ValidationError(NOT_OPEN)
    if locked.deadline <= timezone.now():
        raise ValidationError(PAST_DEADLINE.format(deadline=_when(locked.deadline)))
    if not selectors.is_eligible(person, locked):
        raise ValidationError(NOT_ELIGIBLE.format(who=_who(locked)))
    signup = Signup.objects.filter(opening=locked, person=person).first()
    if signup is not None and signup.status == SignupStatus.SIGNED_UP:
        raise ValidationError(ALREADY)
    taken = Signup.objects.filter(opening=locked, status=SignupStatus.SIGNED_UP).count()
    if taken >= locked.capacity:
        raise ValidationError(FULL.format(capacity=locked.capacity))
    if signup is None:
        signup = Signup(opening=locked, person=person)
    signup.status = SignupStatus.SIGNED_UP
    signup.signed_up_at = timezone.now()
    signup.cancelled_at = None
    signup.full_clean()
    signup.save()
    return signup


@transaction.atomic
def signup_cancel(*, person: Person, opening: SignupOpening) -> Signup:
    signup = (
        Signup.objects.select_for_update()
        .filter(opening=opening, person=person, status=SignupStatus.SIGNED_UP)
        .first()
    )
    if signup is None:
        raise ValidationError(NOTHING_TO_CANCEL)
    if signup.participation_id is not None:
        raise ValidationError(CANCEL_CHECKED_IN)
    if opening.deadline <= timezone.now():
        raise ValidationError(CANCEL_AFTER_DEADLINE)
    signup.status = SignupStatus.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    return signup


# --- check-in -------------------------------------------------------------------------------------


def _check_in(signup: Signup, *, actor: User, staff: User | None, note: str) -> Signup:
    """Record the person at the activity with the role 参加, unless they are already on its list
    (a staff member may have added them by hand): then that row is the one linked."""
    activity = signup.opening.activity
    participation = Participation.objects.filter(activity=activity, person=signup.person).first()
    if participation is None:
        with audit.noting(note):
            (participation,) = activities.participations_add(
                actor=actor,
                activity=activity,
                participants=[
                    activities.ParticipantSpec(
                        role=ParticipantRole.TAKES_PART, person=signup.person, note="门户报名"
                    )
                ],
            )
    signup.participation = participation
    signup.checked_in_at = timezone.now()
    signup.checked_in_by = staff
    signup.save(update_fields=["participation", "checked_in_at", "checked_in_by"])
    return signup


@transaction.atomic
def checkin_by_code(*, person: Person, code: str) -> tuple[Signup, bool]:
    """The person scanned the activity's code: on the activity's day(s), if signed up. Answers the
    sign-up and whether this scan checked them in (a second scan changes nothing)."""
    opening = selectors.opening_by_code(code)
    if opening is None:
        raise ValidationError(CODE_UNKNOWN)
    signup = (
        Signup.objects.select_for_update()
        .filter(opening=opening, person=person, status=SignupStatus.SIGNED_UP)
        .first()
    )
    if signup is None:
        raise ValidationError(NOT_SIGNED_UP)
    signup.opening = opening
    if signup.participation_id is not None:
        return signup, False
    if not selectors.is_activity_day(opening.activity):
        raise ValidationError(NOT_TODAY.format(days=_days(opening.activity)))
    opener = opening.opened_by
    try:
        with audit.acting_as(opener, via="个人门户"):
            _check_in(signup, actor=opener, staff=None, note=SELF_CHECKIN.format(name=person.name))
            return signup, True
    except (PermissionDenied, ValidationError):
        # The opener's account was disabled or moved since: staff on site mark attendance instead.
        raise ValidationError(CHECKIN_UNAVAILABLE) from None


@transaction.atomic
def attendance_mark(*, actor: User, signup: Signup) -> tuple[Signup, bool]:
    """Staff mark a signed-up person present (on or after the activity's first day). Answers the
    sign-up and whether this marked them (a second mark changes nothing)."""
    check_owner_writable(actor, signup.opening.activity)
    locked = Signup.objects.select_for_update().get(pk=signup.pk)
    locked.opening = signup.opening
    if locked.status != SignupStatus.SIGNED_UP:
        raise ValidationError(ATTEND_CANCELLED)
    if locked.participation_id is not None:
        return locked, False
    first, _ = selectors.activity_days(locked.opening.activity)
    if timezone.localdate() < first:
        raise ValidationError(ATTEND_EARLY.format(first=f"{first:%Y-%m-%d}"))
    note = STAFF_CHECKIN.format(name=locked.person.name)
    return _check_in(locked, actor=actor, staff=actor, note=note), True
