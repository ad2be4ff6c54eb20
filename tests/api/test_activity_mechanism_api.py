"""A mechanism's meeting through the API: an activity of type 联席会议 names its mechanism, and
the name shows only to those who may open the mechanism."""

from __future__ import annotations

from tongxin.work.models import Activity
from tongxin.work.services_activities import NOT_A_MECHANISM_MEETING

from ..conftest import Cast
from ..governance.records import joint_meeting
from .work_helpers import api, detail, send

MEETING = {
    "type": "联席会议",
    "title": "新阶联席会议第二次全体会议",
    "date": "2024-01-10",
    "region": "510600",
    "line": "新阶",
}


def test_a_joint_meeting_names_its_mechanism(cast: Cast) -> None:
    mechanism = joint_meeting(cast).mechanism
    response = send(
        api(cast.city_staff), "post", "/api/v1/activities", {**MEETING, "mechanism": mechanism.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mechanism"] == {"id": mechanism.pk, "name": mechanism.name}
    assert Activity.objects.get(pk=body["id"]).mechanism == mechanism


def test_a_forum_cannot_be_a_mechanisms_meeting(cast: Cast) -> None:
    mechanism = joint_meeting(cast).mechanism
    before = Activity.objects.count()
    response = send(
        api(cast.city_staff),
        "post",
        "/api/v1/activities",
        {**MEETING, "type": "论坛", "mechanism": mechanism.pk},
    )
    assert response.status_code == 422
    assert NOT_A_MECHANISM_MEETING in detail(response)
    assert Activity.objects.count() == before


def test_another_districts_mechanism_cannot_be_named(cast: Cast) -> None:
    before = Activity.objects.count()
    response = send(
        api(cast.luojiang),
        "post",
        "/api/v1/activities",
        {**MEETING, "region": "510604", "line": None, "mechanism": cast.gov.mechanism.pk},
    )
    assert response.status_code in (404, 422)
    assert "旌阳" not in response.content.decode()
    assert Activity.objects.count() == before
