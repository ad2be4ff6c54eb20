"""A second kind of import, defined only here (tag names), gets the person import's preview by
Excel row, hand mapping, pages and all-or-nothing commit from the shared engine, unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongxin.core.models import AuditEvent, Role
from tongxin.registry import import_kinds, importing
from tongxin.registry.import_kinds import (
    Field,
    ImportKind,
    RowChecker,
    RowFailed,
    RowResult,
    Writer,
)
from tongxin.registry.models import ImportJob, ImportStatus, Tag

from ..conftest import Cast, login
from .rosters import csv_bytes, upload, xlsx_bytes

NAME_REQUIRED = "标签名称不能为空。"
REPEAT = "与第{row}行重复。"
DUPLICATE = "标签“{name}”已经存在。"
REFUSED = "测试拒绝"


class TagChecker(RowChecker):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen: dict[str, int] = {}

    def judge(self, r: RowResult, cells: dict[str, Any]) -> None:
        name = r.values["name"] = self.text(r, cells, "name")
        if not name:
            self.error(r, "name", NAME_REQUIRED)
        elif (first := self.seen.setdefault(name, r.row)) != r.row:
            self.error(r, "name", REPEAT.format(row=first))


class TagWriter(Writer):
    BATCH = 2

    def create_batch(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        Tag.objects.bulk_create(Tag(name=values["name"]) for _, values in rows)
        for row, values in rows:
            if values["name"] == REFUSED:  # after the insert: the rollback must undo it
                raise RowFailed(row, "模拟的拒绝")

    def update(self, r: RowResult) -> None:
        """A tag is only its name: nothing to update."""


class TagKind(ImportKind):
    key = "test-tags"
    label = "标签"
    fields = (Field("name", "标签名称", ("标签",), max_length=32), Field("note", "说明"))
    roles = (Role.ADMIN, Role.DISTRICT_STAFF)
    checker_class = TagChecker
    writer_class = TagWriter

    def find_existing(self, actor: Any, rows: list[RowResult]) -> None:
        names = [r.values["name"] for r in rows]
        for tag in Tag.objects.filter(name__in=names):
            for r in rows:
                if r.values["name"] == tag.name:
                    r.mark_duplicate(tag, "标签名称", DUPLICATE.format(name=tag.name))


@pytest.fixture(autouse=True)
def tag_kind(monkeypatch: Any) -> ImportKind:
    monkeypatch.setattr(import_kinds, "KINDS", dict(import_kinds.KINDS))
    return import_kinds.register(TagKind())


def _start(cast: Cast, data: bytes, name: str = "标签.csv") -> ImportJob:
    return importing.start(actor=cast.jingyang, upload=upload(name, data), kind="test-tags")


def test_a_second_kind_is_previewed_by_excel_row(cast: Cast) -> None:
    Tag.objects.create(name="测试已有")
    rows = [["德阳市标签清单"], ["标签", "说明"], ["测试甲", ""], ["", ""], ["测试甲", ""],
            ["长" * 33, ""], ["测试已有", ""], ["", "没有名称"]]  # fmt: skip
    job = _start(cast, xlsx_bytes(rows, merges=["A1:B1"]), name="标签.xlsx")

    assert job.kind == "test-tags" and job.report["header_row"] == 2
    assert (job.rows_total, job.rows_ok, job.rows_error) == (5, 2, 3)
    assert job.report["errors"] == [
        {"row": 5, "column": "标签", "message": REPEAT.format(row=3)},
        {"row": 6, "column": "标签", "message": "标签名称不能超过32个字（现有33个字），请精简。"},
        {"row": 8, "column": "标签", "message": NAME_REQUIRED},
    ]
    assert [(d["row"], d["message"]) for d in job.report["duplicates"]] == [
        (7, DUPLICATE.format(name="测试已有"))
    ]


def test_a_second_kind_is_refused_with_its_own_header_and_the_shared_file_checks(
    cast: Cast,
) -> None:
    with pytest.raises(ValidationError) as caught:
        _start(cast, csv_bytes([["姓名"], ["甲"]]))
    assert caught.value.messages == [importing.HEADER_MISSING.format(label="标签名称")]
    with pytest.raises(ValidationError) as caught:
        _start(cast, csv_bytes([["标签名称"], [""]]))
    assert caught.value.messages == [import_kinds.NO_ROWS]
    with pytest.raises(ValidationError) as caught:
        _start(cast, xlsx_bytes([["标签名称"], ["甲"], [None]], merges=["A2:A3"]), "标签.xlsx")
    assert caught.value.messages == [importing.MERGED_CELLS.format(ranges="A2:A3")]
    assert not ImportJob.objects.filter(kind="test-tags").exists()


def test_a_second_kind_commits_all_or_nothing(cast: Cast) -> None:
    rows = [["标签名称"], ["测试甲"], ["测试乙"], ["测试丙"], [REFUSED], ["测试甲"]]
    job = _start(cast, csv_bytes(rows))
    tags, events = Tag.objects.count(), AuditEvent.objects.count()

    with pytest.raises(importing.CommitFailed) as caught:
        importing.commit(actor=cast.jingyang, job=job)

    assert "第5行无法写入（模拟的拒绝）" in caught.value.messages[0]
    assert Tag.objects.count() == tags, "the batches written before the failure stay in"
    assert AuditEvent.objects.count() == events
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert job.report["commit_error"] == caught.value.messages[0]


def test_a_second_kind_is_mapped_and_committed_through_the_shared_pages(cast: Cast) -> None:
    Tag.objects.create(name="测试已有")
    rows = [["标签名称", "附注"], ["测试甲", "一"], ["测试已有", ""], ["测试乙", ""]]
    job = _start(cast, csv_bytes(rows), "x.csv")
    assert job.report["unmapped"] == ["附注"]
    client = login(cast.jingyang)
    client.post(f"/imports/{job.pk}/", {"map-1": "note"})
    job.refresh_from_db()
    assert job.column_map == {"标签名称": "name", "附注": "note"}
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "标签名称" in page and "与已有记录重复（1 条）" in page
    response = client.post(f"/imports/{job.pk}/commit/", {"on_duplicate": "skip"}, follow=True)
    assert "导入完成：新增2条，更新0条，跳过1条。" in response.content.decode()
    assert Tag.objects.filter(name__in=["测试甲", "测试乙"]).count() == 2
    summary = AuditEvent.objects.get(object_type="registry.importjob", object_id=str(job.pk))
    assert summary.detail == importing.SUMMARY.format(
        name="x.csv", created=2, updated=0, skipped=1, errors=0, unit="条"
    )


def test_who_may_import_and_see_a_kind_comes_from_the_kind(cast: Cast, monkeypatch: Any) -> None:
    job = _start(cast, csv_bytes([["标签名称"], ["测试甲"]]))
    assert "test-tags" not in [k.key for k in import_kinds.kinds_for(cast.city_staff)]
    with pytest.raises(PermissionDenied):
        importing.start(actor=cast.city_staff, upload=upload("标签.csv", b"x"), kind="test-tags")
    admin = login(cast.admin)
    assert admin.get(f"/imports/{job.pk}/").status_code == 200
    monkeypatch.setattr(TagKind, "roles", (Role.DISTRICT_STAFF,))
    assert admin.get(f"/imports/{job.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        importing.commit(actor=cast.admin, job=job)
