"""Staff pages for joining an organization (/portal-admin/joins/): the queue of applications to
the 联谊组织 and 服务团 in the user's scope, the decision on one, and an organization's quotas."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tongxin.core import access, versioning
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import form_errors

from . import selectors_joins as selectors
from . import services_joins as services
from .forms_joins import APPROVE, JoinDecisionForm, QuotaForm
from .models_requests import ReviewStatus

APPROVED = "已批准{name}加入{org}，入会记录已添加到名册，并已短信通知本人。"
REJECTED = "已退回{name}的入会申请，并已短信告知理由。"
QUOTA_SAVED = "已保存{label}的入会名额。"
STATUSES = [
    ("pending", "待审核"),
    ("approved", "已通过"),
    ("rejected", "未通过"),
    ("withdrawn", "已撤回"),
    ("", "全部"),
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@role_required(*access.PORTAL_STAFF_ROLES)
def join_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", ReviewStatus.PENDING)
    if status not in ReviewStatus.values:
        status = ""
    page = paginate(request, selectors.join_queue(user, status))
    return render(
        request,
        "portal/staff/join_list.html",
        {
            "page": page,
            "status": status,
            "statuses": STATUSES,
            "query": query_without_page(request),
            "organizations": list(selectors.joinable_in_scope(user)[:50]),
        },
    )


@role_required(*access.PORTAL_STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def join_decide(request: HttpRequest, join_id: int) -> HttpResponse:
    user = _user(request)
    application = selectors.join_for_user(user, join_id)
    form = JoinDecisionForm(request.POST or None, version=application.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        name, org = application.person.name, application.organization.name
        try:
            if data["decision"] == APPROVE:
                services.join_approve(
                    actor=user,
                    application=application,
                    expected_version=versioning.expected_from(form),
                )
                messages.success(request, APPROVED.format(name=name, org=org))
            else:
                services.join_reject(
                    actor=user,
                    application=application,
                    reason=data["reason"],
                    expected_version=versioning.expected_from(form),
                )
                messages.success(request, REJECTED.format(name=name))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect("portal_join_queue")
    year, quarter = selectors.quarter_of(timezone.localdate())
    return render(
        request,
        "portal/staff/join_decide.html",
        {
            "application": application,
            "form": form,
            "can_decide": application.status == ReviewStatus.PENDING
            and not user.is_read_only
            and user.role in access.STAFF_ROLES,
            "quarter": next(
                (
                    r
                    for r in selectors.quota_rows(application.organization)
                    if (r.year, r.quarter) == (year, quarter)
                ),
                None,
            ),
            "others": selectors.other_applications_for_user(user, application)[:10],
        },
        status=400 if form.errors else 200,
    )


@role_required(*access.PORTAL_STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def organization_quota(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = _user(request)
    organization = selectors.organization_for_quota(user, organization_id)
    form = QuotaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.quota_set(
                actor=user,
                organization=organization,
                year=data["year"],
                quarter=data["quarter"],
                limit=data["limit"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            label = f"{data['year']}年第{data['quarter']}季度"
            messages.success(request, QUOTA_SAVED.format(label=label))
            return redirect("portal_join_organization", organization_id=organization.pk)
    if not form.is_bound:
        year, quarter = selectors.quarter_of(timezone.localdate())
        form.initial.update(year=year, quarter=quarter)
    return render(
        request,
        "portal/staff/join_organization.html",
        {
            "organization": organization,
            "form": form,
            "rows": selectors.quota_rows(organization),
            "applications": selectors.join_queue(user, status="")
            .filter(organization=organization)
            .order_by("-submitted_at")[:30],
            "can_write": not user.is_read_only and user.role in access.STAFF_ROLES,
        },
        status=400 if form.errors else 200,
    )
