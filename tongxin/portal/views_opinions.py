"""The person's opinion pages: what they sent and where it stands, the form to send one, the
answer and its rating, and the files they attached (theirs only: anyone else's is 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tongxin.registry.views import form_errors
from tongxin.work.attachments import open_stored

from . import rates
from . import selectors_opinions as selectors
from . import services_opinions as services
from .forms_opinions import RatingForm, SubmissionForm
from .models import PortalAccount
from .realm import portal_login_required

SENT = "已提交。工作人员处理后会在这里答复，并以短信提醒您。"
RATED = "感谢您的评价。"
FIX_BELOW = "未提交：请按下方提示修改后再提交。"


@require_GET
@portal_login_required
def opinion_list(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    submissions = list(selectors.own_submissions(account))
    rows = [(s, selectors.progress(s)) for s in submissions]
    return render(request, "portal/opinion_list.html", {"rows": rows})


@portal_login_required
def opinion_create(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        rates.limit(request, group="opinion", setting="PORTAL_RATE_SUBMIT", account=account)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = services.submission_create(
                    account=account,
                    kind=data["kind"],
                    title=data["title"],
                    text_=data["text"],
                    line=data["line"],
                    uploads=data["uploads"],
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, SENT)
                return redirect("portal_opinion_detail", submission_id=submission.pk)
        # A refused file is named at the top too: on a phone its field is screens below.
        refused = [str(e) for e in form.errors.get("uploads", [])]
        messages.error(request, "".join(refused) or FIX_BELOW)
    return render(request, "portal/opinion_form.html", {"form": form})


def _detail(
    request: HttpRequest, account: PortalAccount, submission_id: int, rating: RatingForm | None
) -> HttpResponse:
    submission = selectors.own_submission(account, submission_id)
    state = selectors.progress(submission)
    return render(
        request,
        "portal/opinion_detail.html",
        {
            "submission": submission,
            "state": state,
            "files": list(submission.attachments.all()),
            "rating_form": rating or (RatingForm() if state.can_rate else None),
        },
        status=400 if rating is not None else 200,
    )


@require_GET
@portal_login_required
def opinion_detail(
    request: HttpRequest, account: PortalAccount, submission_id: int
) -> HttpResponse:
    return _detail(request, account, submission_id, None)


@require_POST
@portal_login_required
def opinion_rate(request: HttpRequest, account: PortalAccount, submission_id: int) -> HttpResponse:
    submission = selectors.own_submission(account, submission_id)
    rates.limit(request, group="rating", setting="PORTAL_RATE_SUBMIT", account=account)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.submission_rate(
                account=account,
                submission=submission,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, "".join(exc.messages))
        else:
            messages.success(request, RATED)
        return redirect("portal_opinion_detail", submission_id=submission.pk)
    return _detail(request, account, submission_id, form)


@require_GET
@portal_login_required
def opinion_file(request: HttpRequest, account: PortalAccount, file_id: int) -> HttpResponse:
    attachment = selectors.own_attachment(account, file_id)
    # A streamed file, not an HttpResponse: portal_login_required is typed for pages.
    return FileResponse(  # type: ignore[return-value]
        open_stored(attachment),  # type: ignore[arg-type]
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
