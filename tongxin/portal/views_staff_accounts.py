"""Staff pages of the portal (/portal-admin/): the hub of what waits for review, invitations with
their QR codes, and account applications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.core import access


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, *access.STAFF_ROLES, access.Role.LEADER)
    return render(request, "portal/staff/hub.html", {})


def invitation_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


invitation_create = application_list = invitation_list


def invitation_detail(request: HttpRequest, invitation_id: int) -> HttpResponse:
    raise NotImplementedError


invitation_qr = invitation_revoke = invitation_detail


def application_review(request: HttpRequest, application_id: int) -> HttpResponse:
    raise NotImplementedError
