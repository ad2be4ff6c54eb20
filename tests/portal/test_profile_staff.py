"""Staff review of 本人申报 (/portal-admin/profile-requests/): the queue holds only the people in
one's scope, 罗江 staff and outsiders get 404 for 旌阳 requests, the decision goes through the
page with its version, and the staff person page's history shows who approved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tongxin.portal import services_profile as svc
from tongxin.portal.models import ProfileRequest, ReviewStatus
from tongxin.registry.models import Person

from ..conftest import Cast, login
from .profile_world import ProfileWorld, file_change, make_profile_world

QUEUE = "/portal-admin/profile-requests/"


@pytest.fixture
def world(cast: Cast) -> ProfileWorld:
    return make_profile_world(cast)


def _review(request: ProfileRequest) -> str:
    return f"{QUEUE}{request.pk}/"


def _decide(client: Client, request: ProfileRequest, decision: str, reason: str = "") -> Any:
    return client.post(
        f"{_review(request)}decide/",
        {"decision": decision, "reason": reason, "expected_version": request.version},
    )


def test_the_queue_holds_the_requests_of_people_in_scope(cast: Cast, world: ProfileWorld) -> None:
    file_change(world)
    for user in (cast.jingyang, cast.admin, cast.city_staff, cast.leader):
        page = login(user).get(QUEUE)
        assert page.status_code == 200, user
        assert "旌阳测试人员" in page.content.decode(), user
    for user in (cast.luojiang, cast.outsider):
        page = login(user).get(QUEUE)
        assert page.status_code == 200
        html = page.content.decode()
        assert "旌阳测试人员" not in html and "没有待审核的申报" in html
    for user in (cast.liaison, cast.auditor):
        assert login(user).get(QUEUE).status_code == 403


def test_the_queue_reads_in_a_fixed_number_of_queries(
    cast: Cast, world: ProfileWorld, django_assert_max_num_queries: Any
) -> None:
    file_change(world)
    svc.correction_submit(account=world.neighbour_account, text="邻居的更正")
    client = login(cast.jingyang)
    client.get(QUEUE)
    with django_assert_max_num_queries(12):
        page = client.get(QUEUE)
    assert "旌阳邻居" in page.content.decode()


def test_wrong_district_and_outsider_get_404_on_the_request(
    cast: Cast, world: ProfileWorld
) -> None:
    request = file_change(world)
    for user in (cast.luojiang, cast.outsider):
        client = login(user)
        assert client.get(_review(request)).status_code == 404
        assert _decide(client, request, "approve").status_code == 404
        assert _decide(client, request, "reject", "不行").status_code == 404
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING
    assert Person.objects.get(pk=world.person.pk).employer == "旌阳测试科技有限公司"


def test_read_only_and_other_roles_cannot_decide(cast: Cast, world: ProfileWorld) -> None:
    request = file_change(world)
    leader = login(cast.leader)
    page = leader.get(_review(request))
    assert page.status_code == 200
    assert "通过并更新名册" not in page.content.decode()
    assert _decide(leader, request, "approve").status_code == 403
    for user in (cast.liaison, cast.auditor):
        assert _decide(login(user), request, "approve").status_code == 403
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING


def test_approval_on_the_page_shows_in_the_person_history(
    cast: Cast, world: ProfileWorld, django_capture_on_commit_callbacks: Any
) -> None:
    request = file_change(world)
    client = login(cast.jingyang)
    page = client.get(_review(request))
    html = page.content.decode()
    assert "旌阳测试科技有限公司" in html and "旌阳新单位有限公司" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, request, "approve")
    assert response.status_code == 302
    person = Person.objects.get(pk=world.person.pk)
    assert person.employer == "旌阳新单位有限公司"
    history = client.get(f"/persons/{person.pk}/").content.decode()
    assert "本人申报，审核人：旌阳人员" in history
    assert "旌阳新单位有限公司" in history


def test_rejection_on_the_page_needs_a_reason(cast: Cast, world: ProfileWorld) -> None:
    request = file_change(world)
    client = login(cast.jingyang)
    refused = _decide(client, request, "reject")
    assert refused.status_code == 422
    assert svc.REASON_REQUIRED in refused.content.decode()
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING
    assert _decide(client, request, "reject", "请附任职文件").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.review_reason) == (ReviewStatus.REJECTED, "请附任职文件")
    assert Person.objects.get(pk=world.person.pk).employer == "旌阳测试科技有限公司"


def test_a_second_decision_on_the_page_is_refused_with_a_message(
    cast: Cast, world: ProfileWorld
) -> None:
    request = file_change(world)
    first, second = login(cast.jingyang), login(cast.admin)
    assert _decide(first, request, "approve").status_code == 302
    late = _decide(second, request, "reject", "晚了")
    assert late.status_code == 302
    shown = second.get(late["Location"]).content.decode()
    assert "已由旌阳人员于" in shown
    request.refresh_from_db()
    assert request.status == ReviewStatus.APPROVED


def test_a_correction_is_marked_handled_with_a_reply(cast: Cast, world: ProfileWorld) -> None:
    request = svc.correction_submit(account=world.account, text="出生日期有误")
    client = login(cast.jingyang)
    page = client.get(_review(request)).content.decode()
    assert "标记已处理" in page and "通过并更新名册" not in page
    assert _decide(client, request, "handle").status_code == 422
    assert _decide(client, request, "approve").status_code == 302  # the wrong kind: refused
    request.refresh_from_db()
    assert request.status == ReviewStatus.PENDING
    assert _decide(client, request, "handle", "已更正").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.review_reason) == (ReviewStatus.APPROVED, "已更正")


def test_the_hub_card_counts_waiting_requests_in_scope(cast: Cast, world: ProfileWorld) -> None:
    file_change(world)
    svc.correction_submit(account=world.neighbour_account, text="邻居的更正")
    html = login(cast.jingyang).get("/portal-admin/").content.decode()
    assert "本人申报" in html
    assert 'badge text-bg-danger">2<' in html
    other = login(cast.luojiang).get("/portal-admin/").content.decode()
    assert (
        'href="/portal-admin/profile-requests/">待审核 <span class="badge text-bg-light border">0<'
        in other
    )
