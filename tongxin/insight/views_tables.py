"""统计报表 on screen and as .xlsx (through core/tabular.py, the one export engine, audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from tongxin.core import access, tabular
from tongxin.core.models import User

from . import metrics, tables
from .views_metrics import filter_choices, period_from

TABS = [
    ("people", "table_people", "统战对象", "bi-person-vcard"),
    ("organizations", "table_organizations", "组织", "bi-diagram-3"),
    ("work", "table_work", "工作（按月）", "bi-calendar-event"),
]
BAD_FORMAT = "导出格式只能是 xlsx。"


def _page(request: HttpRequest, key: str) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    access.require_role(user, *access.REGISTRY_ROLES)
    period = period_from(request.GET)
    region = metrics.resolve_region(user, request.GET.get("region"))
    table = tables.TABLES[key](user, region, period)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt != "xlsx":
            raise Http404(BAD_FORMAT)
        return tabular.response(user, tables.export(user, table), "xlsx")
    return render(
        request,
        "insight/table_cross.html",
        {
            "table": table,
            "tabs": [(k, reverse(name), label, icon) for k, name, label, icon in TABS],
            "export_query": request.GET.urlencode(),
            **filter_choices(user, period, region),
        },
    )


@login_required
def table_people(request: HttpRequest) -> HttpResponseBase:
    return _page(request, "people")


@login_required
def table_organizations(request: HttpRequest) -> HttpResponseBase:
    return _page(request, "organizations")


@login_required
def table_work(request: HttpRequest) -> HttpResponseBase:
    return _page(request, "work")
