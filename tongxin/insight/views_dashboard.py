"""The dashboard page (/dashboard/): a year and a region of the user's scope; leaders land here
after login. Staff and leaders may open it; liaisons and auditors get 403 saying why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.core import access
from tongxin.core.models import User

from . import dashboard as selectors
from . import metrics

BAD_YEAR = "年份有误，已显示{year}年的数据。请从“年份”下拉框中选择。"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.can_use_dashboard(user):
        raise PermissionDenied(access.ROLE_FORBIDDEN)
    region = metrics.resolve_region(user, request.GET.get("region") or None)
    years = selectors.selectable_years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    if year is None:
        year = selectors.default_year(user)
        if asked:
            messages.warning(request, BAD_YEAR.format(year=year))
    board = selectors.dashboard(user, year=year, region=region)
    return render(request, "insight/dashboard.html", {"board": board})
