"""Activity pages: the list with filters, the detail (organizers, participants by role, outcomes,
files), create and edit, and the small forms that add and remove participants, promoted projects
and credit agreements. Staff edit; leaders read; a liaison reads the activities their unit
organized or joined, without the people in them (the scoping rules see to that)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access, versioning
from tongxin.core.models import Role, User
from tongxin.core.views.helpers import paginate, query_without_page
from tongxin.governance.models import Mechanism, MechanismKind
from tongxin.registry import selectors as registry_selectors
from tongxin.registry.models import CodeItem, CodeKind
from tongxin.registry.views import flash_errors, form_errors, form_page

from . import attachments, checks
from . import forms_activities as forms
from . import selectors_activities as selectors
from . import services_activities as services
from .models import Activity, CreditAgreement, Participation, PromotedProject

View = Callable[..., HttpResponseBase]
HEADING = "工作 · 活动"
PERSON_RESULTS = 8
NO_FILE = "请选择要上传的文件。"


def work_view(view: View) -> View:
    """Log in first; auditors (and any role without work records) get 403 saying why."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.can_use_activities(request.user):
            raise PermissionDenied(access.ROLE_FORBIDDEN)
        return view(request, *args, **kwargs)

    return wrapped


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def can_edit(user: User) -> bool:
    return access.has_role(user, *checks.STAFF)


def require_editor(user: User) -> None:
    """Leaders and liaisons read; only admins and staff write (403 otherwise)."""
    checks.check_writer(user)


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- list and detail ------------------------------------------------------------------------------


@work_view
def activity_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = forms.ActivityListForm(user, request.GET)
    page = paginate(request, selectors.activity_list(user, form.activity_filter()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_edit": can_edit(user),
        "is_liaison": user.role == Role.LIAISON,
    }
    template = "work/activity_rows.html" if is_htmx(request) else "work/activity_list.html"
    return render(request, template, context)


def detail_context(user: User, activity: Activity) -> dict[str, Any]:
    parts = selectors.activity_parts(user, activity)
    organizations = [*parts.organizer_organizations, *parts.landed_enterprises]
    organizations += [c.enterprise for c in parts.credits]
    people = [p.person for g in parts.groups for p in g.participations if p.person]
    # Links to the registry only where the user could open the record anyway.
    registry = access.can_use_registry(user)
    return {
        "activity": activity,
        # The mechanism a meeting belongs to, linked only for those who may open it.
        "mechanism": access.scope(user, Mechanism.objects.filter(pk=activity.mechanism_id)).first()
        if activity.mechanism_id
        else None,
        "parts": parts,
        "openable": selectors.visible_ids(user, organizations) if registry else set(),
        "openable_people": selectors.visible_ids(user, people) if registry else set(),
        "can_edit": can_edit(user),
        "is_liaison": user.role == Role.LIAISON,
        "participant_form": forms.ParticipationForm(user) if can_edit(user) else None,
        "project_form": forms.ProjectForm(),
        "credit_form": forms.CreditForm(user) if can_edit(user) else None,
        "max_mb": attachments.MAX_ATTACHMENT_MB,
        "upload_url": reverse("activity_attachment_add", args=[activity.pk]),
    }


@work_view
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = user_of(request)
    activity = selectors.activity_detail(user, activity_id)
    return render(request, "work/activity_detail.html", detail_context(user, activity))


# --- create and edit ------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: forms.ActivityForm, *, title: str, back_url: str
) -> HttpResponse:
    return render(
        request,
        "work/activity_form.html",
        {"form": form, "title": title, "back_url": back_url, "heading": HEADING},
    )


@work_view
def activity_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_editor(user)
    form = forms.ActivityForm(user, request.POST or None, initial=_meeting_initial(user, request))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, f"已新增活动“{activity.title}”。可继续添加参加人员、成果和附件。"
            )
            return redirect("activity_detail", activity_id=activity.pk)
    return _form_page(request, form, title="新增活动", back_url=reverse("activity_list"))


def _meeting_initial(user: User, request: HttpRequest) -> dict[str, Any]:
    """``?mechanism=<id>`` (the mechanism page's 新增会议) fills in a meeting of that mechanism:
    its type, region and line; a mechanism out of sight fills in nothing."""
    pk = request.GET.get("mechanism", "")
    mechanism = (
        access.scope(user, Mechanism.objects.filter(pk=pk)).first() if pk.isdigit() else None
    )
    if mechanism is None:
        return {}
    code = "lingdao" if mechanism.kind == MechanismKind.LEADING_GROUP else "lianxi"
    return {
        "mechanism": mechanism.pk,
        "type": CodeItem.objects.filter(kind=CodeKind.ACTIVITY_TYPE, code=code).first(),
        "region": mechanism.region_id,
        "line": mechanism.line_id,
        "title": f"{mechanism.name}全体会议",
    }


@work_view
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = user_of(request)
    activity = selectors.activity_detail(user, activity_id)
    require_editor(user)
    # The form works on its own copy: a refused save leaves the fetched record untouched.
    form = forms.ActivityForm(
        user, request.POST or None, instance=Activity.objects.get(pk=activity.pk)
    )
    versioning.add_version_field(form, activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=user, activity=activity, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("activity_detail", activity_id=activity.pk)
    return _form_page(
        request,
        form,
        title=f"编辑：{activity.title}",
        back_url=reverse("activity_detail", args=[activity.pk]),
    )


# --- participants ---------------------------------------------------------------------------------


def people_matching(user: User, q: str) -> list[Any]:
    if not q.strip():
        return []
    found = registry_selectors.person_list(user, registry_selectors.PersonFilter(q=q))
    return list(found[:PERSON_RESULTS])


def person_choices(request: HttpRequest, form: Any) -> dict[str, Any]:
    """The person part of a participant or author page: the people found for ``q``, with the one
    picked before a refused POST kept at the top."""
    q = request.GET.get("q", "")
    people = people_matching(user_of(request), q)
    picked = form.cleaned_data.get("person") if form.is_bound else None
    if picked is not None and picked not in people:
        people.insert(0, picked)
    return {
        "q": q or (picked.name if picked else ""),
        "people": people,
        "chosen": str(picked.pk) if picked else "",
        "heading": HEADING,
    }


@require_GET
@work_view
def person_search(request: HttpRequest) -> HttpResponse:
    """People in the user's scope for a participant or author form (htmx swaps the choices in)."""
    user = user_of(request)
    require_editor(user)
    q = request.GET.get("q", "")
    return render(
        request,
        "work/activity_person_choices.html",
        {"people": people_matching(user, q), "q": q, "chosen": request.GET.get("person", "")},
    )


def _back(activity: Activity, anchor: str) -> str:
    return reverse("activity_detail", args=[activity.pk]) + f"#{anchor}"


@work_view
def participant_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = user_of(request)
    activity = selectors.activity_detail(user, activity_id)
    require_editor(user)
    form = forms.ParticipationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.participations_add(
                actor=user, activity=activity, participants=[form.spec()]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加参加人员：{added[0]}。")
            return redirect(_back(activity, "participants"))
    return render(
        request,
        "work/activity_participant_form.html",
        {"activity": activity, "form": form, "back_url": _back(activity, "participants")}
        | person_choices(request, form),
    )


@require_POST
@work_view
def participant_remove(request: HttpRequest, participation_id: int) -> HttpResponse:
    user = user_of(request)
    row = access.get_for_user(
        user,
        Participation.objects.select_related("activity", "person", "unit"),
        pk=participation_id,
    )
    require_editor(user)
    services.participation_remove(actor=user, participation=row)
    messages.success(request, f"已从参加名单中移除：{row}。")
    return redirect(_back(row.activity, "participants"))


# --- projects and credits -------------------------------------------------------------------------


@work_view
def project_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = user_of(request)
    activity = selectors.activity_detail(user, activity_id)
    require_editor(user)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_add(actor=user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加推介项目“{project.name}”。")
            return redirect(_back(activity, "outcomes"))
    return form_page(
        request,
        form,
        title=f"{activity.title}：添加推介项目",
        back_url=_back(activity, "outcomes"),
        submit="添加",
        heading=HEADING,
    )


@require_POST
@work_view
def project_remove(request: HttpRequest, project_id: int) -> HttpResponse:
    user = user_of(request)
    project = access.get_for_user(
        user, PromotedProject.objects.select_related("activity"), pk=project_id
    )
    require_editor(user)
    services.project_remove(actor=user, project=project)
    messages.success(request, f"已删除推介项目“{project.name}”。")
    return redirect(_back(project.activity, "outcomes"))


@work_view
def credit_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = user_of(request)
    activity = selectors.activity_detail(user, activity_id)
    require_editor(user)
    form = forms.CreditForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit = services.credit_add(actor=user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                f"已添加授信签约：{credit.enterprise} · {credit.bank} · {credit.amount}万元。",
            )
            return redirect(_back(activity, "outcomes"))
    return form_page(
        request,
        form,
        title=f"{activity.title}：添加授信签约",
        back_url=_back(activity, "outcomes"),
        submit="添加",
        heading=HEADING,
    )


@require_POST
@work_view
def credit_remove(request: HttpRequest, credit_id: int) -> HttpResponse:
    user = user_of(request)
    credit = access.get_for_user(
        user, CreditAgreement.objects.select_related("activity", "enterprise"), pk=credit_id
    )
    require_editor(user)
    services.credit_remove(actor=user, credit=credit)
    messages.success(request, f"已删除授信签约：{credit}。")
    return redirect(_back(credit.activity, "outcomes"))


# --- files ----------------------------------------------------------------------------------------


def upload(request: HttpRequest, back_url: str, **owner: Any) -> HttpResponse:
    """Store one uploaded file on an activity or an output; a refusal is said in Chinese and
    nothing is stored."""
    user = user_of(request)
    require_editor(user)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, NO_FILE)
        return redirect(back_url)
    try:
        attachment = attachments.attachment_add(actor=user, upload=file, **owner)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已上传附件“{attachment.original_name}”。")
    return redirect(back_url)


@require_POST
@work_view
def activity_attachment_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_detail(user_of(request), activity_id)
    return upload(request, _back(activity, "attachments"), activity=activity)
