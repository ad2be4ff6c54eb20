"""Downloads of the work lists (.xlsx or CSV), with the list's own filters; audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from tongxin.core import tabular
from tongxin.core.models import User

from . import exports


@require_GET
@login_required
def list_export(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    return tabular.response(user, exports.table(user, name, request.GET), fmt)
