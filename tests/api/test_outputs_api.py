"""/api/v1/outputs with authors, endorsements (批示) and adoptions (采用), and the attachments of
activities and outputs: scoped reads, writes through the services, labels in and out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.api.schemas_outputs import AUTHOR_ONE
from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.work import services_outputs as outputs
from tongxin.work.attachments import WRONG_TYPE
from tongxin.work.models import Adoption, Attachment, Endorsement, Output

from ..conftest import Cast
from ..work_records import PDF
from .work_helpers import api, detail, send

OUTPUT_KEYS = {
    "version",
    "id",
    "kind",
    "title",
    "date",
    "region",
    "region_name",
    "line",
    "summary",
    "document_number",
    "compilation",
    "channel",
    "reads",
    "url",
    "authors",
    "endorsements",
    "adoptions",
    "attachments",
    "created_by",
    "updated_at",
}


def url(cast: Cast, suffix: str = "") -> str:
    return f"/api/v1/outputs/{cast.work.output.pk}{suffix}"


def test_an_output_reads_with_authors_endorsements_and_adoptions(cast: Cast) -> None:
    client = api(cast.jingyang)
    body = client.get("/api/v1/outputs").json()
    assert body["count"] == 1 and set(body["items"][0]) == OUTPUT_KEYS
    output = client.get(url(cast)).json()
    assert (output["kind"], output["title"], output["date"]) == (
        "调研报告",
        "旌阳区新阶人士调研报告",
        "2022-05-01",
    )
    assert output["authors"] == [
        {
            "id": cast.work.author.pk,
            "person": {"id": cast.records.person.pk, "name": "旌阳测试人员"},
            "organization": None,
            "unit": None,
        }
    ]
    [endorsement] = output["endorsements"]
    assert (endorsement["level"], endorsement["leader_title"], endorsement["date"]) == (
        "省",
        "省委领导（旌阳报告）",
        "2022-06-10",
    )
    assert endorsement["text"] == "旌阳的做法很好。" and endorsement["is_affirmative"] is True
    [adoption] = output["adoptions"]
    assert (adoption["adopter"], adoption["adopter_detail"], adoption["date"]) == (
        "省委",
        "旌阳专报",
        "2022-07-01",
    )
    assert (output["compilation"], output["channel"], output["reads"]) == (None, None, None)


def test_an_output_is_created_and_changed_by_labels(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(
        client,
        "post",
        "/api/v1/outputs",
        {
            "kind": "新媒体作品",
            "title": "旌阳统战微视频",
            "date": "2023-03-01",
            "region": "510603",
            "channel": "视频号",
            "reads": 12000,
            "url": "https://example.org/v/1",
            "authors": [
                {"unit": cast.jingyang_unit.pk},
                {"organization": cast.records.organization.pk},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["channel"], body["reads"]) == ("新媒体作品", "视频号", 12000)
    assert [(a["unit"] or a["organization"])["id"] for a in body["authors"]] == [
        cast.jingyang_unit.pk,
        cast.records.organization.pk,
    ]
    response = send(
        client,
        "patch",
        f"/api/v1/outputs/{body['id']}",
        {
            "title": "旌阳统战微视频（第二集）",
            "authors": [{"person": cast.records.person.pk}],
        },
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["title"].startswith("旌阳统战微视频") and changed["channel"] == "视频号"
    assert [a["person"]["name"] for a in changed["authors"]] == ["旌阳测试人员"]


def test_invalid_outputs_are_refused_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    base = {"kind": "调研报告", "title": "旌阳报告", "date": "2023-01-01", "region": "510603"}
    response = send(client, "post", "/api/v1/outputs", {**base, "kind": "小说"})
    assert response.status_code == 422 and "“小说”不是有效的成果类别" in detail(response)
    response = send(client, "post", "/api/v1/outputs", {**base, "channel": "微信公众号"})
    assert response.status_code == 422 and outputs.MEDIA_ONLY in detail(response)
    response = send(
        client,
        "post",
        "/api/v1/outputs",
        {**base, "authors": [{"person": cast.records.person.pk, "unit": cast.jingyang_unit.pk}]},
    )
    assert response.status_code == 422 and AUTHOR_ONE in detail(response)
    assert Output.objects.count() == 1


def test_endorsements_and_adoptions_are_added_and_removed(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(
        client,
        "post",
        url(cast, "/endorsements"),
        {
            "level": "city",
            "leader_title": "市委书记",
            "date": "2022-08-01",
            "text": "请推广。",
        },
    )
    assert response.status_code == 201, response.content
    assert [e["level"] for e in response.json()["endorsements"]] == ["市", "省"]
    response = send(
        client,
        "post",
        url(cast, "/endorsements"),
        {"level": "省", "leader_title": "", "date": "2022-08-01"},
    )
    assert response.status_code == 422 and outputs.LEADER_REQUIRED in detail(response)
    response = send(
        client,
        "post",
        url(cast, "/adoptions"),
        {
            "adopter": "全国政协",
            "date": "2022-09-01",
            "adopter_detail": "《政协信息》",
        },
    )
    assert response.status_code == 201
    assert [a["adopter"] for a in response.json()["adoptions"]] == ["全国政协", "省委"]
    response = send(
        client, "post", url(cast, "/adoptions"), {"adopter": "某报社", "date": "2022-09-01"}
    )
    assert response.status_code == 422 and "党派中央" in detail(response)
    assert client.delete(url(cast, f"/endorsements/{cast.work.endorsement.pk}")).status_code == 204
    assert client.delete(url(cast, f"/adoptions/{cast.work.adoption.pk}")).status_code == 204
    assert (Endorsement.objects.count(), Adoption.objects.count()) == (1, 1)


def test_the_list_filters_by_kind_year_region_endorsed_and_adopted(cast: Cast) -> None:
    outputs.output_create(
        actor=cast.jingyang,
        kind="proposal",
        title="旌阳建言",
        date=dt.date(2023, 2, 1),
        region=cast.jingyang_region,
    )
    client = api(cast.jingyang)

    def titles(**params: Any) -> list[str]:
        response = client.get("/api/v1/outputs", params)
        assert response.status_code == 200, response.content
        return [o["title"] for o in response.json()["items"]]

    assert titles() == ["旌阳建言", "旌阳区新阶人士调研报告"]
    assert titles(kind="建言") == titles(kind="proposal") == ["旌阳建言"]
    assert titles(year=2022) == ["旌阳区新阶人士调研报告"]
    assert titles(endorsed="true") == titles(adopted="true") == ["旌阳区新阶人士调研报告"]
    assert titles(endorsed="false") == titles(adopted="false") == ["旌阳建言"]
    assert titles(region="510603") == ["旌阳建言", "旌阳区新阶人士调研报告"]
    assert client.get("/api/v1/outputs", {"kind": "小说"}).status_code == 422


def test_other_districts_get_404_and_a_liaison_sees_unit_authors_only(cast: Cast) -> None:
    for user in (cast.luojiang, cast.outsider):
        client = api(user)
        assert client.get(url(cast)).json() == {"detail": NOT_FOUND, "code": "not_found"}
        assert client.get("/api/v1/outputs").json()["count"] == 0
        response = send(
            client,
            "post",
            url(cast, "/endorsements"),
            {"level": "省", "leader_title": "x", "date": "2022-01-01"},
        )
        assert response.status_code == 404
    client = api(cast.liaison)
    assert client.get(url(cast)).status_code == 404
    outputs.authors_set(
        actor=cast.jingyang,
        output=cast.work.output,
        authors=[
            outputs.AuthorSpec(person=cast.records.person),
            outputs.AuthorSpec(unit=cast.city_unit),
        ],
    )
    response = client.get(url(cast))
    assert response.status_code == 200
    assert [(a["person"], a["unit"]["name"]) for a in response.json()["authors"]] == [
        (None, cast.city_unit.name)
    ]
    assert "旌阳测试人员" not in response.content.decode()


def test_a_leader_reads_outputs_but_may_not_write(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(url(cast)).status_code == 200
    for method, path, body in [
        (
            "post",
            "/api/v1/outputs",
            {"kind": "建言", "title": "x", "date": "2023-01-01", "region": "510603"},
        ),
        ("patch", url(cast), {"title": "改"}),
        (
            "post",
            url(cast, "/endorsements"),
            {"level": "省", "leader_title": "x", "date": "2022-01-01"},
        ),
        ("post", url(cast, "/adoptions"), {"adopter": "省委", "date": "2022-01-01"}),
        ("delete", url(cast, f"/adoptions/{cast.work.adoption.pk}"), None),
    ]:
        response = send(client, method, path, body)
        assert response.json() == {"detail": READ_ONLY, "code": "forbidden"}, path
    assert (Output.objects.count(), Endorsement.objects.count(), Adoption.objects.count()) == (
        1,
        1,
        1,
    )


def test_the_output_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(24):
        output = outputs.output_create(
            actor=cast.jingyang,
            kind="information",
            title=f"旌阳信息{i}",
            date=dt.date(2023, 1, 1),
            region=cast.jingyang_region,
            compilation=None,
            authors=[
                outputs.AuthorSpec(person=cast.records.person),
                outputs.AuthorSpec(unit=cast.city_unit),
            ],
        )
        outputs.endorsement_add(
            actor=cast.jingyang,
            output=output,
            level="city",
            leader_title="市长",
            date=dt.date(2023, 2, 1),
        )
        outputs.adoption_add(
            actor=cast.jingyang, output=output, adopter="city_party", date=dt.date(2023, 2, 1)
        )
    for user in (cast.jingyang, cast.liaison):
        client = api(user)
        # The token (read, touched), the page, its count, authors, compilation, endorsements,
        # adoptions, files: 9 for any page size.
        with django_assert_max_num_queries(9):
            response = client.get("/api/v1/outputs", {"page_size": 25})
        assert response.status_code == 200
    assert api(cast.jingyang).get("/api/v1/outputs", {"page_size": 25}).json()["count"] == 25


# --- attachments ------------------------------------------------------------------------------


def test_a_file_is_uploaded_downloaded_and_deleted(cast: Cast) -> None:
    client = api(cast.jingyang)
    upload = SimpleUploadedFile("旌阳调研报告.pdf", PDF, "application/pdf")
    response = client.post(url(cast, "/attachments"), {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["size"], body["content_type"]) == (
        "旌阳调研报告.pdf",
        len(PDF),
        "application/pdf",
    )
    assert [a["id"] for a in client.get(url(cast)).json()["attachments"]] == [body["id"]]
    download = client.get(body["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]
    assert client.delete(body["url"]).status_code == 204
    assert client.get(body["url"]).status_code == 404


def test_a_file_of_the_wrong_type_is_refused_before_it_is_stored(cast: Cast) -> None:
    client = api(cast.jingyang)
    upload = SimpleUploadedFile("旌阳.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post(
        f"/api/v1/activities/{cast.work.activity.pk}/attachments", {"file": upload}
    )
    assert response.status_code == 422 and WRONG_TYPE in detail(response)
    assert Attachment.objects.count() == 1


def test_other_districts_and_leaders_cannot_touch_files(cast: Cast) -> None:
    file_url = f"/api/v1/attachments/{cast.work.attachment.pk}"
    for user in (cast.luojiang, cast.outsider):
        client = api(user)
        assert client.get(file_url).status_code == 404
        assert client.delete(file_url).status_code == 404
        upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        assert (
            client.post(
                f"/api/v1/activities/{cast.work.activity.pk}/attachments", {"file": upload}
            ).status_code
            == 404
        )
    leader = api(cast.leader)
    assert leader.get(file_url).status_code == 200
    assert leader.delete(file_url).json() == {"detail": READ_ONLY, "code": "forbidden"}
    assert Attachment.objects.count() == 1
