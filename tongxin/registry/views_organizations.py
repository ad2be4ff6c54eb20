"""Organizations: list, detail (members, enterprise figures, designations, standard-building
checklist), create, edit, archive, and the yearly rows kept on them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongxin.core import access, versioning
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page
from tongxin.work.selectors_timeline import LIMIT, organization_timeline

from . import forms, selectors, services
from .models import Designation, EnterpriseFigure, Organization, StandardCheck
from .views import flash_errors, form_errors, form_page, registry_view, require_editor

ENTERPRISE_TYPE = "qiye"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _organization(user: User, organization_id: int) -> Organization:
    return access.get_for_user(
        user,
        Organization.objects.select_related("region", "org_type", "org_subtype", "parent"),
        pk=organization_id,
    )


@registry_view
def organization_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.OrganizationListForm(user, request.GET)
    qs = selectors.organization_list(user, form.organization_filter()).prefetch_related(
        "designations__kind"
    )
    page = paginate(request, qs)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_edit": access.can_edit_registry(user),
    }
    template = (
        "registry/_organization_rows.html" if request.htmx else "registry/organization_list.html"  # type: ignore[attr-defined]
    )
    return render(request, template, context)


@registry_view
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = _user(request)
    org = _organization(user, organization_id)
    figures = list(org.figures.all())
    return render(
        request,
        "registry/organization_detail.html",
        {
            "org": org,
            "members": selectors.organization_members(user, org),
            "figures": figures,
            "show_figures": bool(figures)
            or org.is_non_public
            or org.org_type.code == ENTERPRISE_TYPE,
            "designations": org.designations.select_related("kind"),
            "checks": org.standard_checks.all(),
            "timeline": organization_timeline(
                user, org, limit=None if request.GET.get("work") == "all" else LIMIT
            ),
            "can_edit": access.can_edit_registry(user),
            "figure_form": forms.FigureForm(),
            "designation_form": forms.DesignationForm(),
            "check_form": forms.StandardCheckForm(),
            "archive_form": forms.ArchiveForm(),
        },
    )


def _save_organization(
    request: HttpRequest, form: forms.OrganizationForm, org: Organization | None
) -> Organization | None:
    user = _user(request)
    data = form.cleaned_data
    try:
        if org is None:
            return services.organization_create(actor=user, **data)
        return services.organization_update(actor=user, organization=org, **data)
    except ValidationError as exc:
        form_errors(form, exc)
        return None


@registry_view
def organization_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_editor(user)
    form = forms.OrganizationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = _save_organization(request, form, None)
        if org is not None:
            messages.success(request, f"已新增组织“{org.name}”。")
            return redirect("organization_detail", organization_id=org.pk)
    return form_page(request, form, title="新增组织", back_url=reverse("organization_list"))


@registry_view
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = _user(request)
    org = _organization(user, organization_id)
    require_editor(user)
    # The form works on its own copy: a refused save leaves the fetched record untouched.
    form = forms.OrganizationForm(
        user, request.POST or None, instance=Organization.objects.get(pk=org.pk)
    )
    versioning.add_version_field(form, org)
    if request.method == "POST" and form.is_valid():
        saved = _save_organization(request, form, org)
        if saved is not None:
            messages.success(request, "已保存。")
            return redirect("organization_detail", organization_id=org.pk)
    return form_page(
        request,
        form,
        title=f"编辑：{org.name}",
        back_url=reverse("organization_detail", args=[org.pk]),
    )


@require_POST
@registry_view
def organization_archive(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = _user(request)
    org = _organization(user, organization_id)
    require_editor(user)
    if org.is_archived:
        messages.info(request, "该组织已归档。")
        return redirect("organization_detail", organization_id=org.pk)
    form = forms.ArchiveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        services.organization_archive(
            actor=user, organization=org, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已归档“{org.name}”。其成员、年度数据和命名记录均保留。")
    return redirect("organization_detail", organization_id=org.pk)


# --- yearly figures, designations, standard-building checks ---------------------------------------


def _back(org: Organization) -> str:
    return reverse("organization_detail", args=[org.pk])


def _yearly(
    request: HttpRequest,
    org: Organization,
    form: Any,
    save: Any,
    *,
    title: str,
    done: str,
) -> HttpResponse:
    """Figures and checks are one row per year: saving a year that exists updates it."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            save(actor=_user(request), organization=org, **data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, done.format(year=data["year"]))
            return redirect("organization_detail", organization_id=org.pk)
    return form_page(request, form, title=title, back_url=_back(org))


@registry_view
def figure_create(request: HttpRequest, organization_id: int) -> HttpResponse:
    org = _organization(_user(request), organization_id)
    require_editor(_user(request))
    return _yearly(
        request,
        org,
        forms.FigureForm(request.POST or None),
        services.figure_save,
        title=f"{org.name}：填报年度数据",
        done="已保存{year}年度数据。",
    )


@registry_view
def figure_edit(request: HttpRequest, figure_id: int) -> HttpResponse:
    user = _user(request)
    figure = access.get_for_user(
        user, EnterpriseFigure.objects.select_related("organization"), pk=figure_id
    )
    require_editor(user)
    form = forms.FigureForm(request.POST or None, instance=figure)
    form.fields["year"].disabled = True
    versioning.add_version_field(form, figure)
    return _yearly(
        request,
        figure.organization,
        form,
        services.figure_save,
        title=f"{figure.organization.name}：{figure.year}年度数据",
        done="已保存{year}年度数据。",
    )


@registry_view
def check_create(request: HttpRequest, organization_id: int) -> HttpResponse:
    org = _organization(_user(request), organization_id)
    require_editor(_user(request))
    return _yearly(
        request,
        org,
        forms.StandardCheckForm(request.POST or None),
        services.standard_check_save,
        title=f"{org.name}：标准化建设自查",
        done="已保存{year}年标准化建设情况。",
    )


@registry_view
def check_edit(request: HttpRequest, check_id: int) -> HttpResponse:
    user = _user(request)
    check = access.get_for_user(
        user, StandardCheck.objects.select_related("organization"), pk=check_id
    )
    require_editor(user)
    form = forms.StandardCheckForm(request.POST or None, instance=check)
    form.fields["year"].disabled = True
    versioning.add_version_field(form, check)
    return _yearly(
        request,
        check.organization,
        form,
        services.standard_check_save,
        title=f"{check.organization.name}：{check.year}年标准化建设",
        done="已保存{year}年标准化建设情况。",
    )


@registry_view
def designation_create(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = _user(request)
    org = _organization(user, organization_id)
    require_editor(user)
    form = forms.DesignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            designation = services.designation_add(
                actor=user, organization=org, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加命名称号“{designation}”。")
            return redirect("organization_detail", organization_id=org.pk)
    return form_page(
        request, form, title=f"{org.name}：添加命名称号", back_url=_back(org), submit="添加"
    )


@registry_view
def designation_edit(request: HttpRequest, designation_id: int) -> HttpResponse:
    user = _user(request)
    designation = access.get_for_user(
        user, Designation.objects.select_related("organization", "kind"), pk=designation_id
    )
    require_editor(user)
    org = designation.organization
    form = forms.DesignationForm(
        request.POST or None, instance=Designation.objects.get(pk=designation.pk)
    )
    versioning.add_version_field(form, designation)
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_update(actor=user, designation=designation, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已保存命名称号“{designation}”。")
            return redirect("organization_detail", organization_id=org.pk)
    return form_page(request, form, title=f"{org.name}：编辑命名称号", back_url=_back(org))
