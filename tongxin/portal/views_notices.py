"""The person's notices in the portal: the list (unread ones marked) and a notice, which opening
marks read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.core.views.helpers import paginate

from . import selectors_notices as selectors
from . import services_notices as services
from .models import PortalAccount
from .realm import portal_login_required


@portal_login_required
def notice_list(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    page = paginate(request, selectors.portal_notices(account))
    return render(request, "portal/notice_list.html", {"page": page})


@portal_login_required
def notice_detail(request: HttpRequest, account: PortalAccount, notice_id: int) -> HttpResponse:
    recipient = selectors.portal_notice(account, notice_id)
    services.notice_mark_read(recipient=recipient)
    return render(request, "portal/notice_detail.html", {"recipient": recipient})
