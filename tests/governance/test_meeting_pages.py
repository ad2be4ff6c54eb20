"""A mechanism's meetings on the activity pages: 新增会议 from the mechanism's page comes filled
in with the mechanism, and a meeting's page links back to it for those who may open it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ..conftest import Cast, login
from .records import joint_meeting, meeting


def test_a_new_meeting_from_the_mechanism_page_is_filled_in(cast: Cast) -> None:
    mechanism = joint_meeting(cast).mechanism
    page = login(cast.city_staff).get(reverse("activity_create"), {"mechanism": mechanism.pk})
    form = page.context["form"]
    assert form.initial["mechanism"] == mechanism.pk
    assert form.initial["type"].name == "联席会议"
    assert form.initial["region"] == mechanism.region_id
    assert form.initial["line"] == mechanism.line_id


def test_another_districts_mechanism_fills_in_nothing(cast: Cast) -> None:
    page = login(cast.luojiang).get(
        reverse("activity_create"), {"mechanism": cast.gov.mechanism.pk}
    )
    assert page.status_code == 200
    assert page.context["form"].initial == {}
    assert "旌阳" not in page.content.decode()


def test_a_meeting_links_to_its_mechanism(cast: Cast) -> None:
    joint = joint_meeting(cast)
    held = meeting(cast, joint.mechanism, dt.date(2024, 3, 15))
    url = reverse("activity_detail", args=[held.pk])
    page = login(cast.city_staff).get(url).content.decode()
    assert reverse("mechanism_detail", args=[joint.mechanism.pk]) in page
