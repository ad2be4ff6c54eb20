"""Rosters in: upload, preview, commit.

``start`` stores the upload and previews it: every row is read as a stream (import_readers),
judged (import_rows) and compared with existing records in batches; the job keeps the counts and
every error, warning and duplicate by the row number Excel shows. Nothing else is written.
``commit`` re-reads the file, judges every row again (the registry may have changed since), and
writes all good rows through the registry services in one transaction, or none.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, audit, crypto, text
from tongxin.core.models import AuditAction, Region, User

from . import progress, services
from .import_readers import MAX_UPLOAD_MB, ImportFileError, check_upload, open_sheet
from .import_rows import FIELD_BY_KEY, HEADER_SEARCH_ROWS, Layout, RowChecker, RowResult, layout_of
from .models import ImportJob, ImportStatus, Person, Tag

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
MAX_REPORTED = 1000
BATCH = 500
PROGRESS_EVERY = 2000
ON_DUPLICATE = {"skip": "跳过", "update": "更新"}

HEADER_MISSING = (
    "没有找到表头：第1行应为表头，且包含“姓名”列。请下载导入模板，按模板的表头填写后重新上传。"
)
NO_ROWS = "文件只有表头，没有人员数据。请从表头下一行起逐行填写人员信息后重新上传。"
TOO_MANY_ROWS = f"文件超过{MAX_ROWS:,}行，请拆分为几个文件分别导入。"
MERGED_CELLS = (
    "表格中有合并单元格（{ranges}）。请取消合并，并在每个单元格中填写完整内容后重新上传。"
)
ALREADY_COMMITTED = "该名册已经导入过，不能重复导入。如需再次导入，请重新上传文件。"
JOB_FAILED = "该名册无法导入，请修改文件后重新上传。"
NOTHING_TO_IMPORT = "名册中没有可以导入的行（每一行都有错误）。请按预览中的说明修改文件后重新上传。"
ON_DUPLICATE_INVALID = "请选择遇到已有记录时“跳过”还是“更新”。"
COLUMN_MAP_INVALID = "列对应设置有误：“{value}”不是可以导入的字段，请重新选择。"
COLUMN_MAP_TWICE = "“{label}”只能对应一列，现在对应了“{first}”和“{second}”两列，请只保留一列。"
COMMIT_FAILED = "导入未完成，没有写入任何数据：{reason}。请修改后重试；如仍失败，请联系系统管理员。"
COMMIT_ROW_FAILED = "第{row}行无法写入（{message}）"
COMMIT_CRASHED = "系统处理时出错"
SUMMARY = (
    "导入名册“{name}”：新增{created}人，更新{updated}人，"
    "跳过{skipped}人（与已有记录重复），{errors}行有误未导入。"
)
DUPLICATE_ID = "与已有记录“{name}”（{region}，编号{pk}）重复：身份证号相同。"
DUPLICATE_NAME = "与已有记录“{name}”（{region}，编号{pk}）重复：姓名和出生日期相同。"
DUPLICATE_HIDDEN = "该身份证号已在您管辖范围以外登记，不能导入。请联系市级管理员核实。"
UPLOAD_LIMIT = f"支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码），单个文件不超过 {MAX_UPLOAD_MB} MB。"


class AlreadyCommitted(ValidationError):
    """The job was committed before: committing again must not write twice."""


class CommitFailed(ValidationError):
    """The commit was rolled back; the job's report says why."""


class _RowFailed(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(COMMIT_ROW_FAILED.format(row=row, message=message))


# --- reading a job's file -------------------------------------------------------------------------


def _stream(job: ImportJob) -> IO[bytes]:
    stream: Any = job.file.file
    while isinstance(stream, File):  # storage files wrap the real stream, sometimes twice
        stream = stream.file
    return stream


class _Reading:
    """A file being read: its header found, then its rows judged as they stream past."""

    def __init__(
        self,
        actor: User,
        job: ImportJob,
        rows: Iterator[tuple[int, list[Any]]],
        merged: list[tuple[int, int, int, int]],
    ) -> None:
        self.layout = _find_layout(rows, job.column_map or {})
        _refuse_merges(merged, self.layout.header_row)
        self._rows = rows
        self._actor = actor
        self._checker = RowChecker(actor, job.region, self.layout)
        self.processed = 0

    def results(self) -> Iterator[RowResult]:
        batch: list[RowResult] = []
        for number, values in self._rows:
            result = self._checker.check(number, values)
            if result is None:
                continue
            self.processed += 1
            if self.processed > MAX_ROWS:
                raise ImportFileError(TOO_MANY_ROWS)
            batch.append(result)
            if len(batch) >= BATCH:
                _attach_existing(self._actor, batch)
                yield from batch
                batch = []
        _attach_existing(self._actor, batch)
        yield from batch
        if not self.processed:
            raise ImportFileError(NO_ROWS)


@contextlib.contextmanager
def _reading(actor: User, job: ImportJob) -> Iterator[_Reading]:
    job.file.open("rb")
    try:
        with open_sheet(_stream(job), job.original_name) as sheet:
            yield _Reading(actor, job, sheet.rows, sheet.merged)
    finally:
        job.file.close()


def _find_layout(rows: Iterator[tuple[int, list[Any]]], column_map: dict[str, str]) -> Layout:
    """The header is the first row naming a 姓名 column, within the first rows: a title row
    above it ("德阳市统战对象名册") is common and harmless."""
    for number, values in rows:
        layout = layout_of(number, values, column_map)
        if layout is not None:
            return layout
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(HEADER_MISSING)


def _refuse_merges(merged: list[tuple[int, int, int, int]], header_row: int) -> None:
    from openpyxl.utils import get_column_letter

    inside = [m for m in merged if m[2] >= header_row]
    if inside:
        refs = [
            f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}" for r1, c1, r2, c2 in inside
        ]
        shown = "、".join(refs[:5]) + ("等" if len(refs) > 5 else "")
        raise ImportFileError(MERGED_CELLS.format(ranges=shown))


def _attach_existing(actor: User, batch: list[RowResult]) -> None:
    """Existing records of the batch's people: by ID number through its blind index (anyone's,
    as services.find_by_id_number does: one ID is one person), else by name and birth date
    among the records the uploader can see."""
    candidates = [r for r in batch if not r.errors]
    by_index: dict[str, RowResult] = {}
    for r in candidates:
        if r.values["id_number"]:
            for index in crypto.blind_indexes(r.values["id_number"], purpose="id_number"):
                by_index[index] = r
    if by_index:
        found = list(
            Person.objects.filter(
                id_number_index__in=list(by_index), archived_at__isnull=True
            ).select_related("region")
        )
        visible = set(
            access.scope(actor, Person.objects.filter(pk__in=[p.pk for p in found])).values_list(
                "pk", flat=True
            )
        )
        for person in found:
            r = by_index[person.id_number_index]
            if person.pk in visible:
                _mark_duplicate(r, person, "公民身份号码", DUPLICATE_ID)
            else:
                r.errors.append(_issue(r, "公民身份号码", DUPLICATE_HIDDEN))
    pending = [r for r in candidates if r.existing is None and not r.errors and r.name_key]
    if not pending:
        return
    keys = {r.name_key for r in pending}
    people = (
        access.scope(
            actor,
            Person.objects.filter(
                name_simplified__in={k[0] for k in keys if k},
                birth_date__in={k[1] for k in keys if k},
                archived_at__isnull=True,
            ),
        )
        .select_related("region")
        .order_by("pk")
    )
    by_key: dict[Any, list[Person]] = {}
    for person in people:
        by_key.setdefault((person.name_simplified, person.birth_date), []).append(person)
    for r in pending:
        for person in by_key.get(r.name_key, []):
            # Two different ID numbers are two people, whatever their names.
            if not r.values["id_number"] or not person.id_number_index:
                _mark_duplicate(r, person, "姓名", DUPLICATE_NAME)
                break


def _issue(r: RowResult, column: str, message: str) -> dict[str, Any]:
    return {"row": r.row, "column": column, "message": message}


def _mark_duplicate(r: RowResult, person: Person, column: str, template: str) -> None:
    r.existing = person
    message = template.format(name=person.name, region=person.region, pk=person.pk)
    r.duplicate = {
        **_issue(r, column, message),
        "person_id": person.pk,
        "person": person.name,
        "region": str(person.region),
    }


# --- preview --------------------------------------------------------------------------------------


class _Summary:
    def __init__(self) -> None:
        self.total = 0
        self.error_rows = 0
        self.lists: dict[str, list[dict[str, Any]]] = {
            "errors": [],
            "warnings": [],
            "duplicates": [],
        }
        self.counts = dict.fromkeys(self.lists, 0)

    def add(self, r: RowResult) -> None:
        self.total += 1
        self.error_rows += bool(r.errors)
        self._extend("errors", r.errors)
        self._extend("warnings", r.warnings)
        if r.duplicate is not None and not r.errors:
            self._extend("duplicates", [r.duplicate])

    def _extend(self, name: str, issues: list[dict[str, Any]]) -> None:
        self.counts[name] += len(issues)
        room = MAX_REPORTED - len(self.lists[name])
        if room > 0:
            self.lists[name].extend(issues[:room])

    def apply(self, job: ImportJob, layout: Layout) -> None:
        job.rows_total = self.total
        job.rows_error = self.error_rows
        job.rows_ok = self.total - self.error_rows
        report: dict[str, Any] = {**self.lists}
        for name, items in self.lists.items():
            report[f"{name}_total"] = self.counts[name]
            report[f"{name}_more"] = self.counts[name] - len(items)
        report.update(
            header_row=layout.header_row,
            columns=layout.columns,
            unmapped=layout.unmapped,
            notices=layout.notices,
        )
        job.report = json_safe(report)


def json_safe(value: Any) -> Any:
    """PostgreSQL's jsonb refuses NUL characters, which a corrupted file can carry into a header
    or a quoted cell value; they mean nothing to a reader of the report."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    return value


def start(
    *, actor: User, upload: UploadedFile, region: Region | None = None, progress_token: str = ""
) -> ImportJob:
    """Store an uploaded roster and preview it. A file that cannot be imported at all raises
    ValidationError with the reason, and leaves nothing behind."""
    access.require_write(actor, *services.EDITORS)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    try:
        check_upload(name, upload.size or 0)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if region is not None and region.pk not in _visible_regions(actor):
        raise ValidationError({"region": services.REGION_OUT_OF_SCOPE})
    job = ImportJob(created_by=actor, original_name=name, region=region, kind="persons")
    job.file.save(name, upload, save=False)
    job.save()
    try:
        _preview(actor, job, progress_token)
    except BaseException as exc:
        # A file that cannot be imported leaves no job behind, nor its stored copy.
        job.file.delete(save=False)
        job.delete()
        if isinstance(exc, ImportFileError):
            raise ValidationError({"file": str(exc)}) from None
        raise
    return job


def _visible_regions(actor: User) -> set[int]:
    return set(access.scope(actor, Region.objects.all()).values_list("pk", flat=True))


def remap(*, actor: User, job: ImportJob, column_map: dict[str, str]) -> ImportJob:
    """Columns mapped by hand (header → field, "" to leave a column out), then a fresh preview."""
    access.require_write(actor, *services.EDITORS)
    _refuse_done(job)
    chosen: dict[str, str] = {}
    for header, key in column_map.items():
        if key and key not in FIELD_BY_KEY:
            raise ValidationError(COLUMN_MAP_INVALID.format(value=key))
        if key and key in chosen.values():
            first = next(h for h, k in chosen.items() if k == key)
            raise ValidationError(
                COLUMN_MAP_TWICE.format(label=FIELD_BY_KEY[key].label, first=first, second=header)
            )
        chosen[text.clean(header)] = key
    job.column_map = chosen
    try:
        _preview(actor, job)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    return job


def _refuse_done(job: ImportJob) -> None:
    if job.status == ImportStatus.COMMITTED:
        raise AlreadyCommitted(ALREADY_COMMITTED)
    if job.status == ImportStatus.FAILED:
        raise ValidationError(JOB_FAILED)


def _preview(actor: User, job: ImportJob, progress_token: str = "") -> None:
    summary = _Summary()
    with _reading(actor, job) as reading:
        for result in reading.results():
            summary.add(result)
            if summary.total % PROGRESS_EVERY == 0:
                # Seen by anyone who opens the job while a large file is being checked.
                ImportJob.objects.filter(pk=job.pk).update(rows_total=summary.total)
                progress.report(progress_token, phase="preview", rows=summary.total)
        summary.apply(job, reading.layout)
    job.save(update_fields=["column_map", "rows_total", "rows_ok", "rows_error", "report"])


# --- commit ---------------------------------------------------------------------------------------


class _Writer:
    BATCH = 1000

    def __init__(self, actor: User, on_duplicate: str) -> None:
        self.actor = actor
        self.on_duplicate = on_duplicate
        self.tags: dict[str, Tag] = {}
        self.counts = {"created": 0, "updated": 0, "skipped": 0}
        self.pending: list[tuple[int, dict[str, Any]]] = []

    def write(self, r: RowResult) -> None:
        if r.existing is not None and self.on_duplicate == "skip":
            self.counts["skipped"] += 1
            return
        values = {k: v for k, v in r.values.items() if v not in (None, "", [])}
        values["tags"] = self._tags(r.values["tags"])
        if r.existing is None:
            # New people go in batches: one INSERT per table per thousand rows.
            self.pending.append((r.row, values))
            if len(self.pending) >= self.BATCH:
                self.flush()
            return
        try:
            self._update(r, values)
            self.counts["updated"] += 1
        except ValidationError as exc:
            raise _RowFailed(r.row, "；".join(exc.messages)) from exc

    def flush(self) -> None:
        if not self.pending:
            return
        try:
            services.person_bulk_create(actor=self.actor, rows=[v for _, v in self.pending])
        except services.BulkRowError as exc:
            raise _RowFailed(self.pending[exc.index][0], str(exc)) from exc
        self.counts["created"] += len(self.pending)
        self.pending = []

    def _update(self, r: RowResult, values: dict[str, Any]) -> None:
        person = r.existing
        assert person is not None
        if not r.region_given:
            values.pop("region", None)
        values.pop("name", None)
        # A file adds categories and tags; it never takes away what other lines recorded.
        values["categories"] = [*person.categories.all(), *values.get("categories", [])]
        values["tags"] = [*person.tags.all(), *values["tags"]]
        services.person_update(actor=self.actor, person=person, **values)

    def _tags(self, names: list[str]) -> list[Tag]:
        missing = [n for n in names if n not in self.tags]
        for tag in services.tags_from_names(missing):
            self.tags[tag.name] = tag
        return [self.tags[n] for n in names if n in self.tags]


def commit(
    *, actor: User, job: ImportJob, on_duplicate: str = "skip", progress_token: str = ""
) -> dict[str, int]:
    """Write every good row of ``job`` in one transaction; rows with errors are left out, and
    existing records are skipped or updated. Any failure writes nothing and is noted on the job."""
    access.require_write(actor, *services.EDITORS)
    if on_duplicate not in ON_DUPLICATE:
        raise ValidationError(ON_DUPLICATE_INVALID)
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            _refuse_done(locked)
            result = _commit(actor, locked, on_duplicate, progress_token)
    except (_RowFailed, ImportFileError) as exc:
        _note_failure(job, str(exc))
        raise CommitFailed(COMMIT_FAILED.format(reason=exc)) from exc
    except ValidationError:
        raise
    except Exception as exc:
        logger.exception("import job %s failed to commit", job.pk)
        _note_failure(job, COMMIT_CRASHED)
        raise CommitFailed(COMMIT_FAILED.format(reason=COMMIT_CRASHED)) from exc
    job.refresh_from_db()
    return result


def _commit(actor: User, job: ImportJob, on_duplicate: str, progress_token: str) -> dict[str, int]:
    summary = _Summary()
    writer = _Writer(actor, on_duplicate)
    with _reading(actor, job) as reading:
        for r in reading.results():
            summary.add(r)
            if summary.total % PROGRESS_EVERY == 0:
                progress.report(progress_token, phase="commit", rows=summary.total)
            if not r.errors:
                writer.write(r)
        writer.flush()
        summary.apply(job, reading.layout)
    if not job.rows_ok:
        raise ValidationError(NOTHING_TO_IMPORT)
    job.status = ImportStatus.COMMITTED
    job.committed_at = timezone.now()
    job.on_duplicate = on_duplicate
    job.result = dict(writer.counts)
    job.save()
    audit.record(
        AuditAction.CREATE,
        obj=job,
        actor=actor,
        detail=SUMMARY.format(name=job.original_name, errors=job.rows_error, **writer.counts),
    )
    return dict(writer.counts)


def _note_failure(job: ImportJob, reason: str) -> None:
    fresh = ImportJob.objects.filter(pk=job.pk).first()
    if fresh is None:
        return
    fresh.report = {**(fresh.report or {}), "commit_error": COMMIT_FAILED.format(reason=reason)}
    fresh.save(update_fields=["report"])
    job.report = fresh.report
