"""The actions on a case page, each a small form: 交办, 开始办理, 回访, 报告进展, 办结, 延期, 退回;
which of them a user may take now, and why one is refused (in the services' own words)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet

from tongxin.core import access
from tongxin.core.models import Role, Unit, User

from . import selectors_cases as selectors
from . import services
from .forms_cases import DEADLINE_REQUIRED, date_field, textarea
from .models import Case, CaseStatus, Satisfaction

UNITS_REQUIRED = "交办须选择至少一个承办单位。"
PROGRESS_REQUIRED = "请填写办理进展。"
RETURN_REASON_REQUIRED = "请填写退回原因，说明为什么无法办理。"
EXTEND_REASON_REQUIRED = "请填写延期原因。"
ACTION_UNKNOWN = "请选择要进行的办理操作。"
CASE_NOT_OPEN = "诉求当前状态为“{status}”：只有已交办、尚未办结的诉求可以{action}。"


class ActionForm(forms.Form):
    def __init__(self, *args: Any, user: User, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.case = user, case


class AssignForm(ActionForm):
    units = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        label="承办单位",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": UNITS_REQUIRED},
    )
    deadline = date_field("办理时限", required_message=DEADLINE_REQUIRED)
    note = forms.CharField(
        label="交办说明", required=False, widget=textarea(2, "可不填，如：请会同相关部门研究。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.scoped_units(self.user).filter(is_active=True).select_related("region")
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        if not self.is_bound:
            # Assigned again after a return: start from the units it had.
            self.initial["units"] = [u.pk for u in self.case.units.all()]

    def unit_groups(self) -> list[tuple[str, list[tuple[int, str, bool]]]]:
        """The units by region, each (id, name, checked), for checkboxes under region headings."""
        chosen = {str(v) for v in (self["units"].value() or [])}
        groups: dict[str, list[tuple[int, str, bool]]] = {}
        units: QuerySet[Unit] = self.fields["units"].queryset  # type: ignore[attr-defined]
        for unit in units:
            groups.setdefault(unit.region.name, []).append(
                (unit.pk, unit.name, str(unit.pk) in chosen)
            )
        return list(groups.items())


class StartForm(ActionForm):
    note = forms.CharField(
        label="说明",
        required=False,
        widget=textarea(2, "可不填，如：已安排专人对接。"),
    )


class ProgressForm(ActionForm):
    note = forms.CharField(
        label="办理进展",
        widget=textarea(3, "已做的工作、下一步安排"),
        error_messages={"required": PROGRESS_REQUIRED},
    )


class ResolveForm(ActionForm):
    resolution = forms.CharField(
        label="办理结果",
        widget=textarea(4, "问题如何解决、解决到什么程度"),
        error_messages={"required": services.RESOLUTION_REQUIRED},
    )


class FollowUpForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label="满意度",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.SATISFACTION_REQUIRED},
    )
    note = forms.CharField(
        label="回访情况", required=False, widget=textarea(2, "回访方式、对象的反馈")
    )


class ReturnForm(ActionForm):
    note = forms.CharField(
        label="退回原因",
        widget=textarea(2, "为什么无法办理，建议交给哪里"),
        error_messages={"required": RETURN_REASON_REQUIRED},
    )


class ExtendForm(ActionForm):
    deadline = date_field("新的办理时限", required_message=DEADLINE_REQUIRED)
    reason = forms.CharField(
        label="延期原因",
        widget=textarea(2, "为什么需要更多时间"),
        error_messages={"required": EXTEND_REASON_REQUIRED},
    )


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    icon: str
    form: type[ActionForm]
    to_status: str | None = None  # None: 报告进展 and 延期, which keep the state
    hint: str = ""


S = CaseStatus
ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action("assign", "交办", "bi-send", AssignForm, S.ASSIGNED, "选择承办单位并确定办理时限。"),
        Action("start", "开始办理", "bi-play-circle", StartForm, S.IN_PROGRESS),
        Action(
            "follow_up", "回访", "bi-telephone", FollowUpForm, S.FOLLOWED_UP, "记录反映人的满意度。"
        ),
        Action("progress", "报告进展", "bi-chat-left-text", ProgressForm),
        Action("resolve", "办结", "bi-check2-circle", ResolveForm, S.RESOLVED),
        Action(
            "extend", "延期", "bi-calendar-plus", ExtendForm, hint="时限只能往后延，须说明原因。"
        ),
        Action(
            "return", "退回", "bi-arrow-return-left", ReturnForm, S.ACCEPTED, "退回统战部重新交办。"
        ),
    )
}


def _handles(user: User, case: Case) -> bool:
    """A liaison of one of the case's units (the units as prefetched in the user's scope)."""
    return user.role == Role.LIAISON and user.unit_id in {u.pk for u in case.units.all()}


def actions_for(user: User, case: Case) -> list[Action]:
    """What this user may do to this case now: staff every move the state allows, a liaison of
    an assigned unit the handling moves; read-only roles nothing."""
    if not access.has_role(user, *services.STAFF, Role.LIAISON) or user.is_read_only:
        return []
    staff = user.role in services.STAFF
    if not staff and not _handles(user, case):
        return []
    allowed = []
    for action in ACTIONS.values():
        if action.to_status is None:
            if case.is_open:
                allowed.append(action)
            continue
        move = services.MOVES.get((case.status, action.to_status))
        if move is not None and (staff or move.handlers_may):
            allowed.append(action)
    return allowed


def refusal(user: User, case: Case, action: Action) -> str:
    """Why ``action`` cannot be done to ``case`` now, in the services' words; "" if it can."""
    if action.to_status is not None and (case.status, action.to_status) not in services.MOVES:
        return str(services.IllegalTransition(case, action.to_status))
    if action.to_status is None and not case.is_open:
        return CASE_NOT_OPEN.format(status=case.get_status_display(), action=action.label)
    if action not in actions_for(user, case):
        return services.NOT_HANDLER
    return ""


def action_forms(
    user: User, case: Case, actions: Iterable[Action], bound: ActionForm | None = None
) -> list[tuple[Action, ActionForm]]:
    """Each action with its form: the bound one that came back with errors, else a fresh one."""
    return [
        (
            a,
            bound
            if bound is not None and bound.prefix == a.key
            else a.form(user=user, case=case, prefix=a.key),
        )
        for a in actions
    ]
