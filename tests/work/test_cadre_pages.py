"""The pages of trainings and trainees, secondments (挂职锻炼) and 双走访双报告: lists with their
filters, totals and query counts; details; create and edit with Chinese messages; who may open
and who may write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tongxin.core.models import BusinessLine, Region
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, Person
from tongxin.work import forms_cadres as forms
from tongxin.work import services_activities as activities
from tongxin.work import services_cadres as cadres
from tongxin.work.checks import LINE_REQUIRED
from tongxin.work.models import DualVisitReport, Secondment, Trainee, Training

from ..conftest import Cast, login
from ..work_records import activity_type

NEW_STRATUM = "新的社会阶层人士"


def person(region: Region, name: str, category: str = NEW_STRATUM, **fields: Any) -> Person:
    return registry.person_create(
        actor=None,
        name=name,
        region=region,
        categories=[CodeItem.objects.get(kind="category", name=category)],
        **fields,
    )


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def training(cast: Cast, title: str, start: dt.date, **fields: Any) -> Training:
    fields.setdefault("region", cast.jingyang_region)
    return cadres.training_create(
        actor=cast.jingyang,
        title=title,
        start_date=start,
        end_date=fields.pop("end_date", start),
        hours=fields.pop("hours", Decimal("8")),
        **fields,
    )


def secondment(cast: Cast, who: Person, batch: int, direction: str = "up", **f: Any) -> Secondment:
    return cadres.secondment_create(
        actor=cast.jingyang,
        person=who,
        direction=direction,
        batch=batch,
        start_date=f.pop("start_date", dt.date(2020 + batch - 2, 3, 1)),
        region=cast.jingyang_region,
        host_name=f.pop("host_name", "旌阳区发展改革局"),
        **f,
    )


# --- who may open the pages -----------------------------------------------------------------------

LISTS = ["/trainings/", "/secondments/", "/dual-reports/"]


def details(cast: Cast) -> list[str]:
    w = cast.work
    return [
        f"/trainings/{w.training.pk}/",
        f"/trainings/{w.training.pk}/edit/",
        f"/secondments/{w.secondment.pk}/",
        f"/secondments/{w.secondment.pk}/edit/",
        f"/dual-reports/{w.dual_report.pk}/",
        f"/dual-reports/{w.dual_report.pk}/edit/",
    ]


@pytest.mark.parametrize("who", ["admin", "jingyang", "leader"])
def test_staff_and_leaders_see_jingyangs_records_in_the_lists(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert "旌阳区新阶人士培训班" in page(client, "/trainings/")
    assert "旌阳测试人员" in page(client, "/secondments/")
    assert "旌阳走访报告" in page(client, "/dual-reports/")


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_see_empty_lists_and_no_jingyang_record(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    for url in LISTS:
        assert "旌阳" not in page(client, url)
    for url in details(cast):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_are_refused_every_page(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    for url in [*LISTS, *details(cast), "/trainings/new/", "/secondments/new/"]:
        assert client.get(url).status_code == 403, url


def test_a_leader_reads_but_every_write_is_refused(cast: Cast) -> None:
    client = login(cast.leader)
    w = cast.work
    text = page(client, f"/trainings/{w.training.pk}/")
    assert "旌阳测试人员" in text and "添加学员" not in text and "移出" not in text
    assert f"/secondments/{w.secondment.pk}/edit/" not in page(
        client, f"/secondments/{w.secondment.pk}/"
    )
    for url in ["/trainings/new/", "/secondments/new/", "/dual-reports/new/"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/trainings/{w.training.pk}/trainees/add/").status_code == 403
    assert client.post(f"/trainees/{w.trainee.pk}/remove/").status_code == 403
    assert Trainee.objects.filter(pk=w.trainee.pk).exists()


# --- trainings ------------------------------------------------------------------------------------


def test_the_training_list_shows_dates_organizer_hours_and_trainee_count(cast: Cast) -> None:
    t = training(
        cast,
        "旌阳区民营经济人士培训班",
        dt.date(2023, 4, 10),
        end_date=dt.date(2023, 4, 12),
        hours=Decimal("24.5"),
        organizer=cast.jingyang_unit,
    )
    cadres.trainees_add(
        actor=cast.jingyang,
        training=t,
        people=[person(cast.jingyang_region, f"学员{i}") for i in range(3)],
    )
    text = page(login(cast.jingyang), "/trainings/")
    assert "2023-04-10" in text and "至 04-12" in text
    assert "旌阳区司法局" in text and "24.5" in text and "3 人" in text
    assert (
        '共 <strong class="text-body">2</strong> 期，参训 <strong class="text-body">4</strong> 人次'
        in text
    )


def test_the_training_list_filters_by_year_region_and_line(cast: Cast) -> None:
    xinjie = BusinessLine.objects.get(name="新阶")
    training(cast, "二〇二三年旌阳培训", dt.date(2023, 5, 1), line=xinjie)
    client = login(cast.admin)
    assert "二〇二三年旌阳培训" not in page(client, "/trainings/", year=2022)
    assert "旌阳区新阶人士培训班" in page(client, "/trainings/", year=2022)
    by_line = page(client, "/trainings/", line=xinjie.pk)
    assert "二〇二三年旌阳培训" in by_line and "旌阳区新阶人士培训班" not in by_line
    assert "旌阳区新阶人士培训班" not in page(client, "/trainings/", region="510604")
    assert "旌阳区新阶人士培训班" in page(client, "/trainings/", region="510603")
    # A stale value is ignored rather than answered with an error.
    assert "旌阳区新阶人士培训班" in page(client, "/trainings/", year="1999", region="x")


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_training_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    xinjie = BusinessLine.objects.get(name="新阶")
    people = [person(cast.jingyang_region, f"学员{i}") for i in range(5)]
    unit = cast.jingyang_unit
    for i in range(25):
        t = training(cast, f"培训{i}", dt.date(2022, 1, 1 + i), line=xinjie, organizer=unit)
        cadres.trainees_add(actor=cast.jingyang, training=t, people=people[: i % 5 + 1])
    client = login(getattr(cast, who))
    client.get("/trainings/")
    with django_assert_max_num_queries(14):
        assert client.get("/trainings/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/trainings/", {"year": 2022, "line": xinjie.pk}).status_code == 200


def test_a_training_is_created_and_edited_through_the_form(cast: Cast) -> None:
    client = login(cast.jingyang)
    data = {
        "title": "旌阳区党外干部培训班",
        "start_date": "2024-03-01",
        "end_date": "2024-03-05",
        "place": "旌阳区委党校",
        "organizer": cast.jingyang_unit.pk,
        "region": cast.jingyang_region.pk,
        "hours": "40",
        "summary": "理论学习与现场教学。",
    }
    response = client.post("/trainings/new/", data)
    created = Training.objects.get(title="旌阳区党外干部培训班")
    assert response.status_code == 302 and response["Location"] == f"/trainings/{created.pk}/"
    assert created.hours == Decimal("40") and created.created_by == cast.jingyang
    response = client.post(
        f"/trainings/{created.pk}/edit/",
        {**data, "hours": "36.5", "expected_version": created.version},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.hours == Decimal("36.5")


def test_the_training_form_says_what_to_fix_in_chinese(cast: Cast) -> None:
    client = login(cast.jingyang)
    text = client.post("/trainings/new/", {"region": cast.jingyang_region.pk}).content.decode()
    for message in (
        "请填写培训班名称。",
        "请填写开班日期。",
        "请填写学时（如 24，可有一位小数）。",
    ):
        assert message in text
    text = client.post(
        "/trainings/new/",
        {
            "title": "旌阳培训",
            "start_date": "2024-03-05",
            "end_date": "2024-03-01",
            "region": cast.jingyang_region.pk,
            "hours": "8",
        },
    ).content.decode()
    assert "结业日期不能早于开班日期。" in text
    assert not Training.objects.filter(title="旌阳培训").exists()


def test_city_staff_must_put_a_training_in_one_of_their_lines(cast: Cast) -> None:
    client = login(cast.city_staff)
    text = client.post(
        "/trainings/new/",
        {
            "title": "全市新阶培训",
            "start_date": "2024-03-01",
            "end_date": "2024-03-01",
            "region": cast.city.pk,
            "hours": "8",
        },
    ).content.decode()
    assert LINE_REQUIRED in text
    form = forms.TrainingForm(cast.city_staff)
    assert list(form.fields["line"].queryset) == list(cast.city_staff.lines.all())  # type: ignore[attr-defined]


def test_the_training_page_lists_trainees_with_links_hours_and_completion(cast: Cast) -> None:
    w = cast.work
    other = person(cast.jingyang_region, "钟晓")
    cadres.trainees_add(
        actor=cast.jingyang,
        training=w.training,
        people=[other],
        hours=Decimal("6"),
        completed=False,
    )
    text = page(login(cast.jingyang), f"/trainings/{w.training.pk}/")
    assert f'href="/persons/{cast.records.person.pk}/"' in text
    assert f'href="/persons/{other.pk}/"' in text
    assert "24" in text and ">6<" in text
    assert "已结业" in text and "未结业" in text
    assert "2 人 · 结业 1 人" in text


def test_a_trainee_the_viewer_may_not_see_is_named_without_a_link(cast: Cast) -> None:
    """A class without a line is seen by the city's 新阶 staff; a 宗教界 trainee on it is not
    theirs to open."""
    cleric = person(cast.jingyang_region, "释明心", category="宗教界人士")
    cadres.trainees_add(actor=cast.jingyang, training=cast.work.training, people=[cleric])
    text = page(login(cast.city_staff), f"/trainings/{cast.work.training.pk}/")
    assert "释明心" in text and f"/persons/{cleric.pk}/" not in text
    assert f'href="/persons/{cast.records.person.pk}/"' in text


def test_the_training_page_links_its_activity_only_for_who_may_see_it(cast: Cast) -> None:
    minzong = BusinessLine.objects.get(code="minzong")
    activity = activities.activity_create(
        actor=cast.jingyang,
        type=activity_type("培训班"),
        title="旌阳区宗教界人士培训开班式",
        date=dt.date(2023, 3, 1),
        region=cast.jingyang_region,
        line=minzong,
    )
    t = training(cast, "旌阳区宗教界人士培训班", dt.date(2023, 3, 1), activity=activity)
    url = f"/trainings/{t.pk}/"
    assert f'href="/activities/{activity.pk}/"' in page(login(cast.jingyang), url)
    city = page(login(cast.city_staff), url)  # the class has no line; the activity is 民宗's
    assert "旌阳区宗教界人士培训班" in city and "开班式" not in city


def test_trainees_are_found_in_ones_scope_and_added_several_at_once(cast: Cast) -> None:
    w = cast.work
    a, b = person(cast.jingyang_region, "钟晓"), person(cast.jingyang_region, "钟磊")
    far = person(cast.luojiang_region, "钟远")
    client = login(cast.jingyang)
    found = client.get(f"/trainings/{w.training.pk}/", {"q": "钟"}, HTTP_HX_REQUEST="true")
    text = found.content.decode()
    assert "钟晓" in text and "钟磊" in text and "钟远" not in text
    assert "<html" not in text  # htmx gets the results only
    # Someone already on the list is not offered again.
    again = client.get(f"/trainings/{w.training.pk}/", {"q": "旌阳测试"}, HTTP_HX_REQUEST="true")
    assert "旌阳测试人员" not in again.content.decode()
    response = client.post(
        f"/trainings/{w.training.pk}/trainees/add/",
        {"people": [a.pk, b.pk], "hours": "12", "completed": "on"},
    )
    assert response.status_code == 302
    added = Trainee.objects.filter(training=w.training, person__in=[a, b])
    assert [t.hours for t in added] == [Decimal("12"), Decimal("12")]
    assert "已添加学员 2 名" in page(client, f"/trainings/{w.training.pk}/")
    # A person out of scope, sent by hand, is refused and nothing is added.
    client.post(f"/trainings/{w.training.pk}/trainees/add/", {"people": [far.pk]})
    assert not Trainee.objects.filter(person=far).exists()
    assert forms.TRAINEE_NOT_FOUND in page(client, f"/trainings/{w.training.pk}/")


def test_adding_nobody_or_someone_twice_says_so(cast: Cast) -> None:
    w = cast.work
    client = login(cast.jingyang)
    client.post(f"/trainings/{w.training.pk}/trainees/add/", {})
    assert forms.TRAINEES_REQUIRED in page(client, f"/trainings/{w.training.pk}/")
    client.post(f"/trainings/{w.training.pk}/trainees/add/", {"people": [cast.records.person.pk]})
    assert cadres.TRAINEE_TWICE.format(name="旌阳测试人员") in page(
        client, f"/trainings/{w.training.pk}/"
    )
    assert w.training.trainees.count() == 1


def test_a_trainee_is_removed_from_the_list(cast: Cast) -> None:
    w = cast.work
    client = login(cast.jingyang)
    response = client.post(f"/trainees/{w.trainee.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == f"/trainings/{w.training.pk}/"
    assert not Trainee.objects.filter(pk=w.trainee.pk).exists()
    assert client.get(f"/trainees/{w.trainee.pk}/remove/").status_code == 405


def test_another_district_cannot_add_or_remove_trainees(cast: Cast) -> None:
    w = cast.work
    client = login(cast.luojiang)
    assert client.post(f"/trainings/{w.training.pk}/trainees/add/", {}).status_code == 404
    assert client.post(f"/trainees/{w.trainee.pk}/remove/").status_code == 404
    assert Trainee.objects.filter(pk=w.trainee.pk).exists()


# --- secondments ----------------------------------------------------------------------------------


def test_the_secondment_list_shows_this_batch_and_the_cumulative_count(cast: Cast) -> None:
    people = [person(cast.jingyang_region, f"干部{i}") for i in range(5)]
    for p in people[:3]:
        secondment(cast, p, batch=3, direction="up")
    secondment(cast, people[3], batch=4, direction="up")
    secondment(cast, people[0], batch=4, direction="down")  # a second term: one person still
    text = page(login(cast.jingyang), "/secondments/")
    # Batch 4: the fixture's 旌阳测试人员 (下派), 干部3 (上挂), 干部0 (下派).
    assert "第4批挂职" in text and "上挂 1 名 · 下派 2 名" in text
    # Cumulative, by person: 旌阳测试人员 and 干部0–3.
    assert "上挂下派累计" in text and "上挂 4 名 · 下派 2 名" in text
    assert '<div class="value">5 <small' in text
    batch3 = page(login(cast.jingyang), "/secondments/", batch=3)
    assert "第3批挂职" in batch3 and '<div class="value">3 <small' in batch3
    assert "旌阳测试人员" not in batch3


def test_the_secondment_list_filters_by_batch_direction_and_year(cast: Cast) -> None:
    secondment(
        cast, person(cast.jingyang_region, "上挂干部"), 3, "up", start_date=dt.date(2021, 3, 1)
    )
    client = login(cast.jingyang)
    downs = page(client, "/secondments/", direction="down")
    assert "旌阳测试人员" in downs and "上挂干部" not in downs
    by_year = page(client, "/secondments/", year=2021)
    assert "上挂干部" in by_year and "旌阳测试人员" not in by_year
    assert "上挂干部" in page(client, "/secondments/", batch=3, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_secondment_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        secondment(cast, person(cast.jingyang_region, f"干部{i}"), batch=2 + i % 3)
    client = login(getattr(cast, who))
    client.get("/secondments/")
    with django_assert_max_num_queries(16):
        assert client.get("/secondments/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/secondments/", {"batch": 3, "direction": "up"}).status_code == 200


def test_a_secondment_is_entered_by_picking_the_person_first(cast: Cast) -> None:
    cadre = person(cast.jingyang_region, "曾蓉", employer="德阳网联科技")
    person(cast.luojiang_region, "曾远")
    client = login(cast.jingyang)
    picker = page(client, "/secondments/new/", q="曾")
    assert f"/secondments/new/?person={cadre.pk}" in picker and "曾远" not in picker
    form_page = page(client, "/secondments/new/", person=cadre.pk)
    assert "曾蓉" in form_page and "德阳网联科技" in form_page
    response = client.post(
        f"/secondments/new/?person={cadre.pk}",
        {
            "person": cadre.pk,
            "batch": "4",
            "direction": "up",
            "host_unit": cast.jingyang_unit.pk,
            "post": "副局长",
            "start_date": "2022-03-01",
            "region": cast.jingyang_region.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/secondments/?batch=4"
    s = Secondment.objects.get(person=cadre)
    assert s.host_unit == cast.jingyang_unit and s.created_by == cast.jingyang


def test_a_person_out_of_scope_cannot_be_picked_by_hand(cast: Cast) -> None:
    far = person(cast.luojiang_region, "曾远")
    client = login(cast.jingyang)
    text = page(client, "/secondments/new/", person=far.pk)
    assert "第一步" in text and "曾远" not in text
    client.post("/secondments/new/", {"person": far.pk, "batch": "4", "direction": "up"})
    assert not Secondment.objects.filter(person=far).exists()


def test_the_secondment_form_says_what_to_fix_in_chinese(cast: Cast) -> None:
    who = cast.records.person
    client = login(cast.jingyang)
    base = {"person": who.pk, "direction": "up", "start_date": "2022-03-01"}
    text = client.post(
        "/secondments/new/", {**base, "batch": "5", "region": cast.jingyang_region.pk}
    ).content.decode()
    assert "请选择或填写挂职单位。" in text
    text = client.post(
        "/secondments/new/",
        {**base, "batch": "4", "host_name": "某局", "region": cast.jingyang_region.pk},
    ).content.decode()
    assert "该人员已在这一批挂职名单中。" in text
    text = client.post(
        "/secondments/new/",
        {
            **base,
            "batch": "5",
            "host_name": "某局",
            "end_date": "2022-01-01",
            "region": cast.jingyang_region.pk,
        },
    ).content.decode()
    assert "结束日期不能早于开始日期。" in text
    text = client.post("/secondments/new/", {"person": who.pk}).content.decode()
    assert "请填写批次（第几批，填数字，如 4）。" in text and "请选择方式：上挂或下派。" in text
    assert Secondment.objects.filter(person=who).count() == 1


def test_a_secondment_page_shows_the_term_and_is_edited(cast: Cast) -> None:
    s = cast.work.secondment
    client = login(cast.jingyang)
    text = page(client, f"/secondments/{s.pk}/")
    assert "旌阳区某街道办事处" in text and "旌阳挂职副主任" in text and "第4批" in text
    assert f'href="/persons/{s.person_id}/"' in text
    response = client.post(
        f"/secondments/{s.pk}/edit/",
        {
            "batch": "4",
            "direction": "down",
            "host_name": "旌阳区某街道办事处",
            "post": "旌阳挂职主任助理",
            "start_date": "2022-03-01",
            "end_date": "2023-02-28",
            "region": cast.jingyang_region.pk,
            "expected_version": s.version,
        },
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.post == "旌阳挂职主任助理" and s.end_date == dt.date(2023, 2, 28)


# --- 双走访双报告 ------------------------------------------------------------------------------


def test_the_dual_report_list_shows_the_latest_year_and_its_totals(cast: Cast) -> None:
    other = person(cast.jingyang_region, "钟晓")
    cadres.dual_report_save(
        actor=cast.jingyang, person=other, year=2021, visits_made=5, report_title="早年的报告"
    )
    client = login(cast.jingyang)
    text = page(client, "/dual-reports/")
    assert "2022年" in text and "旌阳走访报告" in text and "早年的报告" not in text
    assert f'href="/dual-reports/{cast.work.dual_report.pk}/"' in text
    assert '1</strong> 人填报，走访 <strong class="text-body">3</strong> 次' in text
    earlier = page(client, "/dual-reports/", year=2021)
    assert "早年的报告" in earlier and "旌阳走访报告" not in earlier


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_dual_report_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        cadres.dual_report_save(
            actor=cast.jingyang,
            person=person(cast.jingyang_region, f"代表{i}"),
            year=2022,
            visits_made=i,
            report_title=f"报告{i}",
        )
    client = login(getattr(cast, who))
    client.get("/dual-reports/")
    with django_assert_max_num_queries(14):
        assert client.get("/dual-reports/").status_code == 200


def test_a_dual_report_is_filled_in_once_per_person_and_year(cast: Cast) -> None:
    rep = person(cast.jingyang_region, "钟晓")
    client = login(cast.jingyang)
    data = {
        "person": rep.pk,
        "year": "2023",
        "visits_made": "4",
        "report_title": "关于民营企业用工的报告",
        "reported_on": "2023-11-20",
    }
    response = client.post("/dual-reports/new/", data)
    report = DualVisitReport.objects.get(person=rep, year=2023)
    assert response.status_code == 302 and response["Location"] == f"/dual-reports/{report.pk}/"
    text = client.post("/dual-reports/new/", {**data, "visits_made": "9"}).content.decode()
    assert forms.DUAL_REPORT_EXISTS.format(year=2023) in text
    assert f'href="/dual-reports/{report.pk}/edit/"' in text
    report.refresh_from_db()
    assert report.visits_made == 4


def test_a_dual_report_is_edited_without_changing_its_year(cast: Cast) -> None:
    report = cast.work.dual_report
    client = login(cast.jingyang)
    response = client.post(
        f"/dual-reports/{report.pk}/edit/",
        {
            "year": "2030",
            "visits_made": "6",
            "report_title": "旌阳走访报告修订稿",
            "expected_version": report.version,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.year == 2022 and report.visits_made == 6
    assert DualVisitReport.objects.filter(person=report.person).count() == 1
    text = page(client, f"/dual-reports/{report.pk}/")
    assert "旌阳走访报告修订稿" in text and "走访 6 次" in text


# --- navigation -----------------------------------------------------------------------------------


def test_the_work_section_of_the_menu_links_the_cadre_pages(cast: Cast) -> None:
    text = page(login(cast.leader), "/trainings/")
    assert 'href="/trainings/"' in text and 'href="/secondments/"' in text
    assert 'href="/dual-reports/"' in text and ">工作</div>" in text
