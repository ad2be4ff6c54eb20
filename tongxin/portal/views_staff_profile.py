"""Staff review of 本人申报 (/portal-admin/profile-requests/): the queue of the people in one's
scope, a request with its before/after table, and the decision (approve, reject with a reason,
or mark a correction handled with a reply). A request outside one's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tongxin.core import access
from tongxin.core.models import User
from tongxin.core.versioning import EditConflict, expected_from
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import form_errors

from . import forms_profile as forms
from . import selectors_profile as selectors
from . import services_profile as services
from .models import ProfileRequestKind, ReviewStatus

review_view = role_required(*access.PORTAL_STAFF_ROLES)
DONE = {
    "approve": "已通过，变更已更新到名册，并已短信通知申报人。",
    "reject": "已退回申报，并已短信通知申报人。",
    "handle": "已标记为已处理，申报人会在个人门户看到您的答复。",
}
FIX_BELOW = "未处理：请按下方提示修改后再提交。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@review_view
def request_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status, kind = forms.QueueFilterForm(request.GET).values()
    form = forms.QueueFilterForm({"status": status, "kind": kind})
    page = paginate(request, selectors.staff_queue(user, status=status, kind=kind))
    return render(
        request,
        "portal/staff/profile_requests.html",
        {
            "form": form,
            "page": page,
            "rows": [(r, selectors.summary(r)) for r in page.object_list],
            "query": query_without_page(request),
            "status": status,
        },
    )


def _detail(
    request: HttpRequest, user: User, request_id: int, bound: forms.DecisionForm | None = None
) -> HttpResponse:
    found = selectors.staff_request(user, request_id)
    can_decide = (
        access.has_role(user, *access.STAFF_ROLES)
        and not user.is_read_only
        and found.status == ReviewStatus.PENDING
    )
    decisions = ["handle"] if found.kind == ProfileRequestKind.CORRECTION else ["approve", "reject"]
    return render(
        request,
        "portal/staff/profile_request.html",
        {
            "r": found,
            "rows": selectors.change_rows(found, found.person),
            "others": selectors.open_requests_of(user, found.person).exclude(pk=found.pk)[:10],
            "can_decide": can_decide,
            "decisions": [(d, forms.DECISIONS[d]) for d in decisions],
            "form": bound or forms.DecisionForm(profile_request=found),
            "registry_link": access.can_use_registry(user),
        },
        status=422 if bound is not None else 200,
    )


@review_view
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _user(request), request_id)


@require_POST
@review_view
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _user(request)
    found = selectors.staff_request(user, request_id)
    access.require_write(user, *access.STAFF_ROLES)
    form = forms.DecisionForm(request.POST, profile_request=found)
    if not form.is_valid():
        messages.error(request, FIX_BELOW)
        return _detail(request, user, request_id, bound=form)
    decision = form.cleaned_data["decision"]
    reason = form.cleaned_data["reason"]
    expected = expected_from(form)
    try:
        if decision == "approve":
            services.request_approve(
                actor=user, profile_request=found, reason=reason, expected_version=expected
            )
        elif decision == "reject":
            services.request_reject(
                actor=user, profile_request=found, reason=reason, expected_version=expected
            )
        else:
            services.correction_handle(
                actor=user, profile_request=found, reply=reason, expected_version=expected
            )
    except (EditConflict, PermissionDenied) as exc:
        messages.error(request, "".join(getattr(exc, "messages", [str(exc)])))
        return redirect("portal_profile_request_review", request_id=found.pk)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            form_errors(form, exc)
            messages.error(request, FIX_BELOW)
            return _detail(request, user, request_id, bound=form)
        # Decided meanwhile, withdrawn, or the registry refused the values: the page says why.
        messages.error(request, "".join(exc.messages))
        return redirect("portal_profile_request_review", request_id=found.pk)
    messages.success(request, DONE[decision])
    return redirect("portal_profile_request_review", request_id=found.pk)
