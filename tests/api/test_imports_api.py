"""The imports API: upload (preview), report, commit; errors in the one JSON shape; corrupted
files never end in a server error nor in a partial write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxin.core.ids import make_id_number
from tongxin.registry import import_persons, import_readers, import_rows, importing
from tongxin.registry.models import ImportJob, Person

from ..conftest import Cast, bearer
from ..registry.rosters import csv_bytes, upload, xlsx_bytes

KEYS = {"id", "status", "rows_total", "rows_ok", "rows_error", "errors", "warnings", "duplicates"}
ID = make_id_number("510603", dt.date(1979, 6, 30), 41, "F")
ROSTER = [
    ["姓名", "身份证号", "手机号码", "区县", "人员类别"],
    ["甲", ID, "13900001111", "旌阳区", "新阶"],
    ["乙", "", "1234", "旌阳区", ""],
    ["", "", "", "", ""],
    ["丙", "", "", "", "无党派人士"],
    ["丁", ID, "", "旌阳区", ""],
]


def _post(cast: Cast, data: bytes, name: str = "名册.csv", who: str = "jingyang",
          **extra: Any) -> Any:  # fmt: skip
    return Client().post(
        "/api/v1/imports/persons",
        {"file": upload(name, data), **extra},
        **bearer(getattr(cast, who)),
    )


def test_an_upload_answers_the_preview_in_the_agreed_shape(cast: Cast) -> None:
    response = _post(cast, csv_bytes(ROSTER), region="510603")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] == "previewed"
    assert (body["rows_total"], body["rows_ok"], body["rows_error"]) == (4, 2, 2)
    assert body["errors"] == [
        {"row": 3, "column": "手机号码", "message": import_rows.ids.PHONE_INVALID},
        {"row": 6, "column": "身份证号", "message": import_rows.REPEAT_ID.format(row=2)},
    ]
    assert body["duplicates"] == []
    assert Client().get(f"/api/v1/imports/{body['id']}", **bearer(cast.jingyang)).json() == body


def test_a_commit_writes_the_good_rows_and_answers_the_counts(cast: Cast) -> None:
    job_id = _post(cast, csv_bytes(ROSTER), region="510603").json()["id"]
    before = Person.objects.count()
    response = Client().post(
        f"/api/v1/imports/{job_id}/commit",
        {"on_duplicate": "skip"},
        content_type="application/json",
        **bearer(cast.jingyang),
    )
    assert response.status_code == 200
    assert response.json() == {"created": 2, "updated": 0, "skipped": 0}
    assert Person.objects.count() == before + 2
    again = Client().post(f"/api/v1/imports/{job_id}/commit", **bearer(cast.jingyang))
    assert again.status_code == 409
    assert again.json() == {"detail": importing.ALREADY_COMMITTED, "code": "error"}


def test_duplicates_are_listed_with_the_existing_record_and_can_be_updated(cast: Cast) -> None:
    existing = cast.records.person
    rows = [
        ["姓名", "身份证号", "区县", "工作单位"],
        ["旌阳某人", existing.id_number, "旌阳区", "新单位"],
    ]
    body = _post(cast, csv_bytes(rows)).json()
    assert body["duplicates"] == [
        {
            "row": 2,
            "column": "公民身份号码",
            "message": import_persons.DUPLICATE_ID.format(
                name=existing.name, region="旌阳区", pk=existing.pk
            ),
            "person_id": existing.pk,
        }
    ]
    response = Client().post(
        f"/api/v1/imports/{body['id']}/commit",
        {"on_duplicate": "update"},
        content_type="application/json",
        **bearer(cast.jingyang),
    )
    assert response.json() == {"created": 0, "updated": 1, "skipped": 0}
    existing.refresh_from_db()
    assert existing.employer == "新单位"


def test_a_broken_file_answers_422_with_the_reason_and_keeps_nothing(cast: Cast) -> None:
    jobs = ImportJob.objects.count()
    response = _post(cast, b"PK\x03\x04 not really", name="名册.xlsx")
    assert response.status_code == 422
    assert response.json() == {"detail": import_readers.FILE_UNREADABLE, "code": "invalid"}
    response = _post(cast, b"x", name="名册.pdf")
    assert response.json()["detail"] == import_readers.FILE_TYPE
    assert ImportJob.objects.count() == jobs


def test_an_unknown_on_duplicate_is_refused(cast: Cast) -> None:
    job_id = _post(cast, xlsx_bytes(ROSTER), name="名册.xlsx", region="510603").json()["id"]
    response = Client().post(
        f"/api/v1/imports/{job_id}/commit",
        {"on_duplicate": "merge"},
        content_type="application/json",
        **bearer(cast.jingyang),
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_a_default_region_outside_the_scope_is_404(cast: Cast) -> None:
    response = _post(cast, csv_bytes(ROSTER), region="510604")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_other_districts_cannot_read_or_commit_a_job(cast: Cast) -> None:
    job = cast.records.job
    for who in ("luojiang", "outsider"):
        headers = bearer(getattr(cast, who))
        assert Client().get(f"/api/v1/imports/{job.pk}", **headers).status_code == 404
        response = Client().post(f"/api/v1/imports/{job.pk}/commit", **headers)
        assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "previewed"


def test_read_only_roles_cannot_import(cast: Cast) -> None:
    for who in ("leader", "liaison", "auditor"):
        response = _post(cast, csv_bytes(ROSTER), who=who)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"


GOOD = csv_bytes(
    [["姓名", "身份证号", "区县", "出生日期"]]
    + [
        [f"人{i}", make_id_number("510603", dt.date(1970 + i, 1 + i % 12, 3), i, "M"), "旌阳区",
         f"{1970 + i}.01"]
        for i in range(12)
    ],
    "utf-8-sig",
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(GOOD) - 1), st.binary(min_size=0, max_size=4)),
        min_size=1,
        max_size=6,
    ),
    cut=st.integers(0, len(GOOD)),
)
def test_corrupted_csv_never_writes_in_part_nor_fails_with_a_500(
    cast: Cast, edits: list[tuple[int, bytes]], cut: int
) -> None:
    data = bytearray(GOOD[: max(cut, 1)])
    for position, replacement in edits:
        position = min(position, len(data))
        data[position : position + len(replacement)] = replacement
    headers = bearer(cast.jingyang)
    before = Person.objects.count()
    response = Client().post(
        "/api/v1/imports/persons", {"file": upload("名册.csv", bytes(data))}, **headers
    )
    assert response.status_code in (201, 422), response.content
    if response.status_code == 422:
        assert response.json()["code"] == "invalid"
        assert Person.objects.count() == before
        return
    body = response.json()
    commit = Client().post(f"/api/v1/imports/{body['id']}/commit", **headers)
    assert commit.status_code in (200, 422), commit.content
    if commit.status_code == 422:
        assert commit.json()["detail"] == importing.NOTHING_TO_IMPORT
        assert Person.objects.count() == before
        return
    result = commit.json()
    assert Person.objects.count() == before + result["created"]
    assert result["created"] + result["updated"] + result["skipped"] == body["rows_ok"]
