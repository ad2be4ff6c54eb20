"""Forms of the mechanism and duty report pages. They validate input and hand plain values to the
services, which check the writer, the region, the line and every linked record again.

Choices come from the user's scope; a meeting offered on an agenda form is one of the mechanism's
meetings already read for the page (so a page of many items needs no query per item), and a
forged value is refused by the form or, failing that, by the service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from tongxin.core import access, versioning
from tongxin.core.models import Region, Role, Unit, User
from tongxin.registry.forms import DATE, RegionChoiceField, TidyModelForm
from tongxin.work import checks
from tongxin.work.forms_activities import lines_for, output_label, style, units_for
from tongxin.work.forms_cases import date_field, textarea
from tongxin.work.models import Activity, Output

from . import selectors_mechanisms as selectors
from . import services_duty as duty
from . import services_mechanisms as services
from .models import (
    AgendaItem,
    DutyReport,
    DutyReportState,
    Mechanism,
    MechanismKind,
    MemberUnit,
)

NAME_REQUIRED = "请填写机制名称，如：德阳市新的社会阶层人士统战工作联席会议。"
KIND_REQUIRED = "请选择机制类型。"
LEAD_UNIT_REQUIRED = "请选择牵头单位。"
ESTABLISHED_REQUIRED = "请填写建立日期（制度印发或首次会议的日期）。"
UNIT_REQUIRED = "请选择成员单位。"
ITEM_TITLE_REQUIRED = "请填写议题名称。"
RAISED_BY_REQUIRED = "请选择提出议题的成员单位。"
MEETING_REQUIRED = "请选择会议。"
NEXT_MEETING_REQUIRED = "请选择转入的下一次会议。"
MEMBER_REQUIRED = "请选择述职的成员单位（本单位参加的工作机制）。"
YEAR_REQUIRED = "请填写述职年度，如：2023。"
SCORE_REQUIRED = "请填写评分（0到100分）。"
BAD_CHOICE = "所选项不在可选范围内，请重新选择。"


def meeting_label(meeting: Activity) -> str:
    return f"{meeting.date:%Y-%m-%d} {meeting.title}"


# --- the list -------------------------------------------------------------------------------------

ACTIVE_CHOICES = [("", "全部状态"), ("1", "运行中"), ("0", "已停止")]


class MechanismListForm(forms.Form):
    q = forms.CharField(required=False, label="机制名称")
    kind = forms.ChoiceField(
        required=False, label="类型", choices=[("", "全部类型"), *MechanismKind.choices]
    )
    active = forms.ChoiceField(required=False, label="状态", choices=ACTIVE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "按机制名称查找"}
        )
        style(self)

    def mechanism_filter(self) -> selectors.MechanismFilter:
        # A stale or foreign value is ignored rather than answered with an error.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        active = data.get("active") or ""
        return selectors.MechanismFilter(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            active=None if active == "" else active == "1",
        )


# --- a mechanism ----------------------------------------------------------------------------------


class MechanismForm(TidyModelForm):
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
        model = Mechanism
        fields = [
            "name",
            "kind",
            "lead_unit",
            "region",
            "line",
            "established_on",
            "rules_document",
            "is_active",
        ]
        widgets = {"established_on": DATE}
        error_messages = {
            "name": {"required": NAME_REQUIRED},
            "kind": {"required": KIND_REQUIRED},
            "lead_unit": {
                "required": LEAD_UNIT_REQUIRED,
                "invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="牵头单位"),
            },
            "established_on": {
                "required": ESTABLISHED_REQUIRED,
                "invalid": "日期格式不正确，如：2023-07-05。",
            },
            "rules_document": {
                "invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="制度文件"),
            },
        }
        help_texts = {
            "rules_document": (
                "机制的制度文件，如《联席会议制度》。先在“成果”中新增（类型选政策文件），"
                "再回来选择。"
            ),
            "is_active": "机制撤销或合并后取消勾选；历史会议和议题仍保留。",
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["kind"].choices = [("", "请选择"), *MechanismKind.choices]  # type: ignore[attr-defined]
        fields["lead_unit"].queryset = units_for(user)  # type: ignore[attr-defined]
        fields["lead_unit"].empty_label = "请选择"  # type: ignore[attr-defined]
        fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.all()
        ).order_by("path")
        line = fields["line"]
        line.queryset = lines_for(user)  # type: ignore[attr-defined]
        line.error_messages["invalid_choice"] = checks.LINE_OUT_OF_SCOPE
        if user.role == Role.CITY_STAFF:
            line.required = True
            line.error_messages["required"] = checks.LINE_REQUIRED
            line.help_text = "市级业务人员建立的机制须属于所负责的条线。"
        else:
            line.help_text = "不属于某一条线的机制可留空。"
        # The document already chosen stays offered even if the user cannot open it.
        current = Q(pk=self.instance.rules_document_id) if self.instance.pk else Q(pk__in=[])
        outputs = fields["rules_document"]
        outputs.queryset = (  # type: ignore[attr-defined]
            access.scope(user, Output.objects.all()) | Output.objects.filter(current)
        ).order_by("-date", "-id")
        outputs.label_from_instance = output_label  # type: ignore[attr-defined]
        outputs.empty_label = "暂无（可稍后补充）"  # type: ignore[attr-defined]
        fields["name"].widget.attrs["placeholder"] = "如：德阳市新的社会阶层人士统战工作联席会议"

    def _post_clean(self) -> None:
        # The model's own validation runs in the service, with the service's sentences.
        pass

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# --- member units ---------------------------------------------------------------------------------


class LiaisonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        unit = obj.unit.short_name or obj.unit.name if obj.unit else ""
        return f"{obj.name or obj.username}（{unit}，账号 {obj.username}）"


class MemberForm(forms.Form):
    """Add a member unit (``unit`` chosen), or edit one (``member`` given: the unit stays)."""

    unit = forms.ModelChoiceField(
        Unit.objects.none(),
        label="成员单位",
        empty_label="请选择",
        error_messages={
            "required": UNIT_REQUIRED,
            "invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="成员单位"),
        },
    )
    duties = forms.CharField(
        label="职责",
        required=False,
        widget=textarea(4, "该单位在本机制中承担的职责"),
    )
    liaison = LiaisonChoiceField(
        User.objects.none(),
        label="联络员",
        required=False,
        empty_label="暂未指定",
        help_text="须是该单位的“成员单位联络员”账号；没有账号的，请联系系统管理员开通。",
        error_messages={"invalid_choice": services.LIAISON_NOT_OF_UNIT},
    )
    order = forms.IntegerField(
        label="排序",
        min_value=0,
        max_value=999,
        initial=0,
        help_text="数字小的排在前面，按制度文件中成员单位的顺序填写。",
        error_messages={"invalid": "排序须是0到999之间的整数。"},
    )

    def __init__(
        self,
        user: User,
        mechanism: Mechanism,
        *args: Any,
        member: MemberUnit | None = None,
        **kwargs: Any,
    ) -> None:
        if member is not None:
            kwargs.setdefault(
                "initial",
                {"duties": member.duties, "liaison": member.liaison_id, "order": member.order},
            )
        super().__init__(*args, **kwargs)
        self.member = member
        liaisons = self.fields["liaison"]
        if member is not None:
            del self.fields["unit"]
            liaisons.queryset = selectors.liaisons_of(user, member.unit)  # type: ignore[attr-defined]
        else:
            taken = MemberUnit.objects.filter(mechanism=mechanism).values("unit_id")
            units = units_for(user).exclude(pk__in=taken)
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            # Until a unit is chosen, every liaison of the units offered (the page narrows the
            # list by htmx when a unit is picked; the service checks the pair).
            unit = self._chosen_unit()
            liaisons.queryset = (  # type: ignore[attr-defined]
                selectors.liaisons_of(user, unit) if unit else selectors.liaisons_in(units)
            )
        style(self)

    def _chosen_unit(self) -> Unit | None:
        raw = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        if not raw:
            return None
        units: QuerySet[Unit] = self.fields["unit"].queryset  # type: ignore[attr-defined]
        try:
            return units.filter(pk=raw).first()
        except (ValueError, TypeError):
            return None


# --- the issue list -------------------------------------------------------------------------------


class RaiseForm(forms.Form):
    raised_by = forms.ModelChoiceField(
        MemberUnit.objects.none(),
        label="提出单位",
        empty_label="请选择",
        error_messages={"required": RAISED_BY_REQUIRED, "invalid_choice": BAD_CHOICE},
    )
    title = forms.CharField(
        label="议题",
        max_length=200,
        error_messages={"required": ITEM_TITLE_REQUIRED},
    )
    text = forms.CharField(
        label="内容",
        required=False,
        widget=textarea(3, "议题的背景、需要会议研究解决的问题和建议"),
    )
    raised_on = date_field("提出日期", required=False)

    def __init__(
        self, user: User, mechanism: Mechanism, own: MemberUnit | None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["raised_by"]
        if own is not None:
            # A liaison raises for their own unit only.
            field.queryset = MemberUnit.objects.filter(pk=own.pk)  # type: ignore[attr-defined]
            field.initial = own.pk
            field.widget = forms.HiddenInput()
        else:
            field.queryset = access.scope(  # type: ignore[attr-defined]
                user, MemberUnit.objects.filter(mechanism=mechanism)
            ).select_related("unit")
            field.label_from_instance = lambda m: m.unit.name  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs["placeholder"] = "如：建立网络人士线上联系服务平台"
        self.fields["raised_on"].help_text = "不填为今天。"
        style(self)


class MeetingChoiceField(forms.ChoiceField):
    """A meeting among those given (already read for the page); cleans to the Activity."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings: dict[str, Activity] = {}

    def offer(self, meetings: list[Activity]) -> None:
        self.meetings = {str(m.pk): m for m in meetings}
        self.choices = [
            ("", "请选择会议"),
            *[(k, meeting_label(m)) for k, m in self.meetings.items()],
        ]

    def clean(self, value: Any) -> Activity:
        key = super().clean(value)
        return self.meetings[key]


class AgendaActionForm(forms.Form):
    """One action on one item; ``meetings`` are the mechanism's meetings the user may see."""

    def __init__(
        self, *args: Any, item: AgendaItem, meetings: list[Activity], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"item{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        self.offer(meetings)
        style(self)

    meeting_field = ""  # the field choosing a meeting, if the action has one

    def offer(self, meetings: list[Activity]) -> None:
        pass

    def meeting_bound(self) -> forms.BoundField | None:
        return self[self.meeting_field] if self.meeting_field else None

    def has_meetings(self) -> bool:
        field = self.fields.get(self.meeting_field)
        return isinstance(field, MeetingChoiceField) and bool(field.meetings)


class ScheduleForm(AgendaActionForm):
    meeting_field = "meeting"
    meeting = MeetingChoiceField(
        label="列入会议",
        error_messages={"required": MEETING_REQUIRED, "invalid_choice": BAD_CHOICE},
    )

    def offer(self, meetings: list[Activity]) -> None:
        raised = self.item.raised_on
        later = sorted((m for m in meetings if m.date >= raised), key=lambda m: (m.date, m.pk))
        self.fields["meeting"].offer(later)  # type: ignore[attr-defined]


class CloseForm(AgendaActionForm):
    note = forms.CharField(
        label="议定事项",
        widget=textarea(2, "会议对该议题的决定，如：由市委网信办牵头，7月底前上线。"),
        error_messages={"required": services.OUTCOME_REQUIRED},
    )


class CarryForm(AgendaActionForm):
    meeting_field = "next_meeting"
    next_meeting = MeetingChoiceField(
        label="转入会议",
        error_messages={"required": NEXT_MEETING_REQUIRED, "invalid_choice": BAD_CHOICE},
    )
    note = forms.CharField(
        label="转下次原因",
        widget=textarea(2, "如：需市财政局明确经费后再议。"),
        error_messages={"required": services.REASON_REQUIRED},
    )

    def offer(self, meetings: list[Activity]) -> None:
        current = self.item.meeting
        later = sorted(
            (m for m in meetings if current is None or m.date > current.date),
            key=lambda m: (m.date, m.pk),
        )
        self.fields["next_meeting"].offer(later)  # type: ignore[attr-defined]


AGENDA_ACTIONS: dict[str, type[AgendaActionForm]] = {
    "schedule": ScheduleForm,
    "close": CloseForm,
    "carry": CarryForm,
}


# --- duty reports ---------------------------------------------------------------------------------


class DutyReportListForm(forms.Form):
    year = forms.TypedChoiceField(required=False, label="年度", coerce=int, empty_value=None)
    state = forms.ChoiceField(
        required=False, label="状态", choices=[("", "全部状态"), *DutyReportState.choices]
    )
    unit = forms.ModelChoiceField(
        Unit.objects.none(), required=False, empty_label="全部成员单位", label="成员单位"
    )
    mechanism = forms.ModelChoiceField(
        Mechanism.objects.none(), required=False, empty_label="全部工作机制", label="工作机制"
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", "全部年度"),
            *[(y, f"{y}年度") for y in selectors.report_years(user)],
        ]
        self.fields["unit"].queryset = selectors.member_units(user)  # type: ignore[attr-defined]
        self.fields["mechanism"].queryset = selectors.mechanisms_for(user)  # type: ignore[attr-defined]
        if user.role == Role.LIAISON:
            del self.fields["unit"]  # their own unit's reports only
        style(self)

    def report_filter(self) -> selectors.DutyReportFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.DutyReportFilter(
            year=data.get("year"),
            state=data.get("state") or "",
            unit=data.get("unit"),
            mechanism=data.get("mechanism"),
        )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberUnit) -> str:
        return f"{obj.mechanism.name}（{obj.unit.short_name or obj.unit.name}）"


class DutySubmitForm(forms.Form):
    member = MemberChoiceField(
        MemberUnit.objects.none(),
        label="工作机制",
        empty_label="请选择",
        error_messages={"required": MEMBER_REQUIRED, "invalid_choice": MEMBER_REQUIRED},
    )
    year = forms.IntegerField(
        label="述职年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": YEAR_REQUIRED,
            "invalid": YEAR_REQUIRED,
            "min_value": YEAR_REQUIRED,
            "max_value": duty.YEAR_IN_FUTURE,
        },
    )
    text = forms.CharField(
        label="述职内容",
        widget=textarea(
            12, "本单位履行机制职责的情况：做了哪些工作、取得什么成效、存在什么问题、下一步打算"
        ),
        error_messages={"required": duty.TEXT_REQUIRED},
    )
    # The version of the report being resubmitted; empty (0) for a first submission.
    expected_version = versioning.VersionField()

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = access.scope(user, MemberUnit.objects.filter(unit=user.unit))
        self.fields["member"].queryset = members.select_related(  # type: ignore[attr-defined]
            "mechanism", "unit"
        ).order_by("mechanism__name", "id")
        self.fields["year"].initial = selectors.duty_year()
        if not self.is_bound and "member" not in self.initial:
            only = list(members.values_list("pk", flat=True)[:2])
            if len(only) == 1:  # one mechanism: nothing to choose
                self.initial["member"] = only[0]
        style(self)


class ScoreForm(forms.Form):
    score = forms.DecimalField(
        label="评分",
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": SCORE_REQUIRED,
            "invalid": duty.SCORE_RANGE,
            "min_value": duty.SCORE_RANGE,
            "max_value": duty.SCORE_RANGE,
            "max_digits": duty.SCORE_RANGE,
            "max_decimal_places": duty.SCORE_RANGE,
        },
        help_text="0到100分，最多两位小数。评分后不能再修改。",
    )
    review = forms.CharField(
        label="评价意见",
        required=False,
        widget=textarea(3, "履职成效、存在不足和改进要求"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs.update({"step": "0.01", "min": "0", "max": "100"})
        style(self)


def report_initial(report: DutyReport | None) -> dict[str, Any]:
    """A resubmission starts from the text already submitted."""
    if report is None or report.state == DutyReportState.SCORED:
        return {}
    return {
        "member": report.member_id,
        "year": report.year,
        "text": report.text,
        versioning.FIELD: report.version,
    }
