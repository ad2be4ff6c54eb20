"""督办事项 pages: the list with filters (the department's overdue list is ``?due=overdue``), the
form of a new task, the detail page with the timeline, its files and the actions this user may
take now, and the one endpoint every action posts to.

A refused action changes nothing and says why in Chinese: a move the state machine does not
allow, or one this user may not make, comes back as a message on the refreshed page; a form with
a missing field or a refused file comes back with the field marked."""

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
from tongxin.work.models import DUE_SOON_DAYS

from . import forms_tasks as forms
from . import selectors_tasks as selectors
from . import services_tasks as services
from .checks import is_task_handler
from .models import Task, TaskEvent, TaskEventKind, TaskState

# Staff and leaders see the tasks of their scope, a liaison those assigned to their unit.
task_view = role_required(*access.CASE_ROLES)
S = TaskState
FIX_BELOW = "未保存：请按下方提示修改后再提交。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@task_view
def task_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.TaskListForm(user, request.GET)
    page = paginate(request, selectors.task_list(user, form.task_filter()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_create": access.has_role(user, *services.STAFF),
        "is_liaison": user.role == Role.LIAISON,
        "due_soon_days": DUE_SOON_DAYS,
    }
    template = "governance/_task_rows.html" if request.htmx else "governance/task_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@task_view
def task_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_write(user, *services.STAFF)
    form = forms.TaskForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, f"已交办“{task.assignee}”，办理时限 {task.deadline:%Y-%m-%d}。"
            )
            return redirect("task_detail", task_id=task.pk)
    return render(
        request, "governance/task_form.html", {"form": form, "back_url": reverse("task_list")}
    )


# --- the timeline ---------------------------------------------------------------------------------

# (icon, colour) of a step, by the state it reached or the kind of event that keeps the state.
STEP_LOOK: dict[str, tuple[str, str]] = {
    "issued": ("bi-send", "info"),
    S.PENDING: ("bi-send", "info"),
    S.IN_PROGRESS: ("bi-play-fill", "info"),
    S.DONE: ("bi-check-lg", "success"),
    TaskEventKind.RETURN: ("bi-arrow-return-left", "warning"),
    TaskEventKind.PROGRESS: ("bi-chat-left-text", "secondary"),
    TaskEventKind.REMINDER: ("bi-alarm", "warning"),
    TaskEventKind.OVERDUE: ("bi-exclamation-triangle", "danger"),
}
MOVE_TITLES: dict[tuple[str, str], str] = {
    (S.PENDING, S.IN_PROGRESS): "开始办理",
    (S.IN_PROGRESS, S.DONE): "办结",
    (S.RETURNED, S.PENDING): "重新交办",
}


def _step(event: TaskEvent) -> dict[str, Any]:
    """How one timeline row reads: "交办", "开始办理", "退回（办理中 → 已退回）", "报告进展"…"""
    moved = event.from_state != event.to_state
    if event.kind == TaskEventKind.TRANSITION and not moved:
        title, look = "交办", STEP_LOOK["issued"]  # the first row of every task
    elif event.kind == TaskEventKind.TRANSITION:
        title = MOVE_TITLES.get(
            (event.from_state, event.to_state),
            f"{event.get_from_state_display()} → {event.get_to_state_display()}",
        )
        look = STEP_LOOK[event.to_state]
    elif event.kind == TaskEventKind.RETURN:
        title = f"退回（{event.get_from_state_display()} → {event.get_to_state_display()}）"
        look = STEP_LOOK[TaskEventKind.RETURN]
    elif event.kind == TaskEventKind.PROGRESS:
        title, look = "报告进展", STEP_LOOK[TaskEventKind.PROGRESS]
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
        "files": list(event.attachments.all()),
    }


def _first_move(user: User, task: Task, actions: list[forms.Action]) -> str:
    """The action shown open: the assignee's next step; the department's only to reissue."""
    if not actions:
        return ""
    if is_task_handler(user, task):
        return actions[0].key
    return "reissue" if actions[0].key == "reissue" else ""


def _detail(
    request: HttpRequest, task: Task, bound: forms.ActionForm | None = None
) -> HttpResponse:
    user = _user(request)
    actions = forms.actions_for(user, task)
    days = task.days_left
    return render(
        request,
        "governance/task_detail.html",
        {
            "task": task,
            "steps": [_step(e) for e in selectors.task_timeline(user, task)],
            "actions": forms.action_forms(user, task, actions, bound),
            "open_action": bound.prefix if bound is not None else _first_move(user, task, actions),
            "due_soon": days is not None and 0 <= days <= DUE_SOON_DAYS,
            "is_handler": is_task_handler(user, task),
        },
    )


@task_view
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return _detail(request, selectors.task_detail(_user(request), task_id))


# --- the actions ----------------------------------------------------------------------------------


def _perform(action: forms.Action, form: forms.ActionForm, task: Task, user: User) -> str:
    """Call the service for ``action``; returns the sentence that confirms it."""
    data = form.cleaned_data
    if action.key == "progress":
        event = services.task_progress(
            task=task, actor=user, note=data["note"], files=data.get("attachments") or []
        )
        count = event.attachments.count()
        return "已报告办理进展" + (f"，附件 {count} 个。" if count else "。")
    assert action.to_state is not None
    task = services.task_transition(
        task=task,
        to_state=action.to_state,
        actor=user,
        note=data.get("note", ""),
        result=data.get("result", ""),
        deadline=data.get("deadline"),
    )
    if action.key == "return":
        return "已退回督办单位，等待重新交办。"
    if action.key == "reissue":
        return f"已重新交办“{task.assignee}”，办理时限 {task.deadline:%Y-%m-%d}。"
    return f"已{action.label}，督办事项状态现为“{task.get_state_display()}”。"


def _on_form_fields(exc: ValidationError) -> ValidationError:
    """The service names a report's files ``files``; the form's field is ``attachments`` (a
    form's ``files`` is its uploads)."""
    if not hasattr(exc, "error_dict") or "files" not in exc.error_dict:
        return exc
    return ValidationError(
        {("attachments" if k == "files" else k): v for k, v in exc.error_dict.items()}
    )


@require_POST
@task_view
def task_act(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = selectors.task_detail(user, task_id)
    access.require_write(user)
    back = redirect("task_detail", task_id=task.pk)
    action = forms.ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, forms.ACTION_UNKNOWN)
        return back
    refused = forms.refusal(user, task, action)
    if refused:
        messages.error(request, refused)
        return back
    form = action.form(request.POST, request.FILES, user=user, task=task, prefix=action.key)
    if not form.is_valid():
        messages.error(request, FIX_BELOW)
        return _detail(request, task, bound=form)
    try:
        done = _perform(action, form, task, user)
    except (services.IllegalTaskTransition, PermissionDenied) as exc:
        # Someone else moved the task meanwhile, or the user may not: the fresh page shows why.
        messages.error(request, str(exc))
        return back
    except ValidationError as exc:
        form_errors(form, _on_form_fields(exc))
        messages.error(request, FIX_BELOW)
        return _detail(request, task, bound=form)
    messages.success(request, done)
    return back
