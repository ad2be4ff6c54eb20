"""Forms of the visit and case pages; the actions on a case are in forms_case_actions.py.

The forms validate input and hand plain values to the services, which check scope, role and the
state machine again and do the writing. The person or organization of a visit or case is picked
with a search select (work/_target_picker.html) posting "person:ID" or "organization:ID"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongxin.core import text
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.registry.forms import DATE, RegionChoiceField, scoped_regions
from tongxin.registry.models import Organization, Person

from . import selectors_cases as selectors
from .models import (
    CaseSource,
    CaseStatus,
    OpinionKind,
    VisitMethod,
)

TARGET_REQUIRED = "请选择走访对象：输入姓名、拼音首字母或组织名称查找，再点选一个。"
TARGET_OUT_OF_SCOPE = "所选对象不存在或不在您的数据范围内，请重新查找并选择。"
VISIT_DATE_REQUIRED = "请填写走访日期。"
VISIT_IN_FUTURE = "走访日期不能晚于今天。"
VISITORS_REQUIRED = "请填写走访人。"
OPINION_KIND_REQUIRED = "请选择这条意见的类别（意见建议、困难诉求或思想动态）。"
OPINION_TEXT_REQUIRED = "请填写意见内容；不需要这一行时，把类别也清空。"
TITLE_REQUIRED = "请填写诉求标题，用一句话概括。"
CASE_TEXT_REQUIRED = "请填写诉求内容。"
REGION_REQUIRED = "请选择所属区域。"
RECEIVED_IN_FUTURE = "受理日期不能晚于今天。"
DEADLINE_REQUIRED = "请填写办理时限。"
BAD_DATE = "日期格式不正确，请按“2024-06-30”的格式填写。"


def date_field(label: str, *, required: bool = True, required_message: str = "") -> Any:
    messages = {"invalid": BAD_DATE}
    if required_message:
        messages["required"] = required_message
    return forms.DateField(label=label, required=required, widget=DATE, error_messages=messages)


def textarea(rows: int = 3, placeholder: str = "") -> forms.Textarea:
    attrs: dict[str, Any] = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


def _style_filters(form: forms.Form) -> None:
    """Bootstrap classes for the hand-laid filter bars."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.HiddenInput):
            continue
        else:
            widget.attrs.setdefault("class", "form-control")
        widget.attrs.setdefault("aria-label", bound.label)


def _search_box(placeholder: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "type": "search",
            "class": "form-control",
            "autocomplete": "off",
            "placeholder": placeholder,
        }
    )


class _Filter(forms.Form):
    """A list's query string: stale or foreign values (a region out of scope, a unit that no
    longer has cases) are dropped, and the list shows everything for that filter."""

    def value(self, name: str) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name)


# --- the search select ----------------------------------------------------------------------------


class TargetField(forms.CharField):
    """A person or an organization in the user's scope, posted as "person:ID"/"organization:ID"."""

    def __init__(self, *, user: User, required_message: str = "", **kwargs: Any) -> None:
        messages = {"required": required_message} if required_message else {}
        super().__init__(widget=forms.HiddenInput, error_messages=messages, **kwargs)
        self.user = user

    def clean(self, value: Any) -> Person | Organization | None:
        raw = super().clean(value)
        if not raw:
            return None
        target = selectors.target_for_user(self.user, raw)
        if target is None:
            raise ValidationError(TARGET_OUT_OF_SCOPE)
        return target


@dataclass(frozen=True)
class TargetChoice:
    """One radio button of the search select."""

    value: str  # "person:12" | "organization:7"
    name: str
    icon: str
    detail: str


def target_choice(target: Person | Organization) -> TargetChoice:
    if isinstance(target, Person):
        parts = [target.region.name, target.employer, target.position]
        return TargetChoice(
            f"person:{target.pk}", target.name, "bi-person", " · ".join(p for p in parts if p)
        )
    return TargetChoice(
        f"organization:{target.pk}",
        target.name,
        "bi-building",
        f"{target.org_type.name} · {target.region.name}",
    )


def target_choices(targets: selectors.Targets, chosen: TargetChoice | None) -> list[TargetChoice]:
    """The search results as radio buttons, without the one already chosen (shown first)."""
    found: list[Person | Organization] = [*targets.people, *targets.organizations]
    choices = [target_choice(t) for t in found]
    return [c for c in choices if chosen is None or c.value != chosen.value]


def _split_target(target: Person | Organization | None) -> dict[str, Any]:
    return {
        "person": target if isinstance(target, Person) else None,
        "organization": target if isinstance(target, Organization) else None,
    }


class _TargetForm(forms.Form):
    target_field = "target"

    def chosen_target(self) -> TargetChoice | None:
        """The picked record, for showing it selected again when the form comes back."""
        if self.is_bound:
            raw = self.data.get(self.target_field, "")
        else:
            raw = self.initial.get(self.target_field, "")
        field: TargetField = self.fields[self.target_field]  # type: ignore[assignment]
        target = selectors.target_for_user(field.user, raw)
        return target_choice(target) if target is not None else None


# --- visits ---------------------------------------------------------------------------------------


class VisitListForm(_Filter):
    q = forms.CharField(required=False, label="查询")
    date_from = forms.DateField(required=False, label="走访日期自", widget=DATE)
    date_to = forms.DateField(required=False, label="走访日期至", widget=DATE)
    method = forms.ChoiceField(
        choices=[("", "全部方式"), *VisitMethod.choices], required=False, label="方式"
    )
    region = RegionChoiceField(
        Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="全部区域",
        label="所属区域",
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["q"].widget = _search_box("走访对象的姓名、拼音首字母、工作单位或组织名称")
        _style_filters(self)

    def visit_filter(self) -> selectors.VisitFilter:
        return selectors.VisitFilter(
            q=self.value("q") or "",
            date_from=self.value("date_from"),
            date_to=self.value("date_to"),
            method=self.value("method") or "",
            region=self.value("region"),
        )


class VisitForm(_TargetForm):
    target = forms.CharField()  # replaced in __init__: it needs the user
    visited_on = date_field("走访日期", required_message=VISIT_DATE_REQUIRED)
    method = forms.ChoiceField(label="方式", choices=VisitMethod.choices)
    region = RegionChoiceField(
        Region.objects.none(),
        label="所属区域",
        help_text="决定谁能看到这条走访：本区域及上级的工作人员。",
        error_messages={"required": REGION_REQUIRED},
    )
    visitors = forms.CharField(
        label="走访人",
        max_length=200,
        help_text="多人以顿号分隔，如：王志强、李文静。",
        error_messages={"required": VISITORS_REQUIRED},
    )
    notes = forms.CharField(
        label="走访情况",
        required=False,
        widget=textarea(4, "走访经过、企业经营情况等"),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "visited_on": timezone.localdate(),
            "method": VisitMethod.ON_SITE,
            "region": user.region_id,
            "visitors": user.name,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["target"] = TargetField(
            user=user, label="走访对象", required_message=TARGET_REQUIRED
        )
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["region"].empty_label = "请选择"  # type: ignore[attr-defined]

    def clean_visited_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise ValidationError(VISIT_IN_FUTURE)
        return day

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **_split_target(data["target"]),
            "visited_on": data["visited_on"],
            "method": data["method"],
            "region": data["region"],
            "visitors": text.clean(data["visitors"]),
            "notes": data["notes"].strip(),
        }


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别",
        choices=[("", "选择类别"), *OpinionKind.choices],
        error_messages={"required": OPINION_KIND_REQUIRED},
    )
    text = forms.CharField(
        label="内容",
        widget=textarea(2, "所思所想所盼：听到的意见、困难或想法"),
        error_messages={"required": OPINION_TEXT_REQUIRED},
    )


MAX_OPINIONS = 30


class BaseOpinionFormSet(forms.BaseFormSet):
    def opinions(self) -> list[tuple[str, str]]:
        """(kind, text) of the filled rows; rows left empty are skipped."""
        return [
            (f.cleaned_data["kind"], f.cleaned_data["text"])
            for f in self.forms
            if f.has_changed() and f.cleaned_data
        ]


OpinionFormSet = forms.formset_factory(
    OpinionForm,
    formset=BaseOpinionFormSet,
    extra=1,
    max_num=MAX_OPINIONS,
    validate_max=True,
)
OPINION_PREFIX = "opinions"


# --- cases ----------------------------------------------------------------------------------------

DUE_CHOICES = [
    ("", "全部时限"),
    ("open", "在办（已交办、未办结）"),
    ("overdue", "已逾期"),
    ("soon", "3天内到期"),
]


class CaseListForm(_Filter):
    q = forms.CharField(required=False, label="查询")
    status = forms.ChoiceField(
        choices=[("", "全部状态"), *CaseStatus.choices], required=False, label="状态"
    )
    source = forms.ChoiceField(
        choices=[("", "全部来源"), *CaseSource.choices], required=False, label="来源"
    )
    due = forms.ChoiceField(choices=DUE_CHOICES, required=False, label="时限")
    unit = forms.ModelChoiceField(
        Unit.objects.none(), required=False, empty_label="全部承办单位", label="承办单位"
    )
    region = RegionChoiceField(
        Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="全部区域",
        label="所属区域",
    )
    handler = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.case_units_with_cases(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["q"].widget = _search_box("诉求标题，或反映人、企业的名称")
        _style_filters(self)

    def case_filter(self) -> selectors.CaseFilter:
        return selectors.CaseFilter(
            q=self.value("q") or "",
            status=self.value("status") or "",
            source=self.value("source") or "",
            due=self.value("due") or "",
            unit=self.value("unit"),
            region=self.value("region"),
            handler_id=self.value("handler"),
        )


# Cases from a visit are made from its opinions (转为诉求), not typed again.
NEW_CASE_SOURCES = [c for c in CaseSource.choices if c[0] != CaseSource.VISIT]


class CaseForm(_TargetForm):
    target_field = "requester"

    title = forms.CharField(
        label="诉求标题",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "一句话概括，如：厂房扩建用地手续办理缓慢"}),
        error_messages={"required": TITLE_REQUIRED},
    )
    text = forms.CharField(
        label="诉求内容",
        widget=textarea(5, "反映的问题、诉求和已了解的情况"),
        error_messages={"required": CASE_TEXT_REQUIRED},
    )
    source = forms.ChoiceField(label="来源", choices=NEW_CASE_SOURCES)
    requester = forms.CharField()  # replaced in __init__
    category = forms.CharField(
        label="问题类别",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：融资、用地、用工、政策"}),
    )
    region = RegionChoiceField(
        Region.objects.none(), label="所属区域", error_messages={"required": REGION_REQUIRED}
    )
    line = forms.ModelChoiceField(
        BusinessLine.objects.none(), label="条线", required=False, empty_label="不限条线"
    )
    received_on = date_field("受理日期")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "source": CaseSource.WALK_IN,
            "region": user.region_id,
            "received_on": timezone.localdate(),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["requester"] = TargetField(
            user=user,
            label="反映人或企业",
            required=False,
            help_text="可不选：来访人员尚未在名册中时，在诉求内容中写明。",
        )
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["region"].empty_label = "请选择"  # type: ignore[attr-defined]
        lines = BusinessLine.objects.all()
        if user.role == Role.CITY_STAFF:
            lines = lines.filter(users=user)
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(RECEIVED_IN_FUTURE)
        return day

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        requester = _split_target(data["requester"])
        return {
            "title": data["title"],
            "text_": data["text"],
            "source": data["source"],
            "region": data["region"],
            "line": data["line"],
            "category": text.clean(data["category"]),
            "received_on": data["received_on"],
            "requester_person": requester["person"],
            "requester_organization": requester["organization"],
        }
