"""Pages of duty reports (述职): the list (a liaison sees their own unit's), a report with its
score, the form on which a member unit's liaison submits (or, before scoring, resubmits) the year's
report, and the score the staff who keep the mechanism give it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tongxin.core import access, versioning
from tongxin.core.models import Role, User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import error_text, form_errors
from tongxin.work.checks import STAFF

from . import forms_mechanisms as forms
from . import selectors_mechanisms as selectors
from . import services_duty as duty
from .models import DutyReport, DutyReportState, MemberUnit

duty_view = role_required(*access.CASE_ROLES)
HEADING = "机制与考核 · 述职"
NOT_SCORER = "只有负责本机制的业务人员可以为述职报告评分。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@duty_view
def duty_report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.DutyReportListForm(user, request.GET)
    page = paginate(request, selectors.duty_report_list(user, form.report_filter()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "is_liaison": user.role == Role.LIAISON,
        "heading": HEADING,
    }
    template = (
        "governance/_duty_rows.html"
        if getattr(request, "htmx", False)
        else "governance/duty_list.html"
    )
    return render(request, template, context)


def _detail(
    request: HttpRequest, report: DutyReport, score_form: forms.ScoreForm | None = None
) -> HttpResponse:
    user = _user(request)
    mechanism = report.member.mechanism
    keeper = selectors.keeps(user, mechanism)
    if score_form is None and keeper and report.state == DutyReportState.SUBMITTED:
        score_form = forms.ScoreForm()
        versioning.add_version_field(score_form, report)
    may_resubmit = (
        selectors.liaison_may_submit(user, report.member) and report.state != DutyReportState.SCORED
    )
    return render(
        request,
        "governance/duty_detail.html",
        {
            "report": report,
            "mechanism": mechanism,
            "keeper": keeper,
            "score_form": score_form,
            "may_resubmit": may_resubmit,
            "heading": HEADING,
        },
    )


@duty_view
def duty_report_detail(request: HttpRequest, duty_report_id: int) -> HttpResponse:
    """The report; a POST scores it (staff who keep the mechanism)."""
    user = _user(request)
    report = selectors.duty_report_detail(user, duty_report_id)
    if request.method != "POST":
        return _detail(request, report)
    access.require_write(user, *STAFF)
    if not selectors.keeps(user, report.member.mechanism):
        raise PermissionDenied(NOT_SCORER)
    form = forms.ScoreForm(request.POST)
    versioning.add_version_field(form, report)
    if form.is_valid():
        try:
            scored = duty.duty_report_score(actor=user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                # Not (or no longer) awaiting a score: the fresh page shows its state.
                messages.error(request, error_text(exc))
                return redirect("duty_report_detail", duty_report_id=report.pk)
            form_errors(form, exc)
        else:
            messages.success(request, f"已评分：{scored.score:.2f} 分。")
            return redirect("duty_report_detail", duty_report_id=report.pk)
    messages.error(request, "未评分：请按下方提示修改后再提交。")
    return _detail(request, report, form)


@duty_view
def duty_report_submit(request: HttpRequest) -> HttpResponse:
    """A liaison submits their unit's report for a year (again, until it is scored)."""
    user = _user(request)
    access.require_write(user, Role.LIAISON)
    source = request.POST if request.method == "POST" else None
    initial = _initial(user, request)
    form = forms.DutySubmitForm(user, source, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = duty.duty_report_submit(
                actor=user,
                member=data["member"],
                year=data["year"],
                text_=data["text"],
                expected_version=data[versioning.FIELD],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                f"已提交{report.year}年度述职报告，等待负责本机制的业务人员评分；评分前仍可修改后重新提交。",
            )
            return redirect("duty_report_detail", duty_report_id=report.pk)
    return render(
        request,
        "governance/duty_form.html",
        {
            "form": form,
            "has_members": form.fields["member"].queryset.exists(),  # type: ignore[attr-defined]
            "resubmitting": "text" in initial,
            "heading": HEADING,
            "back_url": reverse("duty_report_list"),
        },
    )


def _initial(user: User, request: HttpRequest) -> dict[str, object]:
    """From ?member=&year=: the report already there for that unit and year, to resubmit."""
    member_id, year = request.GET.get("member", ""), request.GET.get("year", "")
    initial: dict[str, object] = {}
    if member_id.isdigit():
        member = access.scope(user, MemberUnit.objects.filter(pk=int(member_id))).first()
        if member is not None:
            initial["member"] = member.pk
            if year.isdigit():
                initial["year"] = int(year)
                report = access.scope(
                    user, DutyReport.objects.filter(member=member, year=int(year))
                ).first()
                initial |= forms.report_initial(report)
    return initial
