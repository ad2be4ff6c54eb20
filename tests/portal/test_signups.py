"""Activities: staff open one for sign-up; people sign up within capacity, deadline and eligibility
or cancel; check-in by the activity's QR code or by staff becomes one 参加 participation; who sees
and changes what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tongxin.core.models import AuditEvent
from tongxin.portal import selectors_signups as selectors
from tongxin.portal import services_signups as services
from tongxin.portal.models_events import Signup, SignupOpening, SignupStatus
from tongxin.registry.models import Membership
from tongxin.work.models import Activity, ParticipantRole, Participation

from ..conftest import Cast, login
from .events_world import (
    Joining,
    make_joining,
    new_person,
    open_signup,
    past_deadline,
    today_activity,
)
from .helpers import make_account, portal_client


@pytest.fixture
def world(cast: Cast) -> Joining:
    return make_joining(cast)


@pytest.fixture
def activity(cast: Cast) -> Activity:
    return today_activity(cast.jingyang)


@pytest.fixture
def opening(cast: Cast, activity: Activity) -> SignupOpening:
    return open_signup(cast.jingyang, activity)


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def sign_up(world: Joining, opening: SignupOpening, account: Any = None) -> Signup:
    return services.signup_create(person=(account or world.account).person, opening=opening)


# --- staff open and close -------------------------------------------------------------------------


def test_staff_open_an_activity_for_its_region_by_default(cast: Cast, activity: Activity) -> None:
    deadline = timezone.localtime() + dt.timedelta(hours=3)
    response = login(cast.jingyang).post(
        f"/portal-admin/activities/{activity.pk}/signup/",
        {
            "capacity": 20,
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "region": cast.jingyang_region.pk,
            "description": "请提前十分钟到场。",
        },
    )
    assert response.status_code == 302
    opening = SignupOpening.objects.get(activity=activity)
    assert (opening.capacity, opening.region, opening.opened_by) == (
        20,
        cast.jingyang_region,
        cast.jingyang,
    )
    assert opening.is_open and opening.members_of is None
    assert (
        services.opening_save(
            actor=cast.jingyang, activity=activity, capacity=20, deadline=opening.deadline
        ).region
        == activity.region
    )


def test_a_deadline_after_the_activity_or_in_the_past_is_refused(
    cast: Cast, activity: Activity
) -> None:
    with pytest.raises(ValidationError, match=services.DEADLINE_PAST):
        open_signup(cast.jingyang, activity, hours=-1)
    with pytest.raises(ValidationError, match="报名截止时间不能晚于活动结束"):
        open_signup(cast.jingyang, activity, hours=24 * 3)


def test_closing_stops_sign_ups(cast: Cast, world: Joining, opening: SignupOpening) -> None:
    response = login(cast.jingyang).post(
        f"/portal-admin/activities/{opening.activity_id}/signup/close/"
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert not opening.is_open
    with pytest.raises(ValidationError, match=services.NOT_OPEN):
        sign_up(world, opening)


# --- sign up and cancel ---------------------------------------------------------------------------


def test_a_person_signs_up_through_the_page(world: Joining, opening: SignupOpening) -> None:
    client = portal_client(world.account)
    listing = client.get("/portal/activities/").content.decode()
    assert opening.activity.title in listing
    response = client.post(f"/portal/activities/{opening.activity_id}/signup/", follow=True)
    assert "报名成功" in messages_of(response)
    signup = Signup.objects.get()
    assert (signup.person, signup.status) == (world.account.person, SignupStatus.SIGNED_UP)
    assert "已报名" in client.get("/portal/activities/").content.decode()


def test_signing_up_and_cancelling_count_against_the_submission_rate(
    world: Joining, opening: SignupOpening, settings: Any
) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    client = portal_client(world.account)
    base = f"/portal/activities/{opening.activity_id}/"
    codes = [client.post(base + path).status_code for path in ("signup/", "cancel/", "signup/")]
    assert codes == [302, 302, 429]
    assert Signup.objects.get().status == SignupStatus.CANCELLED


def test_sign_up_refused_past_the_deadline(world: Joining, opening: SignupOpening) -> None:
    past_deadline(opening)
    with pytest.raises(ValidationError, match=r"报名已于.*截止，不能再报名"):
        sign_up(world, opening)
    # The page no longer lists it.
    listing = portal_client(world.account).get("/portal/activities/").content.decode()
    assert opening.activity.title not in listing


def test_sign_up_refused_when_full(cast: Cast, world: Joining, activity: Activity) -> None:
    opening = open_signup(cast.jingyang, activity, capacity=1)
    sign_up(world, opening, world.other)
    client = portal_client(world.account)
    response = client.post(f"/portal/activities/{activity.pk}/signup/", follow=True)
    assert services.FULL.format(capacity=1) in messages_of(response)
    assert Signup.objects.filter(status=SignupStatus.SIGNED_UP).count() == 1
    # A cancellation frees the place.
    services.signup_cancel(person=world.other.person, opening=opening)
    sign_up(world, opening)


def test_sign_up_refused_outside_the_region(
    cast: Cast, world: Joining, opening: SignupOpening
) -> None:
    luojiang = make_account(
        new_person(cast, "罗江报名人", region=cast.luojiang_region), "13800000021"
    )
    with pytest.raises(ValidationError, match="本活动只接受旌阳区的人员报名"):
        services.signup_create(person=luojiang.person, opening=opening)
    client = portal_client(luojiang)
    assert opening.activity.title not in client.get("/portal/activities/").content.decode()
    assert client.get(f"/portal/activities/{opening.activity_id}/").status_code == 404
    assert client.post(f"/portal/activities/{opening.activity_id}/signup/").status_code == 404
    assert not Signup.objects.exists()


def test_sign_up_refused_to_a_non_member_when_members_only(
    cast: Cast, world: Joining, activity: Activity
) -> None:
    opening = open_signup(cast.jingyang, activity, members_of=world.service_team)
    with pytest.raises(ValidationError, match="服务团”的成员报名"):
        sign_up(world, opening)
    Membership.objects.create(person=world.account.person, organization=world.service_team)
    assert sign_up(world, opening).status == SignupStatus.SIGNED_UP


def test_signing_up_twice_is_refused_and_again_after_cancelling_is_allowed(
    world: Joining, opening: SignupOpening
) -> None:
    sign_up(world, opening)
    with pytest.raises(ValidationError, match=services.ALREADY):
        sign_up(world, opening)
    services.signup_cancel(person=world.account.person, opening=opening)
    again = sign_up(world, opening)
    assert again.status == SignupStatus.SIGNED_UP and again.cancelled_at is None
    assert Signup.objects.count() == 1


def test_cancel_before_the_deadline_not_after(world: Joining, opening: SignupOpening) -> None:
    sign_up(world, opening)
    client = portal_client(world.account)
    past_deadline(opening)
    response = client.post(f"/portal/activities/{opening.activity_id}/cancel/", follow=True)
    assert services.CANCEL_AFTER_DEADLINE in messages_of(response)
    assert Signup.objects.get().status == SignupStatus.SIGNED_UP
    SignupOpening.objects.filter(pk=opening.pk).update(
        deadline=timezone.now() + dt.timedelta(hours=1)
    )
    response = client.post(f"/portal/activities/{opening.activity_id}/cancel/", follow=True)
    assert "已取消报名" in messages_of(response)
    assert Signup.objects.get().status == SignupStatus.CANCELLED


def test_the_list_page_answers_in_a_fixed_number_of_queries(
    cast: Cast, world: Joining, opening: SignupOpening
) -> None:
    client = portal_client(world.account)
    client.get("/portal/activities/")
    with CaptureQueriesContext(connection) as few:
        client.get("/portal/activities/")
    sign_up(world, opening)
    open_signup(cast.jingyang, today_activity(cast.jingyang, title="旌阳区第二场"))
    open_signup(cast.jingyang, today_activity(cast.jingyang, title="旌阳区第三场"))
    with CaptureQueriesContext(connection) as more:
        client.get("/portal/activities/")
    assert len(more) == len(few)


# --- check-in -------------------------------------------------------------------------------------


def checkin_url(opening: SignupOpening) -> str:
    return f"/portal/activities/checkin/{opening.checkin_code}/"


def test_scanning_the_code_checks_in_once_as_a_participation_with_role_takes_part(
    cast: Cast, world: Joining, opening: SignupOpening
) -> None:
    sign_up(world, opening)
    client = portal_client(world.account)
    response = client.get(checkin_url(opening))
    assert response.status_code == 200
    assert "签到成功" in response.content.decode()
    again = client.get(checkin_url(opening))
    assert "您已签到，无需重复签到" in again.content.decode()
    participation = Participation.objects.get(
        activity=opening.activity, person=world.account.person
    )
    assert participation.role == ParticipantRole.TAKES_PART == "takes_part"
    assert participation.get_role_display() == "参加"
    signup = Signup.objects.get()
    assert signup.participation == participation
    assert signup.checked_in_at is not None and signup.checked_in_by is None
    created = AuditEvent.objects.get(
        object_type="work.participation", object_id=str(participation.pk), action="create"
    )
    assert created.actor == opening.opened_by
    assert "本人扫码签到" in created.detail


def test_a_person_not_signed_up_cannot_check_in(world: Joining, opening: SignupOpening) -> None:
    response = portal_client(world.account).get(checkin_url(opening))
    assert response.status_code == 400
    assert services.NOT_SIGNED_UP in response.content.decode()
    sign_up(world, opening)
    services.signup_cancel(person=world.account.person, opening=opening)
    with pytest.raises(ValidationError, match=services.NOT_SIGNED_UP):
        services.checkin_by_code(person=world.account.person, code=opening.checkin_code)
    assert (
        not Participation.objects.filter(activity=opening.activity)
        .exclude(person=None)
        .filter(person=world.account.person)
        .exists()
    )


def test_check_in_only_on_the_activitys_days(cast: Cast, world: Joining) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    later = today_activity(cast.jingyang, date=tomorrow, end_date=tomorrow + dt.timedelta(days=1))
    opening = open_signup(cast.jingyang, later)
    sign_up(world, opening)
    with pytest.raises(ValidationError, match="签到只在活动当天进行"):
        services.checkin_by_code(person=world.account.person, code=opening.checkin_code)
    assert not Participation.objects.filter(activity=later).exists()


def test_an_unknown_code_is_404(world: Joining) -> None:
    response = portal_client(world.account).get("/portal/activities/checkin/nosuchcode/")
    assert response.status_code == 404
    assert services.CODE_UNKNOWN in response.content.decode()


def test_the_checkin_link_asks_a_stranger_to_log_in(opening: SignupOpening) -> None:
    from django.test import Client

    response = Client().get(checkin_url(opening))
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/?next=")


def test_a_person_already_listed_by_staff_keeps_one_participation(
    cast: Cast, world: Joining, opening: SignupOpening
) -> None:
    from tongxin.work import services_activities as activities

    activities.participations_add(
        actor=cast.jingyang,
        activity=opening.activity,
        participants=[activities.ParticipantSpec(role="exchange", person=world.account.person)],
    )
    sign_up(world, opening)
    signup, new = services.checkin_by_code(person=world.account.person, code=opening.checkin_code)
    assert new
    assert (
        Participation.objects.filter(activity=opening.activity, person=world.account.person).count()
        == 1
    )
    assert signup.participation is not None and signup.participation.role == "exchange"


def test_staff_mark_attendance_once(cast: Cast, world: Joining, opening: SignupOpening) -> None:
    signup = sign_up(world, opening)
    staff = login(cast.jingyang)
    page = staff.get(f"/portal-admin/activities/{opening.activity_id}/signup/").content.decode()
    assert "旌阳申请人" in page and "标记到场" in page
    response = staff.post(f"/portal-admin/signups/{signup.pk}/attend/", follow=True)
    assert "已标记旌阳申请人到场" in messages_of(response)
    response = staff.post(f"/portal-admin/signups/{signup.pk}/attend/", follow=True)
    assert "无需重复标记" in messages_of(response)
    signup.refresh_from_db()
    assert signup.checked_in_by == cast.jingyang
    participation = Participation.objects.get(
        activity=opening.activity, person=world.account.person
    )
    assert participation.role == ParticipantRole.TAKES_PART
    # The person's own scan afterwards changes nothing.
    _, new = services.checkin_by_code(person=world.account.person, code=opening.checkin_code)
    assert not new
    assert (
        Participation.objects.filter(activity=opening.activity, person=world.account.person).count()
        == 1
    )


def test_staff_cannot_mark_a_cancelled_sign_up(
    cast: Cast, world: Joining, opening: SignupOpening
) -> None:
    signup = sign_up(world, opening)
    services.signup_cancel(person=world.account.person, opening=opening)
    with pytest.raises(ValidationError, match=services.ATTEND_CANCELLED):
        services.attendance_mark(actor=cast.jingyang, signup=signup)


def test_the_staff_page_serves_the_qr_code_of_the_checkin_link(
    cast: Cast, opening: SignupOpening, settings: Any
) -> None:
    settings.PORTAL_BASE_URL = "https://tongxin.example.cn"
    staff = login(cast.jingyang)
    page = staff.get(f"/portal-admin/activities/{opening.activity_id}/signup/").content.decode()
    assert f"https://tongxin.example.cn/portal/activities/checkin/{opening.checkin_code}/" in page
    svg = staff.get(f"/portal-admin/activities/{opening.activity_id}/signup/qr.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


# --- who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_get_404_and_see_nothing(
    cast: Cast, world: Joining, opening: SignupOpening, who: str
) -> None:
    signup = sign_up(world, opening)
    client = login(getattr(cast, who))
    base = f"/portal-admin/activities/{opening.activity_id}/signup/"
    assert client.get(base).status_code == 404
    assert client.get(base + "qr.svg").status_code == 404
    assert client.post(base, {"capacity": 1}).status_code == 404
    assert client.post(base + "close/").status_code == 404
    assert client.post(f"/portal-admin/signups/{signup.pk}/attend/").status_code == 404
    assert "旌阳" not in client.get("/portal-admin/activities/").content.decode()
    signup.refresh_from_db()
    opening.refresh_from_db()
    assert signup.participation is None and opening.is_open
    assert selectors.open_opening_count(getattr(cast, who)) == 0


def test_the_leader_reads_the_list_but_cannot_mark(
    cast: Cast, world: Joining, opening: SignupOpening
) -> None:
    signup = sign_up(world, opening)
    leader = login(cast.leader)
    assert (
        "旌阳申请人"
        in leader.get(f"/portal-admin/activities/{opening.activity_id}/signup/").content.decode()
    )
    assert leader.post(f"/portal-admin/signups/{signup.pk}/attend/").status_code == 403
    assert (
        leader.post(f"/portal-admin/activities/{opening.activity_id}/signup/close/").status_code
        == 403
    )


def test_the_hub_and_the_list_show_open_activities(cast: Cast, opening: SignupOpening) -> None:
    staff = login(cast.jingyang)
    assert selectors.open_opening_count(cast.jingyang) == 1
    assert opening.activity.title in staff.get("/portal-admin/activities/").content.decode()
    assert "活动报名与签到" in staff.get("/portal-admin/").content.decode()
