"""The portal's doors: home, login (password or SMS code), invitations, applications, consent."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import PortalAccount
from .realm import portal_login_required


@portal_login_required
def home(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(request, "portal/home.html", {"account": account, "person": account.person})


def login(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


login_by_code = logout = send_code = password_reset = privacy = apply = login


def invitation(request: HttpRequest, invitation_code: str) -> HttpResponse:
    raise NotImplementedError
