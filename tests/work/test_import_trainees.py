"""Importing a training class's trainees (培训学员): people on the registry found by name (with
the employer when two share one) or ID number, problems named by Excel row, trainees already on
the class skipped, nothing written in part, and no class or person of another district reached."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from openpyxl import load_workbook

from tongxin.core.ids import make_id_number, mask_id_number
from tongxin.registry import import_rows, importing
from tongxin.registry.models import CodeItem, ImportJob, ImportStatus, Person
from tongxin.registry.services import person_create
from tongxin.work import import_support, services_cadres
from tongxin.work import import_trainees as kind
from tongxin.work.models import Trainee, Training

from ..conftest import Cast, bearer, login
from ..registry.rosters import csv_bytes, upload, xlsx_bytes

HEADER = ["姓名", "工作单位", "公民身份号码", "学时", "是否结业", "备注"]
ID_LI = make_id_number("510603", dt.date(1980, 2, 3), 11, "M")
ID_UNKNOWN = make_id_number("510603", dt.date(1981, 4, 5), 12, "F")


def person(cast: Cast, name: str, region: Any = None, **fields: Any) -> Person:
    return person_create(
        actor=None,
        name=name,
        region=region or cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="新的社会阶层人士")],
        **fields,
    )


def start(cast: Cast, rows: list[list[Any]], who: str = "jingyang") -> ImportJob:
    data = xlsx_bytes([HEADER, *rows])
    return importing.start(
        actor=getattr(cast, who),
        upload=upload("学员.xlsx", data),
        kind="trainees",
        options={"training": cast.work.training.pk},
    )


def errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.report["errors"]]


def url(cast: Cast) -> str:
    return f"/trainings/{cast.work.training.pk}/trainees/import/"


def test_the_preview_names_each_problem_by_excel_row(cast: Cast) -> None:
    person(cast, "王芳", employer="旌阳甲公司")
    person(cast, "王芳", employer="旌阳乙公司")
    person(cast, "李强", id_number=ID_LI)
    person(cast, "罗江某人", region=cast.luojiang_region)
    job = start(
        cast,
        [
            ["王芳", "", "", "", "", ""],  # 2: two of that name
            ["王芳", "旌阳乙公司", "", "12.5", "否", "缺课两次"],  # 3
            ["李强", "", ID_LI, "", "", ""],  # 4: by ID number
            ["李四", "", ID_LI, "", "", ""],  # 5: the ID is 李强's
            ["某人", "", ID_UNKNOWN, "", "", ""],  # 6
            ["查无此人", "", "", "", "", ""],  # 7
            ["罗江某人", "", "", "", "", ""],  # 8: not in the uploader's sight
            ["王芳", "乙公司", "", "十二", "也许", ""],  # 9
            ["", "旌阳甲公司", "", "", "", ""],  # 10
        ],
    )
    assert errors(job) == [
        (2, "姓名", import_support.AMBIGUOUS.format(
            count=2, name="王芳", employers="旌阳甲公司、旌阳乙公司")),
        (5, "姓名", kind.ID_NAME_MISMATCH.format(found="李强", name="李四")),
        (6, "公民身份号码", kind.NOT_FOUND_ID.format(number=mask_id_number(ID_UNKNOWN))),
        (7, "姓名", kind.NOT_FOUND.format(name="查无此人")),
        (8, "姓名", kind.NOT_FOUND.format(name="罗江某人")),
        (9, "学时", kind.HOURS_INVALID.format(value="十二")),
        (9, "是否结业", import_support.FLAG_INVALID.format(label="是否结业", value="也许")),
        (9, "姓名", kind.REPEAT.format(row=3, name="王芳")),
        (10, "姓名", kind.NAME_REQUIRED),
    ]  # fmt: skip
    assert (job.rows_total, job.rows_ok) == (9, 2)
    assert kind.NOT_FOUND.format(name="某") == (
        "名册中没有找到“某”。请先在统战对象中登记，或核对姓名和工作单位。"
    )


def test_a_commit_adds_the_trainees_with_their_hours_and_completion(cast: Cast) -> None:
    wang = person(cast, "王芳", employer="旌阳乙公司")
    li = person(cast, "李强", id_number=ID_LI)
    zhou = person(cast, "周敏")
    job = start(
        cast,
        [
            ["王芳", "", "", 12.5, "否", "缺课两次"],
            ["李强", "", ID_LI, "", "", ""],
            ["周敏", "", "", "", "是", ""],
        ],
    )

    counts = importing.commit(actor=cast.jingyang, job=job)

    assert counts == {"created": 3, "updated": 0, "skipped": 0}
    added = Trainee.objects.filter(training=cast.work.training).exclude(person=cast.records.person)
    assert sorted((t.person_id, t.hours, t.completed, t.notes) for t in added) == sorted(
        [
            (wang.pk, Decimal("12.5"), False, "缺课两次"),
            (li.pk, None, True, ""),
            (zhou.pk, None, True, ""),
        ]
    )


def test_a_trainee_already_on_the_class_is_a_duplicate_and_skipped(cast: Cast) -> None:
    li = person(cast, "李强")
    existing = cast.records.person  # on the class since make_jingyang_work
    job = start(cast, [[existing.name, "", "", "", "", ""], ["李强", "", "", "", "", ""]])
    assert [(d["row"], d["message"], d["person_id"]) for d in job.report["duplicates"]] == [
        (2, kind.DUPLICATE.format(name=existing.name), existing.pk)
    ]
    with pytest.raises(ValidationError) as caught:
        importing.commit(actor=cast.jingyang, job=job, on_duplicate="update")
    assert caught.value.messages == [importing.UPDATE_NOT_OFFERED]

    counts = importing.commit(actor=cast.jingyang, job=job)

    assert counts == {"created": 1, "updated": 0, "skipped": 1}
    assert cast.work.training.trainees.filter(person=li).exists()


def test_a_failure_in_a_late_batch_writes_nothing(cast: Cast, monkeypatch: Any) -> None:
    monkeypatch.setattr(kind.TraineeWriter, "BATCH", 2)
    original = services_cadres.trainees_add

    def failing(**kwargs: Any) -> list[Trainee]:
        if kwargs["notes"] == "模拟故障":
            raise ValidationError("模拟的写入失败")
        return original(**kwargs)

    monkeypatch.setattr(services_cadres, "trainees_add", failing)
    people = [person(cast, f"旌阳学员{i}") for i in range(5)]
    sheet = [[p.name, "", "", "", "", ""] for p in people[:4]]
    sheet.append([people[4].name, "", "", "", "", "模拟故障"])  # row 6, in the third batch
    job = start(cast, sheet)
    before = Trainee.objects.count()

    with pytest.raises(importing.CommitFailed) as caught:
        importing.commit(actor=cast.jingyang, job=job)

    assert "第6行无法写入（模拟的写入失败）" in caught.value.messages[0]
    assert Trainee.objects.count() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED


def test_a_class_out_of_sight_since_the_upload_cannot_be_committed(cast: Cast) -> None:
    person(cast, "李强")
    job = start(cast, [["李强", "", "", "", "", ""]])
    Training.objects.filter(pk=cast.work.training.pk).update(region=cast.luojiang_region)

    with pytest.raises(importing.CommitFailed) as caught:
        importing.commit(actor=cast.jingyang, job=job)

    assert kind.TRAINING_GONE in caught.value.messages[0]
    assert not Trainee.objects.filter(person__name="李强").exists()


# --- pages and API --------------------------------------------------------------------------------


def test_the_training_page_leads_to_its_import_page(cast: Cast) -> None:
    detail = f"/trainings/{cast.work.training.pk}/"
    assert url(cast) in login(cast.jingyang).get(detail).content.decode()
    assert url(cast) not in login(cast.leader).get(detail).content.decode()
    page = login(cast.jingyang).get(url(cast)).content.decode()
    assert "批量导入培训学员" in page
    assert "培训班：旌阳区新阶人士培训班（2022-07-01 至 2022-07-03，24学时）" in page
    assert f'href="{detail}"' in page and "/trainings/trainees/import/template.xlsx" in page


def test_the_upload_page_previews_and_commits_into_its_class(cast: Cast) -> None:
    other = services_cadres.training_create(
        actor=cast.jingyang,
        title="旌阳区另一培训班",
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2023, 1, 2),
        hours=Decimal("8"),
        region=cast.jingyang_region,
    )
    importing.start(
        actor=cast.jingyang,
        upload=upload("另一班.csv", csv_bytes([HEADER, ["某人"]])),
        kind="trainees",
        options={"training": other.pk},
    )
    li = person(cast, "李强")
    client = login(cast.jingyang)
    assert "另一班.csv" not in client.get(url(cast)).content.decode()
    response = client.post(
        url(cast), {"file": upload("学员.csv", csv_bytes([HEADER, ["李强"]]))}, follow=True
    )
    page = response.content.decode()
    assert "导入预览：学员.csv" in page and "培训班：旌阳区新阶人士培训班" in page
    assert 'value="update"' not in page
    job = ImportJob.objects.get(kind="trainees", original_name="学员.csv")
    assert job.options == {"training": cast.work.training.pk}
    response = client.post(f"/imports/{job.pk}/commit/", follow=True)
    assert "导入完成：新增1人，更新0人，跳过0人。" in response.content.decode()
    assert cast.work.training.trainees.filter(person=li).exists()
    assert not other.trainees.exists()


def test_the_template_lists_the_columns_and_its_example_is_never_imported(cast: Cast) -> None:
    response = login(cast.jingyang).get("/trainings/trainees/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["学员名单", "填写说明"]
    assert [c.value for c in book["学员名单"][1]] == HEADER
    job = importing.start(
        actor=cast.jingyang,
        upload=upload("模板.xlsx", response.content),
        kind="trainees",
        options={"training": cast.work.training.pk},
    )
    assert (2, "公民身份号码", import_rows.EXAMPLE_ROW) in errors(job)


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_cannot_import_into_a_jingyang_class(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    with pytest.raises(Http404):
        start(cast, [["旌阳测试人员"]], who=who)
    client = login(user)
    assert client.get(url(cast)).status_code == 404
    data = csv_bytes([HEADER, ["旌阳测试人员"]])
    assert client.post(url(cast), {"file": upload("x.csv", data)}).status_code == 404
    response = Client().post(
        f"/api/v1/trainings/{cast.work.training.pk}/trainees/import",
        {"file": upload("x.csv", data)},
        **bearer(user),
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not ImportJob.objects.filter(kind="trainees").exists()


@pytest.mark.parametrize("who", ["liaison", "leader", "auditor"])
def test_roles_that_do_not_keep_trainings_cannot_import_trainees(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get(url(cast)).status_code == 403
    response = Client().post(
        f"/api/v1/trainings/{cast.work.training.pk}/trainees/import",
        {"file": upload("x.csv", csv_bytes([HEADER]))},
        **bearer(getattr(cast, who)),
    )
    assert response.status_code == 403


def test_the_api_previews_and_commits_a_trainee_list(cast: Cast) -> None:
    li = person(cast, "李强")
    data = csv_bytes([HEADER, ["李强", "", "", "16", "是", ""], [cast.records.person.name]])
    response = Client().post(
        f"/api/v1/trainings/{cast.work.training.pk}/trainees/import",
        {"file": upload("学员.csv", data)},
        **bearer(cast.jingyang),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows_total"], body["rows_ok"], body["errors"]) == (2, 2, [])
    assert [d["person_id"] for d in body["duplicates"]] == [cast.records.person.pk]
    response = Client().post(f"/api/v1/imports/{body['id']}/commit", **bearer(cast.jingyang))
    assert response.json() == {"created": 1, "updated": 0, "skipped": 1}
    assert cast.work.training.trainees.get(person=li).hours == Decimal("16.0")
