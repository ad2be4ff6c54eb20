"""The activity pages: list with filters (query count), detail with participants by role,
outcomes and money totals, the create and edit form, participants, projects, credits and files;
who may open and change what."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tongxin.core.models import BusinessLine, Unit
from tongxin.registry.models import CodeItem, CodeKind, Organization
from tongxin.work import attachments, checks
from tongxin.work import selectors_activities as selectors
from tongxin.work import services_activities as services
from tongxin.work.models import (
    Activity,
    Attachment,
    CreditAgreement,
    Participation,
    PromotedProject,
)

from ..conftest import Cast, login
from ..work_records import PDF, activity_type


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def xinjie() -> BusinessLine:
    return BusinessLine.objects.get(name="新阶")


def unit_meeting(cast: Cast, **fields: Any) -> Activity:
    """A city meeting organized by the liaison's unit (市委网信办), with a registry person, the
    unit itself and an official by name among the participants."""
    values: dict[str, Any] = {
        "type": activity_type("联席会议"),
        "title": "全市新的社会阶层人士统战工作联席会议",
        "date": dt.date(2023, 7, 5),
        "region": cast.city,
        "line": xinjie(),
        "organizer_units": [cast.city_unit],
        "participants": [
            services.ParticipantSpec("takes_part", person=cast.records.person, title="会长"),
            services.ParticipantSpec("exchange", unit=cast.city_unit, note="网信办交流发言"),
            services.ParticipantSpec("chairs", name="毛毅", title="市委统战部副部长"),
            services.ParticipantSpec("speaks", name="朱莉", title="市委常委、统战部部长"),
        ],
    }
    values.update(fields)
    return services.activity_create(actor=cast.admin, **values)


def activity_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": activity_type("恳谈会").pk,
        "title": "旌阳区民营企业家恳谈会第二场",
        "date": "2023-03-15",
        "start_time": "09:30",
        "place": "旌阳区政务中心",
        "region": cast.jingyang_region.pk,
        "headcount": "40",
        "organizer_units": [cast.jingyang_unit.pk],
        "summary": "听取企业家意见建议。",
    }
    data.update(overrides)
    return data


# --- who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "jingyang", "leader"])
def test_staff_and_leaders_open_the_list_and_the_detail(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    activity = cast.work.activity
    assert activity.title in page(client, "/activities/")
    text = page(client, f"/activities/{activity.pk}/")
    for value in (
        "旌阳区民营企业家面对面恳谈会",
        "恳谈会",
        "旌阳区会议中心",
        "旌阳测试人员",
        "旌阳嘉宾",
    ):
        assert value in text
    assert "旌阳智能制造项目" in text and "旌阳农商银行" in text and "旌阳会议纪要.pdf" in text


def test_city_staff_see_the_activities_of_their_lines_and_those_without_a_line(cast: Cast) -> None:
    other_line = unit_meeting(
        cast, title="市级港澳台侨联谊活动", line=BusinessLine.objects.get(name="港澳台侨")
    )
    text = page(login(cast.city_staff), "/activities/")
    assert cast.work.activity.title in text and other_line.title not in text
    assert login(cast.city_staff).get(f"/activities/{other_line.pk}/").status_code == 404


def test_a_liaison_sees_their_units_activities_without_the_people(cast: Cast) -> None:
    department = Unit.objects.get(short_name="市委统战部")
    meeting = unit_meeting(cast, organizer_units=[cast.city_unit, department])
    client = login(cast.liaison)
    text = page(client, "/activities/")
    assert meeting.title in text and cast.work.activity.title not in text
    text = page(client, f"/activities/{meeting.pk}/")
    assert "中共德阳市委网络安全和信息化委员会办公室" in text and "网信办交流发言" in text
    assert cast.records.person.name not in text and "会长" not in text
    assert "成员单位联络员看不到名册中的人员" in text
    assert department.name not in text and "另有 1 个不在您的查看范围内" in text
    assert "编辑" not in text and "移出" not in text and "上传" not in text
    assert client.get(f"/activities/{cast.work.activity.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_and_outsiders_get_404_for_jingyang_activities(
    cast: Cast, who: str
) -> None:
    client = login(getattr(cast, who))
    assert "旌阳" not in page(client, "/activities/")
    work = cast.work
    for url in (
        f"/activities/{work.activity.pk}/",
        f"/activities/{work.activity.pk}/edit/",
        f"/activities/{work.activity.pk}/participants/new/",
        f"/activities/{work.activity.pk}/projects/new/",
        f"/activities/{work.activity.pk}/credits/new/",
        f"/attachments/{work.attachment.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/participations/{work.participation.pk}/delete/",
        f"/projects/{work.project.pk}/delete/",
        f"/credits/{work.credit.pk}/delete/",
        f"/attachments/{work.attachment.pk}/delete/",
        f"/activities/{work.activity.pk}/attachments/new/",
    ):
        assert client.post(url).status_code == 404, url
    assert Participation.objects.filter(pk=work.participation.pk).exists()
    assert CreditAgreement.objects.filter(pk=work.credit.pk).exists()
    assert Attachment.objects.filter(pk=work.attachment.pk).exists()


def test_auditors_cannot_open_activities(cast: Cast) -> None:
    client = login(cast.auditor)
    assert client.get("/activities/").status_code == 403
    assert client.get(f"/activities/{cast.work.activity.pk}/").status_code == 403


def test_leaders_read_but_get_403_on_every_write(cast: Cast) -> None:
    client = login(cast.leader)
    work = cast.work
    text = page(client, f"/activities/{work.activity.pk}/")
    assert "编辑" not in text and "移出" not in text and "添加参加人员" not in text
    assert "新增活动" not in page(client, "/activities/")
    assert client.get("/activities/new/").status_code == 403
    assert client.post("/activities/new/", activity_form(cast)).status_code == 403
    assert client.post(f"/participations/{work.participation.pk}/delete/").status_code == 403
    assert client.post(f"/credits/{work.credit.pk}/delete/").status_code == 403
    assert client.post(f"/attachments/{work.attachment.pk}/delete/").status_code == 403
    assert Participation.objects.filter(pk=work.participation.pk).exists()


def test_liaisons_cannot_write_to_their_units_activities(cast: Cast) -> None:
    meeting = unit_meeting(cast)
    client = login(cast.liaison)
    assert client.get(f"/activities/{meeting.pk}/edit/").status_code == 403
    unit_row = meeting.participations.get(unit=cast.city_unit)
    assert client.post(f"/participations/{unit_row.pk}/delete/").status_code == 403


# --- the list -------------------------------------------------------------------------------------


def test_the_list_filters_by_type_dates_region_line_and_title(cast: Cast) -> None:
    meeting = unit_meeting(cast)
    client = login(cast.admin)
    jingyang = cast.work.activity.title
    text = page(client, "/activities/", type=activity_type("联席会议").pk)
    assert meeting.title in text and jingyang not in text
    text = page(client, "/activities/", date_from="2023-01-01", date_to="2023-12-31")
    assert meeting.title in text and jingyang not in text
    text = page(client, "/activities/", region="510603")
    assert meeting.title not in text and jingyang in text
    text = page(client, "/activities/", line=xinjie().pk)
    assert meeting.title in text and jingyang not in text
    text = page(client, "/activities/", q="面对面")
    assert meeting.title not in text and jingyang in text
    text = page(client, "/activities/", q="聯席會議")  # traditional characters find it too
    assert meeting.title in text


def test_the_list_shows_date_type_region_and_counts(cast: Cast) -> None:
    meeting = unit_meeting(cast, headcount=35)
    text = page(login(cast.admin), "/activities/")
    row = re.search(rf"<tr>.*?{meeting.title}.*?</tr>", text, re.S)
    assert row is not None
    cells = row.group(0)
    for value in ("2023-07-05", "联席会议", "德阳市", ">4<", ">35<"):
        assert value in cells


def test_the_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.jingyang).get("/activities/", {"q": "恳谈"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and cast.work.activity.title in text


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader", "liaison"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            services.activity_create(
                actor=cast.admin,
                type=activity_type("座谈会"),
                title=f"旌阳区座谈会{i}",
                date=dt.date(2023, 1, 1) + dt.timedelta(days=i),
                region=cast.jingyang_region,
                organizer_units=[cast.city_unit],
                participants=[
                    services.ParticipantSpec("attends", person=cast.records.person),
                    services.ParticipantSpec("exchange", unit=cast.city_unit),
                ],
            )

    client = login(getattr(cast, who))
    params = {"type": activity_type("座谈会").pk, "date_from": "2023-01-01"}
    add(2)
    client.get("/activities/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/activities/", params).status_code == 200
    add(23)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        response = client.get("/activities/", params)
        assert response.status_code == 200
    assert response.context["page"].paginator.count == 25
    assert len(many) == len(few)


# --- the detail -----------------------------------------------------------------------------------


def test_participants_are_grouped_by_role_in_the_briefs_order(cast: Cast) -> None:
    meeting = unit_meeting(cast)
    groups = selectors.participations(cast.admin, meeting)
    assert [g.label for g in groups] == ["出席并讲话", "主持", "交流发言", "参加"]
    text = page(login(cast.admin), f"/activities/{meeting.pk}/")
    positions = [text.index(name) for name in ("朱莉", "毛毅", "网信办交流发言", "旌阳测试人员")]
    assert positions == sorted(positions)
    assert "市委常委、统战部部长" in text


def test_credit_totals_are_exact_decimal_sums_in_wan_and_yi_yuan(cast: Cast) -> None:
    activity = cast.work.activity  # already 800 万元 with 旌阳农商银行
    enterprise = Organization.objects.get(name="旌阳测试企业有限公司")
    for bank, amount in (("工商银行", "0.10"), ("建设银行", "0.20"), ("中国银行", "61579.70")):
        services.credit_add(
            actor=cast.jingyang, activity=activity, enterprise=enterprise, bank=bank, amount=amount
        )
    total = selectors.credit_total(cast.jingyang, activity)
    assert total.wan == Decimal("62380.00") and isinstance(total.wan, Decimal)
    assert total.yi == Decimal("6.238") and total.yi_text == "6.238"
    text = page(login(cast.jingyang), f"/activities/{activity.pk}/")
    assert "62380.00" in text and "6.238 亿元" in text
    assert selectors.investment_total(cast.jingyang, activity).wan == Decimal("5000.00")


def test_the_detail_links_adopted_outputs_and_lists_landed_enterprises(cast: Cast) -> None:
    activity = cast.work.activity
    enterprise = Organization.objects.get(name="旌阳测试企业有限公司")
    services.activity_update(
        actor=cast.jingyang, activity=activity, landed_enterprises=[enterprise]
    )
    text = page(login(cast.jingyang), f"/activities/{activity.pk}/")
    assert f'href="/outputs/{cast.work.output.pk}/"' in text
    assert f'href="/organizations/{enterprise.pk}/"' in text
    assert f'href="/attachments/{cast.work.attachment.pk}/"' in text


# --- create and edit ------------------------------------------------------------------------------


def test_district_staff_create_an_activity(cast: Cast) -> None:
    response = login(cast.jingyang).post("/activities/new/", activity_form(cast))
    activity = Activity.objects.get(title="旌阳区民营企业家恳谈会第二场")
    assert response.status_code == 302 and response["Location"] == f"/activities/{activity.pk}/"
    assert activity.start_time == dt.time(9, 30) and activity.headcount == 40
    assert list(activity.organizer_units.all()) == [cast.jingyang_unit]
    assert activity.created_by == cast.jingyang


def test_the_form_offers_only_regions_in_scope(cast: Cast) -> None:
    text = page(login(cast.jingyang), "/activities/new/")
    assert "旌阳区" in text and "罗江区" not in text
    before = Activity.objects.count()
    response = login(cast.jingyang).post(
        "/activities/new/", activity_form(cast, region=cast.luojiang_region.pk)
    )
    assert response.status_code == 200
    assert checks.REGION_OUT_OF_SCOPE in response.content.decode()
    assert Activity.objects.count() == before


def test_city_staff_cannot_file_an_activity_under_another_line(cast: Cast) -> None:
    other = BusinessLine.objects.get(name="港澳台侨")
    client = login(cast.city_staff)
    form = activity_form(cast, region=cast.city.pk, organizer_units=[], line=other.pk)
    before = Activity.objects.count()
    response = client.post("/activities/new/", form)
    assert response.status_code == 200
    assert checks.LINE_OUT_OF_SCOPE in response.content.decode()
    response = client.post("/activities/new/", {**form, "line": ""})
    assert checks.LINE_REQUIRED in response.content.decode()
    assert Activity.objects.count() == before
    response = client.post("/activities/new/", {**form, "line": xinjie().pk})
    assert response.status_code == 302
    assert Activity.objects.get(title=form["title"]).line == xinjie()


def test_an_end_date_before_the_start_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/activities/new/", activity_form(cast, end_date="2023-03-01")
    )
    assert "结束日期不能早于开始日期。" in response.content.decode()
    assert not Activity.objects.filter(title="旌阳区民营企业家恳谈会第二场").exists()


def test_editing_changes_the_fields_and_keeps_links_left_alone(cast: Cast) -> None:
    activity = cast.work.activity
    client = login(cast.jingyang)
    text = page(client, f"/activities/{activity.pk}/edit/")
    assert activity.title in text
    data = activity_form(
        cast,
        title="旌阳区民营企业家面对面恳谈会修订稿",
        date="2022-06-01",
        organizer_units=[cast.jingyang_unit.pk],
        organizer_organizations=[cast.records.organization.pk],
        adopted_outputs=[cast.work.output.pk],
        expected_version=Activity.objects.get(pk=activity.pk).version,
    )
    response = client.post(f"/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "旌阳区民营企业家面对面恳谈会修订稿"
    assert list(activity.adopted_outputs.all()) == [cast.work.output]
    data.pop("organizer_organizations")
    client.post(f"/activities/{activity.pk}/edit/", {**data, "expected_version": activity.version})
    assert not activity.organizer_organizations.exists()


# --- participants ---------------------------------------------------------------------------------


def test_participants_are_added_as_a_person_a_unit_or_a_named_official(cast: Cast) -> None:
    activity = services.activity_create(
        actor=cast.jingyang,
        type=activity_type("座谈会"),
        title="旌阳区座谈会",
        date=dt.date(2023, 5, 1),
        region=cast.jingyang_region,
    )
    client = login(cast.jingyang)
    url = f"/activities/{activity.pk}/participants/new/"
    person = cast.records.person
    assert (
        client.post(url, {"person": person.pk, "role": "speaks", "title": "会长"}).status_code
        == 302
    )
    client.post(url, {"unit": cast.jingyang_unit.pk, "role": "exchange", "note": "发言题目"})
    client.post(url, {"name": "王书记", "role": "chairs", "title": "区委书记"})
    rows = list(activity.participations.order_by("order"))
    assert [(r.who, r.role) for r in rows] == [
        (person.name, "speaks"),
        (cast.jingyang_unit.short_name or cast.jingyang_unit.name, "exchange"),
        ("王书记", "chairs"),
    ]
    response = client.post(
        url, {"person": person.pk, "unit": cast.jingyang_unit.pk, "role": "attends"}
    )
    assert services.PARTICIPANT_REQUIRED in response.content.decode()
    response = client.post(url, {"person": person.pk, "role": "attends"})
    assert "该人员已在本活动的参加名单中。" in response.content.decode()
    assert activity.participations.count() == 3
    response = client.post(f"/participations/{rows[2].pk}/delete/", follow=True)
    assert "已从参加名单中移除" in messages_of(response)
    assert activity.participations.count() == 2


def test_a_person_out_of_scope_cannot_be_added(cast: Cast) -> None:
    meeting = unit_meeting(cast, region=cast.luojiang_region, line=None, participants=[])
    response = login(cast.luojiang).post(
        f"/activities/{meeting.pk}/participants/new/",
        {"person": cast.records.person.pk, "role": "attends"},
    )
    assert checks.LINK_OUT_OF_SCOPE.format(label="参加人员") in response.content.decode()
    assert not meeting.participations.exists()


def test_the_person_search_finds_people_in_scope_only(cast: Cast) -> None:
    name = cast.records.person.name
    text = page(login(cast.jingyang), "/work/people/", q="旌阳测试")
    assert name in text and 'type="radio" name="person"' in text
    assert name not in page(login(cast.luojiang), "/work/people/", q="旌阳测试")
    assert login(cast.leader).get("/work/people/", {"q": "旌阳"}).status_code == 403


def test_the_participant_page_searches_without_javascript(cast: Cast) -> None:
    url = f"/activities/{cast.work.activity.pk}/participants/new/"
    text = page(login(cast.jingyang), url, q="jycsry")
    assert cast.records.person.name in text


# --- projects and credits -------------------------------------------------------------------------


def test_projects_are_added_with_investment_in_wan_yuan_and_removed(cast: Cast) -> None:
    activity = cast.work.activity
    client = login(cast.jingyang)
    response = client.post(
        f"/activities/{activity.pk}/projects/new/",
        {
            "name": "旌阳新材料项目",
            "investment": "12,500.50",
            "investor": "某台资企业",
            "signed": "on",
        },
    )
    assert response.status_code == 302
    project = PromotedProject.objects.get(name="旌阳新材料项目")
    assert project.investment == Decimal("12500.50") and project.signed
    response = client.post(
        f"/activities/{activity.pk}/projects/new/", {"name": "旌阳坏项目", "investment": "1.234"}
    )
    assert response.status_code == 200 and "计划投资须为大于0的数字" in response.content.decode()
    assert not PromotedProject.objects.filter(name="旌阳坏项目").exists()
    client.post(f"/projects/{project.pk}/delete/")
    assert not PromotedProject.objects.filter(pk=project.pk).exists()


def test_credits_are_parsed_as_decimal_and_refused_when_not_a_positive_amount(cast: Cast) -> None:
    activity = cast.work.activity
    enterprise = Organization.objects.get(name="旌阳测试企业有限公司")
    client = login(cast.jingyang)
    url = f"/activities/{activity.pk}/credits/new/"
    before = CreditAgreement.objects.count()
    for bad in ("abc", "0", "-5", "1.005", ""):
        response = client.post(
            url, {"enterprise": enterprise.pk, "bank": "工商银行", "amount": bad}
        )
        assert response.status_code == 200, bad
        assert services.AMOUNT_INVALID in response.content.decode(), bad
    assert CreditAgreement.objects.count() == before
    response = client.post(
        url, {"enterprise": enterprise.pk, "bank": "工商银行", "amount": "１，２００.５"}
    )
    assert response.status_code == 302
    assert CreditAgreement.objects.get(bank="工商银行").amount == Decimal("1200.50")


def test_only_enterprises_in_scope_take_credit(cast: Cast) -> None:
    url = f"/activities/{cast.work.activity.pk}/credits/new/"
    response = login(cast.jingyang).post(
        url, {"enterprise": cast.records.organization.pk, "bank": "工商银行", "amount": "10"}
    )
    assert checks.LINK_OUT_OF_SCOPE.format(label="企业") in response.content.decode()


# --- files ----------------------------------------------------------------------------------------


def stored_files(path: str = "") -> list[str]:
    if not default_storage.exists(path or "."):
        return []
    folders, files = default_storage.listdir(path)
    found = [f"{path}/{f}".lstrip("/") for f in files]
    for folder in folders:
        found += stored_files(f"{path}/{folder}".lstrip("/"))
    return found


def upload(cast: Cast, name: str, content: bytes, who: str = "jingyang") -> Any:
    url = f"/activities/{cast.work.activity.pk}/attachments/new/"
    return login(getattr(cast, who)).post(
        url, {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_a_file_is_uploaded_listed_and_downloaded_under_its_chinese_name(cast: Cast) -> None:
    response = upload(cast, "恳谈会签到表.pdf", PDF)
    assert "已上传附件“恳谈会签到表.pdf”" in messages_of(response)
    attachment = Attachment.objects.get(original_name="恳谈会签到表.pdf")
    assert "恳谈会签到表.pdf" in response.content.decode()
    download = login(cast.leader).get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''%E6%81%B3%E8%B0%88%E4%BC%9A%E7%AD%BE%E5%88%B0%E8%A1%A8.pdf" in disposition
    )


def test_a_file_too_large_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    before, files = Attachment.objects.count(), stored_files()
    response = upload(cast, "大文件.pdf", PDF + b"0" * attachments.MAX_ATTACHMENT_BYTES)
    assert attachments.TOO_LARGE in messages_of(response)
    assert Attachment.objects.count() == before and stored_files() == files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("程序.exe", b"MZ\x90\x00", attachments.WRONG_TYPE),
        ("网页.html", b"<html></html>", attachments.WRONG_TYPE),
        ("伪装.pdf", b"MZ\x90\x00 not a pdf", attachments.CONTENT_MISMATCH.format(ext=".pdf")),
    ],
)
def test_a_file_of_a_wrong_type_is_refused_and_nothing_is_stored(
    cast: Cast, name: str, content: bytes, message: str
) -> None:
    before, files = Attachment.objects.count(), stored_files()
    response = upload(cast, name, content)
    assert message in messages_of(response)
    assert Attachment.objects.count() == before and stored_files() == files


def test_an_upload_without_a_file_says_what_to_do(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        f"/activities/{cast.work.activity.pk}/attachments/new/", follow=True
    )
    assert "请选择要上传的文件。" in messages_of(response)


def test_files_are_downloaded_only_by_those_who_see_the_activity(cast: Cast) -> None:
    meeting = unit_meeting(cast)
    attachment = attachments.attachment_add(
        actor=cast.admin, activity=meeting, upload=SimpleUploadedFile("纪要.pdf", PDF)
    )
    assert login(cast.liaison).get(f"/attachments/{attachment.pk}/").status_code == 200
    assert login(cast.liaison).get(f"/attachments/{cast.work.attachment.pk}/").status_code == 404
    assert login(cast.luojiang).get(f"/attachments/{attachment.pk}/").status_code == 404
    assert login(cast.auditor).get(f"/attachments/{attachment.pk}/").status_code == 403


def test_a_file_is_deleted_with_its_row(cast: Cast) -> None:
    attachment = cast.work.attachment
    response = login(cast.jingyang).post(f"/attachments/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{cast.work.activity.pk}/#attachments"
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_activity_type_list_is_the_code_table(cast: Cast) -> None:
    CodeItem.objects.create(kind=CodeKind.ACTIVITY_TYPE, name="同心讲堂", code="jiangtang")
    assert "同心讲堂" in page(login(cast.jingyang), "/activities/new/")
