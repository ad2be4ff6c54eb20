"""Pages of evaluation rounds (考评轮次): the list, a new round of a set, a round's page (state and
timeline, 计算 and 发布 for keepers, the values still to be entered with a form for each, the
ranking with every indicator's raw value and score, the year-on-year summary, exports), the
comparison with the previous round, and the .xlsx/.docx downloads.

A round is read through access.py like its set; writing (entering, computing, publishing) is for
the staff who keep the set (views_indicators.require_keeper). A refusal of a service comes back as
its Chinese sentence: on the value's form, or above the page for 计算 and 发布."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access
from tongxin.core.models import Region, Unit, User
from tongxin.core.views.helpers import paginate, query_without_page
from tongxin.registry.models import Organization
from tongxin.registry.views import error_text, form_errors

from . import exports_indicators as exports
from . import forms_indicators as forms
from . import indicator_subjects, indicator_words, scoring
from . import selectors_indicators as selectors
from . import services_rounds as services
from .indicator_subjects import Subject
from .models_indicators import Indicator
from .models_rounds import (
    EnteredValue,
    EvaluationRound,
    RoundEvent,
    RoundEventKind,
    RoundResult,
    RoundState,
)
from .views_indicators import HEADING, indicator_view, require_keeper, set_for, user_of

FIX_BELOW = "未录入：请按提示修改后再提交。"
COMPUTED = "已计算：{note}。请核对排名，无误后发布。"
PUBLISHED = "已发布。结果已冻结，此后记录的变化不再影响本轮名单。"
PUBLISH_CONFIRM = (
    "发布后结果即冻结：不能再录入、计算，此后记录的变化也不会改变本轮名单。确定发布吗？"
)
NO_PREVIOUS = "没有可比较的上一轮：同一指标体系、同一考评范围、更早年度且已计算的考评轮次。"
SUBJECT_MODELS: dict[str, type[Model]] = {
    "organization": Organization,
    "region": Region,
    "unit": Unit,
}
EVENT_LOOK = {
    RoundEventKind.CREATED: ("bi-plus-lg", "secondary"),
    RoundEventKind.VALUE_ENTERED: ("bi-pencil", "info"),
    RoundEventKind.COMPUTED: ("bi-calculator", "primary"),
    RoundEventKind.RESET: ("bi-arrow-counterclockwise", "warning"),
    RoundEventKind.PUBLISHED: ("bi-lock", "success"),
}


def round_for(user: User, round_id: int) -> EvaluationRound:
    return access.get_for_user(
        user,
        EvaluationRound.objects.select_related(
            "set",
            "set__region",
            "set__line",
            "scope_region",
            "computed_by",
            "published_by",
            "created_by",
        ),
        pk=round_id,
    )


def _detail_url(evaluation: EvaluationRound, anchor: str = "") -> str:
    url = reverse("round_detail", args=[evaluation.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the list -------------------------------------------------------------------------------------


@indicator_view
def round_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = forms.RoundListForm(user, request.GET)
    page = paginate(request, selectors.round_list(user, **form.filters()))
    context = {"form": form, "page": page, "query": query_without_page(request), "heading": HEADING}
    template = (
        "governance/_round_rows.html"
        if getattr(request, "htmx", False)
        else "governance/round_list.html"
    )
    return render(request, template, context)


# --- a new round ----------------------------------------------------------------------------------


@indicator_view
def round_create(request: HttpRequest, indicator_set_id: int) -> HttpResponse:
    user = user_of(request)
    indicator_set = set_for(user, indicator_set_id)
    require_keeper(user, indicator_set)
    form = forms.RoundForm(user, indicator_set, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.round_create(
                actor=user, indicator_set=indicator_set, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已新建“{evaluation.title}”。录齐需录入的指标后即可计算。")
            return redirect(_detail_url(evaluation))
    return render(
        request,
        "governance/round_form.html",
        {
            "form": form,
            "indicator_set": indicator_set,
            "heading": HEADING,
            "back_url": reverse("indicator_set_detail", args=[indicator_set.pk]) + "#rounds",
        },
    )


# --- a round's page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One subject still without a value of one entered indicator, with its form."""

    indicator: Indicator
    subject: Subject
    form: forms.ValueForm


@dataclass(frozen=True)
class EnteredRow:
    value: EnteredValue
    prefix: str  # of its form, and the ?edit= that opens it
    form: forms.ValueForm | None  # to enter it again: only the row being edited has one


def _value_form(
    evaluation: EvaluationRound,
    indicator: Indicator,
    key: tuple[str, int],
    bound: forms.ValueForm | None,
    initial: dict[str, Any] | None = None,
) -> forms.ValueForm:
    prefix = forms.value_prefix(indicator, key)
    if bound is not None and bound.prefix == prefix:
        return bound
    start = {"indicator": indicator.pk, "subject": forms.subject_token(key), **(initial or {})}
    return forms.ValueForm(evaluation, [], [], prefix=prefix, initial=start)


def _entry(
    evaluation: EvaluationRound, is_open: bool, bound: forms.ValueForm | None, editing: str
) -> tuple[list[EntryRow], list[EnteredRow]]:
    """What is still to be entered (with forms when the user may enter) and what has been."""
    rows = [
        EntryRow(indicator, subject, _value_form(evaluation, indicator, subject.key, bound))
        for indicator, subjects in selectors.missing_values(evaluation)
        for subject in subjects
    ]
    if bound is not None:
        editing = bound.prefix or ""
    entered = []
    for value in selectors.entered_values(evaluation):
        prefix = forms.value_prefix(value.indicator, value.subject_key)
        form = None
        if is_open and prefix == editing:
            initial = {"value": scoring.plain(value.value), "evidence": value.evidence}
            form = _value_form(evaluation, value.indicator, value.subject_key, bound, initial)
        entered.append(EnteredRow(value, prefix, form))
    return rows, entered


@dataclass(frozen=True)
class Cell:
    score: Decimal | None
    raw: str  # the raw value with its unit, or 无数据


@dataclass(frozen=True)
class RankRow:
    result: RoundResult
    cells: list[Cell]


def _rank_rows(ranking: selectors.Ranking) -> list[RankRow]:
    units = [indicator_words.unit_of(i) for i in ranking.indicators]
    # Each column with one number of decimals, so its figures line up.
    places = [
        indicator_words.column_places(
            [
                s.raw_value
                for row in ranking.rows
                if (s := row.scores[n]) and s.raw_value is not None
            ]
        )
        for n in range(len(ranking.indicators))
    ]
    rows = []
    for row in ranking.rows:
        cells = []
        for score, unit, column in zip(row.scores, units, places, strict=True):
            if score is None:
                cells.append(Cell(None, ""))
            elif score.raw_value is None:
                cells.append(Cell(score.score, score.note or "无数据"))
            else:
                cells.append(
                    Cell(
                        score.score,
                        f"{indicator_words.number_text(score.raw_value, column)}{unit}",
                    )
                )
        rows.append(RankRow(row.result, cells))
    return rows


@dataclass(frozen=True)
class Step:
    """One step of the timeline; a run of values entered one after another is one step."""

    event: RoundEvent  # the first of the run
    icon: str
    colour: str
    title: str
    actors: str
    last_at: Any = None  # the run's last time
    notes: tuple[str, ...] = ()  # the run's entries


RUN_FROM = 3  # shorter runs of entered values are shown one by one


def _steps(evaluation: EvaluationRound) -> list[Step]:
    events = list(selectors.round_events(evaluation))
    runs: list[list[RoundEvent]] = []
    for event in events:
        same = runs and runs[-1][0].kind == event.kind == RoundEventKind.VALUE_ENTERED
        if same:
            runs[-1].append(event)
        else:
            runs.append([event])
    steps = []
    for run in runs:
        first = run[0]
        icon, colour = EVENT_LOOK.get(first.kind, ("bi-dot", "secondary"))  # type: ignore[call-overload]
        if len(run) < RUN_FROM:
            steps += [Step(e, icon, colour, e.get_kind_display(), _who(e.actor)) for e in run]
            continue
        actors = "、".join(dict.fromkeys(_who(e.actor) for e in run))
        steps.append(
            Step(
                first,
                icon,
                colour,
                f"录入数值 {len(run)} 项",
                actors,
                last_at=run[-1].at,
                notes=tuple(e.note for e in run),
            )
        )
    return steps


ENTRY_ROWS_SHOWN = 30  # a long list is worked through page by page, as values come in


def _first_rows(rows: list[EntryRow], bound: forms.ValueForm | None) -> list[EntryRow]:
    """The first rows still to be entered; the one just refused stays on the page."""
    shown = rows[:ENTRY_ROWS_SHOWN]
    if bound is not None:
        shown += [r for r in rows[ENTRY_ROWS_SHOWN:] if r.form is bound]
    return shown


def _who(user: User) -> str:
    return user.name or user.username


def _detail(
    request: HttpRequest,
    evaluation: EvaluationRound,
    *,
    bound: forms.ValueForm | None = None,
) -> HttpResponse:
    user = user_of(request)
    indicator_set = evaluation.set
    keeper = services.can_keep(user, evaluation) and not user.is_read_only
    is_open = keeper and not evaluation.is_published
    indicators = selectors.set_indicators(indicator_set)
    weights = sum((i.weight for i in indicators), Decimal(0))
    has_results = evaluation.state != RoundState.DRAFT
    show_all = request.GET.get("all") == "1" or not indicator_set.list_size
    ranking = selectors.round_ranking(evaluation, listed_only=not show_all) if has_results else None
    has_entered = any(i.is_entered for i in indicators)
    single = ranking is not None and len(ranking.indicators) == 1
    entry_rows, entered_rows = (
        _entry(evaluation, is_open, bound, request.GET.get("edit", "")) if has_entered else ([], [])
    )
    context = {
        "evaluation": evaluation,
        "indicator_set": indicator_set,
        "heading": HEADING,
        "keeper": keeper,
        "is_open": is_open,
        "indicators": indicators,
        "weights": scoring.plain(weights),
        "total": scoring.plain(indicator_set.total),
        "balanced": weights == indicator_set.total,
        "eligibility": indicator_subjects.get(indicator_set.eligibility).label,
        "ranking": ranking,
        "rank_rows": _rank_rows(ranking) if ranking else [],
        # One indicator (50强 by revenue): its raw value is what readers look for; the total is
        # its score.
        "single": single,
        "single_unit": indicator_words.unit_of(indicators[0]) if single else "",
        "show_all": show_all,
        "listed_count": evaluation.results.filter(in_list=True).count() if has_results else 0,
        "result_count": evaluation.results.count() if has_results else 0,
        "comparison": selectors.round_comparison(evaluation) if has_results else None,
        "has_entered": has_entered,
        "entry_rows": _first_rows(entry_rows, bound),
        "missing_count": len(entry_rows),
        "entered_rows": entered_rows,
        "editing": bool(bound) or bool(request.GET.get("edit")),
        "steps": _steps(evaluation),
        "publish_confirm": PUBLISH_CONFIRM,
    }
    return render(request, "governance/round_detail.html", context)


@indicator_view
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return _detail(request, round_for(user_of(request), round_id))


# --- computing, publishing, entering --------------------------------------------------------------


@require_POST
@indicator_view
def round_compute(request: HttpRequest, round_id: int) -> HttpResponse:
    user = user_of(request)
    evaluation = round_for(user, round_id)
    require_keeper(user, evaluation.set)
    try:
        done = services.round_compute(actor=user, evaluation=evaluation)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(_detail_url(evaluation))
    note = done.events.filter(kind=RoundEventKind.COMPUTED).order_by("-at", "-pk").first()
    messages.success(request, COMPUTED.format(note=note.note if note else ""))
    return redirect(_detail_url(evaluation, "ranking"))


@require_POST
@indicator_view
def round_publish(request: HttpRequest, round_id: int) -> HttpResponse:
    user = user_of(request)
    evaluation = round_for(user, round_id)
    require_keeper(user, evaluation.set)
    try:
        services.round_publish(actor=user, evaluation=evaluation)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, PUBLISHED)
    return redirect(_detail_url(evaluation))


def _subject_record(subject: Subject) -> Organization | Region | Unit:
    # The subject is one the round's eligibility rule found (the form checked): the rule, not the
    # user's registry scope, decides who takes part, so it is fetched as such.
    model = SUBJECT_MODELS[subject.field]
    return model._default_manager.get(pk=subject.pk)  # type: ignore[return-value]


@require_POST
@indicator_view
def round_value_enter(request: HttpRequest, round_id: int) -> HttpResponse:
    user = user_of(request)
    evaluation = round_for(user, round_id)
    require_keeper(user, evaluation.set)
    indicators = selectors.set_indicators(evaluation.set)
    prefix = request.POST.get("prefix", "")
    form = forms.ValueForm(
        evaluation,
        indicators,
        services.round_subjects(evaluation),
        request.POST,
        prefix=prefix or None,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.value_enter(
                actor=user,
                evaluation=evaluation,
                indicator=data["indicator"],
                subject=_subject_record(data["subject"]),
                value=data["value"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            said = f"已录入：{data['subject'].name}的“{data['indicator'].name}”。"
            if evaluation.state == RoundState.COMPUTED:
                said += "本轮已退回草稿，请重新计算。"
            messages.success(request, said)
            return redirect(_detail_url(evaluation, "values"))
    stale = [e for key in ("indicator", "subject", "__all__") for e in form.errors.get(key, [])]
    if stale:
        # Not about what was typed: the row is gone (entered meanwhile), or the round was
        # published or changed. The fresh page shows how it stands.
        messages.error(request, "".join(str(e) for e in stale))
        return redirect(_detail_url(evaluation, "values"))
    messages.error(request, FIX_BELOW)
    return _detail(request, round_for(user, round_id), bound=form)


# --- exports --------------------------------------------------------------------------------------


@require_GET
@login_required
def round_export(request: HttpRequest, round_id: int, fmt: str) -> HttpResponseBase:
    user = user_of(request)
    access.require_role(user, *access.REGISTRY_ROLES)  # as indicator_view, for a download
    evaluation = round_for(user, round_id)
    everyone = request.GET.get("all") == "1"
    try:
        if fmt == "docx":
            return exports.docx_response(user, evaluation, everyone=everyone)
        return exports.xlsx_response(user, evaluation, everyone=everyone)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(_detail_url(evaluation))


# --- year on year ---------------------------------------------------------------------------------


def _earlier_rounds(user: User, evaluation: EvaluationRound) -> list[EvaluationRound]:
    return [
        r
        for r in selectors.round_list(user, indicator_set=evaluation.set)
        if r.year < evaluation.year and r.state != RoundState.DRAFT
    ]


@indicator_view
def round_compare(request: HttpRequest, round_id: int) -> HttpResponse:
    user = user_of(request)
    evaluation = round_for(user, round_id)
    earlier = _earlier_rounds(user, evaluation)
    chosen = None
    raw = request.GET.get("with", "")
    if raw.isdigit():
        chosen = next((r for r in earlier if r.pk == int(raw)), None)
    comparison = (
        selectors.round_comparison(evaluation, chosen)
        if evaluation.state != RoundState.DRAFT
        else None
    )
    return render(
        request,
        "governance/round_compare.html",
        {
            "evaluation": evaluation,
            "indicator_set": evaluation.set,
            "heading": HEADING,
            "comparison": comparison,
            "earlier": earlier,
            "no_previous": NO_PREVIOUS,
        },
    )
