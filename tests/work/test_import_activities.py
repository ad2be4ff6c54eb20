"""Importing activities with their participants (活动及参加人员): a sheet of rows, one participant
each, becomes activities with their participants in roles and in order; problems are named by
Excel row; existing activities are skipped or added to; nothing is written in part; and nobody
imports into, or finds people of, another district."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from tongxin.core.models import AuditEvent, Unit
from tongxin.demo.work_data import MEETING_TITLE
from tongxin.registry import importing
from tongxin.registry.models import CodeItem, ImportJob, ImportStatus, Person
from tongxin.registry.services import person_create
from tongxin.work import import_activities as kind
from tongxin.work import import_activity_rows as rows_
from tongxin.work import import_support
from tongxin.work import services_activities as services
from tongxin.work.models import Activity, Participation

from ..conftest import Cast, bearer, login
from ..registry.rosters import csv_bytes, upload, xlsx_bytes
from ..work_records import activity_type

HEADER = ["活动类型", "活动名称", "日期", "地点", "所属区域", "条线", "主办单位", "参加人数",
          "参加人员", "工作单位", "参加单位", "名册外", "角色", "身份/职务", "说明"]  # fmt: skip
COLUMNS = {label: i for i, label in enumerate(HEADER)}
TITLE = "旌阳区新阶人士座谈会"


def row(**cells: Any) -> list[Any]:
    """A row of HEADER from Chinese labels given as keyword arguments (类型=…, 名称=…)."""
    labels = {"类型": "活动类型", "名称": "活动名称", "人员": "参加人员", "单位": "参加单位",
              "职务": "身份/职务", "区域": "所属区域", "主办": "主办单位",
              "人数": "参加人数"}  # fmt: skip
    out: list[Any] = [""] * len(HEADER)
    for key, value in cells.items():
        out[COLUMNS[labels.get(key, key)]] = value
    return out


def person(cast: Cast, name: str, region: Any = None, **fields: Any) -> Person:
    return person_create(
        actor=None,
        name=name,
        region=region or cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="新的社会阶层人士")],
        **fields,
    )


def start(cast: Cast, rows: list[list[Any]], who: str = "jingyang", **kwargs: Any) -> ImportJob:
    data = xlsx_bytes([HEADER, *rows])
    return importing.start(
        actor=getattr(cast, who), upload=upload("活动.xlsx", data), kind="activities", **kwargs
    )


def errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.report["errors"]]


# --- the preview ----------------------------------------------------------------------------------


def test_the_preview_names_each_problem_by_excel_row(cast: Cast) -> None:
    person(cast, "王芳", employer="旌阳甲公司")
    person(cast, "王芳", employer="旌阳乙公司")
    person(cast, "李强", employer="旌阳丙公司")
    sheet = [
        row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 人员="李强"),  # 2
        row(人员="王芳"),  # 3: two of that name
        row(人员="王芳", 工作单位="乙公司"),  # 4: the employer tells them apart
        row(单位="旌阳不存在局"),  # 5
        row(名称=TITLE, 日期="2024-03-08", 地点="旌阳宾馆", 人员="赵六", 名册外="是", 职务="处长"),
        row(类型="飞船会", 名称="旌阳区某会", 日期="2024-03-09", 区域="旌阳区"),  # 7
        row(类型="座谈会", 名称="旌阳区另一会", 日期="2024年13月1日", 人员="李强"),  # 8
        row(类型="座谈会", 名称="旌阳区又一会", 日期="下周三", 人员="李强"),  # 9
        row(人员="李强"),  # 10: the activity above is unusable
        row(名称=TITLE, 日期="2024-03-08", 人员="李强", 角色="列席"),  # 11
        row(人员="查无此人"),  # 12
    ]
    job = start(cast, sheet)

    assert errors(job) == [
        (3, "参加人员", import_support.AMBIGUOUS.format(
            count=2, name="王芳", employers="旌阳甲公司、旌阳乙公司")),
        (5, "参加单位", rows_.UNIT_UNKNOWN.format(label="参加单位", value="旌阳不存在局")),
        (6, "地点", rows_.CONFLICT_BLANK.format(label="地点", first=2)),
        (7, "活动类型", rows_.TYPE_UNKNOWN.format(
            value="飞船会", examples="推进会、联席会议、领导小组会议、政党协商会议")),
        (8, "日期", "日期“2024年13月1日”不存在，请核对年、月、日。"),
        (9, "日期", rows_.DATE_INVALID.format(value="下周三")),
        (10, "活动名称", rows_.ACTIVITY_BROKEN.format(first=9)),
        (11, "角色", rows_.ROLE_UNKNOWN.format(value="列席", roles=rows_.ROLE_NAMES)),
        (11, "参加人员", rows_.REPEAT.format(name="李强", row=2)),
        (12, "参加人员", rows_.PERSON_NOT_FOUND.format(name="查无此人")),
    ]  # fmt: skip
    assert (job.rows_total, job.rows_ok, job.rows_error) == (11, 2, 9)
    assert job.report["notices"] == [
        rows_.ACTIVITIES_FOUND.format(
            count=2, names=f"{TITLE}（2024-03-08，7行）、旌阳区某会（2024-03-09，1行）"
        )
    ]
    assert not Activity.objects.filter(title=TITLE).exists()


def test_a_later_row_that_contradicts_the_first_is_an_error_naming_the_first(cast: Cast) -> None:
    person(cast, "李强")
    person(cast, "周敏")
    sheet = [
        row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 主办="旌阳区委统战部"),
        row(类型="座谈会", 人员="李强", 区域="510603", 主办="旌阳区委统战部"),  # same: fine
        row(类型="恳谈会", 人员="周敏", 区域="罗江区", 主办="旌阳区委统战部、旌阳区司法局"),
    ]
    job = start(cast, sheet)

    assert errors(job) == [
        (4, "活动类型", rows_.CONFLICT.format(label="活动类型", first=2, value="座谈会")),
        (4, "所属区域", rows_.REGION_OUT_OF_SCOPE.format(value="罗江区")),
        (4, "主办单位", rows_.CONFLICT.format(label="主办单位", first=2, value="旌阳区委统战部")),
    ]


def test_dates_without_a_day_and_rows_without_an_activity_are_refused(cast: Cast) -> None:
    person(cast, "李强")
    job = start(
        cast,
        [
            row(人员="李强"),
            row(类型="座谈会", 名称=TITLE, 日期="2024.03", 区域="旌阳区", 人员="李强"),
            row(类型="座谈会", 名称=TITLE, 人员="李强"),
            row(日期="2024-03-08", 人员="李强"),
        ],
    )
    assert errors(job) == [
        (2, "活动名称", rows_.NO_ACTIVITY_ABOVE),
        (3, "日期", rows_.DATE_NO_DAY.format(value="2024.03")),
        (4, "日期", rows_.DATE_REQUIRED),
        (5, "活动名称", rows_.TITLE_REQUIRED),
    ]


def test_people_outside_the_uploaders_scope_are_not_found(cast: Cast) -> None:
    person(cast, "罗江某人", region=cast.luojiang_region)
    job = start(
        cast,
        [row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 人员="罗江某人")],
    )
    assert errors(job) == [(2, "参加人员", rows_.PERSON_NOT_FOUND.format(name="罗江某人"))]
    # The other district's own staff find them.
    job = start(
        cast,
        [row(类型="座谈会", 名称="罗江区座谈会", 日期="2024-03-08", 人员="罗江某人")],
        who="luojiang",
        region=cast.luojiang_region,
    )
    assert errors(job) == []


def test_city_staff_import_into_their_own_lines_only(cast: Cast) -> None:
    person(cast, "李强")
    job = start(
        cast,
        [
            row(类型="座谈会", 名称="全市座谈会", 日期="2024-03-08", 人员="李强"),
            row(类型="座谈会", 名称="全市另一会", 日期="2024-03-09", 条线="党派", 人员="李强"),
        ],
        who="city_staff",
        region=cast.city,
    )
    assert errors(job) == [
        (3, "条线", rows_.LINE_NOT_YOURS.format(value="党派", names="新阶")),
    ]


def test_the_example_row_of_the_template_is_never_imported(cast: Cast) -> None:
    client = login(cast.jingyang)
    response = client.get("/activities/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["活动及参加人员", "填写说明", "代码表"]
    sheet = book["活动及参加人员"]
    importer = kind.ACTIVITIES
    assert [c.value for c in sheet[1]] == [importer.labels[k] for k in importer.template_fields]
    assert sheet["E2"].value == "旌阳区"
    assert "活动名称" in book["填写说明"]["A4"].value
    job = importing.start(
        actor=cast.jingyang, upload=upload("模板.xlsx", response.content), kind="activities"
    )
    assert errors(job) == [(2, "活动名称", rows_.EXAMPLE_ROW)]


# --- writing --------------------------------------------------------------------------------------


def test_the_2023_07_05_meeting_of_seed_000_imports_with_roles_in_order(cast: Cast) -> None:
    # A 统战对象 named 曾蓉 is on the registry; the official of the same name is not her.
    person(cast, "曾蓉")
    first = row(类型="推进会", 名称=MEETING_TITLE, 日期=dt.datetime(2023, 7, 5),
                地点="德阳市委统战部会议室", 区域="德阳市", 条线="新阶", 主办="市委统战部",
                人数=40, 人员="朱莉", 名册外="是", 角色="出席并讲话",
                职务="市委常委、统战部部长")  # fmt: skip
    speakers = ("市委网信办", "市司法局", "罗江区委统战部", "中江县委统战部")
    sheet = [
        ["德阳市新的社会阶层人士统战工作推进会参会名单"],
        HEADER,
        first,
        row(人员="曾蓉", 名册外="是", 角色="出席",
            职务="市委统战部常务副部长、市台办主任、市侨办主任"),
        row(人员="毛毅", 名册外="√", 角色="主持", 职务="市委统战部副部长"),
        *[row(单位=u, 角色="交流发言") for u in speakers],
        row(单位="市委组织部"),
        row(名称=MEETING_TITLE, 日期="2023-07-05", 单位="市工商联", 角色="参加"),
    ]  # fmt: skip
    data = xlsx_bytes(sheet, merges=["A1:O1"])
    job = importing.start(
        actor=cast.city_staff, upload=upload("推进会.xlsx", data), kind="activities"
    )
    assert errors(job) == [] and job.rows_ok == 9

    counts = importing.commit(actor=cast.city_staff, job=job)

    assert counts == {"created": 9, "updated": 0, "skipped": 0}
    meeting = Activity.objects.get(title=MEETING_TITLE)
    assert (meeting.date, meeting.region, str(meeting.line), str(meeting.type)) == (
        dt.date(2023, 7, 5), cast.city, "新阶", "推进会")  # fmt: skip
    assert (meeting.place, meeting.headcount, meeting.created_by) == (
        "德阳市委统战部会议室", 40, cast.city_staff)  # fmt: skip
    assert [u.short_name for u in meeting.organizer_units.all()] == ["市委统战部"]
    assert [(p.who, p.get_role_display(), p.title) for p in meeting.participations.all()] == [
        ("朱莉", "出席并讲话", "市委常委、统战部部长"),
        ("曾蓉", "出席", "市委统战部常务副部长、市台办主任、市侨办主任"),
        ("毛毅", "主持", "市委统战部副部长"),
        ("市委网信办", "交流发言", ""),
        ("市司法局", "交流发言", ""),
        ("罗江区委统战部", "交流发言", ""),
        ("中江县委统战部", "交流发言", ""),
        ("市委组织部", "参加", ""),
        ("市工商联", "参加", ""),
    ]
    assert not meeting.participations.filter(person__isnull=False).exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED


def test_activities_spanning_batches_are_created_once(cast: Cast, monkeypatch: Any) -> None:
    monkeypatch.setattr(kind.ActivityWriter, "BATCH", 2)
    people = [person(cast, f"旌阳学员{i}") for i in range(5)]
    sheet = [row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 人数=80)]
    sheet += [row(人员=p.name, 说明=f"第{i}位") for i, p in enumerate(people)]
    sheet.append(
        row(类型="调研", 名称="旌阳区调研", 日期="2024-03-09", 区域="旌阳区", 人员="旌阳学员0")
    )
    job = start(cast, sheet)

    counts = importing.commit(actor=cast.jingyang, job=job)

    assert counts["created"] == 7
    activity = Activity.objects.get(title=TITLE)
    assert activity.headcount == 80
    assert [(p.person_id, p.note, p.order) for p in activity.participations.all()] == [
        (p.pk, f"第{i}位", i) for i, p in enumerate(people)
    ]
    assert Activity.objects.get(title="旌阳区调研").participations.get().person == people[0]


def test_a_failure_in_a_late_batch_writes_nothing(cast: Cast, monkeypatch: Any) -> None:
    monkeypatch.setattr(kind.ActivityWriter, "BATCH", 2)
    original = services.participations_add

    def failing(**kwargs: Any) -> list[Participation]:
        if any(s.note == "模拟故障" for s in kwargs["participants"]):
            raise ValidationError("模拟的写入失败")
        return original(**kwargs)

    monkeypatch.setattr(services, "participations_add", failing)
    people = [person(cast, f"旌阳学员{i}") for i in range(5)]
    sheet = [row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 人员=people[0].name)]
    sheet += [row(人员=p.name) for p in people[1:4]]
    sheet += [row(人员=people[4].name, 说明="模拟故障")]  # row 6, in the third batch
    job = start(cast, sheet)
    activities, participations = Activity.objects.count(), Participation.objects.count()
    audit = AuditEvent.objects.count()

    with pytest.raises(importing.CommitFailed) as caught:
        importing.commit(actor=cast.jingyang, job=job)

    message = caught.value.messages[0]
    reason = kind.WRITE_FAILED.format(title=TITLE, reason="模拟的写入失败")
    assert f"第6行无法写入（{reason}）" in message
    assert Activity.objects.count() == activities
    assert Participation.objects.count() == participations
    assert AuditEvent.objects.count() == audit
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.report["commit_error"] == message


def _existing(cast: Cast) -> tuple[Activity, Person, Person]:
    listed, new = person(cast, "李强"), person(cast, "周敏")
    activity = services.activity_create(
        actor=cast.jingyang,
        type=activity_type("座谈会"),
        title=TITLE,
        date=dt.date(2024, 3, 8),
        region=cast.jingyang_region,
        participants=[services.ParticipantSpec(role="speaks", person=listed)],
    )
    return activity, listed, new


SHEET = [
    row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 人员="李强"),
    row(人员="周敏", 角色="交流发言"),
    row(单位="旌阳区司法局"),
]


def test_an_existing_activity_is_a_duplicate_and_skipped(cast: Cast) -> None:
    activity, _, _ = _existing(cast)
    job = start(cast, SHEET)
    facts = {"title": TITLE, "date": "2024-03-08", "region": "旌阳区", "pk": activity.pk}
    assert [(d["row"], d["message"], d["activity_id"]) for d in job.report["duplicates"]] == [
        (2, kind.DUPLICATE_LISTED.format(who="李强", **facts), activity.pk),
        (3, kind.DUPLICATE_NEW.format(who="周敏", **facts), activity.pk),
        (4, kind.DUPLICATE_NEW.format(who="旌阳区司法局", **facts), activity.pk),
    ]

    counts = importing.commit(actor=cast.jingyang, job=job, on_duplicate="skip")

    assert counts == {"created": 0, "updated": 0, "skipped": 3}
    assert activity.participations.count() == 1
    assert Activity.objects.filter(title=TITLE).count() == 1


def test_update_adds_the_participants_not_yet_listed(cast: Cast) -> None:
    activity, _, _ = _existing(cast)
    job = start(cast, SHEET)

    counts = importing.commit(actor=cast.jingyang, job=job, on_duplicate="update")

    assert counts == {"created": 0, "updated": 2, "skipped": 1}
    assert [(p.who, p.role) for p in activity.participations.all()] == [
        ("李强", "speaks"),
        ("周敏", "exchange"),
        ("旌阳区司法局", "takes_part"),
    ]
    assert Activity.objects.filter(title=TITLE).count() == 1


def test_the_same_title_and_date_in_another_region_is_another_activity(cast: Cast) -> None:
    _existing(cast)
    person(cast, "罗江某人", region=cast.luojiang_region)
    job = start(
        cast,
        [row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 人员="罗江某人")],
        who="luojiang",
        region=cast.luojiang_region,
    )
    assert job.report["duplicates"] == [] and errors(job) == []
    importing.commit(actor=cast.luojiang, job=job)
    assert Activity.objects.filter(title=TITLE).count() == 2


def test_a_preview_takes_a_few_queries_not_one_per_row(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    names = [f"旌阳学员{i}" for i in range(60)]
    for name in names:
        person(cast, name)
    head = row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 主办="旌阳区委统战部")
    sheet = [head] + [row(人员=n) for n in names] + [row(单位="旌阳区司法局")]
    data = xlsx_bytes([HEADER, *sheet])
    with django_assert_max_num_queries(25):
        job = importing.start(
            actor=cast.jingyang, upload=upload("活动.xlsx", data), kind="activities"
        )
    assert errors(job) == [] and job.rows_ok == 62


# --- pages and API --------------------------------------------------------------------------------


def test_the_upload_page_previews_and_commits(cast: Cast) -> None:
    person(cast, "李强")
    client = login(cast.jingyang)
    page = client.get("/activities/import/").content.decode()
    assert "批量导入活动及参加人员" in page and "/activities/import/template.xlsx" in page
    data = csv_bytes([HEADER, row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 人员="李强")])
    response = client.post(
        "/activities/import/", {"file": upload("活动.csv", data), "region": "510603"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain and "导入预览：活动.csv" in page
    assert "文件中共有1个活动" in page and 'href="/activities/"' in page
    job = ImportJob.objects.get(kind="activities", created_by=cast.jingyang)
    response = client.post(f"/imports/{job.pk}/commit/", {"on_duplicate": "skip"}, follow=True)
    assert "导入完成：新增1条，更新0条，跳过0条。" in response.content.decode()
    assert Activity.objects.get(title=TITLE).participations.get().person.name == "李强"


def test_the_activity_list_offers_the_import_to_editors_only(cast: Cast) -> None:
    assert "/activities/import/" in login(cast.jingyang).get("/activities/").content.decode()
    assert "/activities/import/" not in login(cast.leader).get("/activities/").content.decode()


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_neither_see_nor_import_into_jingyang(cast: Cast, who: str) -> None:
    person(cast, "李强")
    first = row(类型="座谈会", 名称=TITLE, 日期="2024-03-08", 区域="旌阳区", 人员="李强")
    job = start(cast, [first])
    client = login(getattr(cast, who))
    page = client.get("/activities/import/")
    assert page.status_code == 200 and "活动.xlsx" not in page.content.decode()
    assert "旌阳区" not in page.content.decode()
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.post(f"/imports/{job.pk}/commit/").status_code == 404
    data = csv_bytes([HEADER, row(类型="座谈会", 名称="某会", 日期="2024-03-08", 人员="李强")])
    response = client.post(
        "/activities/import/", {"file": upload("x.csv", data), "region": "510603"}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    sheet = [row(类型="座谈会", 名称="某会", 日期="2024-03-08", 区域="旌阳区", 人员="李强")]
    own = start(cast, sheet, who=who, region=getattr(cast, who).region)
    assert errors(own) == [
        (2, "所属区域", rows_.REGION_OUT_OF_SCOPE.format(value="旌阳区")),
        (2, "参加人员", rows_.PERSON_NOT_FOUND.format(name="李强")),
    ]
    assert not Activity.objects.filter(title="某会").exists()
    response = Client().post(
        "/api/v1/imports/activities",
        {"file": upload("x.csv", data), "region": "510603"},
        **bearer(getattr(cast, who)),
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["liaison", "leader", "auditor"])
def test_roles_that_do_not_keep_activities_cannot_import_them(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/activities/import/").status_code == 403
    assert client.get("/activities/import/template.xlsx").status_code == 403
    response = Client().post(
        "/api/v1/imports/activities",
        {"file": upload("x.csv", csv_bytes([HEADER]))},
        **bearer(getattr(cast, who)),
    )
    assert response.status_code == 403


def test_the_api_previews_and_commits_an_activity_sheet(cast: Cast) -> None:
    activity, _, _ = _existing(cast)
    data = csv_bytes([HEADER, *SHEET])
    response = Client().post(
        "/api/v1/imports/activities",
        {"file": upload("活动.csv", data), "region": "510603"},
        **bearer(cast.jingyang),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows_total"], body["rows_ok"], body["errors"]) == (3, 3, [])
    assert [d["activity_id"] for d in body["duplicates"]] == [activity.pk] * 3
    response = Client().post(
        f"/api/v1/imports/{body['id']}/commit",
        {"on_duplicate": "update"},
        content_type="application/json",
        **bearer(cast.jingyang),
    )
    assert response.json() == {"created": 0, "updated": 2, "skipped": 1}
    assert activity.participations.count() == 3
    assert Unit.objects.get(short_name="旌阳区司法局").participations.get().activity == activity
