"""Spreadsheets in, for every kind of import (import_kinds.py): upload, preview, commit.

``start`` stores the upload and previews it: every row is read as a stream (import_readers),
judged by the kind's checker and compared with existing records in batches by the kind's
``find_existing``; the job keeps the counts and every error, warning and duplicate by the row
number Excel shows. Nothing else is written. ``commit`` re-reads the file, judges every row again
(the records may have changed since), and writes all good rows through the kind's writer in one
transaction, or none.
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

from tongxin.core import access, audit, text
from tongxin.core.models import AuditAction, Region, User

from . import import_kinds, progress, services
from .import_kinds import (
    UPDATE_NOT_OFFERED,
    ImportKind,
    Layout,
    RowFailed,
    RowResult,
    header_key,
    plain,
)
from .import_readers import MAX_UPLOAD_MB, ImportFileError, check_upload, open_sheet
from .models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 200_000
MAX_REPORTED = 1000
BATCH = 500
PROGRESS_EVERY = 2000
ON_DUPLICATE = {"skip": "跳过", "update": "更新"}

HEADER_MISSING = (
    "没有找到表头：第1行应为表头，且包含“{label}”列。请下载导入模板，按模板的表头填写后重新上传。"
)
DUPLICATE_COLUMN = "“{header}”列与“{first}”列都对应“{label}”，只读取了“{first}”列。"
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
COMMIT_CRASHED = "系统处理时出错"
SUMMARY = (
    "导入名册“{name}”：新增{created}{unit}，更新{updated}{unit}，"
    "跳过{skipped}{unit}（与已有记录重复），{errors}行有误未导入。"
)
UPLOAD_LIMIT = f"支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码），单个文件不超过 {MAX_UPLOAD_MB} MB。"


class AlreadyCommitted(ValidationError):
    """The job was committed before: committing again must not write twice."""


class CommitFailed(ValidationError):
    """The commit was rolled back; the job's report says why."""


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
        kind: ImportKind,
        actor: User,
        job: ImportJob,
        rows: Iterator[tuple[int, list[Any]]],
        merged: list[tuple[int, int, int, int]],
    ) -> None:
        self.layout = _find_layout(kind, rows, job.column_map or {})
        _refuse_merges(merged, self.layout.header_row)
        self._rows = rows
        self._kind = kind
        self._actor = actor
        self._checker = kind.checker_class(kind, actor, job, self.layout)
        self.processed = 0

    def notices(self) -> list[str]:
        return [*self.layout.notices, *self._checker.notices()]

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
                self._find_existing(batch)
                yield from batch
                batch = []
        self._find_existing(batch)
        yield from batch
        if not self.processed:
            raise ImportFileError(self._kind.no_rows)

    def _find_existing(self, batch: list[RowResult]) -> None:
        if batch:
            self._checker.judge_batch(batch)
        candidates = [r for r in batch if not r.errors]
        if candidates:
            self._kind.find_existing(self._actor, candidates)


@contextlib.contextmanager
def _reading(kind: ImportKind, actor: User, job: ImportJob) -> Iterator[_Reading]:
    job.file.open("rb")
    try:
        with open_sheet(_stream(job), job.original_name) as sheet:
            yield _Reading(kind, actor, job, sheet.rows, sheet.merged)
    finally:
        job.file.close()


def _find_layout(
    kind: ImportKind, rows: Iterator[tuple[int, list[Any]]], column_map: dict[str, str]
) -> Layout:
    """The header is the first row naming the kind's header field (姓名 for persons), within the
    first rows: a title row above it ("德阳市统战对象名册") is common and harmless."""
    for number, values in rows:
        layout = _layout_of(kind, number, values, column_map)
        if layout is not None:
            return layout
        if number >= HEADER_SEARCH_ROWS:
            break
    label = kind.labels[kind.header_field]
    raise ImportFileError(HEADER_MISSING.format(label=label))


def _layout_of(
    kind: ImportKind, number: int, values: list[Any], column_map: dict[str, str]
) -> Layout | None:
    """The columns of a header row, or None if it lacks the kind's header field (then it is not
    the header: a title row above it, "德阳市统战对象名册", is common and harmless)."""
    layout = Layout(number, kind.labels)
    for index, raw in enumerate(values):
        header = text.clean(plain(raw))
        if not header:
            continue
        auto = header not in column_map
        key = kind.header_index.get(header_key(header), "") if auto else column_map[header]
        if key in layout.fields:
            first = layout.headers[key]
            layout.notices.append(
                DUPLICATE_COLUMN.format(header=header, first=first, label=kind.labels[key])
            )
            key = ""
        elif key:
            layout.fields[key] = index
            layout.headers[key] = header
        elif auto:
            layout.unmapped.append(header)
        layout.columns.append(
            {"index": index, "letter": _letter(index), "header": header, "field": key, "auto": auto}
        )
    return layout if kind.header_field in layout.fields else None


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _refuse_merges(merged: list[tuple[int, int, int, int]], header_row: int) -> None:
    from openpyxl.utils import get_column_letter

    inside = [m for m in merged if m[2] >= header_row]
    if inside:
        refs = [
            f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}" for r1, c1, r2, c2 in inside
        ]
        shown = "、".join(refs[:5]) + ("等" if len(refs) > 5 else "")
        raise ImportFileError(MERGED_CELLS.format(ranges=shown))


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

    def apply(self, job: ImportJob, layout: Layout, notices: list[str]) -> None:
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
            notices=notices,
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
    *,
    actor: User,
    upload: UploadedFile,
    kind: str = "persons",
    region: Region | None = None,
    options: dict[str, Any] | None = None,
    progress_token: str = "",
) -> ImportJob:
    """Store an uploaded file of ``kind`` (a key of import_kinds.KINDS) and preview it. A file that
    cannot be imported at all raises ValidationError with the reason, and leaves nothing behind.
    ``region`` is the default region of rows naming none, for kinds that ask for one; ``options``
    what else the kind needs (checked by its ``clean_options``: Http404 for a record outside the
    uploader's scope)."""
    importer = import_kinds.get(kind)
    importer.require(actor)
    cleaned = importer.clean_options(actor, dict(options or {}))
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    try:
        check_upload(name, upload.size or 0)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if region is not None and region.pk not in _visible_regions(actor):
        raise ValidationError({"region": services.REGION_OUT_OF_SCOPE})
    job = ImportJob(
        created_by=actor, original_name=name, region=region, kind=importer.key, options=cleaned
    )
    job.file.save(name, upload, save=False)
    job.save()
    try:
        _preview(importer, actor, job, progress_token)
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
    kind = import_kinds.get(job.kind)
    kind.require(actor)
    _refuse_done(job)
    chosen: dict[str, str] = {}
    for header, key in column_map.items():
        if key and key not in kind.field_by_key:
            raise ValidationError(COLUMN_MAP_INVALID.format(value=key))
        if key and key in chosen.values():
            first = next(h for h, k in chosen.items() if k == key)
            raise ValidationError(
                COLUMN_MAP_TWICE.format(label=kind.labels[key], first=first, second=header)
            )
        chosen[text.clean(header)] = key
    job.column_map = chosen
    try:
        _preview(kind, actor, job)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    return job


def _refuse_done(job: ImportJob) -> None:
    if job.status == ImportStatus.COMMITTED:
        raise AlreadyCommitted(ALREADY_COMMITTED)
    if job.status == ImportStatus.FAILED:
        raise ValidationError(JOB_FAILED)


def _preview(kind: ImportKind, actor: User, job: ImportJob, progress_token: str = "") -> None:
    summary = _Summary()
    with _reading(kind, actor, job) as reading:
        for result in reading.results():
            summary.add(result)
            if summary.total % PROGRESS_EVERY == 0:
                # Seen by anyone who opens the job while a large file is being checked.
                ImportJob.objects.filter(pk=job.pk).update(rows_total=summary.total)
                progress.report(progress_token, phase="preview", rows=summary.total)
        summary.apply(job, reading.layout, reading.notices())
    job.save(update_fields=["column_map", "rows_total", "rows_ok", "rows_error", "report"])


# --- commit ---------------------------------------------------------------------------------------


def commit(
    *, actor: User, job: ImportJob, on_duplicate: str = "skip", progress_token: str = ""
) -> dict[str, int]:
    """Write every good row of ``job`` in one transaction; rows with errors are left out, and
    existing records are skipped or updated. Any failure writes nothing and is noted on the job."""
    kind = import_kinds.get(job.kind)
    kind.require(actor)
    if on_duplicate not in ON_DUPLICATE:
        raise ValidationError(ON_DUPLICATE_INVALID)
    if on_duplicate == "update" and not kind.updates:
        raise ValidationError(UPDATE_NOT_OFFERED)
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            _refuse_done(locked)
            result = _commit(kind, actor, locked, on_duplicate, progress_token)
    except (RowFailed, ImportFileError) as exc:
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


def _commit(
    kind: ImportKind, actor: User, job: ImportJob, on_duplicate: str, progress_token: str
) -> dict[str, int]:
    summary = _Summary()
    writer = kind.writer_class(kind, actor, job, on_duplicate)
    with _reading(kind, actor, job) as reading:
        for r in reading.results():
            summary.add(r)
            if summary.total % PROGRESS_EVERY == 0:
                progress.report(progress_token, phase="commit", rows=summary.total)
            if not r.errors:
                writer.write(r)
        writer.flush()
        summary.apply(job, reading.layout, reading.notices())
    if not job.rows_ok:
        raise ValidationError(NOTHING_TO_IMPORT)
    job.status = ImportStatus.COMMITTED
    job.committed_at = timezone.now()
    job.on_duplicate = on_duplicate
    job.result = dict(writer.counts)
    job.save()
    detail = SUMMARY.format(
        name=job.original_name, errors=job.rows_error, unit=kind.unit, **writer.counts
    )
    audit.record(AuditAction.CREATE, obj=job, actor=actor, detail=detail)
    return dict(writer.counts)


def _note_failure(job: ImportJob, reason: str) -> None:
    fresh = ImportJob.objects.filter(pk=job.pk).first()
    if fresh is None:
        return
    fresh.report = {**(fresh.report or {}), "commit_error": COMMIT_FAILED.format(reason=reason)}
    fresh.save(update_fields=["report"])
    job.report = fresh.report
