"""Pages of trainings (培训班) and their trainees, secondments (挂职锻炼) and 双走访双报告.

They are records about people, so they open to the roles that see the registry (liaisons and
auditors get 403); writes are for staff (leaders get 403). A secondment or a report is entered
for one person, picked first by a search (``?q=``) and then fixed in the form (``?person=``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongxin.core import versioning
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page
from tongxin.registry.models import Person
from tongxin.registry.views import flash_errors, form_errors, form_page, registry_view

from . import forms_cadres as forms
from . import selectors_cadres as selectors
from . import services_cadres as services
from .checks import STAFF, check_writer
from .models import DualVisitReport, Secondment, Training

HEADING = "工作 · 培训与干部"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _can_edit(user: User) -> bool:
    return user.role in STAFF and not user.is_read_only


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- trainings ------------------------------------------------------------------------------------


@registry_view
def training_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.TrainingListForm(user, request.GET)
    qs = selectors.training_list(user, form.training_filter())
    context = {
        "form": form,
        "page": paginate(request, qs),
        "totals": selectors.training_totals(user, form.training_filter()),
        "query": query_without_page(request),
        "can_edit": _can_edit(user),
    }
    template = "work/_training_rows.html" if _is_htmx(request) else "work/training_list.html"
    return render(request, template, context)


@registry_view
def training_detail(request: HttpRequest, training_id: int) -> HttpResponse:
    user = _user(request)
    training = selectors.training_detail(user, training_id)
    trainees = selectors.training_trainees(user, training)
    can_edit = _can_edit(user)
    q = request.GET.get("q", "").strip() if can_edit else ""
    candidates = selectors.person_candidates(user, q, exclude=[t.person_id for t in trainees])
    context = {
        "training": training,
        "activity": selectors.training_activity(user, training),
        "trainees": trainees,
        "completed": sum(1 for t in trainees if t.completed),
        "q": q,
        "candidates": candidates,
        "can_edit": can_edit,
        "add_form": forms.TraineeAddForm(user),
    }
    if _is_htmx(request) and "q" in request.GET:
        return render(request, "work/_trainee_candidates.html", context)
    return render(request, "work/training_detail.html", context)


def _save_training(
    request: HttpRequest, form: forms.TrainingForm, training: Training | None
) -> Training | None:
    user = _user(request)
    try:
        if training is None:
            return services.training_create(actor=user, **form.cleaned_data)
        return services.training_update(actor=user, training=training, **form.cleaned_data)
    except ValidationError as exc:
        form_errors(form, exc)
        return None


@registry_view
def training_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    check_writer(user)
    form = forms.TrainingForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        training = _save_training(request, form, None)
        if training is not None:
            messages.success(request, f"已新增培训班“{training.title}”。接下来可添加学员。")
            return redirect("training_detail", training_id=training.pk)
    return form_page(
        request,
        form,
        title="新增培训班",
        back_url=reverse("training_list"),
        heading=HEADING,
    )


@registry_view
def training_edit(request: HttpRequest, training_id: int) -> HttpResponse:
    user = _user(request)
    training = selectors.training_detail(user, training_id)
    check_writer(user)
    # The form works on its own copy: a refused save leaves the fetched record untouched.
    form = forms.TrainingForm(
        user, request.POST or None, instance=Training.objects.get(pk=training.pk)
    )
    versioning.add_version_field(form, training)
    saved = request.method == "POST" and form.is_valid() and _save_training(request, form, training)
    if saved:
        messages.success(request, "已保存。")
        return redirect("training_detail", training_id=training.pk)
    return form_page(
        request,
        form,
        title=f"编辑：{training.title}",
        back_url=reverse("training_detail", args=[training.pk]),
        heading=HEADING,
    )


@require_POST
@registry_view
def trainees_add(request: HttpRequest, training_id: int) -> HttpResponse:
    """Add the people ticked among the search results, with the same hours and completion."""
    user = _user(request)
    training = selectors.training_detail(user, training_id)
    check_writer(user)
    form = forms.TraineeAddForm(user, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "".join(str(e) for e in errors))
        return redirect("training_detail", training_id=training.pk)
    try:
        added = services.trainees_add(actor=user, training=training, **form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        names = "、".join(t.person.name for t in added)
        messages.success(request, f"已添加学员 {len(added)} 名：{names}。")
    return redirect("training_detail", training_id=training.pk)


@require_POST
@registry_view
def trainee_remove(request: HttpRequest, trainee_id: int) -> HttpResponse:
    user = _user(request)
    trainee = selectors.trainee_detail(user, trainee_id)
    check_writer(user)
    training_id, name = trainee.training_id, trainee.person.name
    services.trainee_remove(actor=user, trainee=trainee)
    messages.success(request, f"已将“{name}”移出学员名单。")
    return redirect("training_detail", training_id=training_id)


# --- picking a person -----------------------------------------------------------------------------


def _picker(
    request: HttpRequest, *, title: str, intro: str, back_url: str, extra: str = ""
) -> HttpResponse:
    """Step one of entering a record for a person: find them; each result links on with
    ``?person=``. htmx swaps only the results."""
    user = _user(request)
    q = request.GET.get("q", "").strip()
    context = {
        "title": title,
        "intro": intro,
        "back_url": back_url,
        "heading": HEADING,
        "q": q,
        "candidates": selectors.person_candidates(user, q),
        "next_url": request.path,
        "extra": extra,
    }
    if _is_htmx(request):
        return render(request, "work/_cadre_person_candidates.html", context)
    return render(request, "work/cadre_person_picker.html", context)


def _chosen_person(request: HttpRequest) -> Person | None:
    person_id = request.POST.get("person") or request.GET.get("person")
    return selectors.person_for_picker(_user(request), person_id) if person_id else None


# --- secondments ----------------------------------------------------------------------------------


@registry_view
def secondment_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.SecondmentListForm(user, request.GET)
    f = form.secondment_filter()
    context = {
        "form": form,
        "page": paginate(request, selectors.secondment_list(user, f), size=50),
        "totals": selectors.secondment_totals(user, f.batch),
        "totals_rule": selectors.TOTALS_RULE,
        "query": query_without_page(request),
        "can_edit": _can_edit(user),
    }
    template = "work/_secondment_rows.html" if _is_htmx(request) else "work/secondment_list.html"
    return render(request, template, context)


@registry_view
def secondment_detail(request: HttpRequest, secondment_id: int) -> HttpResponse:
    user = _user(request)
    secondment = selectors.secondment_detail(user, secondment_id)
    return render(
        request,
        "work/secondment_detail.html",
        {"secondment": secondment, "can_edit": _can_edit(user)},
    )


def _secondment_page(
    request: HttpRequest, form: forms.SecondmentForm, person: Person, title: str, back_url: str
) -> HttpResponse:
    return render(
        request,
        "work/secondment_form.html",
        {"form": form, "person": person, "title": title, "back_url": back_url, "heading": HEADING},
    )


@registry_view
def secondment_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    check_writer(user)
    person = _chosen_person(request)
    if person is None:
        return _picker(
            request,
            title="新增挂职记录",
            intro="第一步：找到挂职的党外干部。",
            back_url=reverse("secondment_list"),
        )
    form = forms.SecondmentForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            secondment = services.secondment_create(actor=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已新增挂职记录：{secondment}。")
            return redirect(reverse("secondment_list") + f"?batch={secondment.batch}")
    return _secondment_page(request, form, person, "新增挂职记录", reverse("secondment_create"))


@registry_view
def secondment_edit(request: HttpRequest, secondment_id: int) -> HttpResponse:
    user = _user(request)
    secondment = selectors.secondment_detail(user, secondment_id)
    check_writer(user)
    form = forms.SecondmentForm(
        user, request.POST or None, instance=Secondment.objects.get(pk=secondment.pk)
    )
    versioning.add_version_field(form, secondment)
    if request.method == "POST" and form.is_valid():
        try:
            services.secondment_update(actor=user, secondment=secondment, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("secondment_detail", secondment_id=secondment.pk)
    return _secondment_page(
        request,
        form,
        secondment.person,
        f"编辑挂职记录：{secondment.person.name}",
        reverse("secondment_detail", args=[secondment.pk]),
    )


# --- 双走访双报告 ------------------------------------------------------------------------------


@registry_view
def dual_report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    years = selectors.dual_report_years(user)
    form = forms.DualReportListForm(user, request.GET, years=years)
    year = form.shown_year()
    context = {
        "form": form,
        "year": year,
        "page": paginate(request, selectors.dual_report_list(user, year), size=50),
        "totals": selectors.dual_report_totals(user, year),
        "query": query_without_page(request),
        "can_edit": _can_edit(user),
    }
    template = "work/_dual_report_rows.html" if _is_htmx(request) else "work/dual_report_list.html"
    return render(request, template, context)


@registry_view
def dual_report_detail(request: HttpRequest, dual_report_id: int) -> HttpResponse:
    user = _user(request)
    report = selectors.dual_report_detail(user, dual_report_id)
    return render(
        request, "work/dual_report_detail.html", {"report": report, "can_edit": _can_edit(user)}
    )


def _dual_report_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, "work/dual_report_form.html", {"heading": HEADING, **context})


@registry_view
def dual_report_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    check_writer(user)
    person = _chosen_person(request)
    if person is None:
        return _picker(
            request,
            title="填报双走访双报告",
            intro="第一步：找到填报的党外代表人士。每人每年一条记录。",
            back_url=reverse("dual_report_list"),
        )
    form = forms.DualReportForm(request.POST if request.method == "POST" else None, person=person)
    existing = None
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.dual_report_save(actor=user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"已保存{report}。")
                return redirect("dual_report_detail", dual_report_id=report.pk)
        existing = form.existing
    return _dual_report_page(
        request,
        form=form,
        person=person,
        existing=existing,
        title="填报双走访双报告",
        back_url=reverse("dual_report_create"),
    )


@registry_view
def dual_report_edit(request: HttpRequest, dual_report_id: int) -> HttpResponse:
    user = _user(request)
    report = selectors.dual_report_detail(user, dual_report_id)
    check_writer(user)
    form = forms.DualReportForm(
        request.POST or None,
        instance=DualVisitReport.objects.get(pk=report.pk),
        person=report.person,
    )
    versioning.add_version_field(form, report)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("year")
        try:
            services.dual_report_save(actor=user, person=report.person, year=report.year, **data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("dual_report_detail", dual_report_id=report.pk)
    return _dual_report_page(
        request,
        form=form,
        person=report.person,
        existing=None,
        title=f"编辑：{report}",
        back_url=reverse("dual_report_detail", args=[report.pk]),
    )
