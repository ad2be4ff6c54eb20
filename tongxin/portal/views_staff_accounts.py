"""Staff pages of the portal (/portal-admin/): the hub of what waits for review, invitations with
their QR codes, and account applications."""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.core import access
from tongxin.core.ids import mask_phone
from tongxin.core.views.helpers import paginate, role_required
from tongxin.registry.models import Person
from tongxin.registry.views import form_errors

from . import selectors_accounts as sel
from . import services_invitations as invitations
from . import services_staff_accounts as staff_svc
from .forms_accounts import InvitationForm, ReviewForm
from .models import ApplicationStatus, Invitation

PORTAL_STAFF = access.PORTAL_STAFF_ROLES
INVITATION_CREATED = "邀请已生成。把二维码打印或发到群里，对方用手机扫码即可注册。"
INVITATION_REVOKED = "邀请已作废，扫码的人将看到“邀请已作废”。"
ACCOUNT_ENABLED = "已启用 {name} 的个人门户账号。"
ACCOUNT_DISABLED = "已停用 {name} 的个人门户账号：其登录和令牌即时失效。"
APPROVED = "已开通 {name} 的个人门户账号，并已短信通知。"
REJECTED = "已退回 {name} 的申请，并已短信告知理由。"


def invitation_url(request: HttpRequest, invitation: Invitation) -> str:
    path = f"/portal/invite/{invitation.code}/"
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@role_required(*PORTAL_STAFF)
def hub(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/staff/hub.html",
        {"pending_applications": sel.pending_applications(request.user)},  # type: ignore[arg-type]
    )


@role_required(*PORTAL_STAFF)
def invitation_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, sel.invitation_list(request.user))  # type: ignore[arg-type]
    return render(
        request,
        "portal/staff/invitation_list.html",
        {"page": page, "can_write": not request.user.is_read_only},  # type: ignore[union-attr]
    )


@role_required(*access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = InvitationForm(request.POST or None, user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitations.invitation_create(
                actor=user,  # type: ignore[arg-type]
                target=data["target"],
                region=data["region"],
                organization=data.get("organization"),
                activity=data.get("activity"),
                title=data["title"],
                max_uses=data["max_uses"],
                expires_at=timezone.now() + dt.timedelta(days=data["days"]),
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, INVITATION_CREATED)
            return redirect("portal_invitation_detail", invitation_id=invitation.pk)
    return render(request, "portal/staff/invitation_form.html", {"form": form})


@role_required(*PORTAL_STAFF)
def invitation_detail(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = sel.invitation_for_user(request.user, invitation_id)  # type: ignore[arg-type]
    return render(
        request,
        "portal/staff/invitation_detail.html",
        {
            "invitation": invitation,
            "url": invitation_url(request, invitation),
            "usable": invitation.usable,
            "accounts": sel.invitation_accounts(request.user, invitation),  # type: ignore[arg-type]
            "can_write": not request.user.is_read_only,  # type: ignore[union-attr]
        },
    )


@role_required(*PORTAL_STAFF)
def invitation_qr(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = sel.invitation_for_user(request.user, invitation_id)  # type: ignore[arg-type]
    qr = segno.make(invitation_url(request, invitation), error="m")
    buffer = io.BytesIO()
    # A standalone SVG (with its xmlns), so that an <img> shows it and a download opens anywhere.
    qr.save(buffer, kind="svg", xmldecl=False, scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="invitation-{invitation.pk}.svg"'
    return response


@role_required(*access.STAFF_ROLES)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = sel.invitation_for_user(request.user, invitation_id)  # type: ignore[arg-type]
    invitations.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
    messages.success(request, INVITATION_REVOKED)
    return redirect("portal_invitation_detail", invitation_id=invitation.pk)


@role_required(*PORTAL_STAFF)
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values and status != "":
        status = ApplicationStatus.PENDING
    page = paginate(request, sel.application_list(request.user, status))  # type: ignore[arg-type]
    return render(
        request,
        "portal/staff/application_list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


@role_required(*PORTAL_STAFF)
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, application_id: int) -> HttpResponse:
    user = request.user
    application = sel.application_for_user(user, application_id)  # type: ignore[arg-type]
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                person = None
                if data.get("person"):
                    person = access.get_for_user(user, Person.objects.all(), pk=data["person"])
                staff_svc.application_approve(actor=user, application=application, person=person)  # type: ignore[arg-type]
                messages.success(request, APPROVED.format(name=application.name))
            else:
                staff_svc.application_reject(
                    actor=user,  # type: ignore[arg-type]
                    application=application,
                    reason=data.get("reason", ""),
                )
                messages.success(request, REJECTED.format(name=application.name))
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            return redirect("portal_application_list")
    return render(
        request,
        "portal/staff/application_review.html",
        {
            "application": application,
            "form": form,
            "candidates": sel.application_candidates(user, application),  # type: ignore[arg-type]
            # Masked like every phone number staff see, unless they may reveal it.
            "phone": application.phone
            if access.can_reveal(user)
            else mask_phone(application.phone),
            "can_write": not user.is_read_only,  # type: ignore[union-attr]
        },
    )


@role_required(*PORTAL_STAFF)
def account_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = paginate(request, sel.account_list(request.user, q))  # type: ignore[arg-type]
    return render(
        request,
        "portal/staff/account_list.html",
        {"page": page, "q": q, "can_write": not request.user.is_read_only},  # type: ignore[union-attr]
    )


@require_POST
@role_required(*access.STAFF_ROLES)
def account_status(request: HttpRequest, account_id: int) -> HttpResponse:
    account = sel.account_for_user(request.user, account_id)  # type: ignore[arg-type]
    active = request.POST.get("active") == "1"
    try:
        staff_svc.account_set_active(
            actor=request.user,  # type: ignore[arg-type]
            account=account,
            active=active,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        done = ACCOUNT_ENABLED if active else ACCOUNT_DISABLED
        messages.success(request, done.format(name=account.person.name))
    return redirect(f"{reverse('portal_account_list')}?q={account.person.name}")
