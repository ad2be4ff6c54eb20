"""Forms of the activity pages. They validate input and hand plain values to the services, which
check the writer, the region, the line and every linked record again before writing.

Choices come from the user's scope: regions of their subtree, the lines of a city staff member,
units, organizations, people and outputs they can see. A value from outside (a forged POST)
is refused with the service's own sentence, so a page and the API say the same thing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.governance.models import Mechanism
from tongxin.registry.forms import DATE, RegionChoiceField, TidyModelForm, code_choices
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person

from . import checks
from . import services_activities as services
from .models import Activity, Output
from .selectors_activities import ROLE_ORDER, ActivityFilter

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ENTERPRISE_TYPE = "qiye"
DATE_ORDER = "截止日期不能早于起始日期，请核对。"
END_BEFORE_START = "结束日期不能早于开始日期。"
INVESTMENT_INVALID = "计划投资须为大于0的数字（单位：万元，最多两位小数），不清楚可留空。"
PROJECT_NAME_REQUIRED = "请填写项目名称。"
BANK_REQUIRED = "请填写签约银行。"
ENTERPRISE_REQUIRED = "请选择签约企业。"
ROLE_REQUIRED = "请选择参加角色。"


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes for hand-laid forms (filters, pick lists)."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("aria-label", bound.label)
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("aria-label", bound.label)


def lines_for(user: User) -> QuerySet[BusinessLine]:
    """City staff keep their own lines' records; everyone else may file under any line."""
    if user.role == Role.CITY_STAFF:
        return BusinessLine.objects.filter(users=user).order_by("order", "id")
    return BusinessLine.objects.order_by("order", "id")


def units_for(user: User) -> QuerySet[Unit]:
    return access.scope(user, Unit.objects.filter(is_active=True)).select_related("region")


def organizations_for(user: User, *, keep: Any = ()) -> QuerySet[Organization]:
    """Organizations in scope that are not archived, plus the ones already chosen."""
    current = Q(pk__in=[o.pk for o in keep])
    return access.scope(
        user, Organization.objects.filter(Q(archived_at__isnull=True) | current)
    ).order_by("name_pinyin", "id")


def enterprises_for(user: User, *, keep: Any = ()) -> QuerySet[Organization]:
    return organizations_for(user, keep=keep).filter(org_type__code=ENTERPRISE_TYPE)


def people_for(user: User) -> QuerySet[Person]:
    return access.scope(user, Person.objects.filter(archived_at__isnull=True))


def output_label(output: Output) -> str:
    return f"{output.title}（{output.get_kind_display()}，{output.date:%Y-%m-%d}）"


# --- the list -------------------------------------------------------------------------------------


class ActivityListForm(forms.Form):
    q = forms.CharField(required=False, label="活动名称")
    type = forms.ModelChoiceField(
        CodeItem.objects.none(), required=False, empty_label="全部类型", label="活动类型"
    )
    date_from = forms.DateField(required=False, label="起始日期", widget=DATE)
    date_to = forms.DateField(required=False, label="截止日期", widget=DATE)
    region = RegionChoiceField(
        Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="全部区域",
        label="所属区域",
    )
    line = forms.ModelChoiceField(
        BusinessLine.objects.none(), required=False, empty_label="全部条线", label="条线"
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = CodeItem.objects.filter(  # type: ignore[attr-defined]
            kind=CodeKind.ACTIVITY_TYPE
        ).order_by("order", "id")
        self.fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.all()
        ).order_by("path")
        self.fields["line"].queryset = lines_for(user)  # type: ignore[attr-defined]
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "按活动名称查找"}
        )
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATE_ORDER)
        return data

    def activity_filter(self) -> ActivityFilter:
        # A stale or foreign value is ignored rather than answered with an error.
        self.is_valid()
        data = self.cleaned_data
        return ActivityFilter(
            q=data.get("q") or "",
            type=data.get("type"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            region=data.get("region"),
            line=data.get("line"),
        )


# --- an activity ----------------------------------------------------------------------------------

PICK_FIELDS = (
    "organizer_units",
    "organizer_organizations",
    "adopted_outputs",
    "landed_enterprises",
)


class ActivityForm(TidyModelForm):
    region = RegionChoiceField(
        Region.objects.none(),
        label="所属区域",
        empty_label="请选择",
        error_messages={
            "required": "请选择所属区域。",
            "invalid_choice": checks.REGION_OUT_OF_SCOPE,
        },
    )

    class Meta:
        model = Activity
        fields = [
            "type",
            "title",
            "date",
            "start_time",
            "end_date",
            "place",
            "region",
            "line",
            "mechanism",
            "headcount",
            "organizer_units",
            "organizer_organizations",
            "summary",
            "adopted_outputs",
            "landed_enterprises",
        ]
        widgets = {
            "date": DATE,
            "end_date": DATE,
            "start_time": TIME,
            "summary": forms.Textarea(attrs={"rows": 5}),
            **{name: forms.CheckboxSelectMultiple for name in PICK_FIELDS},
        }
        error_messages = {
            "type": {"required": services.TYPE_REQUIRED},
            "title": {"required": services.TITLE_REQUIRED},
            "date": {"required": "请填写活动日期。", "invalid": "日期格式不正确，如：2023-07-05。"},
            "end_date": {"invalid": "日期格式不正确，如：2023-07-07。"},
            "start_time": {"invalid": "时间格式不正确，如：09:30。"},
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        activity = self.instance if self.instance.pk else None
        fields = self.fields
        fields["type"].queryset = code_choices(  # type: ignore[attr-defined]
            CodeKind.ACTIVITY_TYPE, activity.type if activity else None
        )
        fields["type"].empty_label = "请选择"  # type: ignore[attr-defined]
        fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.all()
        ).order_by("path")
        line = fields["line"]
        line.queryset = lines_for(user)  # type: ignore[attr-defined]
        line.error_messages["invalid_choice"] = checks.LINE_OUT_OF_SCOPE
        if user.role == Role.CITY_STAFF:
            line.required = True
            line.error_messages["required"] = checks.LINE_REQUIRED
            line.help_text = "市级业务人员录入的活动须属于所负责的条线。"
        else:
            line.help_text = "不属于某一条线的活动可留空。"
        # A 联席会议 or 领导小组会议 names its mechanism (services_activities._check_mechanism).
        mechanism = fields["mechanism"]
        kept = Q(pk=activity.mechanism_id) if activity and activity.mechanism_id else Q(pk__in=[])
        mechanism.queryset = access.scope(  # type: ignore[attr-defined]
            user, Mechanism.objects.filter(Q(is_active=True) | kept)
        ).order_by("name", "id")
        mechanism.empty_label = "不属于工作机制"  # type: ignore[attr-defined]
        mechanism.error_messages["invalid_choice"] = checks.LINK_OUT_OF_SCOPE.format(
            label="工作机制"
        )
        mechanism.help_text = (
            "联席会议、领导小组会议请选择所属的工作机制：会议会列在该机制的页面上，并可列入议题。"
        )
        for name in PICK_FIELDS:
            fields[name].widget.attrs["class"] = "form-check-input"
        current = {name: self._current(name) for name in PICK_FIELDS}
        self.current_links = current
        fields["organizer_units"].queryset = units_for(user)  # type: ignore[attr-defined]
        fields["organizer_organizations"].queryset = organizations_for(  # type: ignore[attr-defined]
            user, keep=current["organizer_organizations"]
        )
        outputs = fields["adopted_outputs"]
        outputs.queryset = access.scope(user, Output.objects.all()).order_by("-date", "-id")  # type: ignore[attr-defined]
        outputs.label_from_instance = output_label  # type: ignore[attr-defined]
        fields["landed_enterprises"].queryset = enterprises_for(  # type: ignore[attr-defined]
            user, keep=current["landed_enterprises"]
        )
        fields["title"].widget.attrs["placeholder"] = "如：全市新的社会阶层人士统战工作联席会议"
        fields["place"].widget.attrs["placeholder"] = "如：市委统战部三楼会议室"
        fields["headcount"].help_text = "大型活动填写总人数；名单可在保存后逐一添加。"

    def _current(self, name: str) -> list[Any]:
        if not self.instance.pk:
            return []
        return list(getattr(self.instance, name).all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", END_BEFORE_START)
        return data

    def _post_clean(self) -> None:
        # The model's own validation runs in the service, with the service's sentences.
        pass

    def _shown_links(self, name: str) -> set[int]:
        offered = self.fields[name].queryset  # type: ignore[attr-defined]
        current = [o.pk for o in self.current_links[name]]
        return set(offered.filter(pk__in=current).values_list("pk", flat=True))

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for activity_create / activity_update. On edit, a link list the user
        left as it was is not passed: links the user cannot see (another line's organization, say)
        then stay where they are."""
        data = dict(self.cleaned_data)
        for name in PICK_FIELDS:
            chosen = list(data[name])
            if self.instance.pk and {o.pk for o in chosen} == self._shown_links(name):
                data.pop(name)
            else:
                data[name] = chosen
        return data


# --- participants ---------------------------------------------------------------------------------


class ParticipationForm(forms.Form):
    person = forms.ModelChoiceField(
        Person.objects.none(),
        required=False,
        label="人员",
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="参加人员"),
        },
    )
    unit = forms.ModelChoiceField(
        Unit.objects.none(),
        required=False,
        label="单位",
        empty_label="—",
        error_messages={"invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="参加单位")},
    )
    name = forms.CharField(
        label="或填写名册外人员姓名",
        max_length=32,
        required=False,
        help_text="领导同志等不在名册中的人员，填写姓名和职务。",
    )
    role = forms.ChoiceField(
        label="角色",
        choices=[("", "请选择"), *[(r.value, r.label) for r in ROLE_ORDER]],
        error_messages={"required": ROLE_REQUIRED, "invalid_choice": services.ROLE_INVALID},
    )
    title = forms.CharField(
        label="身份/职务", max_length=100, required=False, help_text="如：市委常委、统战部部长"
    )
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="如：发言题目")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_for(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_for(user)  # type: ignore[attr-defined]
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_error("person") and not self.has_error("unit"):
            chosen = (data.get("person") is not None, data.get("unit") is not None)
            if sum((*chosen, bool(data.get("name")))) != 1:
                raise ValidationError(services.PARTICIPANT_REQUIRED)
        return data

    def spec(self) -> services.ParticipantSpec:
        return services.ParticipantSpec(**self.cleaned_data)


# --- outcomes -------------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    name = forms.CharField(
        label="项目名称", max_length=200, error_messages={"required": PROJECT_NAME_REQUIRED}
    )
    investment = forms.CharField(
        label="计划投资（万元）", required=False, max_length=24, help_text="如：5000 或 12,500.50"
    )
    investor = forms.CharField(label="投资方", max_length=200, required=False)
    signed = forms.BooleanField(label="已签约", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def clean_investment(self) -> Decimal | None:
        raw = self.cleaned_data.get("investment") or ""
        if not raw.strip():
            return None
        try:
            return services.parse_wan_yuan(raw)
        except ValidationError:
            raise ValidationError(INVESTMENT_INVALID) from None


class CreditForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        Organization.objects.none(),
        label="企业",
        empty_label="请选择",
        error_messages={
            "required": ENTERPRISE_REQUIRED,
            "invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="企业"),
        },
    )
    bank = forms.CharField(label="银行", max_length=100, error_messages={"required": BANK_REQUIRED})
    amount = forms.CharField(
        label="授信金额（万元）",
        max_length=24,
        help_text="单位：万元，最多两位小数，如：6238.00",
        error_messages={"required": services.AMOUNT_INVALID},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_for(user)  # type: ignore[attr-defined]
        style(self)

    def clean_amount(self) -> Decimal:
        try:
            return services.parse_wan_yuan(self.cleaned_data["amount"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
