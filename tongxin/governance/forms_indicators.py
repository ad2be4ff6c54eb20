"""Forms of the indicator pages: an indicator set, an indicator, a round, a value entered with
evidence, and the filters of the round list. They read the input and hand plain values to the
services (services_indicators.py, services_rounds.py), which check the keeper, the scope and every
rule again and answer in Chinese; a refusal comes back on the form.

Thresholds and star cutoffs are typed as "a:b" a line (scoring.rows_from_text)."""

from __future__ import annotations

from typing import Any

from django import forms

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Role, User
from tongxin.registry.forms import RegionChoiceField
from tongxin.work import checks
from tongxin.work.forms_activities import lines_for, style
from tongxin.work.forms_cases import textarea

from . import indicator_sources, indicator_subjects, scoring
from .indicator_subjects import Subject
from .models_indicators import (
    Direction,
    Indicator,
    IndicatorSet,
    ScoringRule,
    SourceKind,
    SubjectType,
    TieRule,
)
from .models_rounds import EvaluationRound, RoundState

NAME_REQUIRED = "请填写指标体系名称，如：德阳非公企业50强。"
ELIGIBILITY_REQUIRED = "请选择参评范围（谁参加考评）。"
TOTAL_REQUIRED = "请填写总分，如：100。"
LIST_SIZE_INVALID = "榜单名额须是大于0的整数，如50强填50；全部上榜请留空。"
INDICATOR_NAME_REQUIRED = "请填写指标名称，如：营业收入。"
WEIGHT_REQUIRED = "请填写权重（该指标的满分分值），如：20。"
TIE_RULE_REQUIRED = "请选择并列规则。"
DIRECTION_REQUIRED = "请选择方向：越高越好，或越低越好。"
RULE_REQUIRED = "请选择计分规则。"
SOURCE_REQUIRED = "请选择数据来源：由记录统计，或录入（需佐证）。"
METRIC_REQUIRED = "由记录统计的指标须选择统计指标。"
ORDER_INVALID = "序号须是大于0的整数。"
YEAR_REQUIRED = "请填写考评年度，如：2022。"
YEAR_INVALID = "考评年度须是四位数的年份，如：2022。"
SCOPE_REQUIRED = "请选择考评范围。"
VALUE_REQUIRED = "请填写数值。"
EVIDENCE_REQUIRED = "请填写佐证材料（数据出处、文件名称或说明）。"
SUBJECT_UNKNOWN = "所选对象不在本轮考评对象中，请刷新页面后重新录入。"
INDICATOR_UNKNOWN = "所选指标不是本轮需要录入的指标，请刷新页面后重新录入。"

CUTOFFS_HELP = "每行一条“星级:最低总分”，如“5:90”；不评星级请留空。"
THRESHOLDS_HELP = (
    "每行一档“达到值:得分比例”，比例为0到1，如“3:0.6”表示达到3得权重的60%；取所达到的最高一档。"
)


# --- indicator sets -----------------------------------------------------------------------------


def eligibility_groups(subject_type: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The eligibility rules grouped under their subject type (the select's optgroups)."""
    return [
        (str(label), indicator_subjects.eligibility_choices(key))
        for key, label in SubjectType.choices
        if (subject_type is None or key == subject_type)
        and indicator_subjects.eligibility_choices(key)
    ]


class IndicatorSetForm(forms.Form):
    """Create a set (``indicator_set`` None) or edit one. The subject type follows from the
    eligibility rule chosen; region and line are fixed once the set exists."""

    name = forms.CharField(label="名称", max_length=100, error_messages={"required": NAME_REQUIRED})
    eligibility = forms.ChoiceField(
        label="参评范围",
        error_messages={"required": ELIGIBILITY_REQUIRED, "invalid_choice": ELIGIBILITY_REQUIRED},
        help_text="选定参评范围即确定考评对象类型（企业、组织、区县、单位等）。",
    )
    region = RegionChoiceField(
        Region.objects.none(),
        label="所属区域",
        empty_label="请选择",
        error_messages={
            "required": "请选择所属区域。",
            "invalid_choice": checks.REGION_OUT_OF_SCOPE,
        },
    )
    line = forms.ModelChoiceField(
        BusinessLine.objects.none(),
        label="条线",
        required=False,
        empty_label="不限条线",
        error_messages={"invalid_choice": checks.LINE_OUT_OF_SCOPE},
    )
    description = forms.CharField(
        label="说明", required=False, widget=textarea(3, "考评的依据、目的和口径说明")
    )
    total = forms.CharField(
        label="总分", initial="100", error_messages={"required": TOTAL_REQUIRED}
    )
    tie_rule = forms.ChoiceField(
        label="并列规则",
        choices=TieRule.choices,
        initial=TieRule.SHARED,
        widget=forms.RadioSelect,
        error_messages={"required": TIE_RULE_REQUIRED, "invalid_choice": TIE_RULE_REQUIRED},
    )
    star_cutoffs = forms.CharField(
        label="星级线",
        required=False,
        widget=textarea(4, "例如：\n5:90\n4:80"),
        help_text=CUTOFFS_HELP,
    )
    list_size = forms.IntegerField(
        label="榜单名额",
        required=False,
        min_value=1,
        error_messages={"invalid": LIST_SIZE_INVALID, "min_value": LIST_SIZE_INVALID},
        help_text="如50强填50；名次并列者同时上榜。留空表示全部上榜。",
    )

    def __init__(
        self, user: User, *args: Any, indicator_set: IndicatorSet | None = None, **kwargs: Any
    ) -> None:
        if indicator_set is not None:
            kwargs.setdefault("initial", initial_of(indicator_set))
        super().__init__(*args, **kwargs)
        self.indicator_set = indicator_set
        fields = self.fields
        if indicator_set is None:
            fields["eligibility"].choices = [("", "请选择"), *eligibility_groups()]  # type: ignore[attr-defined]
            fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
                user, Region.objects.all()
            ).order_by("path")
            line = fields["line"]
            line.queryset = lines_for(user)  # type: ignore[attr-defined]
            if user.role == Role.CITY_STAFF:
                line.required = True
                line.error_messages["required"] = checks.LINE_REQUIRED
                line.help_text = "市级业务人员建立的指标体系须属于所负责的条线。"
            else:
                line.help_text = "不属于某一条线的可留空。"
        else:
            # The subject type and the owner stay; eligibility may change within the type.
            del fields["region"], fields["line"]
            fields["eligibility"].choices = eligibility_groups(indicator_set.subject_type)  # type: ignore[attr-defined]
            fields[
                "eligibility"
            ].help_text = (
                f"考评对象类型：{indicator_set.get_subject_type_display()}（建立后不能更改）。"
            )
        fields["name"].widget.attrs["placeholder"] = "如：德阳非公企业50强"
        fields["list_size"].widget.attrs["placeholder"] = "留空为全部上榜"
        style(self)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["star_cutoffs"] = scoring.rows_from_text(data["star_cutoffs"] or "")
        if self.indicator_set is None:
            data["subject_type"] = indicator_subjects.get(data["eligibility"]).subject_type
        return data


def initial_of(indicator_set: IndicatorSet) -> dict[str, Any]:
    return {
        "name": indicator_set.name,
        "eligibility": indicator_set.eligibility,
        "description": indicator_set.description,
        "total": scoring.plain(indicator_set.total),
        "tie_rule": indicator_set.tie_rule,
        "star_cutoffs": scoring.rows_text(
            (stars, scoring.plain(least)) for stars, least in indicator_set.cutoffs
        ),
        "list_size": indicator_set.list_size,
    }


class SetListForm(forms.Form):
    q = forms.CharField(required=False, label="名称")
    subject_type = forms.ChoiceField(
        required=False, label="考评对象", choices=[("", "全部考评对象"), *SubjectType.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "按指标体系名称查找"}
        )
        style(self)

    def filters(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "subject_type": data.get("subject_type") or ""}


# --- indicators ---------------------------------------------------------------------------------


class IndicatorForm(forms.Form):
    """Add an indicator to a set (``indicator`` None) or edit one."""

    name = forms.CharField(
        label="指标名称", max_length=100, error_messages={"required": INDICATOR_NAME_REQUIRED}
    )
    weight = forms.CharField(
        label="权重（分）",
        error_messages={"required": WEIGHT_REQUIRED},
        help_text="该指标的满分分值；各项指标权重合计须等于总分才能计算。",
    )
    direction = forms.ChoiceField(
        label="方向",
        choices=Direction.choices,
        initial=Direction.HIGHER,
        widget=forms.RadioSelect,
        error_messages={"required": DIRECTION_REQUIRED, "invalid_choice": DIRECTION_REQUIRED},
    )
    rule = forms.ChoiceField(
        label="计分规则",
        choices=[("", "请选择"), *ScoringRule.choices],
        error_messages={"required": RULE_REQUIRED, "invalid_choice": RULE_REQUIRED},
    )
    lower_bound = forms.CharField(label="下限", required=False)
    upper_bound = forms.CharField(label="上限", required=False)
    thresholds = forms.CharField(
        label="分档",
        required=False,
        widget=textarea(4, "例如：\n3:0.6\n5:1"),
        help_text=THRESHOLDS_HELP,
    )
    source_kind = forms.ChoiceField(
        label="数据来源",
        choices=[
            (SourceKind.COMPUTED, "由记录统计"),
            (SourceKind.ENTERED, "录入（需佐证）"),
        ],
        initial=SourceKind.COMPUTED,
        widget=forms.RadioSelect,
        error_messages={"required": SOURCE_REQUIRED, "invalid_choice": SOURCE_REQUIRED},
    )
    metric = forms.ChoiceField(
        label="统计指标",
        required=False,
        error_messages={"invalid_choice": METRIC_REQUIRED},
    )
    unit_label = forms.CharField(
        label="计量单位", required=False, max_length=16, help_text="录入的指标填写，如：分、万元。"
    )
    description = forms.CharField(
        label="评分说明",
        required=False,
        widget=textarea(3, "录入的指标写明数值从哪里来、怎么核实"),
    )
    order = forms.IntegerField(
        label="序号",
        required=False,
        min_value=1,
        error_messages={"invalid": ORDER_INVALID, "min_value": ORDER_INVALID},
        help_text="排在第几项；第1项的得分也用于“按首项指标得分”的并列规则。",
    )

    def __init__(
        self,
        indicator_set: IndicatorSet,
        *args: Any,
        indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        if indicator is not None:
            kwargs.setdefault("initial", indicator_initial(indicator))
        super().__init__(*args, **kwargs)
        self.indicator_set = indicator_set
        self.indicator = indicator
        metric = self.fields["metric"]
        metric.choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *indicator_sources.metric_choices(indicator_set.subject_type),
        ]
        if indicator is None:
            del self.fields["order"]
        placeholders = {
            "name": "如：营业收入",
            "weight": "如：20",
            "lower_bound": "如：0",
            "upper_bound": "如：5",
            "unit_label": "如：分",
        }
        for name, text in placeholders.items():
            self.fields[name].widget.attrs["placeholder"] = text
        style(self)
        self.fields["rule"].widget.attrs["data-indicator-rule"] = ""
        for name in ("lower_bound", "upper_bound"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source_kind") == SourceKind.COMPUTED and not data.get("metric"):
            self.add_error("metric", METRIC_REQUIRED)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """Only what the chosen rule and source use: a bound typed before switching to another
        rule is not kept."""
        data = dict(self.cleaned_data)
        rule, entered = data["rule"], data["source_kind"] == SourceKind.ENTERED
        data["thresholds"] = (
            scoring.rows_from_text(data["thresholds"]) if rule == ScoringRule.THRESHOLDS else []
        )
        if rule != ScoringRule.LINEAR:
            data["lower_bound"] = data["upper_bound"] = None
        if entered:
            data["metric"] = ""
        else:
            data["unit_label"] = ""
        if data.get("order") is None:
            data.pop("order", None)
        return data


def indicator_initial(indicator: Indicator) -> dict[str, Any]:
    def n(value: Any) -> str:
        return "" if value is None else scoring.plain(value)

    return {
        "name": indicator.name,
        "weight": n(indicator.weight),
        "direction": indicator.direction,
        "rule": indicator.rule,
        "lower_bound": n(indicator.lower_bound),
        "upper_bound": n(indicator.upper_bound),
        "thresholds": scoring.rows_text(
            (scoring.plain(v), scoring.plain(f))
            for v, f in scoring.parse_thresholds(indicator.thresholds)
        )
        if indicator.thresholds
        else "",
        "source_kind": indicator.source_kind,
        "metric": indicator.metric,
        "unit_label": indicator.unit_label,
        "description": indicator.description,
        "order": indicator.order,
    }


# --- rounds -------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    year = forms.IntegerField(
        label="考评年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": YEAR_REQUIRED,
            "invalid": YEAR_INVALID,
            "min_value": YEAR_INVALID,
            "max_value": YEAR_INVALID,
        },
    )
    scope_region = RegionChoiceField(
        Region.objects.none(),
        label="考评范围",
        empty_label=None,
        error_messages={"required": SCOPE_REQUIRED, "invalid_choice": SCOPE_REQUIRED},
        help_text="参评对象在此区域内（含下辖区域）；默认为指标体系所属区域。",
    )
    title = forms.CharField(
        label="标题",
        required=False,
        max_length=100,
        help_text="不填则为“年度+指标体系名称”，如“2022年德阳非公企业50强”。",
    )

    def __init__(self, user: User, indicator_set: IndicatorSet, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"scope_region": indicator_set.region_id})
        super().__init__(*args, **kwargs)
        self.fields["scope_region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.filter(path__startswith=indicator_set.region.path)
        ).order_by("path")
        style(self)


ROUND_STATE_CHOICES = [("", "全部状态"), *RoundState.choices]


class RoundListForm(forms.Form):
    indicator_set = forms.ModelChoiceField(
        IndicatorSet.objects.none(), required=False, label="指标体系", empty_label="全部指标体系"
    )
    year = forms.IntegerField(required=False, label="年度", min_value=2000, max_value=2100)
    state = forms.ChoiceField(required=False, label="状态", choices=ROUND_STATE_CHOICES)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_set"].queryset = access.scope(  # type: ignore[attr-defined]
            user, IndicatorSet.objects.all()
        ).order_by("name", "pk")
        self.fields["year"].widget.attrs["placeholder"] = "年度，如2022"
        style(self)

    def filters(self) -> dict[str, Any]:
        # A stale or foreign value is ignored rather than answered with an error.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "indicator_set": data.get("indicator_set"),
            "year": data.get("year"),
            "state": data.get("state") or None,
        }


# --- values entered with evidence ---------------------------------------------------------------


def value_prefix(indicator: Indicator, subject_key: tuple[str, int]) -> str:
    field, pk = subject_key
    return f"v{indicator.pk}-{field[0]}{pk}"


class ValueForm(forms.Form):
    """One value of one entered indicator for one subject, with its evidence. The indicator and
    the subject ride along as hidden keys, checked against the round's own lists."""

    indicator = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": INDICATOR_UNKNOWN, "invalid": INDICATOR_UNKNOWN},
    )
    subject = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": SUBJECT_UNKNOWN}
    )
    value = forms.CharField(label="数值", error_messages={"required": VALUE_REQUIRED})
    evidence = forms.CharField(
        label="佐证材料",
        widget=textarea(1, "数据出处、文件名称或说明"),
        error_messages={"required": EVIDENCE_REQUIRED},
    )

    def __init__(
        self,
        evaluation: EvaluationRound,
        indicators: list[Indicator],
        subjects: list[Subject],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.indicators = {i.pk: i for i in indicators if i.is_entered}
        self.subjects = {subject_token(s.key): s for s in subjects}
        self.fields["value"].widget.attrs.update(inputmode="decimal", autocomplete="off")
        style(self)

    def clean_indicator(self) -> Indicator:
        indicator = self.indicators.get(self.cleaned_data["indicator"])
        if indicator is None:
            raise forms.ValidationError(INDICATOR_UNKNOWN)
        return indicator

    def clean_subject(self) -> Subject:
        subject = self.subjects.get(self.cleaned_data["subject"])
        if subject is None:
            raise forms.ValidationError(SUBJECT_UNKNOWN)
        return subject


def subject_token(key: tuple[str, int]) -> str:
    return f"{key[0]}:{key[1]}"
