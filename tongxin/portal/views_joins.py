"""The person's pages for joining an organization: the 联谊组织 and 服务团 they may ask to join,
their memberships and applications, the form to apply and the withdrawal of a pending one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongxin.core import access
from tongxin.registry.views import error_text, form_errors

from . import rates
from . import selectors_joins as selectors
from . import services_joins as services
from .forms_joins import JoinApplyForm
from .models import PortalAccount
from .realm import portal_login_required

APPLIED = "申请已提交。工作人员审核后会短信通知您，也可以在这里查看进度。"
WITHDRAWN = "申请已撤回。"


@require_GET
@portal_login_required
def organization_list(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    person = account.person
    return render(
        request,
        "portal/join_list.html",
        {
            "choices": selectors.organization_choices(person),
            "memberships": list(selectors.current_memberships(person)),
            "applications": list(selectors.own_applications(person)[:20]),
        },
    )


@require_http_methods(["GET", "POST"])
@portal_login_required
def join_apply(request: HttpRequest, account: PortalAccount, organization_id: int) -> HttpResponse:
    person = account.person
    organization = selectors.joinable_organizations(person).filter(pk=organization_id).first()
    if organization is None:
        raise Http404(access.NOT_FOUND)
    form = JoinApplyForm(request.POST or None)
    if request.method == "POST":
        rates.limit(request, group="join", setting="PORTAL_RATE_SUBMIT", account=account)
        if form.is_valid():
            try:
                application = services.join_apply(
                    person=person, organization=organization, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, APPLIED)
                return redirect("portal_join_detail", join_id=application.pk)
    return render(
        request,
        "portal/join_apply.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@portal_login_required
def join_detail(request: HttpRequest, account: PortalAccount, join_id: int) -> HttpResponse:
    application = selectors.own_application(account.person, join_id)
    return render(request, "portal/join_detail.html", {"application": application})


@require_POST
@portal_login_required
def join_withdraw(request: HttpRequest, account: PortalAccount, join_id: int) -> HttpResponse:
    application = selectors.own_application(account.person, join_id)
    rates.limit(request, group="join", setting="PORTAL_RATE_SUBMIT", account=account)
    try:
        services.join_withdraw(person=account.person, application=application)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, WITHDRAWN)
    return redirect("portal_join_detail", join_id=application.pk)
