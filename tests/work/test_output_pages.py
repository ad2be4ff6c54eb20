"""The output pages (成果): list with filters and counts (query count), detail with authors,
endorsements, adoptions, compilations and adopting activities, the form (media fields only for
new-media posts), authors, endorsements, adoptions and files; who may open and change what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tongxin.core.models import BusinessLine
from tongxin.work import attachments, checks
from tongxin.work import services_outputs as services
from tongxin.work.models import (
    Adoption,
    Attachment,
    Endorsement,
    Output,
    OutputAuthor,
    OutputKind,
)

from ..conftest import Cast, login
from ..work_records import PDF


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def xinjie() -> BusinessLine:
    return BusinessLine.objects.get(name="新阶")


def unit_output(cast: Cast, **fields: Any) -> Output:
    """A city output written by the liaison's unit (市委网信办) together with a registry person."""
    values: dict[str, Any] = {
        "kind": OutputKind.INFORMATION,
        "title": "网络人士参与基层治理的做法",
        "date": dt.date(2023, 4, 1),
        "region": cast.city,
        "line": xinjie(),
        "authors": [
            services.AuthorSpec(unit=cast.city_unit),
            services.AuthorSpec(person=cast.records.person),
        ],
    }
    values.update(fields)
    return services.output_create(actor=cast.admin, **values)


def output_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": OutputKind.PROPOSAL,
        "title": "关于优化旌阳区营商环境的建议",
        "date": "2023-05-10",
        "region": cast.jingyang_region.pk,
        "summary": "建议三条。",
    }
    data.update(overrides)
    return data


# --- who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "jingyang", "leader"])
def test_staff_and_leaders_open_the_list_and_the_detail(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    output = cast.work.output
    assert output.title in page(client, "/outputs/")
    text = page(client, f"/outputs/{output.pk}/")
    for value in (
        output.title,
        "调研报告",
        cast.records.person.name,
        "省委领导（旌阳报告）",
        "旌阳的做法很好。",
        "省委",
        "旌阳专报",
        cast.work.activity.title,
    ):
        assert value in text, value


def test_a_liaison_sees_their_units_outputs_without_person_authors(cast: Cast) -> None:
    output = unit_output(cast)
    client = login(cast.liaison)
    text = page(client, "/outputs/")
    assert output.title in text and cast.work.output.title not in text
    assert cast.records.person.name not in text
    text = page(client, f"/outputs/{output.pk}/")
    assert "中共德阳市委网络安全和信息化委员会办公室" in text
    assert cast.records.person.name not in text
    assert "编辑" not in text and "添加领导批示" not in text
    assert client.get(f"/outputs/{cast.work.output.pk}/").status_code == 404
    assert client.get(f"/outputs/{output.pk}/edit/").status_code == 403


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_and_outsiders_get_404_for_jingyang_outputs(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert "旌阳" not in page(client, "/outputs/")
    work = cast.work
    for url in (
        f"/outputs/{work.output.pk}/",
        f"/outputs/{work.output.pk}/edit/",
        f"/outputs/{work.output.pk}/authors/new/",
        f"/outputs/{work.output.pk}/endorsements/new/",
        f"/outputs/{work.output.pk}/adoptions/new/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/authors/{work.author.pk}/delete/",
        f"/endorsements/{work.endorsement.pk}/delete/",
        f"/adoptions/{work.adoption.pk}/delete/",
        f"/outputs/{work.output.pk}/attachments/new/",
    ):
        assert client.post(url).status_code == 404, url
    assert OutputAuthor.objects.filter(pk=work.author.pk).exists()
    assert Endorsement.objects.filter(pk=work.endorsement.pk).exists()
    assert Adoption.objects.filter(pk=work.adoption.pk).exists()


def test_auditors_cannot_open_outputs(cast: Cast) -> None:
    assert login(cast.auditor).get("/outputs/").status_code == 403


def test_leaders_read_but_get_403_on_every_write(cast: Cast) -> None:
    client = login(cast.leader)
    work = cast.work
    text = page(client, f"/outputs/{work.output.pk}/")
    assert "编辑" not in text and "添加作者" not in text and "删除" not in text
    assert client.get("/outputs/new/").status_code == 403
    assert client.post(f"/outputs/{work.output.pk}/edit/", output_form(cast)).status_code == 403
    assert client.post(f"/endorsements/{work.endorsement.pk}/delete/").status_code == 403
    assert client.post(f"/authors/{work.author.pk}/delete/").status_code == 403
    assert Endorsement.objects.filter(pk=work.endorsement.pk).exists()


# --- the list -------------------------------------------------------------------------------------


def test_the_list_filters_by_kind_year_region_line_and_flags(cast: Cast) -> None:
    info = unit_output(cast)
    client = login(cast.admin)
    report = cast.work.output.title
    text = page(client, "/outputs/", kind=OutputKind.INFORMATION)
    assert info.title in text and report not in text
    text = page(client, "/outputs/", year="2022")
    assert info.title not in text and report in text
    text = page(client, "/outputs/", region="510603")
    assert info.title not in text and report in text
    text = page(client, "/outputs/", line=xinjie().pk)
    assert info.title in text and report not in text
    for flag in ("endorsed", "adopted"):
        text = page(client, "/outputs/", **{flag: "on"})
        assert info.title not in text and report in text
    text = page(client, "/outputs/", q="基层治理")
    assert info.title in text and report not in text


def test_the_list_shows_authors_counts_and_reads_of_media_posts(cast: Cast) -> None:
    post = services.output_create(
        actor=cast.jingyang,
        kind=OutputKind.MEDIA_POST,
        title="同心旌阳第8期",
        date=dt.date(2023, 2, 1),
        region=cast.jingyang_region,
        channel="wechat",
        reads=12850,
    )
    rows = page(login(cast.jingyang), "/outputs/")
    assert ">12850<" in rows and post.title in rows
    report = rows[rows.index(cast.work.output.title) :]
    assert cast.records.person.name in report[:1500]
    response = login(cast.jingyang).get("/outputs/")
    listed = {o.pk: o for o in response.context["page"]}
    report_row = listed[cast.work.output.pk]
    assert (report_row.endorsement_count, report_row.adoption_count) == (1, 1)


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader", "liaison"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            output = services.output_create(
                actor=cast.admin,
                kind=OutputKind.INFORMATION,
                title=f"旌阳信息{i}",
                date=dt.date(2023, 1, 1) + dt.timedelta(days=i),
                region=cast.jingyang_region,
                authors=[
                    services.AuthorSpec(unit=cast.city_unit),
                    services.AuthorSpec(person=cast.records.person),
                    services.AuthorSpec(organization=cast.records.organization),
                ],
            )
            services.endorsement_add(
                actor=cast.admin,
                output=output,
                level="city",
                leader_title="市委书记",
                date=dt.date(2023, 2, 1),
            )
            services.adoption_add(
                actor=cast.admin, output=output, adopter="city_party", date=dt.date(2023, 3, 1)
            )

    client = login(getattr(cast, who))
    params = {"kind": OutputKind.INFORMATION, "year": "2023", "endorsed": "on"}
    add(2)
    client.get("/outputs/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/outputs/", params).status_code == 200
    add(23)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        response = client.get("/outputs/", params)
        assert response.status_code == 200
    assert response.context["page"].paginator.count == 25
    assert len(many) == len(few)


# --- the detail -----------------------------------------------------------------------------------


def test_a_compilation_lists_its_cases_and_a_case_links_its_compilation(cast: Cast) -> None:
    compilation = services.output_create(
        actor=cast.jingyang,
        kind=OutputKind.COMPILATION,
        title="旌阳区统战工作创新案例汇编",
        date=dt.date(2022, 12, 1),
        region=cast.jingyang_region,
    )
    case = services.output_create(
        actor=cast.jingyang,
        kind=OutputKind.INNOVATION_CASE,
        title="旌阳同心工作站",
        date=dt.date(2022, 11, 1),
        region=cast.jingyang_region,
        compilation=compilation,
    )
    client = login(cast.jingyang)
    text = page(client, f"/outputs/{compilation.pk}/")
    assert "收入的案例" in text and f'href="/outputs/{case.pk}/"' in text
    text = page(client, f"/outputs/{case.pk}/")
    assert "收入汇编" in text and f'href="/outputs/{compilation.pk}/"' in text


def test_the_detail_lists_the_files_of_the_output(cast: Cast) -> None:
    attachment = attachments.attachment_add(
        actor=cast.jingyang, output=cast.work.output, upload=SimpleUploadedFile("报告.pdf", PDF)
    )
    text = page(login(cast.jingyang), f"/outputs/{cast.work.output.pk}/")
    assert f'href="/attachments/{attachment.pk}/"' in text and "报告.pdf" in text


# --- create and edit ------------------------------------------------------------------------------


def test_district_staff_create_an_output(cast: Cast) -> None:
    response = login(cast.jingyang).post("/outputs/new/", output_form(cast))
    output = Output.objects.get(title="关于优化旌阳区营商环境的建议")
    assert response.status_code == 302 and response["Location"] == f"/outputs/{output.pk}/"
    assert output.kind == OutputKind.PROPOSAL and output.created_by == cast.jingyang


def test_channel_and_reads_are_kept_only_for_media_posts(cast: Cast) -> None:
    client = login(cast.jingyang)
    text = page(client, "/outputs/new/")
    assert 'data-media-kind="media_post"' in text and "data-media-only" in text
    media = {"channel": "douyin", "reads": "3200"}
    client.post("/outputs/new/", output_form(cast, **media))
    proposal = Output.objects.get(title="关于优化旌阳区营商环境的建议")
    assert (proposal.channel, proposal.reads) == ("", None)
    client.post(
        "/outputs/new/",
        output_form(cast, kind=OutputKind.MEDIA_POST, title="旌阳抖音短视频", **media),
    )
    post = Output.objects.get(title="旌阳抖音短视频")
    assert (post.channel, post.reads) == ("douyin", 3200)


def test_city_staff_cannot_file_an_output_under_another_line(cast: Cast) -> None:
    other = BusinessLine.objects.get(name="港澳台侨")
    form = output_form(cast, region=cast.city.pk, line=other.pk, title="市级港澳台侨信息")
    before = Output.objects.count()
    response = login(cast.city_staff).post("/outputs/new/", form)
    assert response.status_code == 200
    assert checks.LINE_OUT_OF_SCOPE in response.content.decode()
    assert Output.objects.count() == before


def test_editing_an_output(cast: Cast) -> None:
    output = cast.work.output
    client = login(cast.jingyang)
    assert output.title in page(client, f"/outputs/{output.pk}/edit/")
    data = output_form(
        cast,
        kind=OutputKind.RESEARCH_REPORT,
        title="旌阳区新阶人士调研报告定稿",
        expected_version=Output.objects.get(pk=output.pk).version,
    )
    assert client.post(f"/outputs/{output.pk}/edit/", data).status_code == 302
    output.refresh_from_db()
    assert output.title == "旌阳区新阶人士调研报告定稿"


# --- authors, endorsements, adoptions -------------------------------------------------------------


def test_authors_are_added_in_order_and_removed(cast: Cast) -> None:
    output = cast.work.output
    client = login(cast.jingyang)
    url = f"/outputs/{output.pk}/authors/new/"
    assert cast.records.person.name in page(client, url)
    assert client.post(url, {"unit": cast.jingyang_unit.pk}).status_code == 302
    assert client.post(url, {"organization": cast.records.organization.pk}).status_code == 302
    names = [str(a) for a in output.authors.order_by("order")]
    assert names == [
        cast.records.person.name,
        cast.jingyang_unit.name,
        cast.records.organization.name,
    ]
    response = client.post(
        url, {"unit": cast.jingyang_unit.pk, "organization": cast.records.organization.pk}
    )
    assert "三者选一" in response.content.decode()
    first = output.authors.get(person__isnull=False)
    response = client.post(f"/authors/{first.pk}/delete/", follow=True)
    assert "已移除作者" in messages_of(response)
    assert [str(a) for a in output.authors.order_by("order")] == names[1:]


def test_endorsements_are_added_and_removed(cast: Cast) -> None:
    output = cast.work.output
    client = login(cast.jingyang)
    url = f"/outputs/{output.pk}/endorsements/new/"
    response = client.post(
        url,
        {
            "level": "city",
            "leader_title": "市委书记",
            "date": "2022-08-01",
            "text": "请研究。",
            "is_affirmative": "on",
        },
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get(output=output, leader_title="市委书记")
    assert endorsement.is_affirmative and endorsement.text == "请研究。"
    response = client.post(url, {"level": "city", "date": "2022-08-01"})
    assert services.LEADER_REQUIRED in response.content.decode()
    client.post(f"/endorsements/{endorsement.pk}/delete/")
    assert not Endorsement.objects.filter(pk=endorsement.pk).exists()


def test_adoptions_are_added_and_removed(cast: Cast) -> None:
    output = cast.work.output
    client = login(cast.jingyang)
    url = f"/outputs/{output.pk}/adoptions/new/"
    response = client.post(
        url,
        {"adopter": "party_central", "adopter_detail": "民建中央信息专报", "date": "2022-09-01"},
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get(output=output, adopter="party_central")
    assert "民建中央信息专报" in page(client, f"/outputs/{output.pk}/")
    response = client.post(url, {"adopter": "party_central"})
    assert "请填写采用日期。" in response.content.decode()
    client.post(f"/adoptions/{adoption.pk}/delete/")
    assert not Adoption.objects.filter(pk=adoption.pk).exists()


# --- files ----------------------------------------------------------------------------------------


def upload(cast: Cast, name: str, content: bytes) -> Any:
    return login(cast.jingyang).post(
        f"/outputs/{cast.work.output.pk}/attachments/new/",
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_an_output_takes_a_file(cast: Cast) -> None:
    response = upload(cast, "调研报告全文.pdf", PDF)
    assert "已上传附件" in messages_of(response)
    assert Attachment.objects.filter(output=cast.work.output).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("大报告.pdf", PDF + b"0" * attachments.MAX_ATTACHMENT_BYTES, attachments.TOO_LARGE),
        ("脚本.js", b"alert(1)", attachments.WRONG_TYPE),
    ],
)
def test_an_output_refuses_a_file_too_large_or_of_a_wrong_type(
    cast: Cast, name: str, content: bytes, message: str
) -> None:
    response = upload(cast, name, content)
    assert message in messages_of(response)
    assert not Attachment.objects.filter(output=cast.work.output).exists()
