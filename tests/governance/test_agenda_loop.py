"""The issue list of a joint meeting as a closed loop: an item raised by 市委网信办 before a
meeting is put on its agenda, carried over there and closed at the next one; a meeting is settled
only when each of its items is 已办结 or 转下次."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongxin.core import access
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance.checks import NOT_LIAISON_OF_UNIT
from tongxin.governance.models import LIAISON_NOT_OF_UNIT, AgendaItem, AgendaState
from tongxin.work import services_activities as activities
from tongxin.work.checks import NOT_YOURS

from ..conftest import Cast
from ..work_records import activity_type
from .records import joint_meeting, liaison_of, meeting, unit, xinjie

A = AgendaState
RAISED = dt.date(2024, 3, 1)
FIRST = dt.date(2024, 3, 15)
NEXT = dt.date(2024, 6, 14)


def test_an_item_raised_by_cac_is_carried_over_and_closed_at_the_next_meeting(cast: Cast) -> None:
    joint = joint_meeting(cast)
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    item = mechanisms.agenda_raise(
        actor=cast.liaison,
        member=joint.cac,
        title="建立网络人士线上联系服务平台",
        text_="建议由市委网信办牵头，各成员单位共建。",
        raised_on=RAISED,
    )
    assert (item.state, item.raised_by.unit, item.created_by) == (
        A.PENDING,
        cast.city_unit,
        cast.liaison,
    )
    item = mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=first)
    assert (item.state, item.meeting) == (A.SCHEDULED, first)
    assert list(first.agenda_items.all()) == [item]

    with pytest.raises(
        ValidationError, match="还有议题未办结也未转下次：建立网络人士线上联系服务平台"
    ):
        mechanisms.meeting_settle(actor=cast.city_staff, meeting=first)
    successor = mechanisms.agenda_carry_over(
        actor=cast.city_staff, item=item, next_meeting=second, note="需市财政局明确经费后再议。"
    )
    item.refresh_from_db()
    assert (item.state, item.closed_at is not None) == (A.CARRIED, True)
    assert (successor.state, successor.meeting, successor.carried_from) == (
        A.SCHEDULED,
        second,
        item,
    )
    assert mechanisms.meeting_settle(actor=cast.city_staff, meeting=first) == [item]

    closed = mechanisms.agenda_close(
        actor=cast.city_staff, item=successor, note="平台于7月上线，由市委网信办运维。"
    )
    assert (closed.state, closed.outcome) == (A.CLOSED, "平台于7月上线，由市委网信办运维。")
    assert mechanisms.meeting_settle(actor=cast.city_staff, meeting=second) == [closed]
    # The liaison follows their unit's item through both meetings.
    seen = access.scope(cast.liaison, AgendaItem.objects.order_by("pk"))
    assert [(i.state, i.meeting) for i in seen] == [(A.CARRIED, first), (A.CLOSED, second)]


def test_an_item_is_scheduled_only_once_and_closed_only_from_the_agenda(cast: Cast) -> None:
    joint = joint_meeting(cast)
    first = meeting(cast, joint.mechanism, FIRST)
    item = mechanisms.agenda_raise(
        actor=cast.liaison, member=joint.cac, title="网络人士培训", raised_on=RAISED
    )
    with pytest.raises(ValidationError, match="只有“已列入议程”的议题可以办结或转下次"):
        mechanisms.agenda_close(actor=cast.city_staff, item=item, note="已议。")
    item = mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=first)
    with pytest.raises(ValidationError, match="只有“待议”的议题可以列入议程"):
        mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=first)
    with pytest.raises(ValidationError, match=mechanisms.OUTCOME_REQUIRED):
        mechanisms.agenda_close(actor=cast.city_staff, item=item, note=" ")
    with pytest.raises(ValidationError, match=mechanisms.REASON_REQUIRED):
        mechanisms.agenda_carry_over(
            actor=cast.city_staff,
            item=item,
            next_meeting=meeting(cast, joint.mechanism, NEXT),
            note="",
        )


def test_meetings_must_be_mechanism_meetings_in_order(cast: Cast) -> None:
    joint = joint_meeting(cast)
    item = mechanisms.agenda_raise(
        actor=cast.liaison, member=joint.cac, title="网络人士培训", raised_on=RAISED
    )
    forum = meeting(cast, None, FIRST, title="新阶论坛", type_name="论坛")
    with pytest.raises(ValidationError, match=mechanisms.NOT_A_MEETING):
        mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=forum)
    another = mechanisms.mechanism_create(
        actor=cast.city_staff,
        name="新阶人士服务领导小组",
        kind="leading_group",
        lead_unit=unit("市委统战部"),
        region=cast.city,
        line=joint.mechanism.line,
        established_on=RAISED,
    )
    theirs = meeting(cast, another, FIRST, type_name="领导小组会议")
    with pytest.raises(ValidationError, match=joint.mechanism.name):
        mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=theirs)
    early = meeting(cast, joint.mechanism, RAISED - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match=mechanisms.MEETING_BEFORE_RAISED):
        mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=early)
    first = meeting(cast, joint.mechanism, FIRST)
    item = mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=first)
    with pytest.raises(ValidationError, match=mechanisms.NEXT_MEETING_NOT_LATER):
        mechanisms.agenda_carry_over(
            actor=cast.city_staff,
            item=item,
            next_meeting=meeting(cast, joint.mechanism, FIRST),
            note="再议。",
        )


def test_only_the_units_liaison_or_the_keepers_raise_its_items(cast: Cast) -> None:
    joint = joint_meeting(cast)
    with pytest.raises(PermissionDenied, match=NOT_LIAISON_OF_UNIT):
        mechanisms.agenda_raise(actor=joint.justice_liaison, member=joint.cac, title="代提议题")
    with pytest.raises(PermissionDenied):
        mechanisms.agenda_raise(actor=cast.leader, member=joint.cac, title="领导提议题")
    with pytest.raises(ValidationError, match=NOT_YOURS):
        mechanisms.agenda_raise(actor=cast.luojiang, member=joint.cac, title="罗江代提")
    item = mechanisms.agenda_raise(actor=cast.city_staff, member=joint.cac, title="部里代提")
    assert item.raised_by == joint.cac
    # Liaisons raise; they do not set the agenda.
    with pytest.raises(PermissionDenied):
        mechanisms.agenda_schedule(
            actor=cast.liaison, item=item, meeting=meeting(cast, joint.mechanism, FIRST)
        )


def test_a_members_liaison_must_be_a_liaison_of_that_unit(cast: Cast) -> None:
    joint = joint_meeting(cast)
    for wrong in (cast.liaison, cast.city_staff):
        with pytest.raises(ValidationError, match=LIAISON_NOT_OF_UNIT):
            mechanisms.member_add(
                actor=cast.city_staff,
                mechanism=joint.mechanism,
                unit=unit("市台办"),
                liaison=wrong,
            )
    member = mechanisms.member_add(
        actor=cast.city_staff,
        mechanism=joint.mechanism,
        unit=unit("市台办"),
        liaison=liaison_of("市台办", "t_taiban"),
    )
    assert member.liaison is not None and member.liaison.unit == unit("市台办")
    with pytest.raises(ValidationError, match="该单位已是本机制的成员单位"):
        mechanisms.member_add(actor=cast.city_staff, mechanism=joint.mechanism, unit=unit("市台办"))


def test_a_mechanisms_meeting_is_one_of_its_meetings_of_its_region_and_line(cast: Cast) -> None:
    joint = joint_meeting(cast)
    with pytest.raises(ValidationError, match=activities.NOT_A_MECHANISM_MEETING):
        meeting(cast, joint.mechanism, FIRST, title="新阶论坛", type_name="论坛")
    with pytest.raises(ValidationError, match=activities.MEETING_ELSEWHERE):
        activities.activity_create(
            actor=cast.admin,
            type=activity_type("联席会议"),
            title="旌阳联席会议",
            date=FIRST,
            region=cast.jingyang_region,
            line=xinjie(),
            mechanism=joint.mechanism,
        )
    first = meeting(cast, joint.mechanism, FIRST)
    assert list(joint.mechanism.meetings.all()) == [first]
