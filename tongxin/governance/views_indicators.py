"""Pages of indicator sets (指标体系): the list, a set's page (its indicators with their rules and
sources in words, the weights against the total, the tie rule and star levels, its rounds), and the
forms that create and edit a set and add, edit and remove its indicators. The rounds' pages are in
views_rounds.py.

Staff who keep the set (its region and line) write; leaders read; liaisons and auditors have no
indicator pages. Every write goes through a service: a refusal comes back as the service's Chinese
sentence on the form, a permission refusal as the 403 page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongxin.core import access, versioning
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import error_text, form_errors
from tongxin.work import checks as work_checks

from . import forms_indicators as forms
from . import indicator_subjects, indicator_words, scoring
from . import selectors_indicators as selectors
from . import services_indicators as services
from .models_indicators import Indicator, IndicatorSet
from .models_rounds import EvaluationRound
from .services_rounds import can_keep

# Staff and leaders in their scope; a ranking names registry records, so no liaisons.
indicator_view = role_required(*access.REGISTRY_ROLES)
HEADING = "机制与考核 · 考评"


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_keeper(user: User, indicator_set: IndicatorSet) -> None:
    """403 with the reason: read-only roles, then staff of another region or line."""
    access.require_write(user, *work_checks.STAFF)
    if not can_keep(user, indicator_set):
        raise PermissionDenied(work_checks.NOT_YOURS)


def set_for(user: User, indicator_set_id: int) -> IndicatorSet:
    return access.get_for_user(
        user,
        IndicatorSet.objects.select_related("region", "line", "created_by"),
        pk=indicator_set_id,
    )


def _detail_url(indicator_set: IndicatorSet, anchor: str = "") -> str:
    url = reverse("indicator_set_detail", args=[indicator_set.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the list -------------------------------------------------------------------------------------


def _with_latest_rounds(user: User, sets: list[IndicatorSet]) -> None:
    """Each set's latest round the user may see, as ``latest_round`` (one query for the page)."""
    latest: dict[int, EvaluationRound] = {}
    for evaluation in selectors.round_list(user).filter(set__in=sets):
        latest.setdefault(evaluation.set_id, evaluation)
    for indicator_set in sets:
        indicator_set.latest_round = latest.get(indicator_set.pk)  # type: ignore[attr-defined]


def _sets(user: User, filters: dict[str, str]) -> QuerySet[IndicatorSet]:
    qs = selectors.set_list(user).annotate(weights=Sum("indicators__weight"))
    if filters["q"]:
        qs = qs.filter(name__icontains=filters["q"])
    if filters["subject_type"]:
        qs = qs.filter(subject_type=filters["subject_type"])
    return qs


@indicator_view
def indicator_set_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = forms.SetListForm(request.GET)
    page = paginate(request, _sets(user, form.filters()))
    _with_latest_rounds(user, list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_create": access.has_role(user, *work_checks.STAFF),
        "heading": HEADING,
    }
    template = (
        "governance/_indicator_set_rows.html"
        if getattr(request, "htmx", False)
        else "governance/indicator_set_list.html"
    )
    return render(request, template, context)


# --- a set's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    rule: str
    source: indicator_words.Source


@indicator_view
def indicator_set_detail(request: HttpRequest, indicator_set_id: int) -> HttpResponse:
    user = user_of(request)
    indicator_set = set_for(user, indicator_set_id)
    indicators = selectors.set_indicators(indicator_set)
    weights = sum((i.weight for i in indicators), Decimal(0))
    keeper = can_keep(user, indicator_set) and not user.is_read_only
    frozen = services.has_published_round(indicator_set)
    rounds = list(selectors.round_list(user, indicator_set=indicator_set))
    context = {
        "indicator_set": indicator_set,
        "heading": HEADING,
        "keeper": keeper,
        "frozen": frozen,
        "rows": [
            IndicatorRow(i, indicator_words.rule_text(i), indicator_words.source_of(i))
            for i in indicators
        ],
        "weights": scoring.plain(weights),
        "total": scoring.plain(indicator_set.total),
        "balanced": weights == indicator_set.total,
        "short_by": scoring.plain(indicator_set.total - weights),
        "eligibility": indicator_subjects.get(indicator_set.eligibility).label,
        "stars": indicator_words.stars_text(indicator_set),
        "list_text": indicator_words.list_text(indicator_set),
        "rounds": rounds,
        "round_form": forms.RoundForm(user, indicator_set) if keeper else None,
    }
    return render(request, "governance/indicator_set_detail.html", context)


# --- create and edit a set ------------------------------------------------------------------------


def _set_form_page(
    request: HttpRequest, form: forms.IndicatorSetForm, *, title: str, back_url: str
) -> HttpResponse:
    return render(
        request,
        "governance/indicator_set_form.html",
        {"form": form, "title": title, "back_url": back_url, "heading": HEADING},
    )


@indicator_view
def indicator_set_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    work_checks.check_writer(user)
    form = forms.IndicatorSetForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_set = services.set_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                f"已建立指标体系“{indicator_set.name}”。请逐项添加指标，权重合计等于总分后即可新建考评轮次。",
            )
            return redirect(_detail_url(indicator_set))
    return _set_form_page(
        request, form, title="新建指标体系", back_url=reverse("indicator_set_list")
    )


@indicator_view
def indicator_set_edit(request: HttpRequest, indicator_set_id: int) -> HttpResponse:
    user = user_of(request)
    indicator_set = set_for(user, indicator_set_id)
    require_keeper(user, indicator_set)
    form = forms.IndicatorSetForm(user, request.POST or None, indicator_set=indicator_set)
    versioning.add_version_field(form, indicator_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_update(actor=user, indicator_set=indicator_set, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(_detail_url(indicator_set))
    return _set_form_page(
        request, form, title=f"编辑：{indicator_set.name}", back_url=_detail_url(indicator_set)
    )


# --- indicators -----------------------------------------------------------------------------------


def _indicator_page(
    request: HttpRequest,
    form: forms.IndicatorForm,
    indicator_set: IndicatorSet,
    title: str,
) -> HttpResponse:
    indicators = selectors.set_indicators(indicator_set)
    others = [i for i in indicators if form.indicator is None or i.pk != form.indicator.pk]
    used = sum((i.weight for i in others), Decimal(0))
    return render(
        request,
        "governance/indicator_form.html",
        {
            "form": form,
            "indicator_set": indicator_set,
            "title": title,
            "heading": HEADING,
            "back_url": _detail_url(indicator_set, "indicators"),
            "others_weight": scoring.plain(used),
            "room": scoring.plain(indicator_set.total - used),
            "total": scoring.plain(indicator_set.total),
        },
    )


@indicator_view
def indicator_add(request: HttpRequest, indicator_set_id: int) -> HttpResponse:
    user = user_of(request)
    indicator_set = set_for(user, indicator_set_id)
    require_keeper(user, indicator_set)
    form = forms.IndicatorForm(indicator_set, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_add(
                actor=user, indicator_set=indicator_set, **form.service_kwargs()
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加指标“{indicator.name}”。")
            return redirect(_detail_url(indicator_set, "indicators"))
    return _indicator_page(request, form, indicator_set, f"{indicator_set.name}：添加指标")


def _indicator_for(user: User, indicator_id: int) -> Indicator:
    return access.get_for_user(
        user, Indicator.objects.select_related("set", "set__region", "set__line"), pk=indicator_id
    )


@indicator_view
def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    user = user_of(request)
    indicator = _indicator_for(user, indicator_id)
    indicator_set = indicator.set
    require_keeper(user, indicator_set)
    form = forms.IndicatorForm(indicator_set, request.POST or None, indicator=indicator)
    versioning.add_version_field(form, indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=user, indicator=indicator, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已保存指标“{form.cleaned_data['name']}”。")
            return redirect(_detail_url(indicator_set, "indicators"))
    return _indicator_page(request, form, indicator_set, f"编辑指标：{indicator.name}")


@require_POST
@indicator_view
def indicator_remove(request: HttpRequest, indicator_id: int) -> HttpResponse:
    user = user_of(request)
    indicator = _indicator_for(user, indicator_id)
    indicator_set = indicator.set
    require_keeper(user, indicator_set)
    try:
        services.indicator_remove(actor=user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已删除指标“{indicator.name}”。")
    return redirect(_detail_url(indicator_set, "indicators"))
