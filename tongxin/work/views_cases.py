"""Cases (诉求/困难问题): the list with filters, the detail page with the whole timeline and the
actions this user may take now, the form for walk-in and face-to-face cases, and the one endpoint
every action posts to.

A refused action changes nothing and says why in Chinese: a move the state machine does not
allow, or one this user may not make, comes back as a message on the refreshed page; a form with
a missing field comes back with the field marked."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongxin.core import access
from tongxin.core.models import Role, User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import form_errors

from . import checks, services
from . import forms_case_actions as acts
from . import forms_cases as forms
from . import selectors_cases as selectors
from .case_metrics import resolution_stats
from .models import Case, CaseEvent, CaseEventKind, CaseStatus

case_view = role_required(*access.CASE_ROLES)
S = CaseStatus
FIX_BELOW = "未保存：请按下方提示修改后再提交。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@case_view
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.CaseListForm(user, request.GET)
    cases = selectors.case_list(user, form.case_filter())
    page = paginate(request, cases)
    context = {
        "form": form,
        "page": page,
        "stats": resolution_stats(cases),
        "query": query_without_page(request),
        "can_create": access.can_edit_registry(user),
        "is_liaison": user.role == Role.LIAISON,
    }
    template = "work/_case_rows.html" if request.htmx else "work/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# --- the timeline ---------------------------------------------------------------------------------

# (icon, colour) of a step, by the state it reached or the kind of event that keeps the state.
STEP_LOOK: dict[str, tuple[str, str]] = {
    S.ACCEPTED: ("bi-inbox", "secondary"),
    S.ASSIGNED: ("bi-send", "info"),
    S.IN_PROGRESS: ("bi-play-fill", "info"),
    S.RESOLVED: ("bi-check-lg", "success"),
    S.FOLLOWED_UP: ("bi-telephone", "success"),
    CaseEventKind.RETURN: ("bi-arrow-return-left", "warning"),
    CaseEventKind.EXTEND: ("bi-calendar-plus", "info"),
    CaseEventKind.PROGRESS: ("bi-chat-left-text", "secondary"),
    CaseEventKind.REMINDER: ("bi-alarm", "warning"),
    CaseEventKind.OVERDUE: ("bi-exclamation-triangle", "danger"),
    CaseEventKind.ARCHIVE: ("bi-archive", "secondary"),
    CaseEventKind.RESTORE: ("bi-arrow-counterclockwise", "secondary"),
}


def _step(event: CaseEvent) -> dict[str, Any]:
    """How one timeline row reads: "受理 → 交办", "退回（办理中 → 受理）", "报告进展"…"""
    moved = event.from_status != event.to_status
    if event.kind == CaseEventKind.TRANSITION and not moved:
        title, look = "受理", STEP_LOOK[S.ACCEPTED]  # the first row of every case
    elif event.kind == CaseEventKind.TRANSITION:
        title = f"{event.get_from_status_display()} → {event.get_to_status_display()}"
        look = STEP_LOOK[event.to_status]
    elif event.kind == CaseEventKind.RETURN:
        title = f"退回（{event.get_from_status_display()} → {event.get_to_status_display()}）"
        look = STEP_LOOK[CaseEventKind.RETURN]
    elif event.kind == CaseEventKind.PROGRESS:
        title, look = "报告进展", STEP_LOOK[CaseEventKind.PROGRESS]
    else:
        title, look = event.get_kind_display(), STEP_LOOK[event.kind]
    actor = event.actor
    who = "系统" if actor is None else (actor.name or actor.username)
    unit = actor.unit.short_name or actor.unit.name if actor and actor.unit else ""
    return {
        "event": event,
        "title": title,
        "icon": look[0],
        "colour": look[1],
        "who": who,
        "unit": unit,
    }


def _first_move(user: User, actions: list[acts.Action]) -> str:
    """The action shown open: the next step of whoever is expected to take it (staff assign and
    follow up, the unit's liaison handles); staff watching a unit's work see them all closed."""
    if not actions:
        return ""
    first = actions[0]
    if user.role == Role.LIAISON or first.key in ("assign", "follow_up"):
        return first.key
    return ""


def _detail(request: HttpRequest, case: Case, bound: acts.ActionForm | None = None) -> HttpResponse:
    user = _user(request)
    actions = acts.actions_for(user, case)
    return render(
        request,
        "work/case_detail.html",
        {
            "case": case,
            "units": list(case.units.all()),
            "steps": [_step(e) for e in selectors.case_timeline(user, case)],
            "actions": acts.action_forms(user, case, actions, bound),
            "open_action": bound.prefix if bound is not None else _first_move(user, actions),
            # A liaison reads the requester's name, but opens nothing of the registry.
            "registry_links": access.can_use_registry(user),
            "can_archive": checks.can_write_owned(user, case),
        },
    )


@case_view
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _detail(request, selectors.case_detail(_user(request), case_id))


@case_view
def case_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_write(user, *services.STAFF)
    form = forms.CaseForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已受理。请选择承办单位和办理时限，交办办理。")
            return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "work/case_form.html",
        {"form": form, "chosen": form.chosen_target(), "back_url": reverse("case_list")},
    )


# --- the actions ----------------------------------------------------------------------------------


def _perform(action: acts.Action, form: acts.ActionForm, case: Case, user: User) -> str:
    """Call the service for ``action``; returns the sentence that confirms it."""
    data = form.cleaned_data
    if action.key == "progress":
        services.case_progress(case=case, actor=user, note=data["note"])
        return "已记录办理进展。"
    if action.key == "extend":
        services.case_extend(
            case=case, actor=user, deadline=data["deadline"], reason=data["reason"]
        )
        return f"办理时限已延至 {data['deadline']:%Y-%m-%d}。"
    assert action.to_status is not None
    case = services.case_transition(
        case=case,
        to_status=action.to_status,
        actor=user,
        note=data.get("note", ""),
        resolution=data.get("resolution", ""),
        satisfaction=data.get("satisfaction", ""),
        units=data.get("units"),
        deadline=data.get("deadline"),
    )
    if action.key == "assign":
        names = "、".join(u.short_name or u.name for u in data["units"])
        return f"已交办{names}，办理时限 {case.deadline:%Y-%m-%d}。"
    if action.key == "return":
        return "已退回统战部，等待重新交办。"
    return f"已{action.label}，诉求状态现为“{case.get_status_display()}”。"


@require_POST
@case_view
def case_act(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_detail(user, case_id)
    access.require_write(user)
    back = redirect("case_detail", case_id=case.pk)
    action = acts.ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, acts.ACTION_UNKNOWN)
        return back
    refused = acts.refusal(user, case, action)
    if refused:
        messages.error(request, refused)
        return back
    form = action.form(request.POST, user=user, case=case, prefix=action.key)
    if not form.is_valid():
        messages.error(request, FIX_BELOW)
        return _detail(request, case, bound=form)
    try:
        done = _perform(action, form, case, user)
    except (services.IllegalTransition, PermissionDenied) as exc:
        # Someone else moved the case meanwhile, or the user may not: the fresh page shows why.
        messages.error(request, str(exc))
        return back
    except ValidationError as exc:
        form_errors(form, exc)
        messages.error(request, FIX_BELOW)
        return _detail(request, case, bound=form)
    messages.success(request, done)
    return back


@require_POST
@case_view
def case_archive(request: HttpRequest, case_id: int) -> HttpResponse:
    """归档 (with its reason) or 恢复 a case: it stays, but counts in no figure while archived."""
    user = _user(request)
    case = selectors.case_detail(user, case_id)
    access.require_write(user, *services.STAFF)
    try:
        if request.POST.get("restore"):
            services.case_restore(case=case, actor=user, note=request.POST.get("note", ""))
            messages.success(request, "已恢复，该诉求重新计入各项统计。")
        else:
            services.case_archive(case=case, actor=user, reason=request.POST.get("reason", ""))
            messages.success(request, "已归档。该诉求保留在系统中，但不再计入任何统计数字。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("case_detail", case_id=case.pk)
