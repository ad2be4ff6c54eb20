"""Visits (走访): the list with filters, the detail with the opinions heard and their one-click
转为诉求, the form that records a visit with any number of opinions, and the search select of
people and organizations that this form and the case form share."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import error_text, form_errors

from . import forms_cases as forms
from . import selectors_cases as selectors
from . import services

# Visits are registry work: staff keep them, leaders read them, liaisons and auditors do not.
visit_view = role_required(*access.REGISTRY_ROLES)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_editor(user: User) -> None:
    access.require_write(user, *services.STAFF)


@visit_view
def visit_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.VisitListForm(user, request.GET)
    page = paginate(request, selectors.visit_list(user, form.visit_filter()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_edit": access.can_edit_registry(user),
    }
    template = "work/_visit_rows.html" if request.htmx else "work/visit_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@visit_view
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = _user(request)
    visit = selectors.visit_detail(user, visit_id)
    return render(
        request,
        "work/visit_detail.html",
        {
            "visit": visit,
            "opinions": selectors.visit_opinions(user, visit),
            "can_edit": access.can_edit_registry(user),
        },
    )


@visit_view
def visit_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    # "记录走访" from a person's or an organization's page arrives with ?target=person:12.
    form = forms.VisitForm(
        user, request.POST or None, initial={"target": request.GET.get("target", "")}
    )
    formset = cast(
        forms.BaseOpinionFormSet,
        forms.OpinionFormSet(request.POST or None, prefix=forms.OPINION_PREFIX),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            visit = services.visit_record(
                actor=user, opinions=formset.opinions(), **form.service_kwargs()
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            count = visit.opinions.count()
            messages.success(
                request,
                f"已记录走访，听取意见 {count} 条。困难诉求可在下方“转为诉求”交办。"
                if count
                else "已记录走访。",
            )
            return redirect("visit_detail", visit_id=visit.pk)
    return render(
        request,
        "work/visit_form.html",
        {
            "form": form,
            "formset": formset,
            "chosen": form.chosen_target(),
            "back_url": reverse("visit_list"),
        },
    )


@require_GET
@visit_view
def visit_opinion_row(request: HttpRequest) -> HttpResponse:
    """htmx: one more empty opinion row, and the formset's form count raised by one."""
    _require_editor(_user(request))
    try:
        index = int(request.GET.get(f"{forms.OPINION_PREFIX}-TOTAL_FORMS", "1"))
    except ValueError:
        index = 1
    index = min(max(index, 0), forms.MAX_OPINIONS - 1)
    return render(
        request,
        "work/_opinion_row.html",
        {
            "row": forms.OpinionForm(prefix=f"{forms.OPINION_PREFIX}-{index}"),
            "total": index + 1,
            "prefix": forms.OPINION_PREFIX,
            "oob": True,
        },
    )


@require_GET
@visit_view
def target_search(request: HttpRequest) -> HttpResponse:
    """htmx: the people and organizations in the user's scope matching what was typed, as radio
    buttons named after the form field (target or requester); the current choice stays first."""
    user = _user(request)
    _require_editor(user)
    name = "requester" if request.GET.get("field") == "requester" else "target"
    q = request.GET.get(f"{name}_q", "")
    target = selectors.target_for_user(user, request.GET.get(name, ""))
    chosen = forms.target_choice(target) if target is not None else None
    return render(
        request,
        "work/_target_options.html",
        {
            "name": name,
            "q": q.strip(),
            "chosen": chosen,
            "options": forms.target_choices(selectors.target_candidates(user, q), chosen),
        },
    )


@require_POST
@visit_view
def opinion_to_case(request: HttpRequest, opinion_id: int) -> HttpResponse:
    user = _user(request)
    opinion = selectors.opinion_for_user(user, opinion_id)
    _require_editor(user)
    try:
        case = services.opinion_to_case(actor=user, opinion=opinion)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("visit_detail", visit_id=opinion.visit_id)
    messages.success(request, "已转为诉求。请选择承办单位和办理时限，交办办理。")
    return redirect("case_detail", case_id=case.pk)
