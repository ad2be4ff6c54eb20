"""Forms of opinions: the person's (send one, rate the answer) and staff's (filter the inbox,
answer, turn into a case). They only read input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from tongxin.core.models import BusinessLine, Role, User

from .models_requests import RATINGS, SubmissionKind, SubmissionStatus
from .services_opinions import ACCEPT, MAX_FILE_MB, MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the checks of type, size and count are the service's."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput({"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别",
        choices=SubmissionKind.choices,
        initial=SubmissionKind.SUGGESTION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="标题",
        max_length=100,
        widget=forms.TextInput({"placeholder": "一句话说明您反映的事"}),
    )
    text = forms.CharField(
        label="具体内容",
        max_length=5000,
        widget=forms.Textarea({"rows": 6, "placeholder": "请写明情况、您的意见或希望得到的帮助"}),
    )
    line = forms.ModelChoiceField(
        label="涉及的工作（可不选）",
        queryset=BusinessLine.objects.all(),
        required=False,
        empty_label="不确定，由工作人员分办",
    )
    uploads = MultipleFileField(
        label="附件（可不传）",
        required=False,
        help_text=(
            f"最多 {MAX_FILES} 个，每个不超过 {MAX_FILE_MB} MB："
            "照片、PDF、Word、Excel、PowerPoint、WPS。"
        ),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="您对答复满意吗？",
        choices=sorted(RATINGS.choices, reverse=True),
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="说明（可不填）",
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


# --- staff ----------------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=[("", "全部状态"), *SubmissionStatus.choices],
        required=False,
        widget=forms.Select({"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label="类别",
        choices=[("", "全部类别"), *SubmissionKind.choices],
        required=False,
        widget=forms.Select({"class": "form-select"}),
    )

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "kind": ""}
        return {"status": self.cleaned_data["status"], "kind": self.cleaned_data["kind"]}


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复内容",
        max_length=5000,
        widget=forms.Textarea(
            {"rows": 5, "placeholder": "反映人会在个人门户看到这段答复，并收到短信提醒"}
        ),
    )


class ToCaseForm(forms.Form):
    title = forms.CharField(label="诉求标题", max_length=100)
    line = forms.ModelChoiceField(
        label="条线", queryset=BusinessLine.objects.none(), required=False
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["line"]  # type: ignore[assignment]
        if user.role == Role.CITY_STAFF:
            # City staff file cases under their own lines (work.checks.check_region_line).
            field.queryset = user.lines.all()
            field.required = True
        else:
            field.queryset = BusinessLine.objects.all()
            field.empty_label = "不指定"
