"""Kinds of import: what one kind of spreadsheet import tells the shared engine (importing.py).

The engine does everything that is the same for every kind: it streams the rows, finds the header,
refuses merged cells, previews (errors, warnings and duplicates by the row number Excel shows),
lets columns be mapped by hand, and commits every good row in one transaction, with progress, a
failure noted on the job and one audit row. A kind says what its rows are:

- ``fields`` it reads (label and header aliases); the header row is the first naming
  ``header_field`` (姓名 for persons);
- ``checker_class``, a ``RowChecker`` judging one row (``judge``), and then each batch of rows
  (``judge_batch``: lookups that take one query for many rows, such as people by name);
- ``find_existing`` (optional), marking rows already on record, a batch at a time;
- ``writer_class``, a ``Writer`` writing the good rows in batches (``create_batch``, and
  ``update`` for the rows ``find_existing`` marked);
- its ``key`` (stored on ImportJob.kind), who may import it (``roles``), its texts, pages and
  template columns;
- ``clean_options`` (optional): what the upload names besides the file, checked for the uploader
  and kept on the job (the training class a list of trainees is for).

Kinds are put in ``KINDS`` by ``register``, from their app's ``ready()``; import_persons.py is the
first.
"""

from __future__ import annotations

import datetime
import re
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse

from tongxin.core import access, text
from tongxin.core.models import Region, User

from .import_readers import CellProblem
from .models import CodeItem

if TYPE_CHECKING:
    from .models import ImportJob

TOO_LONG = "{label}不能超过{limit}个字（现有{length}个字），请精简。"
CELL_ERROR = "单元格是错误值“{value}”。请修正公式，或直接填写内容后重新导入。"
CELL_UNCALCULATED = (
    "单元格是公式，但文件里没有保存计算结果。请在 Excel 中打开并保存，"
    "或把公式“选择性粘贴为数值”后重新导入。"
)
NO_ROWS = "文件只有表头，没有数据。请从表头下一行起逐行填写后重新上传。"
ROW_FAILED = "第{row}行无法写入（{message}）"
UPDATE_NOT_OFFERED = "这类导入遇到已有记录只能跳过，请选择“跳过”。"

Issue = dict[str, Any]

_HEADER_NOTE = re.compile(r"\([^()]*\)$")
_HEADER_NOISE = re.compile(r"[\s*:]")


@dataclass(frozen=True)
class Field:
    """A column a kind reads: ``label`` is the template's header, ``aliases`` other headers
    offices write for it. ``multiple``: several values in one cell (顿号-separated)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    code_kind: str = ""
    max_length: int = 0
    multiple: bool = False


def plain(value: object) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO dates."""
    if value is None or isinstance(value, CellProblem):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def header_key(raw: object) -> str:
    """A header as compared: simplified, half-width, without spaces, stars (required marks) or a
    trailing note in brackets ("出生日期（年月日）")."""
    cleaned = text.t2s(text.clean(plain(raw)))
    stripped = _HEADER_NOTE.sub("", cleaned) or cleaned
    return _HEADER_NOISE.sub("", stripped).lower()


def code_key(raw: str) -> str:
    return text.t2s(text.clean(raw)).replace(" ", "").lower()


def issue(row: int, column: str, message: str) -> Issue:
    return {"row": row, "column": column, "message": message}


# --- the header -----------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where a file keeps a kind's fields: field key → column index, and the file's own header
    for each (problems are named by the column as the file calls it)."""

    header_row: int
    labels: dict[str, str]
    columns: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def header(self, key: str) -> str:
        return self.headers.get(key, self.labels[key])


# --- one row --------------------------------------------------------------------------------------


@dataclass
class RowResult:
    """One row judged: ``values`` as the writer receives them, problems by Excel row, and the
    record it duplicates (set by the kind's ``find_existing``)."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    existing: Any = None
    duplicate: Issue | None = None
    unreadable: set[str] = field(default_factory=set)

    def mark_duplicate(self, existing: Any, column: str, message: str, **extra: Any) -> None:
        """``extra`` goes into the preview's duplicate entry (e.g. the existing record's id)."""
        self.existing = existing
        self.duplicate = {**issue(self.row, column, message), **extra}


class RowChecker(ABC):
    """Judges a kind's rows one at a time, with whatever it read once per file in ``__init__``
    (code tables, regions, the rows seen so far). A subclass writes ``judge``; blank rows and
    unusable cells (#N/A, formulas never calculated) are dealt with here."""

    row_class: ClassVar[type[RowResult]] = RowResult

    def __init__(self, kind: ImportKind, actor: User, job: ImportJob, layout: Layout) -> None:
        self.kind = kind
        self.actor = actor
        self.job = job
        self.layout = layout

    def check(self, number: int, values: list[Any]) -> RowResult | None:
        """The row judged, or None for a blank row (skipped)."""
        if not any(plain(v).strip() for v in values) and not any(
            isinstance(v, CellProblem) for v in values
        ):
            return None
        r = self.row_class(number)
        cells: dict[str, Any] = {}
        for key, index in self.layout.fields.items():
            raw = values[index] if index < len(values) else None
            if isinstance(raw, CellProblem):
                message = CELL_UNCALCULATED if not raw.shown else CELL_ERROR.format(value=raw.shown)
                self.error(r, key, message)
                r.unreadable.add(key)
                raw = None
            cells[key] = raw
        self.judge(r, cells)
        return r

    def judge_batch(self, rows: list[RowResult]) -> None:
        """Judge further a batch of rows already judged one at a time (a few hundred, in file
        order), where one query can serve them all. Called before ``find_existing``. Default:
        nothing more to judge."""
        return

    def notices(self) -> list[str]:
        """Sentences about the whole file for the preview, once every row is judged (e.g. the
        activities it holds). Default: none."""
        return []

    @abstractmethod
    def judge(self, r: RowResult, cells: dict[str, Any]) -> None:
        """Fill ``r.values`` from ``cells`` (field key → raw cell value, None when empty or
        absent) and add errors and warnings with ``error`` and ``warn``."""

    def error(self, r: RowResult, key: str, message: str) -> None:
        if key in r.unreadable:  # said once: the cell itself is the problem
            return
        r.errors.append(issue(r.row, self.layout.header(key), message))

    def warn(self, r: RowResult, key: str, message: str) -> None:
        r.warnings.append(issue(r.row, self.layout.header(key), message))

    def text(self, r: RowResult, cells: dict[str, Any], key: str) -> str:
        """A text cell, cleaned (full-width, spaces, control characters) and its length checked."""
        value = text.clean(plain(cells.get(key)))
        self.length(r, key, value)
        return value

    def length(self, r: RowResult, key: str, value: str) -> None:
        f = self.kind.field_by_key[key]
        if f.max_length and len(value) > f.max_length:
            message = TOO_LONG.format(label=f.label, limit=f.max_length, length=len(value))
            self.error(r, key, message)


# --- lookups a checker may use --------------------------------------------------------------------


class Codes:
    """Active code items by kind, found by name or alias, in either script (汉 → 汉族)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, CodeItem]] = defaultdict(dict)
        items = list(CodeItem.objects.filter(is_active=True).order_by("kind", "order", "id"))
        for item in items:  # names first: an alias never shadows another item's name
            self.tables[item.kind].setdefault(code_key(item.name), item)
        for item in items:
            for alias in item.alias_list():
                self.tables[item.kind].setdefault(code_key(alias), item)
        names: dict[str, list[str]] = defaultdict(list)
        for item in items:
            names[item.kind].append(item.name)
        self.examples = {kind: "、".join(values[:4]) for kind, values in names.items()}
        # Names and aliases that hold a separator themselves (华侨、归侨及侨眷), longest first.
        self.compound: dict[str, list[str]] = defaultdict(list)
        for item in items:
            for name in [item.name, *item.alias_list()]:
                joined = _joined(name)
                if "、" in joined:
                    self.compound[item.kind].append(joined)
        for values in self.compound.values():
            values.sort(key=len, reverse=True)

    def find(self, kind: str, value: str) -> CodeItem | None:
        return self.tables[kind].get(code_key(value))

    def split(self, kind: str, cell: str | None) -> list[str]:
        """The values of a multi-valued cell (“民主党派成员、华侨、归侨及侨眷”), keeping whole the
        names of ``kind`` that hold a separator themselves, whatever separator the cell used."""
        rest = _joined(cell or "")
        whole = []
        for name in self.compound[kind]:
            if name in rest:
                whole.append(name)
                rest = rest.replace(name, "、")
        return list(dict.fromkeys(whole + text.split_multi(rest)))


def _joined(value: str) -> str:
    """``value`` with every separator (and line break) written as 、, so that 华侨，归侨及侨眷 reads
    as the name."""
    lines = [text.clean(line) for line in value.splitlines()]
    return text.SEPARATORS.sub("、", "、".join(lines)).strip("、")


class Regions:
    """Regions by code, name or full name ("德阳市旌阳区"); those in the uploader's scope first."""

    def __init__(self, actor: User) -> None:
        regions = list(Region.objects.all())
        self.visible = set(access.scope(actor, Region.objects.all()).values_list("pk", flat=True))
        by_pk = {r.pk: r for r in regions}
        self.by_key: dict[str, list[Region]] = defaultdict(list)
        for region in regions:
            self.by_key[region.code].append(region)
            name, parent = region.name, by_pk.get(region.parent_id)  # type: ignore[arg-type]
            self.by_key[code_key(name)].append(region)
            while parent is not None:
                name = parent.name + name
                self.by_key[code_key(name)].append(region)
                parent = by_pk.get(parent.parent_id)  # type: ignore[arg-type]
        self.regions = regions
        self._found: dict[str, Region | None] = {}

    def find(self, value: str) -> Region | None:
        key = code_key(value)
        if key not in self._found:
            self._found[key] = self._find(key)
        return self._found[key]

    def _find(self, key: str) -> Region | None:
        found = self.by_key.get(key) or [
            r for r in self.regions if len(key) >= 2 and code_key(r.name).startswith(key)
        ]
        visible = [r for r in found if r.pk in self.visible]
        chosen = visible or found
        return chosen[0] if chosen else None


# --- writing --------------------------------------------------------------------------------------


class RowFailed(Exception):
    """Row ``row`` could not be written: the engine rolls the whole import back and says so."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(ROW_FAILED.format(row=row, message=message))
        self.row = row


class Writer(ABC):
    """Writes a kind's good rows inside the engine's transaction. New rows are collected and
    handed to ``create_batch`` ``BATCH`` at a time (one INSERT per table per batch, not per row);
    rows ``find_existing`` marked are skipped or handed to ``update``, as the uploader chose."""

    BATCH = 1000

    def __init__(self, kind: ImportKind, actor: User, job: ImportJob, on_duplicate: str) -> None:
        self.kind = kind
        self.actor = actor
        self.job = job
        self.on_duplicate = on_duplicate
        self.counts = {"created": 0, "updated": 0, "skipped": 0}
        self.pending: list[tuple[int, dict[str, Any]]] = []

    def write(self, r: RowResult) -> None:
        if r.existing is not None:
            if self.on_duplicate == "skip":
                self.counts["skipped"] += 1
                return
            try:
                self.update(r)
            except ValidationError as exc:
                raise RowFailed(r.row, "；".join(exc.messages)) from exc
            self.counts["updated"] += 1
            return
        self.pending.append((r.row, self.values(r)))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        self.create_batch(rows)
        self.counts["created"] += len(rows)

    def values(self, r: RowResult) -> dict[str, Any]:
        """What ``create_batch`` receives for a new row."""
        return dict(r.values)

    @abstractmethod
    def create_batch(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Create the records of ``rows`` (Excel row, values) through a service; a row the
        service refuses raises ``RowFailed`` with its Excel row."""

    def update(self, r: RowResult) -> None:
        """Update ``r.existing`` from the row (on_duplicate="update"); a ValidationError names
        the row for the uploader. Default: a kind that does not update existing records says
        so (the engine refuses "更新" for such kinds before reaching here)."""
        raise ValidationError(UPDATE_NOT_OFFERED)


# --- the kind -------------------------------------------------------------------------------------


class ImportKind:
    """One kind of import. Subclass, set the attributes, and ``register`` an instance."""

    key: ClassVar[str] = ""  # stored on ImportJob.kind (at most 16 characters)
    label: ClassVar[str] = ""  # what is imported, in headings: "批量导入统战对象"
    unit: ClassVar[str] = "条"  # the counter of records written: "新增3人"
    fields: ClassVar[tuple[Field, ...]] = ()
    header_field: ClassVar[str] = "name"
    roles: ClassVar[tuple[str, ...]] = ()  # who may import (write roles; read-only ones never)
    checker_class: ClassVar[type[RowChecker]]  # every kind names its own
    writer_class: ClassVar[type[Writer]]
    no_rows: ClassVar[str] = NO_ROWS  # a file with a header and no data rows

    # The upload form: a default region for rows that name none.
    asks_region: ClassVar[bool] = False
    region_help: ClassVar[str] = ""
    # Pages: URL names of the upload page, the template download and the list to go back to; the
    # topbar heading; the tips beside the upload form; what "update" does to an existing record.
    upload_url: ClassVar[str] = ""
    template_url: ClassVar[str] = ""
    back_url: ClassVar[str] = ""
    back_label: ClassVar[str] = "返回"
    section: ClassVar[str] = ""
    hints: ClassVar[tuple[str, ...]] = ()
    update_note: ClassVar[str] = "更新，用文件中填写了的内容覆盖已有记录（空白单元格不改动）"
    updates: ClassVar[bool] = True  # False: rows already on record can only be skipped
    # The template (import_template.py): its columns in order, an example row (never imported:
    # the checker should refuse it), columns kept as text, and the instructions sheet.
    template_title: ClassVar[str] = ""
    template_sheet: ClassVar[str] = "名册"  # the name of the sheet to fill in
    template_fields: ClassVar[tuple[str, ...]] = ()
    template_example: ClassVar[dict[str, Any]] = {}
    template_text_fields: ClassVar[tuple[str, ...]] = ()
    template_instructions: ClassVar[tuple[str, ...]] = ()

    def may_import(self, user: Any) -> bool:
        return access.has_role(user, *self.roles)

    def require(self, user: Any) -> None:
        """403 unless ``user`` may write this kind's records."""
        access.require_write(user, *self.roles)

    def clean_options(self, actor: User, options: dict[str, Any]) -> dict[str, Any]:
        """The upload's options (besides the file) checked for ``actor``, as kept on the job:
        ValidationError for a bad value, Http404 for a record outside their scope. Default: the
        kind takes none."""
        return {}

    def links(self, options: dict[str, Any]) -> dict[str, str]:
        """The addresses of the kind's pages for a job with ``options``: ``upload``,
        ``template`` and ``back`` (each left out when the kind has no such page)."""
        names = {"upload": self.upload_url, "template": self.template_url, "back": self.back_url}
        return {page: reverse(name) for page, name in names.items() if name}

    def describe(self, actor: User, options: dict[str, Any]) -> str:
        """What a job with ``options`` imports into, in words, for its pages ("培训班：…").
        Default: nothing to say."""
        return ""

    def find_existing(self, actor: User, rows: list[RowResult]) -> None:
        """Mark the rows (so far without errors) that are already on record: ``mark_duplicate``,
        or an error when the record must not be touched. Called a few hundred rows at a time, so
        one query serves many rows. Default: nothing is ever a duplicate."""

    @cached_property
    def field_by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    @cached_property
    def labels(self) -> dict[str, str]:
        return {f.key: f.label for f in self.fields}

    @cached_property
    def header_index(self) -> dict[str, str]:
        """Every header this kind recognizes, as compared (header_key) → field key."""
        return {header_key(h): f.key for f in self.fields for h in (f.label, *f.aliases)}


KINDS: dict[str, ImportKind] = {}
KEY_MAX_LENGTH = 16


def register(kind: ImportKind) -> ImportKind:
    assert kind.key and len(kind.key) <= KEY_MAX_LENGTH, kind.key
    assert kind.header_field in kind.field_by_key, kind.header_field
    KINDS[kind.key] = kind
    return kind


def get(key: str) -> ImportKind:
    """The kind of that key; KeyError for a kind not registered."""
    return KINDS[key]


def kinds_for(user: Any) -> Sequence[ImportKind]:
    """The kinds ``user`` may import (and whose jobs they may see: access.scope)."""
    return [kind for kind in KINDS.values() if kind.may_import(user)]
