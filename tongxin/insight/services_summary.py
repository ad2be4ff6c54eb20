"""Saving a version of the annual summary's wording. Numbers are never saved: the wording is
checked to hold placeholders only (summary.check_wording), and a typed number is refused with a
sentence saying which placeholder to use instead."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from tongxin.core import access, audit
from tongxin.core.models import AuditAction, Region, User
from tongxin.core.versioning import VERSION_UNKNOWN, EditConflict

from . import metrics
from .models_summary import SummaryDraft
from .selectors_summary import VERSION_NOT_FOUND
from .summary import check_wording, wording
from .summary_template import BY_KEY, Place

EMPTY_TITLE = (
    "标题不能为空，请填写，例如“凝心聚力谱新篇 奋楫笃行启新程——{year}年{place}统战工作综述”。"
)
UNKNOWN_BLOCK = "段落“{key}”不在综述模板中，请刷新页面后重新编辑。"
NOTHING_CHANGED = "措辞与当前版本相同，无需保存新版本。"
RESTORED = "恢复第{version}版的措辞"
SAVED_MEANWHILE = (
    "综述在您打开之后已由{who}于{when}保存为第{version}版，您的修改未保存，以免覆盖对方的修改。"
    "请重新打开编辑页面，在第{version}版的基础上重新修改后再保存。"
)


def _tidy(text: str) -> str:
    """A paragraph is one line: pasted line breaks and the spaces around them go."""
    return "".join(line.strip() for line in text.splitlines()).strip()


@transaction.atomic
def summary_save(
    *,
    actor: User,
    year: int,
    region: Region | str | None,
    title: str,
    texts: Mapping[str, str],
    note: str = "",
    base_version: int | None = None,
) -> SummaryDraft:
    """Save the wording of ``year``'s summary for ``region`` as its next version. ``texts`` maps
    block keys to edited text; blocks equal to the default wording are not stored, and an empty
    block drops that paragraph from the summary. ``base_version`` is the version the editor
    started from (0: the default wording): a version saved since then is a conflict."""
    access.require_write(actor, *access.STAFF_ROLES)
    place = metrics.resolve_region(actor, region)
    title = _tidy(title)
    cleaned = {key: _tidy(text) for key, text in texts.items()}
    errors: dict[str, list[str]] = {}
    unknown = [UNKNOWN_BLOCK.format(key=key) for key in cleaned if key not in BY_KEY]
    if unknown:
        errors[NON_FIELD_ERRORS] = unknown
    if not title:
        errors["title"] = [EMPTY_TITLE]
    for key, found in check_wording(
        {k: v for k, v in cleaned.items() if k in BY_KEY}, title=title
    ).items():
        errors.setdefault(key, []).extend(found)
    if errors:
        raise ValidationError(errors)
    city = Place(place).is_city
    overrides = {
        key: text for key, text in cleaned.items() if text != BY_KEY[key].default(city=city)
    }
    # One writer at a time per region: the version numbers stay gapless and unique.
    Region.objects.select_for_update().filter(pk=place.pk).first()
    latest = SummaryDraft.objects.filter(year=year, region=place).order_by("-version").first()
    if base_version is not None and base_version != (latest.version if latest else 0):
        raise _saved_meanwhile(latest)
    if latest is not None and latest.title == title and latest.wording == overrides:
        raise ValidationError(NOTHING_CHANGED)
    number = (
        SummaryDraft.objects.filter(year=year, region=place).aggregate(top=Max("version"))["top"]
        or 0
    ) + 1
    draft = SummaryDraft(
        year=year,
        region=place,
        version=number,
        title=title,
        wording=overrides,
        note=note.strip(),
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    audit.record(
        AuditAction.CREATE,
        obj=draft,
        actor=actor,
        detail=f"保存{draft}（改动{len(overrides)}段措辞）"
        + (f"；说明：{draft.note}" if draft.note else ""),
        changes={
            "标题": [None, title],
            "措辞": [None, overrides],
            "修改说明": [None, draft.note],
        },
    )
    return draft


def _saved_meanwhile(latest: SummaryDraft | None) -> EditConflict:
    if latest is None:  # an editor's base version that never existed
        return EditConflict(VERSION_UNKNOWN)
    who = str(latest.created_by)
    return EditConflict(
        SAVED_MEANWHILE.format(
            who=who,
            when=timezone.localtime(latest.created_at).strftime("%Y-%m-%d %H:%M"),
            version=latest.version,
        ),
        changed_by=who,
        changed_at=latest.created_at,
        current_version=latest.version,
    )


def summary_restore(
    *, actor: User, year: int, region: Region | str | None, version: int
) -> SummaryDraft:
    """Save an earlier version's wording again, as the newest version."""
    access.require_write(actor, *access.STAFF_ROLES)
    place = metrics.resolve_region(actor, region)
    earlier = SummaryDraft.objects.filter(year=year, region=place, version=version).first()
    if earlier is None:
        raise Http404(VERSION_NOT_FOUND)
    return summary_save(
        actor=actor,
        year=year,
        region=place,
        title=earlier.title,
        texts=wording(place, earlier.wording),
        note=RESTORED.format(version=version),
    )
