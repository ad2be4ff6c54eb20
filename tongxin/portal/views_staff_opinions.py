"""Staff's inbox of opinions sent through the portal (/portal-admin/opinions/): the submissions of
people in one's scope, each with its text and files; staff answer it directly or turn it into a
case (转为诉求), whose resolution the person then reads as the answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import form_errors
from tongxin.work.attachments import open_stored
from tongxin.work.checks import can_write_owned

from . import selectors_opinions as selectors
from . import services_opinions as services
from .forms_opinions import AnswerForm, InboxFilterForm, ToCaseForm
from .models_requests import Submission, SubmissionStatus

inbox_view = role_required(*access.PORTAL_STAFF_ROLES)
ANSWERED = "已答复。反映人会在个人门户看到答复，并收到短信提醒。"
CASE_MADE = "已转为诉求并受理。请选择承办单位和办理时限，交办办理；办结后反映人会看到办理结果。"
FIX_BELOW = "未保存：请按下方提示修改后再提交。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
@inbox_view
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = InboxFilterForm(request.GET)
    page = paginate(request, selectors.inbox(user, **form.values()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "waiting": selectors.waiting_count(user),
    }
    htmx = bool(getattr(request, "htmx", False))
    template = "portal/staff/opinion_rows.html" if htmx else "portal/staff/opinion_list.html"
    return render(request, template, context)


def _detail(
    request: HttpRequest,
    submission: Submission,
    answer: AnswerForm | None = None,
    to_case: ToCaseForm | None = None,
) -> HttpResponse:
    user = _user(request)
    open_ = submission.status == SubmissionStatus.SUBMITTED and can_write_owned(user, submission)
    if open_:
        answer = answer or AnswerForm()
        to_case = to_case or ToCaseForm(
            user, initial={"title": submission.title, "line": submission.line_id}
        )
    return render(
        request,
        "portal/staff/opinion_detail.html",
        {
            "submission": submission,
            "state": selectors.progress(submission),
            "files": list(submission.attachments.all()),
            "answer_form": answer if open_ else None,
            "case_form": to_case if open_ else None,
            "registry_links": access.can_use_registry(user),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@inbox_view
def detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    return _detail(request, selectors.inbox_detail(_user(request), submission_id))


@require_POST
@inbox_view
def answer(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = _user(request)
    submission = selectors.inbox_detail(user, submission_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.submission_answer(
                actor=user, submission=submission, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # handled meanwhile: nothing left to fix here
                messages.error(request, "".join(exc.messages))
                return redirect("portal_staff_opinion_detail", submission_id=submission.pk)
            form_errors(form, exc)
        else:
            messages.success(request, ANSWERED)
            return redirect("portal_staff_opinion_detail", submission_id=submission.pk)
    messages.error(request, FIX_BELOW)
    return _detail(request, submission, answer=form)


@require_POST
@inbox_view
def to_case(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = _user(request)
    submission = selectors.inbox_detail(user, submission_id)
    form = ToCaseForm(user, request.POST)
    if form.is_valid():
        try:
            case = services.submission_to_case(
                actor=user,
                submission=submission,
                title=form.cleaned_data["title"],
                line=form.cleaned_data["line"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, "".join(exc.messages))
                return redirect("portal_staff_opinion_detail", submission_id=submission.pk)
            form_errors(form, exc)
        else:
            messages.success(request, CASE_MADE)
            return redirect("case_detail", case_id=case.pk)
    messages.error(request, FIX_BELOW)
    return _detail(request, submission, to_case=form)


@require_GET
@login_required
def attachment(request: HttpRequest, file_id: int) -> FileResponse:
    access.require_role(request.user, *access.PORTAL_STAFF_ROLES)
    found = selectors.staff_attachment(_user(request), file_id)
    return FileResponse(
        open_stored(found),  # type: ignore[arg-type]
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
