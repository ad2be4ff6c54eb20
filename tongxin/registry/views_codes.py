"""Code tables (categories, groups, ethnicities, …): data that admins keep."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tongxin.core import access, versioning
from tongxin.core.models import Role, User
from tongxin.core.views.helpers import role_required

from . import forms, services
from .models import CodeItem, CodeKind
from .views import form_errors, form_page

CODES_HEADING = "系统 · 代码表"


def _kind(value: str | None) -> str:
    if not value:
        return CodeKind.CATEGORY
    if value not in CodeKind.values:
        raise Http404("未知的代码表。")
    return value


@role_required(Role.ADMIN)
def code_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    kind = _kind(request.GET.get("kind"))
    counts = dict(
        access.scope(user, CodeItem.objects.all())
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    items = access.scope(user, CodeItem.objects.filter(kind=kind)).select_related("line", "parent")
    return render(
        request,
        "registry/code_list.html",
        {
            "kind": kind,
            "kind_label": CodeKind(kind).label,
            "kinds": [(value, label, counts.get(value, 0)) for value, label in CodeKind.choices],
            "items": items.order_by("order", "id"),
        },
    )


def _back(kind: str) -> str:
    return f"{reverse('code_list')}?kind={kind}"


@role_required(Role.ADMIN)
def code_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access.require_write(user, Role.ADMIN)
    kind = _kind(request.GET.get("kind"))
    form = forms.CodeItemForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.code_item_save(actor=user, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已新增“{item.name}”。")
            return redirect(_back(kind))
    return form_page(
        request,
        form,
        title=f"新增代码：{CodeKind(kind).label}",
        back_url=_back(kind),
        heading=CODES_HEADING,
    )


@role_required(Role.ADMIN)
def code_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = access.get_for_user(user, CodeItem, pk=item_id)
    access.require_write(user, Role.ADMIN)
    form = forms.CodeItemForm(
        request.POST or None, kind=item.kind, instance=CodeItem.objects.get(pk=item.pk)
    )
    versioning.add_version_field(form, item)
    if request.method == "POST" and form.is_valid():
        try:
            services.code_item_save(actor=user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已保存“{item.name}”。")
            return redirect(_back(item.kind))
    return form_page(
        request,
        form,
        title=f"编辑代码：{item.get_kind_display()} · {item.name}",
        back_url=_back(item.kind),
        intro="停用的代码不再出现在选择列表中，已使用它的记录保持不变。",
        heading=CODES_HEADING,
    )
