"""Forms of the output pages (成果): the list's filters, the output itself, its authors, the
leaders' endorsements (批示) and the adoptions (采用). The services check everything again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.registry.forms import DATE, RegionChoiceField, TidyModelForm
from tongxin.registry.models import Organization, Person

from . import checks
from . import services_outputs as services
from .forms_activities import lines_for, organizations_for, people_for, style, units_for
from .models import Adoption, Endorsement, Output, OutputKind
from .selectors_outputs import OutputFilter

FIRST_YEAR = 2015
ONE_AUTHOR = "请选择一位人员、一个组织或一个单位作为作者（三者选一）。"
DATE_INVALID = "日期格式不正确，如：2022-06-10。"


def year_choices() -> list[tuple[str, str]]:
    this_year = dt.date.today().year
    return [("", "全部年度")] + [(str(y), f"{y}年") for y in range(this_year, FIRST_YEAR - 1, -1)]


class OutputListForm(forms.Form):
    q = forms.CharField(required=False, label="标题")
    kind = forms.ChoiceField(
        required=False, label="类别", choices=[("", "全部类别"), *OutputKind.choices]
    )
    year = forms.TypedChoiceField(required=False, label="年度", coerce=int, choices=[])
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
    endorsed = forms.BooleanField(required=False, label="有领导批示")
    adopted = forms.BooleanField(required=False, label="被采用")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]
        self.fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.all()
        ).order_by("path")
        self.fields["line"].queryset = lines_for(user)  # type: ignore[attr-defined]
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "按标题查找"}
        )
        style(self)

    def output_filter(self) -> OutputFilter:
        self.is_valid()  # a stale or foreign value is ignored, not answered with an error
        data = self.cleaned_data
        return OutputFilter(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            year=data.get("year") or None,
            region=data.get("region"),
            line=data.get("line"),
            endorsed=bool(data.get("endorsed")),
            adopted=bool(data.get("adopted")),
        )


class OutputForm(TidyModelForm):
    region = RegionChoiceField(
        Region.objects.none(),
        label="所属区域",
        empty_label="请选择",
        error_messages={
            "required": "请选择所属区域。",
            "invalid_choice": checks.REGION_OUT_OF_SCOPE,
        },
    )
    url = forms.URLField(
        label="链接",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "链接格式不正确，请填写完整的网址，如：https://mp.weixin.qq.com/s/…"
        },
    )

    class Meta:
        model = Output
        fields = [
            "kind",
            "title",
            "date",
            "region",
            "line",
            "document_number",
            "compilation",
            "summary",
            "channel",
            "reads",
            "url",
        ]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "kind": {"required": services.KIND_INVALID, "invalid_choice": services.KIND_INVALID},
            "title": {"required": services.TITLE_REQUIRED},
            "date": {"required": "请填写形成或发布日期。", "invalid": DATE_INVALID},
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["kind"].choices = [("", "请选择"), *OutputKind.choices]  # type: ignore[attr-defined]
        fields["kind"].widget.attrs["data-media-kind"] = OutputKind.MEDIA_POST
        fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.all()
        ).order_by("path")
        line = fields["line"]
        line.queryset = lines_for(user)  # type: ignore[attr-defined]
        line.error_messages["invalid_choice"] = checks.LINE_OUT_OF_SCOPE
        if user.role == Role.CITY_STAFF:
            line.required = True
            line.error_messages["required"] = checks.LINE_REQUIRED
        compilations = access.scope(user, Output.objects.filter(kind=OutputKind.COMPILATION))
        if self.instance.pk:
            compilations = compilations.exclude(pk=self.instance.pk)
        compilation = fields["compilation"]
        compilation.queryset = compilations.order_by("-date", "-id")  # type: ignore[attr-defined]
        compilation.error_messages["invalid_choice"] = services.COMPILATION_WRONG
        compilation.help_text = "创新案例收入某一汇编时选择。"
        fields["document_number"].help_text = "政策文件、信息专报等有文号的填写。"
        fields["title"].widget.attrs["placeholder"] = "如：关于新的社会阶层人士统战工作的调研报告"
        for name in ("channel", "reads"):
            fields[name].help_text = "仅新媒体作品填写。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != OutputKind.MEDIA_POST:
            # The fields are hidden for other kinds; what was typed before switching is dropped.
            data["channel"], data["reads"] = "", None
        return data

    def _post_clean(self) -> None:
        # The model's own validation runs in the service, with the service's sentences.
        pass


class AuthorForm(forms.Form):
    person = forms.ModelChoiceField(
        Person.objects.none(),
        required=False,
        label="人员",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="作者（人员）")},
    )
    organization = forms.ModelChoiceField(
        Organization.objects.none(),
        required=False,
        label="组织",
        empty_label="—",
        error_messages={"invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="作者（组织）")},
    )
    unit = forms.ModelChoiceField(
        Unit.objects.none(),
        required=False,
        label="单位",
        empty_label="—",
        error_messages={"invalid_choice": checks.LINK_OUT_OF_SCOPE.format(label="作者（单位）")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_for(user)  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations_for(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_for(user)  # type: ignore[attr-defined]
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            chosen = [data.get(n) for n in ("person", "organization", "unit")]
            if sum(x is not None for x in chosen) != 1:
                raise ValidationError(ONE_AUTHOR)
        return data

    def spec(self) -> services.AuthorSpec:
        return services.AuthorSpec(**self.cleaned_data)


class EndorsementForm(TidyModelForm):
    class Meta:
        model = Endorsement
        fields = ["level", "leader_title", "date", "text", "is_affirmative"]
        widgets = {"date": DATE, "text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "level": {"required": "请选择批示层级。"},
            "leader_title": {"required": services.LEADER_REQUIRED},
            "date": {"required": "请填写批示日期。", "invalid": DATE_INVALID},
        }

    def _post_clean(self) -> None:
        pass

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["text_"] = data.pop("text")
        return data


class AdoptionForm(TidyModelForm):
    class Meta:
        model = Adoption
        fields = ["adopter", "adopter_detail", "date", "notes"]
        widgets = {"date": DATE}
        error_messages = {
            "adopter": {"required": "请选择采用单位。"},
            "date": {"required": "请填写采用日期。", "invalid": DATE_INVALID},
        }

    def _post_clean(self) -> None:
        pass
