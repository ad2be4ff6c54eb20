"""Rosters out: a filtered person list as .xlsx or CSV, with chosen columns.

ID numbers and phones are masked unless a user allowed to reveal them asks for an unmasked
export, which the audit row then says. Religion and ethnicity go only to roles whose line needs
them. Every text cell that a spreadsheet could take for a formula (= + - @, tab, CR) is prefixed
with a single quote. The first rows name the exporter and the time; one audit row records the
filter and the count. Rows stream from the database in chunks, so a large list never sits in
memory whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone

from tongxin.core import access, tabular
from tongxin.core.models import User

from . import forms, selectors, services
from .models import CodeItem, Person

CHUNK = 2000
neutralize = tabular.neutralize
MASKED_NOTE = "身份证号码、手机号码已脱敏"
UNMASKED_NOTE = "含完整身份证号码和手机号码，请妥善保管，严禁外传"

Getter = Callable[[Person, bool], str]


def _name(item: CodeItem | None) -> str:
    return item.name if item is not None else ""


COLUMNS: dict[str, tuple[str, Getter]] = {
    "name": ("姓名", lambda p, _: p.name),
    "gender": ("性别", lambda p, _: p.get_gender_display() if p.gender else ""),
    "ethnicity": ("民族", lambda p, _: _name(p.ethnicity)),
    "birth_date": ("出生日期", lambda p, _: p.birth_date.isoformat() if p.birth_date else ""),
    "id_number": ("公民身份号码", lambda p, full: p.id_number if full else p.id_number_masked),
    "phone": ("手机号码", lambda p, full: p.phone if full else p.phone_masked),
    "region": ("所属区域", lambda p, _: p.region.name),
    "employer": ("工作单位", lambda p, _: p.employer),
    "position": ("职务", lambda p, _: p.position),
    "categories": ("人员类别", lambda p, _: "、".join(c.name for c in p.categories.all())),
    "stratum_group": ("新阶类别", lambda p, _: _name(p.stratum_group)),
    "stratum_subtype": ("新阶细类", lambda p, _: _name(p.stratum_subtype)),
    "political_status": ("政治面貌", lambda p, _: _name(p.political_status)),
    "religion": ("宗教信仰", lambda p, _: _name(p.religion)),
    "education": ("学历", lambda p, _: _name(p.education)),
    "title": ("职称", lambda p, _: p.title),
    "is_representative": ("是否代表人士", lambda p, _: "是" if p.is_representative else "否"),
    "representative_level": ("代表人士级别", lambda p, _: _name(p.representative_level)),
    "tags": ("标签", lambda p, _: "、".join(t.name for t in p.tags.all())),
    "political_performance": ("主要政治表现", lambda p, _: p.political_performance),
    "notes": ("备注", lambda p, _: p.notes),
    "updated_at": ("更新时间", lambda p, _: f"{timezone.localtime(p.updated_at):%Y-%m-%d %H:%M}"),
}
DEFAULT_COLUMNS = (
    "name", "gender", "birth_date", "id_number", "phone", "region", "employer", "position",
    "categories", "political_status",
)  # fmt: skip
BELIEF_COLUMNS = ("ethnicity", "religion")
# The person list's column keys that differ from these (forms.PERSON_COLUMNS).
COLUMN_ALIASES = {"representative": ("is_representative", "representative_level")}
_TRUE = {"1", "true", "on", "yes"}


@dataclass(frozen=True)
class Export:
    filter: selectors.PersonFilter
    columns: tuple[str, ...]
    unmasked: bool
    description: str


def available_columns(user: User) -> list[tuple[str, str]]:
    beliefs = access.can_see_beliefs(user)
    return [(k, label) for k, (label, _) in COLUMNS.items() if beliefs or k not in BELIEF_COLUMNS]


def export_from_params(user: User, params: QueryDict) -> Export:
    """The export a GET asks for: the person list's own filters (forms.PersonListForm, so an
    export holds exactly what the list shows), ``columns`` (or the list's ``cols``; repeated or
    comma-separated) and ``unmasked``."""
    access.require_role(user, *access.REGISTRY_ROLES)
    unmasked = params.get("unmasked", "").lower() in _TRUE
    if unmasked and not access.can_reveal(user):
        raise PermissionDenied(services.NOT_REVEALABLE)
    form = forms.PersonListForm(user, params)
    return Export(
        filter=form.person_filter(),
        columns=_columns(user, params),
        unmasked=unmasked,
        description=_describe(form),
    )


def _columns(user: User, params: QueryDict) -> tuple[str, ...]:
    allowed = dict(available_columns(user))
    asked = params.getlist("columns") or params.getlist("cols")
    keys = [k.strip() for value in asked for k in value.split(",")]
    expanded = [c for k in keys for c in COLUMN_ALIASES.get(k, (k,))]
    chosen = [c for c in dict.fromkeys(expanded) if c in allowed and c != "name"]
    if not chosen:
        chosen = [c for c in DEFAULT_COLUMNS if c in allowed and c != "name"]
    return ("name", *chosen)


def _describe(form: forms.PersonListForm) -> str:
    form.is_valid()  # invalid values are left out of cleaned_data, as the list ignores them
    data = form.cleaned_data
    words = [f"关键词“{data['q']}”"] if data.get("q") else []
    for key in ("region", "category", "stratum_group", "organization", "rep_level", "tag"):
        if data.get(key):
            words.append(f"{form.fields[key].label}：{data[key]}")
    if data.get("archived"):
        words.append("已归档")
    return "；".join(words) or "全部"


# --- writing (the shared engine, core/tabular.py) ------------------------------------------------


def table(user: User, export: Export, count: int) -> tabular.Table:
    def getter(key: str) -> Callable[[Person], str]:
        return lambda p: COLUMNS[key][1](p, export.unmasked) or ""

    wide = ("id_number", "employer", "categories")
    return tabular.Table(
        title="统战对象名册",
        object_type="registry.person",
        columns=[
            tabular.Column(COLUMNS[c][0], getter(c), 22 if c in wide else 12)
            for c in export.columns
        ],
        rows=lambda: selectors.person_list(user, export.filter).iterator(chunk_size=CHUNK),
        count=count,
        description=export.description,
        unit="人",
        notes=[UNMASKED_NOTE if export.unmasked else MASKED_NOTE],
        count_label="人数",
        audit_note="未脱敏（含完整身份证号码和手机号码）" if export.unmasked else "已脱敏",
        audit_changes={"脱敏": "否" if export.unmasked else "是"},
    )


def record(user: User, export: Export, fmt: str, count: int) -> None:
    """The audit row of an export, written before the first byte is sent."""
    tabular.record(user, table(user, export, count), fmt)


def count(user: User, export: Export) -> int:
    return selectors.person_list(user, export.filter).count()


def write_xlsx(user: User, export: Export, count: int) -> IO[bytes]:
    return tabular.write_xlsx(user, table(user, export, count))


def csv_lines(user: User, export: Export, count: int) -> Iterator[str]:
    return tabular.csv_lines(user, table(user, export, count))


def filename(fmt: str) -> str:
    return f"统战对象名册_{timezone.localtime(timezone.now()):%Y%m%d_%H%M}.{fmt}"
