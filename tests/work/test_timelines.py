"""工作记录 on the pages of a person, an organization and a unit: every kind of record, newest
first, each linking to its page; only what the viewer may see; a fixed number of queries.

What a viewer cannot see is left out, silently. A 旌阳 person who spoke at a 罗江 meeting does
not bring that meeting onto the 旌阳 user's screen: the meeting is 罗江's record (its other
participants and its content are 罗江's), and not even its title or a count of hidden entries
is shown, which would tell that it exists. Those who see both districts (the city, leaders)
see it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, Organization, Person
from tongxin.work import services as work
from tongxin.work import services_activities as activities
from tongxin.work import services_cadres as cadres
from tongxin.work import services_outputs as outputs
from tongxin.work.models import Activity, Case, CaseStatus, OpinionKind, Visit
from tongxin.work.selectors_timeline import LIMIT, person_timeline

from ..conftest import Cast, login
from ..work_records import activity_type

Spec = activities.ParticipantSpec


def meeting(
    actor: User,
    title: str,
    date: dt.date,
    region: Region,
    participants: list[Spec] = [],  # noqa: B006 - read only
    **fields: Any,
) -> Activity:
    return activities.activity_create(
        actor=actor,
        type=activity_type(fields.pop("type", "座谈会")),
        title=title,
        date=date,
        region=region,
        participants=participants,
        **fields,
    )


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def work_section(html: str) -> str:
    """The 工作记录 card of a person's or an organization's page."""
    start = html.index('id="work"')
    return html[start : html.index("变更记录", start) if "变更记录" in html[start:] else None]


def visit(cast: Cast, **target: Any) -> Visit:
    return work.visit_record(
        actor=cast.jingyang,
        visited_on=dt.date(2023, 2, 1),
        method="on_site",
        region=cast.jingyang_region,
        visitors="王志强、李娜",
        opinions=[(OpinionKind.DIFFICULTY, "旌阳企业融资难，希望协调银行授信。")],
        **target,
    )


def case_from(cast: Cast, v: Visit) -> Case:
    return work.opinion_to_case(actor=cast.jingyang, opinion=v.opinions.get(), title="旌阳融资难")


# --- a person -------------------------------------------------------------------------------------


def test_a_persons_page_shows_every_activity_they_joined_with_their_role(cast: Cast) -> None:
    who, region = cast.records.person, cast.jingyang_region
    joined = [
        ("旌阳区新阶人士座谈会", dt.date(2023, 3, 1), "chairs", "主持"),
        ("旌阳区政党协商会议", dt.date(2023, 5, 9), "exchange", "交流发言"),
        ("旌阳区新联会年会", dt.date(2023, 9, 20), "attends", "出席"),
        ("旌阳区同心讲堂", dt.date(2024, 1, 12), "takes_part", "参加"),
    ]
    for title, date, role, _ in joined:
        meeting(
            cast.jingyang, title, date, region, [Spec(role=role, person=who, note="旌阳经验交流")]
        )
    html = work_section(page(login(cast.jingyang), f"/persons/{who.pk}/"))
    # The fixture's 恳谈会 of 2022-06-01, where they spoke, is there too.
    expected = [("旌阳区民营企业家面对面恳谈会", None, None, "出席并讲话"), *joined]
    for title, _, _, label in expected:
        line = next(li for li in html.split("<li") if title in li)
        assert label in line, title
    for activity in Activity.objects.filter(participations__person=who):
        assert f'href="{reverse("activity_detail", args=[activity.pk])}"' in html
    assert "旌阳经验交流" in html
    # Newest first.
    positions = [html.index(title) for title, *_ in reversed(expected)]
    assert positions == sorted(positions)


def test_the_timeline_holds_every_kind_of_record_each_linking_to_its_page(cast: Cast) -> None:
    w, who = cast.work, cast.records.person
    v = visit(cast, person=who)
    case = case_from(cast, v)
    html = work_section(page(login(cast.jingyang), f"/persons/{who.pk}/"))
    links = {
        "activity_detail": w.activity.pk,
        "visit_detail": v.pk,
        "case_detail": case.pk,
        "output_detail": w.output.pk,
        "training_detail": w.training.pk,
        "secondment_detail": w.secondment.pk,
        "dual_report_detail": w.dual_report.pk,
    }
    for name, pk in links.items():
        assert f'href="{reverse(name, args=[pk])}"' in html, name
    for text in (
        "上门走访：旌阳测试人员",
        "走访人：王志强、李娜",
        "旌阳融资难",
        "反映人",
        "受理",
        "旌阳区新阶人士调研报告",
        "调研报告",
        "旌阳区新阶人士培训班",
        "24学时 · 已结业",
        "第4批挂职锻炼：旌阳区某街道办事处",
        "下派",
        "旌阳挂职副主任",
        "2022年双走访双报告：《旌阳走访报告》",
        "2022年度",  # no report date: the year, not an invented day
        "走访 3 次",
    ):
        assert text in html, text
    assert "{#" not in html and "{%" not in html


def test_trainee_hours_are_their_own_when_given(cast: Cast) -> None:
    who = cast.records.person
    other = cadres.training_create(
        actor=cast.jingyang,
        title="旌阳区网络人士研修班",
        start_date=dt.date(2023, 6, 1),
        end_date=dt.date(2023, 6, 2),
        hours=Decimal("16"),
        region=cast.jingyang_region,
    )
    cadres.trainees_add(
        actor=cast.jingyang, training=other, people=[who], hours=Decimal("7.5"), completed=False
    )
    html = work_section(page(login(cast.jingyang), f"/persons/{who.pk}/"))
    assert "7.5学时 · 未结业" in html


def test_a_luojiang_activity_of_a_jingyang_person_is_shown_only_to_who_sees_luojiang(
    cast: Cast,
) -> None:
    who = cast.records.person
    xinjie = BusinessLine.objects.get(name="新阶")
    meeting(
        cast.city_staff,
        "罗江区新阶人士交流会",
        dt.date(2023, 8, 8),
        cast.luojiang_region,
        [Spec(role="speaks", person=who)],
        line=xinjie,
    )
    url = f"/persons/{who.pk}/"
    mine = work_section(page(login(cast.jingyang), url))
    assert "罗江区新阶人士交流会" not in mine
    assert "旌阳区民营企业家面对面恳谈会" in mine  # their own district's are there
    for viewer in (cast.admin, cast.city_staff, cast.leader):
        assert "罗江区新阶人士交流会" in work_section(page(login(viewer), url))
    assert login(cast.luojiang).get(url).status_code == 404


def test_city_staff_see_only_their_lines_records_of_a_person(cast: Cast) -> None:
    who = cast.records.person
    minzong = BusinessLine.objects.get(code="minzong")
    meeting(
        cast.jingyang,
        "旌阳区民族宗教工作会",
        dt.date(2023, 4, 4),
        cast.jingyang_region,
        [Spec(role="attends", person=who)],
        line=minzong,
    )
    url = f"/persons/{who.pk}/"
    assert "旌阳区民族宗教工作会" in work_section(page(login(cast.jingyang), url))
    assert "旌阳区民族宗教工作会" not in work_section(page(login(cast.city_staff), url))


def _fill_a_persons_timeline(cast: Cast, who: Person, n: int) -> None:
    region = cast.jingyang_region
    for i in range(n):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=i)
        meeting(cast.jingyang, f"旌阳会议{i}", day, region, [Spec(role="attends", person=who)])
        case_from(cast, visit(cast, person=who))
        outputs.output_create(
            actor=cast.jingyang,
            kind="information",
            title=f"旌阳信息{i}",
            date=day,
            region=region,
            authors=[outputs.AuthorSpec(person=who)],
        )
        t = cadres.training_create(
            actor=cast.jingyang,
            title=f"旌阳培训{i}",
            start_date=day,
            end_date=day,
            hours=Decimal("4"),
            region=region,
        )
        cadres.trainees_add(actor=cast.jingyang, training=t, people=[who])
        cadres.secondment_create(
            actor=cast.jingyang,
            person=who,
            direction="up",
            batch=10 + i,
            start_date=day,
            region=region,
            host_name=f"旌阳单位{i}",
        )
        cadres.dual_report_save(actor=cast.jingyang, person=who, year=2000 + i, visits_made=i)


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types) first
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_person_page_runs_as_many_queries_however_long_the_timeline(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    person = cast.records.person
    client, url = login(getattr(cast, who)), f"/persons/{person.pk}/"
    short = _queries(client, url)
    _fill_a_persons_timeline(cast, person, 12)
    assert _queries(client, url) == short
    with django_assert_max_num_queries(40):
        client.get(url)


def test_a_long_timeline_shows_the_newest_and_offers_the_rest(cast: Cast) -> None:
    who = cast.records.person
    before = len(person_timeline(cast.jingyang, who, limit=None).entries)
    for i in range(LIMIT + 5):
        meeting(
            cast.jingyang,
            f"旌阳例会第{i:02d}次",
            dt.date(2023, 1, 1) + dt.timedelta(days=i),
            cast.jingyang_region,
            [Spec(role="attends", person=who)],
        )
    client = login(cast.jingyang)
    html = work_section(page(client, f"/persons/{who.pk}/"))
    assert html.count('class="list-group-item d-sm-flex') == LIMIT
    assert f"旌阳例会第{LIMIT + 4:02d}次" in html and "旌阳例会第00次" not in html
    assert f"/persons/{who.pk}/?work=all#work" in html
    everything = work_section(page(client, f"/persons/{who.pk}/", work="all"))
    assert "旌阳例会第00次" in everything and "?work=all" not in everything
    assert len(person_timeline(cast.jingyang, who, limit=None).entries) == before + LIMIT + 5


# --- an organization ------------------------------------------------------------------------------


def test_an_organizations_page_shows_its_activities_visits_cases_and_outputs(cast: Cast) -> None:
    org, w = cast.records.organization, cast.work
    v = visit(cast, organization=org)
    case = case_from(cast, v)
    output = outputs.output_create(
        actor=cast.jingyang,
        kind="proposal",
        title="旌阳新联会关于营商环境的建言",
        date=dt.date(2023, 7, 1),
        region=cast.jingyang_region,
        authors=[outputs.AuthorSpec(organization=org)],
    )
    html = work_section(page(login(cast.jingyang), f"/organizations/{org.pk}/"))
    for name, pk in (
        ("activity_detail", w.activity.pk),
        ("visit_detail", v.pk),
        ("case_detail", case.pk),
        ("output_detail", output.pk),
    ):
        assert f'href="{reverse(name, args=[pk])}"' in html, name
    line = next(li for li in html.split("<li") if "旌阳区民营企业家面对面恳谈会" in li)
    assert "主办" in line
    assert "建言" in html and "上门走访：旌阳区新的社会阶层人士联谊会" in html


def test_an_enterprise_page_shows_where_it_landed_and_signed_credit(cast: Cast) -> None:
    enterprise = Organization.objects.get(name="旌阳测试企业有限公司")
    landed = meeting(
        cast.jingyang,
        "旌阳区招商推介会",
        dt.date(2023, 10, 1),
        cast.jingyang_region,
        type="招商推介",
        landed_enterprises=[enterprise],
    )
    html = work_section(page(login(cast.jingyang), f"/organizations/{enterprise.pk}/"))
    signed = next(li for li in html.split("<li") if "旌阳区民营企业家面对面恳谈会" in li)
    assert "授信签约" in signed
    there = next(li for li in html.split("<li") if "旌阳区招商推介会" in li)
    assert "落地企业" in there and reverse("activity_detail", args=[landed.pk]) in there


def test_an_organizations_timeline_leaves_out_other_lines_for_city_staff(cast: Cast) -> None:
    org = cast.records.organization
    meeting(
        cast.jingyang,
        "旌阳区宗教场所座谈会",
        dt.date(2023, 4, 4),
        cast.jingyang_region,
        line=BusinessLine.objects.get(code="minzong"),
        organizer_organizations=[org],
    )
    url = f"/organizations/{org.pk}/"
    assert "旌阳区宗教场所座谈会" in work_section(page(login(cast.jingyang), url))
    city = work_section(page(login(cast.city_staff), url))
    assert "旌阳区宗教场所座谈会" not in city and "旌阳区民营企业家面对面恳谈会" in city


@pytest.mark.parametrize("who", ["admin", "jingyang", "leader"])
def test_the_organization_page_runs_as_many_queries_however_long_the_timeline(
    cast: Cast, who: str
) -> None:
    org = cast.records.organization
    client, url = login(getattr(cast, who)), f"/organizations/{org.pk}/"
    short = _queries(client, url)
    for i in range(10):
        meeting(
            cast.jingyang,
            f"旌阳联谊活动{i}",
            dt.date(2023, 1, 1 + i),
            cast.jingyang_region,
            organizer_organizations=[org],
        )
        case_from(cast, visit(cast, organization=org))
    assert _queries(client, url) == short


# --- a unit ---------------------------------------------------------------------------------------


def _assigned(cast: Cast, unit: Unit, title: str, days: int, region: Region | None = None) -> Case:
    case = work.case_create(
        actor=cast.admin if region else cast.jingyang,
        title=title,
        text_="企业反映的问题。",
        source="liaison",
        region=region or cast.jingyang_region,
    )
    return work.case_transition(
        case=case,
        to_status=CaseStatus.ASSIGNED,
        actor=cast.admin if region else cast.jingyang,
        units=[unit],
        deadline=timezone.localdate() + dt.timedelta(days=days),
    )


def _resolved(cast: Cast, case: Case) -> Case:
    case = work.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=cast.jingyang)
    return work.case_transition(
        case=case, to_status=CaseStatus.RESOLVED, actor=cast.jingyang, resolution="已协调解决。"
    )


def test_a_units_page_lists_its_cases_open_first_by_deadline(cast: Cast) -> None:
    unit = cast.jingyang_unit
    _resolved(cast, _assigned(cast, unit, "旌阳已办结的诉求", 1))
    _assigned(cast, unit, "旌阳时限较远的诉求", 20)
    _assigned(cast, unit, "旌阳即将到期的诉求", 2)
    html = page(login(cast.jingyang), f"/units/{unit.pk}/")
    order = [html.index(t) for t in ("旌阳即将到期", "旌阳时限较远", "旌阳已办结")]
    assert order == sorted(order)
    assert "共 3 件，办理中 2 件" in html and "即将到期" in html
    for case in Case.objects.filter(units=unit):
        assert f'href="{reverse("case_detail", args=[case.pk])}"' in html


def test_a_units_page_shows_the_activities_it_organized_or_joined_with_its_part(
    cast: Cast,
) -> None:
    unit = cast.jingyang_unit
    meeting(
        cast.jingyang,
        "旌阳区联席会议",
        dt.date(2023, 7, 5),
        cast.jingyang_region,
        [Spec(role="exchange", unit=unit)],
    )
    html = page(login(cast.jingyang), f"/units/{unit.pk}/")
    work_card = html[html.index('id="work"') :]
    joined = next(li for li in work_card.split("<li") if "旌阳区联席会议" in li)
    organized = next(li for li in work_card.split("<li") if "旌阳区民营企业家面对面恳谈会" in li)
    assert "交流发言" in joined and "主办" in organized


def test_a_liaison_sees_the_cases_and_activities_of_their_own_unit(cast: Cast) -> None:
    unit = cast.jingyang_unit
    _assigned(cast, unit, "旌阳交办司法局的诉求", 5)
    cast.liaison.unit = unit
    cast.liaison.save()
    html = page(login(cast.liaison), f"/units/{unit.pk}/")
    assert "旌阳交办司法局的诉求" in html and "旌阳区民营企业家面对面恳谈会" in html


def test_a_city_units_page_shows_a_district_user_only_their_districts_cases(cast: Cast) -> None:
    city_unit = Unit.objects.get(short_name="市司法局")
    _assigned(cast, city_unit, "旌阳交办市司法局的诉求", 5)
    _assigned(cast, city_unit, "罗江交办市司法局的诉求", 5, region=cast.luojiang_region)
    mine = page(login(cast.jingyang), f"/units/{city_unit.pk}/")
    assert "旌阳交办市司法局的诉求" in mine and "罗江交办市司法局的诉求" not in mine
    assert "共 1 件" in mine
    theirs = page(login(cast.luojiang), f"/units/{city_unit.pk}/")
    assert "罗江交办市司法局的诉求" in theirs and "旌阳" not in re.sub(r"<[^>]+>", "", theirs)


def test_the_unit_page_runs_as_many_queries_however_many_cases(cast: Cast) -> None:
    unit = cast.jingyang_unit
    client, url = login(cast.jingyang), f"/units/{unit.pk}/"
    _assigned(cast, unit, "旌阳诉求", 3)
    short = _queries(client, url)
    for i in range(10):
        _assigned(cast, unit, f"旌阳诉求{i}", 3 + i)
        meeting(
            cast.jingyang,
            f"旌阳会议{i}",
            dt.date(2023, 1, 1 + i),
            cast.jingyang_region,
            organizer_units=[unit],
        )
    assert _queries(client, url) == short


def test_timelines_name_no_record_for_a_person_with_none(cast: Cast) -> None:
    newcomer = registry.person_create(
        actor=None,
        name="新来的人",
        region=cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="新的社会阶层人士")],
    )
    html = work_section(page(login(cast.jingyang), f"/persons/{newcomer.pk}/"))
    assert "暂无工作记录" in html
