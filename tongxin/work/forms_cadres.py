"""Forms of the training, secondment and 双走访双报告 pages. They validate input and hand plain
values to services_cadres; the services check scope, region and line again and do the writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.registry.forms import DATE, RegionChoiceField, TidyModelForm, scoped_regions
from tongxin.registry.models import Person

from . import selectors_cadres as selectors
from .checks import LINE_REQUIRED
from .models import DualVisitReport, Secondment, SecondmentDirection, Training

REGION_REQUIRED = "请选择所属区域。"
TRAINEES_REQUIRED = "请勾选要添加的学员（先在上方查找）。"
TRAINEE_NOT_FOUND = "所选人员不存在或不在您的管辖范围内，请重新查找后勾选。"
DUAL_REPORT_EXISTS = "该人员{year}年度已有双走访双报告记录，请编辑那条记录。"


def _style(form: forms.Form) -> None:
    """Bootstrap classes for hand-laid filter forms."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("aria-label", bound.label)


def _units(user: User, current: Unit | None = None) -> QuerySet[Unit]:
    """Units in sight, active ones plus the record's own if it has since been retired."""
    keep = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    units = access.scope(user, Unit.objects.filter(Q(is_active=True) | keep))
    return units.select_related("region").order_by("region__path", "order", "name")


def _lines(user: User) -> QuerySet[BusinessLine]:
    if user.role == Role.CITY_STAFF:
        return user.lines.all()
    return BusinessLine.objects.all()


class _FilterForm(forms.Form):
    """A list's query string: a stale or foreign value is ignored, and the list shows all."""

    def value(self, name: str) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name)

    def year_value(self) -> int | None:
        year = self.value("year")
        return int(year) if year else None


def _year_choices(years: list[int], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(y), f"{y}年") for y in years)]


# --- trainings ------------------------------------------------------------------------------------


class TrainingListForm(_FilterForm):
    year = forms.ChoiceField(required=False, label="年度")
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
        self.fields["year"].choices = _year_choices(selectors.training_years(user), "全部年度")  # type: ignore[attr-defined]
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["line"].queryset = _lines(user)  # type: ignore[attr-defined]
        _style(self)

    def training_filter(self) -> selectors.TrainingFilter:
        return selectors.TrainingFilter(
            year=self.year_value(), region=self.value("region"), line=self.value("line")
        )


class TrainingForm(TidyModelForm):
    region = RegionChoiceField(
        Region.objects.none(), label="所属区域", error_messages={"required": REGION_REQUIRED}
    )

    class Meta:
        model = Training
        fields = [
            "title",
            "start_date",
            "end_date",
            "place",
            "organizer",
            "region",
            "line",
            "hours",
            "summary",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "请填写培训班名称。"},
            "start_date": {"required": "请填写开班日期。"},
            "end_date": {"required": "请填写结业日期（一天的培训与开班日期相同）。"},
            "hours": {"required": "请填写学时（如 24，可有一位小数）。"},
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["organizer"].queryset = _units(user, current.organizer if current else None)  # type: ignore[attr-defined]
        self.fields["line"].queryset = _lines(user)  # type: ignore[attr-defined]
        if user.role == Role.CITY_STAFF:
            self.fields["line"].required = True
            self.fields["line"].error_messages["required"] = LINE_REQUIRED
            self.fields["line"].help_text = "市级业务人员录入的培训班须属于所负责的条线。"
        if current is None:
            self.initial.setdefault("region", user.region_id)
        self.fields["hours"].help_text = "每名学员的默认学时；个别学员不同的，添加学员时另填。"


class TraineeAddForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        Person.objects.none(),
        label="学员",
        error_messages={
            "required": TRAINEES_REQUIRED,
            "invalid_choice": TRAINEE_NOT_FOUND,
            "invalid_pk_value": TRAINEE_NOT_FOUND,
        },
    )
    hours = forms.DecimalField(
        label="学时",
        required=False,
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=1,
        help_text="留空则按培训班学时计。",
    )
    completed = forms.BooleanField(label="已结业", required=False, initial=True)
    notes = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Person.objects.filter(archived_at__isnull=True)
        )


# --- secondments ----------------------------------------------------------------------------------


class SecondmentListForm(_FilterForm):
    batch = forms.ChoiceField(required=False, label="批次")
    direction = forms.ChoiceField(
        required=False,
        label="方式",
        choices=[("", "上挂和下派"), *SecondmentDirection.choices],
    )
    year = forms.ChoiceField(required=False, label="年度")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = [  # type: ignore[attr-defined]
            ("", "全部批次"),
            *((str(b), f"第{b}批") for b in selectors.secondment_batches(user)),
        ]
        self.fields["year"].choices = _year_choices(selectors.secondment_years(user), "全部年度")  # type: ignore[attr-defined]
        _style(self)

    def secondment_filter(self) -> selectors.SecondmentFilter:
        batch = self.value("batch")
        return selectors.SecondmentFilter(
            batch=int(batch) if batch else None,
            direction=self.value("direction") or "",
            year=self.year_value(),
        )


class SecondmentForm(TidyModelForm):
    region = RegionChoiceField(
        Region.objects.none(), label="组织区域", error_messages={"required": REGION_REQUIRED}
    )

    class Meta:
        model = Secondment
        fields = [
            "batch",
            "direction",
            "host_unit",
            "host_name",
            "post",
            "start_date",
            "end_date",
            "region",
            "notes",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}
        error_messages = {
            "batch": {"required": "请填写批次（第几批，填数字，如 4）。"},
            "direction": {"required": "请选择方式：上挂或下派。"},
            "start_date": {"required": "请填写挂职开始日期。"},
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["region"].help_text = "组织这次挂职的统战部所在区域。"
        self.fields["host_unit"].queryset = _units(user, current.host_unit if current else None)  # type: ignore[attr-defined]
        self.fields["direction"].choices = [("", "请选择"), *SecondmentDirection.choices]  # type: ignore[attr-defined]
        if current is None:
            self.initial.setdefault("region", user.region_id)


# --- 双走访双报告 ------------------------------------------------------------------------------


class DualReportListForm(_FilterForm):
    year = forms.ChoiceField(required=False, label="年度")

    def __init__(self, user: User, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["year"].choices = [(str(y), f"{y}年") for y in years]  # type: ignore[attr-defined]
        _style(self)

    def shown_year(self) -> int:
        """The year chosen; without a choice, the latest year that has records (or this year
        when there are none). The list page and its export show the same year."""
        return self.year_value() or (self.years[0] if self.years else timezone.localdate().year)


class DualReportForm(TidyModelForm):
    class Meta:
        model = DualVisitReport
        fields = [
            "year",
            "visits_made",
            "visit_notes",
            "report_title",
            "report_text",
            "reported_on",
        ]
        widgets = {
            "reported_on": DATE,
            "visit_notes": forms.Textarea(attrs={"rows": 4}),
            "report_text": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {"year": {"required": "请填写年度，如 2024。"}}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.existing: DualVisitReport | None = None
        if self.instance.pk:
            self.fields["year"].disabled = True
        else:
            self.initial.setdefault("year", dt.date.today().year)
        self.fields["visits_made"].help_text = "本年度走访联系群众、企业的次数。"

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        if not self.instance.pk:
            # Created twice, one would overwrite the other: the page links to the one there is.
            self.existing = self.person.dual_reports.filter(year=year).first()
            if self.existing is not None:
                raise forms.ValidationError(DUAL_REPORT_EXISTS.format(year=year))
        return year
