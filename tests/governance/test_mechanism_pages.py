"""The mechanism pages: the list (figures, scope, query count), a mechanism's page for keepers,
leaders and liaisons, the forms that create and edit mechanisms and member units, and the issue
list worked from the page: raised, put on a meeting's agenda, closed or carried over, and a
meeting checked for loose ends. A refused write changes nothing and says why in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tongxin.core.models import BusinessLine
from tongxin.governance import forms_mechanisms as forms
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance.models import (
    LIAISON_NOT_OF_UNIT,
    AgendaItem,
    AgendaState,
    Mechanism,
    MemberUnit,
)
from tongxin.governance.views_mechanisms import ACTION_UNKNOWN
from tongxin.work import checks
from tongxin.work import services_activities as activities
from tongxin.work import services_outputs as outputs
from tongxin.work.models import Activity

from ..conftest import Cast, login
from ..factories import UserFactory
from ..work.casework import messages_of, page
from ..work_records import activity_type
from .records import JointMeeting, joint_meeting, liaison_of, meeting, unit, xinjie

A = AgendaState
RAISED = dt.date(2024, 3, 1)
FIRST = dt.date(2024, 3, 15)
NEXT = dt.date(2024, 6, 14)


def url(mechanism: Mechanism, rest: str = "") -> str:
    return f"/mechanisms/{mechanism.pk}/{rest}"


def act(client: Client, item: AgendaItem, action: str, **fields: Any) -> Any:
    """POST one action on an item, its fields prefixed as the page's forms are."""
    data = {"action": action, **{f"item{item.pk}-{k}": v for k, v in fields.items()}}
    return client.post(f"/agenda-items/{item.pk}/act/", data, follow=True)


def raised(
    cast: Cast, joint: JointMeeting, title: str = "建立网络人士线上联系服务平台"
) -> AgendaItem:
    return mechanisms.agenda_raise(
        actor=cast.liaison, member=joint.cac, title=title, text_="建议共建。", raised_on=RAISED
    )


def schedule(cast: Cast, item: AgendaItem, on: Activity) -> AgendaItem:
    return mechanisms.agenda_schedule(actor=cast.city_staff, item=item, meeting=on)


def state_of(item: AgendaItem) -> tuple[str, int | None, str]:
    fresh = AgendaItem.objects.get(pk=item.pk)
    return fresh.state, fresh.meeting_id, fresh.outcome


@pytest.fixture
def joint(cast: Cast) -> JointMeeting:
    return joint_meeting(cast)


# --- the list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "city_staff", "leader", "liaison"])
def test_the_list_shows_the_joint_meeting_with_its_figures(
    cast: Cast, joint: JointMeeting, who: str
) -> None:
    first = meeting(cast, joint.mechanism, FIRST)
    schedule(cast, raised(cast, joint), first)
    raised(cast, joint, "网络人士培训")
    response = login(getattr(cast, who)).get("/mechanisms/")
    row = next(m for m in response.context["page"].object_list if m.pk == joint.mechanism.pk)
    assert (row.pending_count, row.scheduled_count, row.next_meeting) == (1, 1, None)
    html = response.content.decode()
    assert joint.mechanism.name in html and "未安排" in html
    # A liaison sees the meetings their unit attended: the cac did not attend this one.
    assert row.last_meeting == (None if who == "liaison" else FIRST)


def test_a_liaison_counts_only_their_own_units_rows(cast: Cast, joint: JointMeeting) -> None:
    mechanisms.agenda_raise(actor=joint.justice_liaison, member=joint.justice, title="司法局议题")
    response = login(cast.liaison).get("/mechanisms/")
    row = next(m for m in response.context["page"].object_list if m.pk == joint.mechanism.pk)
    assert (row.member_count, row.pending_count) == (1, 0)
    row = next(
        m
        for m in login(cast.city_staff).get("/mechanisms/").context["page"].object_list
        if m.pk == joint.mechanism.pk
    )
    assert (row.member_count, row.pending_count) == (2, 1)


def test_each_district_lists_only_its_own_mechanisms(cast: Cast, joint: JointMeeting) -> None:
    jingyang = page(login(cast.jingyang), "/mechanisms/")
    assert cast.gov.mechanism.name in jingyang and joint.mechanism.name not in jingyang
    for who in (cast.luojiang, cast.outsider):
        html = page(login(who), "/mechanisms/")
        assert "旌阳" not in html and joint.mechanism.name not in html
    # A liaison of a unit that is no member sees none.
    other = liaison_of("市委组织部", "t_zzb")
    assert "本单位还不是任何工作机制的成员单位" in page(login(other), "/mechanisms/")


def test_the_list_filters_by_name_kind_and_state(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.admin)
    assert joint.mechanism.name in page(client, "/mechanisms/", q="新的社会阶层")
    assert joint.mechanism.name not in page(client, "/mechanisms/", kind="leading_group")
    assert cast.gov.mechanism.name in page(client, "/mechanisms/", kind="leading_group")
    assert joint.mechanism.name not in page(client, "/mechanisms/", active="0")


@pytest.mark.parametrize("who", ["admin", "city_staff", "leader", "liaison"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, joint: JointMeeting, who: str, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        other = mechanisms.mechanism_create(
            actor=cast.city_staff,
            name=f"新阶工作机制{n}",
            kind="other",
            lead_unit=unit("市委统战部"),
            region=cast.city,
            line=xinjie(),
            established_on=RAISED,
        )
        mechanisms.member_add(
            actor=cast.city_staff, mechanism=other, unit=cast.city_unit, liaison=cast.liaison
        )
        meeting(cast, other, FIRST, title=f"会议{n}")
    client = login(getattr(cast, who))
    client.get("/mechanisms/")
    with django_assert_max_num_queries(8):
        response = client.get("/mechanisms/")
    assert response.status_code == 200
    # Twelve here, the joint meeting, and 旌阳's (city staff see line-free records of the city).
    assert len(response.context["page"].object_list) == (13 if who == "liaison" else 14)


def test_the_list_answers_htmx_with_its_rows(cast: Cast, joint: JointMeeting) -> None:
    response = login(cast.city_staff).get("/mechanisms/", HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "governance/_mechanism_rows.html"


def test_auditors_may_not_open_the_pages(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.auditor)
    for path in ("/mechanisms/", url(joint.mechanism), "/duty-reports/"):
        assert client.get(path).status_code == 403


# --- a mechanism's page ---------------------------------------------------------------------------


def test_a_keeper_sees_members_liaisons_meetings_and_the_issue_list(
    cast: Cast, joint: JointMeeting
) -> None:
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    item = mechanisms.agenda_schedule(
        actor=cast.city_staff, item=raised(cast, joint), meeting=first
    )
    mechanisms.agenda_carry_over(
        actor=cast.city_staff, item=item, next_meeting=second, note="需市财政局明确经费后再议。"
    )
    mechanisms.agenda_raise(actor=joint.justice_liaison, member=joint.justice, title="律师调解")
    response = login(cast.city_staff).get(url(joint.mechanism))
    html = response.content.decode()
    for text in (
        "中共德阳市委网络安全和信息化委员会办公室",
        "负责新阶律师人士的联系服务。",
        "网信联络员",  # the liaisons, by name
        "市司法局联络员",
        f"/activities/{first.pk}/",
        f"/activities/{second.pk}/",
        "转自 2024-03-15",
        "转至",
        "需市财政局明确经费后再议。",
        "律师调解",
        'name="action" value="schedule"',
        'name="action" value="close"',
        'name="action" value="carry"',
        "核对闭环",
        f"/members/{joint.cac.pk}/edit/",
    ):
        assert text in html, text
    # Meetings newest first; the pending item stands in 待议.
    groups = response.context["agenda"].meetings
    assert [g.meeting for g in groups] == [second, first]
    assert [i.title for i in response.context["agenda"].pending] == ["律师调解"]


def test_a_leader_reads_the_page_without_any_action(cast: Cast, joint: JointMeeting) -> None:
    first = meeting(cast, joint.mechanism, FIRST)
    schedule(cast, raised(cast, joint), first)
    html = page(login(cast.leader), url(joint.mechanism))
    assert "建立网络人士线上联系服务平台" in html
    for action in ("agenda/new/", "核对闭环", "添加成员单位", "/edit/", "/agenda-items/"):
        assert action not in html


def test_a_liaison_sees_only_their_units_rows_and_no_one_elses_names(
    cast: Cast, joint: JointMeeting
) -> None:
    first = meeting(cast, joint.mechanism, FIRST)
    schedule(cast, raised(cast, joint), first)
    mechanisms.agenda_raise(actor=joint.justice_liaison, member=joint.justice, title="律师调解")
    activities.participations_add(
        actor=cast.city_staff,
        activity=first,
        participants=[
            activities.ParticipantSpec(role="speaks", person=cast.records.person),
            activities.ParticipantSpec(role="exchange", unit=unit("市司法局")),
        ],
    )
    html = page(login(cast.liaison), url(joint.mechanism))
    assert "建立网络人士线上联系服务平台" in html
    assert "负责网络新阶人士的联系服务。" in html
    for hidden in (
        "律师调解",
        "负责新阶律师人士的联系服务。",
        "市司法局联络员",
        cast.records.person.name,
        "提出单位",  # keepers choose the unit; a liaison raises for their own
        "核对闭环",
        "/agenda-items/",
    ):
        assert hidden not in html, hidden
    # Their item's meeting shows by date and name; their unit did not attend, so no link.
    assert first.title in html and f"/activities/{first.pk}/" not in html
    assert "以市委网信办名义" in html


def test_other_districts_and_outsiders_get_404(cast: Cast, joint: JointMeeting) -> None:
    for who in (cast.luojiang, cast.outsider, cast.jingyang):
        assert login(who).get(url(joint.mechanism)).status_code == 404
    for who in (cast.luojiang, cast.outsider, cast.liaison):
        assert login(who).get(url(cast.gov.mechanism)).status_code == 404
    assert cast.gov.mechanism.name in page(login(cast.jingyang), url(cast.gov.mechanism))


def test_a_city_staff_member_of_another_line_does_not_see_it(
    cast: Cast, joint: JointMeeting
) -> None:
    other = UserFactory(
        username="t_minzong",
        role="city_staff",
        region=cast.city,
        lines=[BusinessLine.objects.get(code="minzong")],
    )
    assert login(other).get(url(joint.mechanism)).status_code == 404


# --- create and edit ------------------------------------------------------------------------------


def mechanism_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "德阳市非公有制经济人士统战工作联席会议",
        "kind": "joint_meeting",
        "lead_unit": unit("市委统战部").pk,
        "region": cast.city.pk,
        "line": xinjie().pk,
        "established_on": "2024-01-10",
        "rules_document": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_set_up_a_mechanism(cast: Cast) -> None:
    response = login(cast.city_staff).post("/mechanisms/new/", mechanism_form(cast))
    mechanism = Mechanism.objects.get(name="德阳市非公有制经济人士统战工作联席会议")
    assert response["Location"] == url(mechanism)
    assert (mechanism.region, mechanism.line, mechanism.created_by) == (
        cast.city,
        xinjie(),
        cast.city_staff,
    )


def test_a_refused_mechanism_is_not_saved_and_the_form_says_why(cast: Cast) -> None:
    client = login(cast.city_staff)
    response = client.post("/mechanisms/new/", mechanism_form(cast, line="", name=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert checks.LINE_REQUIRED in html and forms.NAME_REQUIRED in html
    forged = login(cast.luojiang).post("/mechanisms/new/", mechanism_form(cast, line=""))
    assert checks.REGION_OUT_OF_SCOPE in forged.content.decode()
    assert Mechanism.objects.filter(name__contains="非公有制").count() == 0


@pytest.mark.parametrize("who", ["leader", "liaison", "auditor"])
def test_read_only_roles_and_liaisons_may_not_set_one_up(cast: Cast, who: str) -> None:
    response = login(getattr(cast, who)).post("/mechanisms/new/", mechanism_form(cast))
    assert response.status_code == 403
    assert not Mechanism.objects.filter(name__contains="非公有制").exists()


def test_a_keeper_edits_the_mechanism_and_links_its_rules_document(
    cast: Cast, joint: JointMeeting
) -> None:
    rules = outputs.output_create(
        actor=cast.city_staff,
        kind="policy",
        title="德阳市新的社会阶层人士统战工作联席会议制度",
        date=dt.date(2023, 7, 5),
        region=cast.city,
        line=xinjie(),
    )
    client = login(cast.city_staff)
    assert "编辑：" in page(client, url(joint.mechanism, "edit/"))
    data = mechanism_form(
        cast,
        name=joint.mechanism.name,
        established_on="2023-07-05",
        rules_document=rules.pk,
        expected_version=joint.mechanism.version,
    )
    response = client.post(url(joint.mechanism, "edit/"), data)
    assert response.status_code == 302
    joint.mechanism.refresh_from_db()
    assert joint.mechanism.rules_document == rules
    html = page(client, url(joint.mechanism))
    assert f"/outputs/{rules.pk}/" in html


def test_a_mechanism_with_meetings_keeps_its_region(cast: Cast, joint: JointMeeting) -> None:
    meeting(cast, joint.mechanism, FIRST)
    data = mechanism_form(
        cast, name="改名", region=cast.jingyang_region.pk, expected_version=joint.mechanism.version
    )
    response = login(cast.admin).post(url(joint.mechanism, "edit/"), data)
    assert mechanisms.HAS_MEETINGS in response.content.decode()
    joint.mechanism.refresh_from_db()
    assert (joint.mechanism.name, joint.mechanism.region) == (
        "德阳市新的社会阶层人士统战工作联席会议",
        cast.city,
    )


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_readers_may_not_edit(cast: Cast, joint: JointMeeting, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get(url(joint.mechanism, "edit/")).status_code == 403
    assert client.post(url(joint.mechanism, "edit/"), mechanism_form(cast)).status_code == 403
    joint.mechanism.refresh_from_db()
    assert joint.mechanism.name == "德阳市新的社会阶层人士统战工作联席会议"


# --- member units ---------------------------------------------------------------------------------


def test_a_keeper_adds_a_member_unit_with_its_liaison(cast: Cast, joint: JointMeeting) -> None:
    organization = liaison_of("市委组织部", "t_zzb")
    client = login(cast.city_staff)
    html = page(client, url(joint.mechanism, "members/new/"))
    assert "市委组织部联络员" in html  # every liaison of the units offered, until one is chosen
    assert "中共德阳市委网络安全和信息化委员会办公室</option>" not in html  # already a member
    response = client.post(
        url(joint.mechanism, "members/new/"),
        {
            "unit": unit("市委组织部").pk,
            "duties": "负责党外干部的培养选拔。",
            "liaison": organization.pk,
            "order": 3,
        },
    )
    assert response["Location"] == url(joint.mechanism) + "#members"
    member = MemberUnit.objects.get(mechanism=joint.mechanism, unit=unit("市委组织部"))
    assert (member.liaison, member.duties, member.order) == (
        organization,
        "负责党外干部的培养选拔。",
        3,
    )


def test_a_liaison_of_another_unit_is_refused_and_nothing_is_added(
    cast: Cast, joint: JointMeeting
) -> None:
    response = login(cast.city_staff).post(
        url(joint.mechanism, "members/new/"),
        {"unit": unit("市委组织部").pk, "liaison": cast.liaison.pk, "order": 0},
    )
    assert response.status_code == 200
    assert LIAISON_NOT_OF_UNIT in response.content.decode()
    assert not MemberUnit.objects.filter(unit=unit("市委组织部")).exists()


def test_the_liaison_choices_follow_the_unit_picked(cast: Cast, joint: JointMeeting) -> None:
    liaison_of("市委组织部", "t_zzb")
    client = login(cast.city_staff)
    html = page(client, url(joint.mechanism, "members/liaisons/"), unit=unit("市委组织部").pk)
    assert "市委组织部联络员" in html and "网信联络员" not in html
    html = page(client, url(joint.mechanism, "members/liaisons/"), unit=unit("市委宣传部").pk)
    assert "还没有“成员单位联络员”账号" in html


def test_a_keeper_edits_a_members_duties_and_liaison(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.city_staff)
    edit = f"/members/{joint.justice.pk}/edit/"
    assert "负责新阶律师人士的联系服务。" in page(client, edit)
    response = client.post(
        edit,
        {
            "duties": "指导律师行业联谊组织建设。",
            "liaison": "",
            "order": 5,
            "expected_version": joint.justice.version,
        },
    )
    assert response.status_code == 302
    joint.justice.refresh_from_db()
    assert (joint.justice.duties, joint.justice.liaison, joint.justice.order) == (
        "指导律师行业联谊组织建设。",
        None,
        5,
    )
    refused = client.post(edit, {"duties": "改", "liaison": cast.liaison.pk, "order": 1})
    assert LIAISON_NOT_OF_UNIT in refused.content.decode()
    joint.justice.refresh_from_db()
    assert joint.justice.duties == "指导律师行业联谊组织建设。"


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_readers_may_not_change_members(cast: Cast, joint: JointMeeting, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get(url(joint.mechanism, "members/new/")).status_code == 403
    edit = client.post(f"/members/{joint.cac.pk}/edit/", {"duties": "改", "order": 0})
    assert edit.status_code == 403
    joint.cac.refresh_from_db()
    assert joint.cac.duties == "负责网络新阶人士的联系服务。"


def test_member_pages_of_other_districts_are_404(cast: Cast, joint: JointMeeting) -> None:
    for who in (cast.luojiang, cast.outsider):
        client = login(who)
        assert client.get(f"/members/{cast.gov.member.pk}/edit/").status_code == 404
        assert client.get(f"/members/{joint.cac.pk}/edit/").status_code == 404
        assert client.get(url(cast.gov.mechanism, "members/new/")).status_code == 404
    # The liaison's own member row is theirs to read, not to edit.
    assert login(cast.liaison).get(f"/members/{joint.justice.pk}/edit/").status_code == 404


# --- the issue list -------------------------------------------------------------------------------


def test_a_liaison_raises_an_issue_for_their_unit(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.liaison)
    response = client.post(
        url(joint.mechanism, "agenda/new/"),
        {"raised_by": joint.cac.pk, "title": "网络人士培训", "text": "每年两期。"},
        follow=True,
    )
    item = AgendaItem.objects.get(title="网络人士培训")
    assert (item.raised_by, item.state, item.created_by) == (joint.cac, A.PENDING, cast.liaison)
    assert "已提出议题“网络人士培训”" in messages_of(response)[0]


def test_a_liaison_cannot_raise_for_another_unit(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.liaison)
    response = client.post(
        url(joint.mechanism, "agenda/new/"), {"raised_by": joint.justice.pk, "title": "冒名议题"}
    )
    assert response.status_code == 200
    assert forms.BAD_CHOICE in response.content.decode()
    assert not AgendaItem.objects.filter(title="冒名议题").exists()
    # A liaison of a unit that is no member may not raise at all.
    other = liaison_of("市委组织部", "t_zzb")
    assert login(other).get(url(joint.mechanism, "agenda/new/")).status_code == 404


def test_a_keeper_raises_for_a_member_unit_and_an_empty_title_is_refused(
    cast: Cast, joint: JointMeeting
) -> None:
    client = login(cast.city_staff)
    refused = client.post(url(joint.mechanism, "agenda/new/"), {"raised_by": joint.justice.pk})
    assert forms.ITEM_TITLE_REQUIRED in refused.content.decode()
    assert not joint.mechanism.agenda_items.exists()
    client.post(
        url(joint.mechanism, "agenda/new/"), {"raised_by": joint.justice.pk, "title": "律师调解"}
    )
    assert joint.mechanism.agenda_items.get().raised_by == joint.justice


def test_the_leader_may_not_raise(cast: Cast, joint: JointMeeting) -> None:
    response = login(cast.leader).post(
        url(joint.mechanism, "agenda/new/"), {"raised_by": joint.cac.pk, "title": "领导议题"}
    )
    assert response.status_code == 403
    assert not joint.mechanism.agenda_items.exists()


def test_an_issue_is_scheduled_carried_over_and_closed_from_the_page(
    cast: Cast, joint: JointMeeting
) -> None:
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    item = raised(cast, joint)
    client = login(cast.city_staff)
    response = act(client, item, "schedule", meeting=first.pk)
    assert state_of(item) == (A.SCHEDULED, first.pk, "")
    assert "已将“建立网络人士线上联系服务平台”列入" in messages_of(response)[0]

    response = act(client, item, "carry", next_meeting=second.pk, note="需市财政局明确经费。")
    successor = AgendaItem.objects.get(carried_from=item)
    assert state_of(item) == (A.CARRIED, first.pk, "需市财政局明确经费。")
    assert state_of(successor) == (A.SCHEDULED, second.pk, "")

    response = act(client, successor, "close", note="平台于7月上线。")
    assert state_of(successor) == (A.CLOSED, second.pk, "平台于7月上线。")
    html = response.content.decode()
    assert "议定事项：" in html and "平台于7月上线。" in html


def test_a_failed_action_changes_nothing_and_says_why(cast: Cast, joint: JointMeeting) -> None:
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    item = mechanisms.agenda_schedule(
        actor=cast.city_staff, item=raised(cast, joint), meeting=second
    )
    client = login(cast.city_staff)
    response = act(client, item, "close", note=" ")
    assert response.status_code == 200
    assert mechanisms.OUTCOME_REQUIRED in response.content.decode()
    # Carried to a meeting before this one: the form offers only later meetings.
    response = act(client, item, "carry", next_meeting=first.pk, note="改期")
    assert forms.BAD_CHOICE in response.content.decode()
    response = act(client, item, "carry", note="改期")
    assert forms.NEXT_MEETING_REQUIRED in response.content.decode()
    assert state_of(item) == (A.SCHEDULED, second.pk, "")
    assert joint.mechanism.agenda_items.count() == 1
    # An action the state no longer allows: the fresh page says so.
    response = act(client, item, "schedule", meeting=second.pk)
    assert "只有“待议”的议题可以列入议程" in messages_of(response)[0]
    response = act(client, item, "")
    assert messages_of(response) == [ACTION_UNKNOWN]


def test_an_item_goes_only_onto_its_own_mechanisms_meetings(
    cast: Cast, joint: JointMeeting
) -> None:
    another = mechanisms.mechanism_create(
        actor=cast.city_staff,
        name="新阶人士服务领导小组",
        kind="leading_group",
        lead_unit=unit("市委统战部"),
        region=cast.city,
        line=xinjie(),
        established_on=RAISED,
    )
    theirs = meeting(cast, another, FIRST, type_name="领导小组会议")
    item = raised(cast, joint)
    response = act(login(cast.city_staff), item, "schedule", meeting=theirs.pk)
    assert forms.BAD_CHOICE in response.content.decode()
    assert state_of(item) == (A.PENDING, None, "")


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_only_keepers_act_on_items(cast: Cast, joint: JointMeeting, who: str) -> None:
    first = meeting(cast, joint.mechanism, FIRST)
    item = raised(cast, joint)
    response = act(login(getattr(cast, who)), item, "schedule", meeting=first.pk)
    assert response.status_code == 403
    assert state_of(item) == (A.PENDING, None, "")


def test_items_of_other_districts_are_404(cast: Cast, joint: JointMeeting) -> None:
    item = raised(cast, joint)
    for who in (cast.luojiang, cast.outsider, cast.jingyang):
        response = act(login(who), item, "close", note="越权")
        assert response.status_code == 404
    response = act(login(cast.luojiang), cast.gov.agenda_item, "close", note="越权")
    assert response.status_code == 404
    assert state_of(item) == (A.PENDING, None, "")


def test_the_meeting_check_names_the_items_left_open(cast: Cast, joint: JointMeeting) -> None:
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    item = mechanisms.agenda_schedule(
        actor=cast.city_staff, item=raised(cast, joint), meeting=first
    )
    client = login(cast.city_staff)
    html = page(client, url(joint.mechanism))
    assert "1 项未办结也未转下次" in html
    response = client.post(f"/meetings/{first.pk}/settle/", follow=True)
    assert "还有议题未办结也未转下次：建立网络人士线上联系服务平台" in messages_of(response)[0]
    assert response.redirect_chain[-1][0] == url(joint.mechanism) + f"#meeting-{first.pk}"
    mechanisms.agenda_carry_over(actor=cast.city_staff, item=item, next_meeting=second, note="再议")
    response = client.post(f"/meetings/{first.pk}/settle/", follow=True)
    assert "均已办结或转下次" in messages_of(response)[0]
    assert "议题已闭环" in response.content.decode()


def test_the_meeting_check_is_for_keepers_of_visible_meetings(
    cast: Cast, joint: JointMeeting
) -> None:
    first = meeting(cast, joint.mechanism, FIRST)
    assert login(cast.leader).post(f"/meetings/{first.pk}/settle/").status_code == 403
    for who in (cast.luojiang, cast.outsider):
        assert login(who).post(f"/meetings/{first.pk}/settle/").status_code == 404
        assert login(who).post(f"/meetings/{cast.work.activity.pk}/settle/").status_code == 404


# --- meetings named from the activity form --------------------------------------------------------


def activity_form(cast: Cast, joint: JointMeeting, **overrides: Any) -> dict[str, Any]:
    data = {
        "type": activity_type("联席会议").pk,
        "title": "新阶联席会议第二次全体会议",
        "date": "2024-06-14",
        "region": cast.city.pk,
        "line": xinjie().pk,
        "mechanism": joint.mechanism.pk,
    }
    data.update(overrides)
    return data


def test_staff_name_the_mechanism_of_a_joint_meeting_on_the_activity_form(
    cast: Cast, joint: JointMeeting
) -> None:
    client = login(cast.city_staff)
    assert joint.mechanism.name in page(client, "/activities/new/")
    response = client.post("/activities/new/", activity_form(cast, joint))
    assert response.status_code == 302
    created = Activity.objects.get(title="新阶联席会议第二次全体会议")
    assert created.mechanism == joint.mechanism
    assert f"/activities/{created.pk}/" in page(client, url(joint.mechanism))


def test_a_forum_cannot_be_a_mechanisms_meeting(cast: Cast, joint: JointMeeting) -> None:
    data = activity_form(cast, joint, type=activity_type("论坛").pk, title="新阶论坛")
    response = login(cast.city_staff).post("/activities/new/", data)
    assert activities.NOT_A_MECHANISM_MEETING in response.content.decode()
    assert not Activity.objects.filter(title="新阶论坛").exists()


def test_another_districts_mechanism_cannot_be_named(cast: Cast, joint: JointMeeting) -> None:
    data = activity_form(cast, joint, region=cast.luojiang_region.pk, line="")
    response = login(cast.luojiang).post("/activities/new/", data)
    assert checks.LINK_OUT_OF_SCOPE.format(label="工作机制") in response.content.decode()
    assert not Activity.objects.filter(title="新阶联席会议第二次全体会议").exists()


def test_no_meeting_yet_says_how_to_add_one(cast: Cast, joint: JointMeeting) -> None:
    raised(cast, joint)
    html = page(login(cast.city_staff), url(joint.mechanism))
    assert "还没有本机制的会议" in html
    assert "本机制还没有在议题提出之后召开的会议" in html


@pytest.mark.parametrize("who", ["city_staff", "leader", "liaison"])
def test_the_page_runs_a_fixed_number_of_queries(
    cast: Cast, joint: JointMeeting, who: str, django_assert_max_num_queries: Any
) -> None:
    first, second = meeting(cast, joint.mechanism, FIRST), meeting(cast, joint.mechanism, NEXT)
    for n in range(8):
        item = schedule(cast, raised(cast, joint, f"议题{n}"), first)
        if n % 2:
            mechanisms.agenda_carry_over(
                actor=cast.city_staff, item=item, next_meeting=second, note="再议"
            )
        raised(cast, joint, f"待议{n}")
    client = login(getattr(cast, who))
    client.get(url(joint.mechanism))
    with django_assert_max_num_queries(15):
        response = client.get(url(joint.mechanism))
    assert len(response.context["agenda"].pending) == 8
