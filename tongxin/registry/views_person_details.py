"""The rows hanging off a person: political arrangements, honours, annual reviews (added and
removed) and memberships (added, then ended, never deleted). Each small form sits on the person's
page; a form with errors comes back on a page of its own."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongxin.core import access
from tongxin.core.models import User

from . import forms, selectors, services
from .models import AnnualReview, Honour, Membership, PoliticalArrangement
from .views import flash_errors, form_errors, form_page, registry_view, require_editor


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _add_detail(
    request: HttpRequest,
    person_id: int,
    model: type[Model],
    form_class: type[django_forms.ModelForm],
    title: str,
) -> HttpResponse:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    require_editor(user)
    kwargs: dict[str, Any] = {"person": person} if form_class is forms.ReviewForm else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.detail_add(actor=user, model=model, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加{title}。")
            return redirect("person_detail", person_id=person.pk)
    return form_page(
        request,
        form,
        title=f"{person.name}：添加{title}",
        back_url=reverse("person_detail", args=[person.pk]),
        submit="添加",
    )


def _remove_detail(request: HttpRequest, model: type[Model], pk: int, title: str) -> HttpResponse:
    user = _user(request)
    row = access.get_for_user(user, model._default_manager.select_related("person"), pk=pk)
    require_editor(user)
    person_id = row.person_id  # type: ignore[attr-defined]
    services.detail_remove(actor=user, row=row)
    messages.success(request, f"已删除{title}“{row}”。删除记入该人员的变更记录。")
    return redirect("person_detail", person_id=person_id)


@registry_view
def arrangement_create(request: HttpRequest, person_id: int) -> HttpResponse:
    return _add_detail(request, person_id, PoliticalArrangement, forms.ArrangementForm, "政治安排")


@require_POST
@registry_view
def arrangement_delete(request: HttpRequest, arrangement_id: int) -> HttpResponse:
    return _remove_detail(request, PoliticalArrangement, arrangement_id, "政治安排")


@registry_view
def honour_create(request: HttpRequest, person_id: int) -> HttpResponse:
    return _add_detail(request, person_id, Honour, forms.HonourForm, "荣誉")


@require_POST
@registry_view
def honour_delete(request: HttpRequest, honour_id: int) -> HttpResponse:
    return _remove_detail(request, Honour, honour_id, "荣誉")


@registry_view
def review_create(request: HttpRequest, person_id: int) -> HttpResponse:
    return _add_detail(request, person_id, AnnualReview, forms.ReviewForm, "年度考核")


@require_POST
@registry_view
def review_delete(request: HttpRequest, review_id: int) -> HttpResponse:
    return _remove_detail(request, AnnualReview, review_id, "年度考核")


@registry_view
def membership_create(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    require_editor(user)
    form = forms.MembershipForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(actor=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加组织任职：{form.cleaned_data['organization']}。")
            return redirect("person_detail", person_id=person.pk)
    return form_page(
        request,
        form,
        title=f"{person.name}：添加组织任职",
        back_url=reverse("person_detail", args=[person.pk]),
        submit="添加",
    )


@require_POST
@registry_view
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    """End a term (today unless a date is given). Memberships are never deleted."""
    user = _user(request)
    membership = access.get_for_user(
        user, Membership.objects.select_related("person", "organization"), pk=membership_id
    )
    require_editor(user)
    form = forms.MembershipEndForm(request.POST, membership=membership)
    if not form.is_valid():
        messages.error(request, "".join(str(e) for e in form.errors["term_end"]))
    else:
        try:
            services.membership_update(
                actor=user, membership=membership, term_end=form.cleaned_data["term_end"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request,
                f"已结束“{membership.person}”在“{membership.organization}”"
                f"的{membership.role}任期（{membership.term_end}）。",
            )
    if request.POST.get("back") == "organization":
        return redirect("organization_detail", organization_id=membership.organization_id)
    return redirect("person_detail", person_id=membership.person_id)
