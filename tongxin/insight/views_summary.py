"""The annual summary pages: the summary as it reads now (each number a link to the records it
counts), the wording editor, the saved versions, and the .docx download.

Year and region come in the query string (``?year=2022&region=510600``); a region outside the
user's scope answers 404 as a record would. Leaders read and download; staff also edit. Numbers
are never typed: the editor holds words and placeholders, and every view measures again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, User
from tongxin.core.views.helpers import paginate, role_required
from tongxin.registry.views import form_errors

from . import metrics
from . import selectors_summary as selectors
from . import services_summary as services
from .forms_summary import SummaryWordingForm
from .models_summary import SummaryDraft
from .summary import STYLES, Summary, wording
from .summary_docx import docx_response
from .summary_template import PLACE_WORDS, TITLE, Place

summary_view = role_required(*selectors.SUMMARY_ROLES)
FIX_BELOW = "未保存：请按下方提示修改后再提交。"
SAVED = "已保存为第{version}版。文中数字仍由统计指标实时计算。"
BAD_VERSION = "版本号须为正整数，例如 version=2。"
PICK_VERSION = "请在历史版本列表中点选要恢复的版本。"
YEARS_SHOWN = 10


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _year(request: HttpRequest, params: Any) -> int:
    try:
        return selectors.parse_year(params.get("year"))
    except ValueError as exc:
        messages.error(request, str(exc))
        return selectors.default_year()


def _version(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise Http404(BAD_VERSION)
    return int(value)


def query(year: int, region: Region, **more: Any) -> str:
    return urlencode({"year": year, "region": region.code, **more})


def _regions(user: User) -> list[Region]:
    """The regions whose summary a user may draft: their own and those below it."""
    home = metrics.home_region(user)
    return list(
        access.scope(user, Region.objects.filter(path__startswith=home.path)).order_by("path")
    )


def _choices(user: User, year: int, region: Region) -> dict[str, Any]:
    this_year = timezone.localdate().year
    return {
        "years": list(range(this_year, this_year - YEARS_SHOWN, -1)),
        "year": year,
        "regions": _regions(user),
        "region": region,
        "query": query(year, region),
    }


@summary_view
def summary_annual(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = _year(request, request.GET)
    region = metrics.resolve_region(user, request.GET.get("region"))
    version = _version(request.GET.get("version"))
    summary = selectors.annual_summary(user, year=year, region=region, version=version)
    latest = selectors.summary_versions(user, year=year, region=region).first()
    figures = summary.figures
    return render(
        request,
        "insight/summary_annual.html",
        {
            "summary": summary,
            "figures": figures,
            "zeros": [f for f in figures if not f.value],
            "latest": latest,
            "is_old": summary.version is not None and summary.version != latest,
            "can_edit": access.can_edit_registry(user),
            **_choices(user, year, region),
        },
    )


def _placeholders(user: User, year: int, region: Region) -> list[dict[str, Any]]:
    """Every metric a placeholder may name, with its value now, for the editor's side list."""
    values = metrics.measure_many(
        [m.key for m in metrics.all_metrics()], user=user, year=year, region=region
    )
    return [{"metric": metric, "value": values[metric.key]} for metric in metrics.all_metrics()]


def _base_version(draft: SummaryDraft | None) -> int:
    return draft.version if draft is not None else 0


@summary_view
def summary_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_write(user, *access.STAFF_ROLES)
    params = request.POST if request.method == "POST" else request.GET
    year = _year(request, params)
    region = metrics.resolve_region(user, params.get("region"))
    latest = selectors.summary_versions(user, year=year, region=region).first()
    texts = wording(region, latest.wording if latest else None)
    form = SummaryWordingForm(
        request.POST or None,
        texts=texts,
        initial={"title": latest.title if latest else TITLE, "base_version": _base_version(latest)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.summary_save(
                actor=user,
                year=year,
                region=region,
                title=form.cleaned_data["title"],
                texts=form.texts(),
                note=form.cleaned_data["note"],
                base_version=form.cleaned_data["base_version"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, SAVED.format(version=draft.version))
            return redirect(reverse("summary_annual") + "?" + query(year, region))
    if request.method == "POST" and form.errors:
        messages.error(request, FIX_BELOW)
    return render(
        request,
        "insight/summary_edit.html",
        {
            "form": form,
            "latest": latest,
            "placeholders": _placeholders(user, year, region),
            "words": [
                {"key": key, "help": help_text, "value": value}
                for (key, help_text), value in zip(
                    PLACE_WORDS.items(), Place(region).words(year).values(), strict=True
                )
            ],
            "styles": [{"style": style, "help": help_text} for style, help_text in STYLES.items()],
            **_choices(user, year, region),
        },
    )


@summary_view
def summary_versions(request: HttpRequest) -> HttpResponse:
    """The saved versions, newest first; a POST restores one (saves its wording again)."""
    if request.method == "POST":
        return _restore(request)
    user = _user(request)
    year = _year(request, request.GET)
    region = metrics.resolve_region(user, request.GET.get("region"))
    drafts = selectors.summary_versions(user, year=year, region=region)
    page = paginate(request, drafts)
    latest = drafts.first()
    return render(
        request,
        "insight/summary_versions.html",
        {
            "page": page,
            "latest": latest,
            "can_edit": access.can_edit_registry(user),
            **_choices(user, year, region),
        },
    )


def _restore(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = _year(request, request.POST)
    region = metrics.resolve_region(user, request.POST.get("region"))
    back = redirect(reverse("summary_versions") + "?" + query(year, region))
    number = request.POST.get("version", "")
    if not number.isdigit() or int(number) < 1:
        messages.error(request, PICK_VERSION)
        return back
    try:
        draft = services.summary_restore(actor=user, year=year, region=region, version=int(number))
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
        return back
    messages.success(request, SAVED.format(version=draft.version))
    return redirect(reverse("summary_annual") + "?" + query(year, region))


@summary_view
def summary_export_docx(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = _year(request, request.GET)
    region = metrics.resolve_region(user, request.GET.get("region"))
    version = _version(request.GET.get("version"))
    summary: Summary = selectors.annual_summary(user, year=year, region=region, version=version)
    return docx_response(user, summary)
