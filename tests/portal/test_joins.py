"""Joining an organization: what a person may apply to, one pending application per organization,
withdrawal; staff approval creating the membership, rejection with a reason, a decision taken once,
the quarter's quota; who sees and decides what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tongxin.core.models import AuditEvent, BusinessLine, Role
from tongxin.core.versioning import EditConflict
from tongxin.portal import selectors_joins as selectors
from tongxin.portal import services_joins as services
from tongxin.portal.messaging import LocMemSMSBackend
from tongxin.portal.models_requests import JoinApplication, JoinQuota, ReviewStatus
from tongxin.registry.models import Membership

from ..conftest import Cast, login
from ..factories import UserFactory
from .events_world import Joining, make_joining
from .helpers import portal_client


@pytest.fixture
def world(cast: Cast) -> Joining:
    return make_joining(cast)


def apply(
    world: Joining, organization: Any = None, reason: str = "从事软件行业，希望参加服务活动。"
) -> JoinApplication:
    return services.join_apply(
        person=world.account.person,
        organization=organization or world.service_team,
        reason=reason,
    )


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- what a person may apply to -------------------------------------------------------------------


def test_the_list_offers_the_district_and_city_clubs_and_teams_only(world: Joining) -> None:
    names = {o.name for o in selectors.joinable_organizations(world.account.person)}
    assert world.service_team.name in names
    assert world.city_club.name in names
    assert "旌阳区新的社会阶层人士联谊会" in names  # the cast's 旌阳 联谊组织
    assert world.luojiang_club.name not in names  # another district
    assert world.enterprise.name not in names  # not a 联谊组织 or 服务团


def test_the_page_lists_organizations_memberships_and_applications(
    cast: Cast, world: Joining
) -> None:
    apply(world, world.city_club)
    client = portal_client(world.account)
    body = client.get("/portal/organizations/").content.decode()
    assert world.service_team.name in body
    assert world.city_club.name in body and "审核中" in body
    assert world.luojiang_club.name not in body
    assert world.enterprise.name not in body


def test_the_list_page_answers_in_a_fixed_number_of_queries(cast: Cast, world: Joining) -> None:
    client = portal_client(world.account)
    client.get("/portal/organizations/")
    with CaptureQueriesContext(connection) as few:
        client.get("/portal/organizations/")
    apply(world, world.city_club)
    apply(world, world.service_team)
    with CaptureQueriesContext(connection) as more:
        client.get("/portal/organizations/")
    assert len(more) == len(few)


def test_applying_to_an_organization_out_of_reach_is_404(world: Joining) -> None:
    client = portal_client(world.account)
    for org in (world.luojiang_club, world.enterprise):
        response = client.post(f"/portal/organizations/{org.pk}/apply/", {"reason": "想加入"})
        assert response.status_code == 404
    assert not JoinApplication.objects.exists()


def test_applying_needs_a_reason(world: Joining) -> None:
    client = portal_client(world.account)
    response = client.post(f"/portal/organizations/{world.service_team.pk}/apply/", {"reason": " "})
    assert response.status_code == 400
    assert services.REASON_REQUIRED in response.content.decode()
    with pytest.raises(ValidationError, match=services.REASON_REQUIRED):
        apply(world, reason="  ")


def test_applying_through_the_page(world: Joining) -> None:
    client = portal_client(world.account)
    response = client.post(
        f"/portal/organizations/{world.service_team.pk}/apply/", {"reason": "希望参加服务活动"}
    )
    application = JoinApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/organizations/applications/{application.pk}/"
    assert application.person == world.account.person
    assert application.status == ReviewStatus.PENDING


def test_one_pending_application_per_organization(world: Joining) -> None:
    apply(world)
    with pytest.raises(ValidationError, match=services.ALREADY_PENDING):
        apply(world)
    client = portal_client(world.account)
    response = client.post(
        f"/portal/organizations/{world.service_team.pk}/apply/", {"reason": "再申请一次"}
    )
    assert services.ALREADY_PENDING in response.content.decode()
    assert JoinApplication.objects.count() == 1


def test_a_member_need_not_apply(cast: Cast, world: Joining) -> None:
    Membership.objects.create(person=world.account.person, organization=world.service_team)
    with pytest.raises(ValidationError, match=services.ALREADY_MEMBER):
        apply(world)


def test_a_person_withdraws_a_pending_application_and_may_apply_again(world: Joining) -> None:
    application = apply(world)
    client = portal_client(world.account)
    response = client.post(f"/portal/organizations/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ReviewStatus.WITHDRAWN
    response = client.post(
        f"/portal/organizations/applications/{application.pk}/withdraw/", follow=True
    )
    assert services.NOT_WITHDRAWABLE in messages_of(response)
    apply(world)
    assert JoinApplication.objects.filter(status=ReviewStatus.PENDING).count() == 1


def test_applying_and_withdrawing_count_against_the_submission_rate(
    world: Joining, settings: Any
) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    client = portal_client(world.account)
    apply_url = f"/portal/organizations/{world.service_team.pk}/apply/"
    assert client.post(apply_url, {"reason": "希望参加服务活动"}).status_code == 302
    application = JoinApplication.objects.get()
    withdraw = f"/portal/organizations/applications/{application.pk}/withdraw/"
    assert client.post(withdraw).status_code == 302
    response = client.post(apply_url, {"reason": "再申请一次"})
    assert response.status_code == 429 and "操作太频繁" in response.content.decode()
    assert JoinApplication.objects.count() == 1


def test_another_persons_account_gets_404_on_your_application(world: Joining) -> None:
    application = apply(world)
    intruder = portal_client(world.other)
    base = f"/portal/organizations/applications/{application.pk}/"
    assert intruder.get(base).status_code == 404
    assert intruder.post(base + "withdraw/").status_code == 404
    application.refresh_from_db()
    assert application.status == ReviewStatus.PENDING
    assert "旌阳申请人" not in intruder.get("/portal/organizations/").content.decode()


# --- staff decide ---------------------------------------------------------------------------------


def test_approval_creates_the_membership_as_member_from_today(
    cast: Cast, world: Joining, django_capture_on_commit_callbacks: Any
) -> None:
    application = apply(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.jingyang).post(
            f"/portal-admin/joins/{application.pk}/",
            {"decision": "approve", "expected_version": application.version},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    membership = application.membership
    assert application.status == ReviewStatus.APPROVED
    assert application.reviewed_by == cast.jingyang
    assert membership is not None
    assert (membership.person, membership.organization) == (
        world.account.person,
        world.service_team,
    )
    assert membership.role == "会员"
    assert membership.term_start == timezone.localdate()
    assert LocMemSMSBackend.outbox == [
        (
            world.account.phone,
            "【同心】" + services.SMS_APPROVED.format(org=world.service_team.name),
        )
    ]
    assert AuditEvent.objects.filter(
        object_type="portal.joinapplication", object_id=str(application.pk), actor=cast.jingyang
    ).exists()


def test_rejection_needs_a_reason_which_the_person_reads(
    cast: Cast, world: Joining, django_capture_on_commit_callbacks: Any
) -> None:
    application = apply(world)
    staff = login(cast.jingyang)
    url = f"/portal-admin/joins/{application.pk}/"
    response = staff.post(url, {"decision": "reject", "reason": "", "expected_version": 1})
    assert response.status_code == 400
    assert services.REJECT_REASON_REQUIRED in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            url,
            {"decision": "reject", "reason": "本期名额已满，请明年再申请。", "expected_version": 1},
        )
    application.refresh_from_db()
    assert application.status == ReviewStatus.REJECTED
    assert application.membership is None
    assert not Membership.objects.filter(person=world.account.person).exists()
    assert "本期名额已满" in LocMemSMSBackend.outbox[0][1]
    body = portal_client(world.account).get(f"/portal/organizations/applications/{application.pk}/")
    assert "本期名额已满，请明年再申请。" in body.content.decode()


def test_a_decision_is_taken_once(cast: Cast, world: Joining) -> None:
    application = apply(world)
    services.join_approve(actor=cast.jingyang, application=application)
    with pytest.raises(ValidationError, match=services.DECIDED):
        services.join_reject(actor=cast.jingyang, application=application, reason="重复")
    with pytest.raises(ValidationError, match=services.DECIDED):
        services.join_approve(actor=cast.admin, application=application)
    assert Membership.objects.filter(person=world.account.person).count() == 1


def test_a_decision_on_a_page_shown_before_a_change_is_refused(cast: Cast, world: Joining) -> None:
    application = apply(world)
    stale = application.version
    JoinApplication.objects.filter(pk=application.pk).update(version=stale + 1)
    with pytest.raises(EditConflict):
        services.join_approve(actor=cast.jingyang, application=application, expected_version=stale)
    assert not Membership.objects.filter(person=world.account.person).exists()


def test_an_application_withdrawn_meanwhile_is_not_approved(cast: Cast, world: Joining) -> None:
    application = apply(world)
    page_version = application.version
    services.join_withdraw(person=world.account.person, application=application)
    response = login(cast.jingyang).post(
        f"/portal-admin/joins/{application.pk}/",
        {"decision": "approve", "expected_version": page_version},
    )
    assert services.DECIDED in response.content.decode()
    assert not Membership.objects.filter(person=world.account.person).exists()


def test_the_leader_reads_the_queue_but_cannot_decide(cast: Cast, world: Joining) -> None:
    application = apply(world)
    leader = login(cast.leader)
    assert world.account.person.name in leader.get("/portal-admin/joins/").content.decode()
    response = leader.post(
        f"/portal-admin/joins/{application.pk}/", {"decision": "approve", "expected_version": 1}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.join_approve(actor=cast.leader, application=application)


# --- quota ----------------------------------------------------------------------------------------


def test_approval_beyond_the_quarters_quota_is_refused_naming_the_quota(
    cast: Cast, world: Joining
) -> None:
    year, quarter = selectors.quarter_of(timezone.localdate())
    services.quota_set(
        actor=cast.jingyang, organization=world.service_team, year=year, quarter=quarter, limit=1
    )
    first = apply(world)
    services.join_approve(actor=cast.jingyang, application=first)
    second = services.join_apply(
        person=world.other.person, organization=world.service_team, reason="也想加入"
    )
    response = login(cast.jingyang).post(
        f"/portal-admin/joins/{second.pk}/", {"decision": "approve", "expected_version": 1}
    )
    expected = services.QUOTA_FULL.format(
        org=world.service_team.name, year=year, quarter=quarter, limit=1, approved=1
    )
    assert expected in response.content.decode()
    assert "入会名额为1名" in expected
    second.refresh_from_db()
    assert second.status == ReviewStatus.PENDING
    assert not Membership.objects.filter(person=world.other.person).exists()
    # Lifting the quota lets the approval through.
    services.quota_set(
        actor=cast.jingyang, organization=world.service_team, year=year, quarter=quarter, limit=None
    )
    services.join_approve(actor=cast.jingyang, application=second)
    assert Membership.objects.filter(person=world.other.person).exists()


def test_quarters_follow_the_local_approval_date(cast: Cast, world: Joining) -> None:
    application = apply(world)
    services.join_approve(actor=cast.jingyang, application=application)
    # 23:30 on 31 March in Beijing is 15:30 UTC: still the first quarter.
    late_march = timezone.make_aware(dt.datetime(2025, 3, 31, 23, 30))
    JoinApplication.objects.filter(pk=application.pk).update(reviewed_at=late_march)
    assert selectors.approvals_in_quarter(world.service_team, 2025, 1) == 1
    assert selectors.approvals_in_quarter(world.service_team, 2025, 2) == 0
    # 00:30 on 1 April in Beijing is still 31 March in UTC: the second quarter.
    early_april = timezone.make_aware(dt.datetime(2025, 4, 1, 0, 30))
    assert early_april.astimezone(dt.UTC).date() == dt.date(2025, 3, 31)
    JoinApplication.objects.filter(pk=application.pk).update(reviewed_at=early_april)
    assert selectors.approvals_in_quarter(world.service_team, 2025, 1) == 0
    assert selectors.approvals_in_quarter(world.service_team, 2025, 2) == 1
    assert selectors.quarter_of(dt.date(2025, 12, 31)) == (2025, 4)


def test_staff_set_the_quota_on_the_organization_page(cast: Cast, world: Joining) -> None:
    year, quarter = selectors.quarter_of(timezone.localdate())
    url = f"/portal-admin/joins/organizations/{world.service_team.pk}/"
    staff = login(cast.jingyang)
    response = staff.post(url, {"year": year, "quarter": quarter, "limit": 5})
    assert response.status_code == 302
    quota = JoinQuota.objects.get()
    assert (quota.organization, quota.year, quota.quarter, quota.limit) == (
        world.service_team,
        year,
        quarter,
        5,
    )
    assert quota.set_by == cast.jingyang
    body = staff.get(url).content.decode()
    assert f"{year}年第{quarter}季度" in body
    staff.post(url, {"year": year, "quarter": quarter, "limit": ""})
    assert not JoinQuota.objects.exists()


# --- who sees what --------------------------------------------------------------------------------


def test_the_decision_page_lists_only_the_other_applications_in_the_users_scope(
    cast: Cast, world: Joining
) -> None:
    application = apply(world)
    apply(world, world.city_club)  # the city's club: not the district's staff's to see
    apply(world, cast.records.organization)  # the district's 新联会: theirs
    body = login(cast.jingyang).get(f"/portal-admin/joins/{application.pk}/").content.decode()
    assert "本人的其他入会申请" in body
    assert cast.records.organization.name in body
    assert world.city_club.name not in body


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_get_404_and_see_nothing_in_the_queue(
    cast: Cast, world: Joining, who: str
) -> None:
    application = apply(world)
    client = login(getattr(cast, who))
    decide = f"/portal-admin/joins/{application.pk}/"
    assert client.get(decide).status_code == 404
    assert client.post(decide, {"decision": "approve", "expected_version": 1}).status_code == 404
    quota = f"/portal-admin/joins/organizations/{world.service_team.pk}/"
    assert client.get(quota).status_code == 404
    assert client.post(quota, {"year": 2026, "quarter": 1, "limit": 0}).status_code == 404
    for status in ("pending", ""):
        body = client.get("/portal-admin/joins/", {"status": status}).content.decode()
        assert "旌阳" not in body
    application.refresh_from_db()
    assert application.status == ReviewStatus.PENDING
    assert not JoinQuota.objects.exists()
    assert selectors.pending_join_count(getattr(cast, who)) == 0


def test_city_staff_see_the_city_club_of_their_line_and_not_of_another(
    cast: Cast, world: Joining
) -> None:
    application = apply(world, world.city_club)
    assert application in selectors.join_queue(cast.city_staff)
    other_line = UserFactory(
        username="t_city_minzong",
        role=Role.CITY_STAFF,
        region=cast.city,
        lines=[BusinessLine.objects.get(code="minzong")],
    )
    assert not selectors.join_queue(other_line).exists()
    assert login(other_line).get(f"/portal-admin/joins/{application.pk}/").status_code == 404
    # The district's staff do not answer for the city's club.
    assert application not in selectors.join_queue(cast.jingyang)


def test_the_queue_and_the_hub_count_what_waits(cast: Cast, world: Joining) -> None:
    apply(world)
    apply(world, world.city_club)
    staff = login(cast.jingyang)
    body = staff.get("/portal-admin/joins/").content.decode()
    assert world.service_team.name in body
    assert selectors.pending_join_count(cast.jingyang) == 1  # the city's club is not theirs
    hub = staff.get("/portal-admin/").content.decode()
    assert "入会申请" in hub


def test_the_queue_answers_in_a_fixed_number_of_queries(cast: Cast, world: Joining) -> None:
    staff = login(cast.jingyang)
    apply(world)
    staff.get("/portal-admin/joins/")
    with CaptureQueriesContext(connection) as few:
        staff.get("/portal-admin/joins/")
    services.join_apply(person=world.other.person, organization=world.service_team, reason="加入")
    services.join_apply(
        person=world.account.person,
        organization=cast.records.organization,
        reason="加入新联会",
    )
    with CaptureQueriesContext(connection) as more:
        staff.get("/portal-admin/joins/")
    assert len(more) == len(few)
