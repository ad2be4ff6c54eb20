"""Workbench, the regions and units directory, and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import access, selectors, services, versioning
from ..audit import field_label, object_type_label
from ..forms import AuditFilterForm, RegionForm, UnitForm
from ..models import AuditEvent, Region, Role, Unit, UnitKind, User
from .helpers import paginate, query_without_page, role_required


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role == Role.AUDITOR:
        return redirect("audit_log")
    deadlines = tasks = None
    if access.can_use_cases(user):
        from tongxin.governance.selectors_tasks import task_board
        from tongxin.work.selectors_cases import deadline_board

        deadlines = deadline_board(user, by=request.GET.get("by", "unit"))
        tasks = task_board(user)
    return render(
        request,
        "core/workbench.html",
        {
            "figures": selectors.workbench_figures(user),
            "scope_label": access.scope_label(user),
            "deadlines": deadlines,
            "tasks": tasks,
        },
    )


# --- regions ------------------------------------------------------------------------------------


@role_required(*access.DIRECTORY_ROLES)
def region_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.region_list(request.user, q=q), size=50)  # type: ignore[arg-type]
    template = "core/_region_rows.html" if request.htmx else "core/region_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "query": query_without_page(request),
            "can_manage": access.can_manage_directory(request.user),
        },
    )


@role_required(*access.DIRECTORY_ROLES)
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    region = access.get_for_user(user, Region.objects.select_related("parent"), code=code)
    return render(
        request,
        "core/region_detail.html",
        {
            "region": region,
            "children": selectors.region_children(user, region),
            "units": selectors.unit_list(user, region=region)[:200],
            "can_manage": access.can_manage_directory(user),
        },
    )


@role_required(*access.DIRECTORY_ROLES)
def region_create(request: HttpRequest) -> HttpResponse:
    access.require_write(request.user, Role.ADMIN)
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增区划“{region.name}”。")
            return redirect("region_detail", code=region.code)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "新增区划",
            "back": "region_list",
            "intro": "行政区划按 GB/T 2260 编码；经开区、高新区等功能区可挂在所属市下。",
        },
    )


# --- units ----------------------------------------------------------------------------------------


@role_required(*access.DIRECTORY_ROLES)
def unit_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    region_code = request.GET.get("region", "")
    region = (
        access.scope(user, Region.objects.all()).filter(code=region_code).first()
        if region_code
        else None
    )
    qs = selectors.unit_list(user, q=q, region=region, kind=kind)
    page = paginate(request, qs)
    template = "core/_unit_rows.html" if request.htmx else "core/unit_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "kind": kind,
            "region_code": region_code,
            "kinds": UnitKind.choices,
            "regions": selectors.region_list(user),
            "query": query_without_page(request),
            "can_manage": access.can_manage_directory(user),
        },
    )


@role_required(*access.DIRECTORY_ROLES)
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = access.get_for_user(user, Unit.objects.select_related("region"), pk=unit_id)
    from tongxin.governance.selectors_tasks import unit_tasks
    from tongxin.work.selectors_timeline import LIMIT, unit_timeline

    return render(
        request,
        "core/unit_detail.html",
        {
            "unit": unit,
            "work": unit_timeline(
                user, unit, limit=None if request.GET.get("work") == "all" else LIMIT
            ),
            "tasks": unit_tasks(user, unit),
            "can_manage": access.can_manage_directory(user),
            "liaisons": unit.users.filter(role=Role.LIAISON, is_active=True)
            if access.can_manage_users(user)
            else None,
        },
    )


@role_required(*access.DIRECTORY_ROLES)
def unit_create(request: HttpRequest) -> HttpResponse:
    access.require_write(request.user, Role.ADMIN)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user,  # type: ignore[arg-type]
                **{k: v for k, v in form.cleaned_data.items() if k != "is_active"},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增单位“{unit.name}”。")
            return redirect("unit_detail", unit_id=unit.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "新增单位",
            "back": "unit_list",
        },
    )


@role_required(*access.DIRECTORY_ROLES)
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = access.get_for_user(user, Unit, pk=unit_id)
    access.require_write(user, Role.ADMIN)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    versioning.add_version_field(form, unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("unit_detail", unit_id=unit.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": f"编辑单位：{unit.name}",
            "back": "unit_list",
        },
    )


# --- audit log ------------------------------------------------------------------------------------


@role_required(*access.AUDIT_ROLES)
def audit_log(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None, object_types=selectors.audit_object_types(user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.AuditFilter(**{k: v for k, v in data.items() if v})
    page = paginate(request, selectors.audit_events(user, filters), size=50)
    rows = [_audit_row(e) for e in page.object_list]
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
        },
    )


def _shown(value: object) -> object:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return value


def _audit_row(event: AuditEvent) -> dict[str, object]:
    changes = [
        (field_label(event.object_type, name), _shown(pair[0]), _shown(pair[1]))
        for name, pair in (event.changes or {}).items()
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]
    return {"event": event, "type_label": object_type_label(event.object_type), "changes": changes}
