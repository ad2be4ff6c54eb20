"""Forms of the 督办事项 pages: the list's filters, the new task, and the actions on a task
page (开始办理, 报告进展 with files, 办结, 退回, 重新交办); which of them a user may take now, and
why one is refused (in the services' own words).

The forms validate input and hand plain values to services_tasks, which checks scope, role and
the state machine again and does the writing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.registry.forms import RegionChoiceField, scoped_regions
from tongxin.work import attachments
from tongxin.work.forms_cases import (
    DEADLINE_REQUIRED,
    REGION_REQUIRED,
    _Filter,
    _search_box,
    _style_filters,
    date_field,
    textarea,
)

from . import selectors_tasks as selectors
from . import services_tasks as services
from .checks import NOT_HANDLER, is_task_handler, is_task_keeper
from .models import Mechanism, Task, TaskState

TITLE_REQUIRED = "请填写督办事项，用一句话概括要办的事。"
OWNER_REQUIRED = "请选择督办责任人。"
RETURN_REASON_REQUIRED = "请填写退回原因，说明为什么无法办理、建议由谁办理。"
ACTION_UNKNOWN = "请选择要进行的办理操作。"
TASK_NOT_OPEN = "督办事项当前状态为“{state}”：只有待办、办理中的督办事项可以{action}。"

DUE_CHOICES = [
    ("", "全部时限"),
    ("open", "在办（待办、办理中）"),
    ("overdue", "已逾期"),
    ("soon", "3天内到期"),
]


class TaskListForm(_Filter):
    q = forms.CharField(required=False, label="查询")
    state = forms.ChoiceField(
        choices=[("", "全部状态"), *TaskState.choices], required=False, label="状态"
    )
    due = forms.ChoiceField(choices=DUE_CHOICES, required=False, label="时限")
    unit = forms.ModelChoiceField(
        Unit.objects.none(), required=False, empty_label="全部承办单位", label="承办单位"
    )
    region = RegionChoiceField(
        Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="全部承办地区",
        label="承办地区",
    )
    mechanism = forms.ModelChoiceField(
        Mechanism.objects.none(), required=False, empty_label="全部工作机制", label="工作机制"
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_with_tasks(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["mechanism"].queryset = selectors.mechanisms_with_tasks(user)  # type: ignore[attr-defined]
        self.fields["q"].widget = _search_box("督办事项的标题或内容")
        _style_filters(self)

    def task_filter(self) -> selectors.TaskFilter:
        return selectors.TaskFilter(
            q=(self.value("q") or "").strip(),
            state=self.value("state") or "",
            due=self.value("due") or "",
            unit=self.value("unit"),
            region=self.value("region"),
            mechanism=self.value("mechanism"),
        )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.region.name}）"


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name or obj.username}（{obj.region.name}）"


class TaskForm(forms.Form):
    title = forms.CharField(
        label="督办事项",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "一句话概括，如：完成新阶律师人士走访全覆盖"}),
        error_messages={"required": TITLE_REQUIRED},
    )
    text = forms.CharField(
        label="具体要求", required=False, widget=textarea(4, "要办的事、标准和要求")
    )
    expected_result = forms.CharField(
        label="预期成效", required=False, widget=textarea(2, "办成什么样，如：走访率达到100%")
    )
    assignee_unit = UnitChoiceField(
        Unit.objects.none(), label="承办单位", required=False, empty_label="不交办单位"
    )
    assignee_region = RegionChoiceField(
        Region.objects.none(), label="承办区县", required=False, empty_label="不交办区县"
    )
    deadline = date_field("办理时限", required_message=DEADLINE_REQUIRED)
    owner = OwnerChoiceField(
        User.objects.none(),
        label="督办责任人",
        empty_label="请选择",
        help_text="统战部内跟踪督办的业务人员。",
        error_messages={"required": OWNER_REQUIRED},
    )
    mechanism = forms.ModelChoiceField(
        Mechanism.objects.none(),
        label="工作机制",
        required=False,
        empty_label="不属于工作机制",
        help_text="联席会议、领导小组等议定的事项，选择所属机制；须与督办事项同区域、同条线。",
    )
    region = RegionChoiceField(
        Region.objects.none(),
        label="所属区域",
        help_text="决定谁能看到这项督办：本区域及上级的工作人员，以及承办单位、承办区县。",
        error_messages={"required": REGION_REQUIRED},
    )
    line = forms.ModelChoiceField(
        BusinessLine.objects.none(), label="条线", required=False, empty_label="不限条线"
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"region": user.region_id, "owner": user.pk}
        super().__init__(*args, **kwargs)
        units = selectors.scoped_units(user).filter(is_active=True).select_related("region")
        self.fields["assignee_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["assignee_region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = selectors.owner_choices(user)  # type: ignore[attr-defined]
        self.fields["mechanism"].queryset = selectors.task_mechanisms(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["region"].empty_label = "请选择"  # type: ignore[attr-defined]
        lines = BusinessLine.objects.all()
        if user.role == Role.CITY_STAFF:
            lines = lines.filter(users=user)
            if lines.count() == 1:
                self.initial["line"] = lines.get().pk
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]

    def clean_deadline(self) -> Any:
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise ValidationError(services.DEADLINE_IN_PAST)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both_clean = "assignee_unit" in data and "assignee_region" in data
        if both_clean and (data["assignee_unit"] is None) == (data["assignee_region"] is None):
            self.add_error("assignee_unit", services.ONE_ASSIGNEE)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text_": data["text"],
            "expected_result": data["expected_result"],
            "assignee_unit": data["assignee_unit"],
            "assignee_region": data["assignee_region"],
            "deadline": data["deadline"],
            "owner": data["owner"],
            "mechanism": data["mechanism"],
            "region": data["region"],
            "line": data["line"],
        }


# --- the actions on a task page -------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by type and content by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("error_messages", {"empty": attachments.EMPTY})
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class ActionForm(forms.Form):
    def __init__(self, *args: Any, user: User, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.task = user, task


class StartForm(ActionForm):
    note = forms.CharField(
        label="说明", required=False, widget=textarea(2, "可不填，如：已明确专人负责。")
    )


class ProgressForm(ActionForm):
    note = forms.CharField(
        label="办理进展",
        widget=textarea(3, "已做的工作、取得的进展、下一步安排"),
        error_messages={"required": services.PROGRESS_REQUIRED},
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=(
            f"可选多个文件（最多{services.MAX_REPORT_FILES}个）：PDF、Word、Excel、PowerPoint、WPS、"
            f"OFD、JPG、PNG、ZIP、TXT，每个不超过 {attachments.MAX_ATTACHMENT_MB} MB。"
        ),
    )


class CompleteForm(ActionForm):
    result = forms.CharField(
        label="办理结果",
        widget=textarea(4, "办成了什么、达到什么成效"),
        error_messages={"required": services.RESULT_REQUIRED},
    )


class ReturnForm(ActionForm):
    note = forms.CharField(
        label="退回原因",
        widget=textarea(2, "为什么无法办理，建议交给哪里"),
        error_messages={"required": RETURN_REASON_REQUIRED},
    )


class ReissueForm(ActionForm):
    deadline = date_field("新的办理时限", required=False)
    deadline.help_text = "不填则沿用原时限；原时限已过的，请定一个新的时限。"
    note = forms.CharField(
        label="说明", required=False, widget=textarea(2, "可不填，如：已与承办单位沟通明确。")
    )


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    icon: str
    form: type[ActionForm]
    to_state: str | None = None  # None: 报告进展, which keeps the state
    hint: str = ""
    multipart: bool = False


S = TaskState
ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action("start", "开始办理", "bi-play-circle", StartForm, S.IN_PROGRESS),
        Action(
            "progress",
            "报告进展",
            "bi-chat-left-text",
            ProgressForm,
            hint="可附上方案、照片等材料。",
            multipart=True,
        ),
        Action("complete", "办结", "bi-check2-circle", CompleteForm, S.DONE, "填写办理结果。"),
        Action("return", "退回", "bi-arrow-return-left", ReturnForm, S.RETURNED, "退回督办单位。"),
        Action(
            "reissue",
            "重新交办",
            "bi-send",
            ReissueForm,
            S.PENDING,
            "按原承办单位再次交办，可调整时限。",
        ),
    )
}


def actions_for(user: User, task: Task) -> list[Action]:
    """What this user may do to this task now: the department that set it every move the state
    allows, the assignee the handling moves and progress reports; read-only roles nothing."""
    if not access.has_role(user, *services.STAFF, Role.LIAISON) or user.is_read_only:
        return []
    keeper, handler = is_task_keeper(user, task), is_task_handler(user, task)
    allowed = []
    for action in ACTIONS.values():
        if action.to_state is None:
            if handler and task.is_open:
                allowed.append(action)
            continue
        move = services.MOVES.get((task.state, action.to_state))
        if move is not None and (keeper or (handler and move.handlers_may)):
            allowed.append(action)
    return allowed


def refusal(user: User, task: Task, action: Action) -> str:
    """Why ``action`` cannot be done to ``task`` now, in the services' words; "" if it can."""
    if action.to_state is not None and (task.state, action.to_state) not in services.MOVES:
        return str(services.IllegalTaskTransition(task, action.to_state))
    if action.to_state is None and not task.is_open:
        return TASK_NOT_OPEN.format(state=task.get_state_display(), action=action.label)
    if action not in actions_for(user, task):
        return NOT_HANDLER
    return ""


def action_forms(
    user: User, task: Task, actions: Iterable[Action], bound: ActionForm | None = None
) -> list[tuple[Action, ActionForm]]:
    """Each action with its form: the bound one that came back with errors, else a fresh one."""
    return [
        (
            a,
            bound
            if bound is not None and bound.prefix == a.key
            else a.form(user=user, task=task, prefix=a.key),
        )
        for a in actions
    ]
