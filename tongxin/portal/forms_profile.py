"""Forms of 本人申报: the person's change and correction forms (portal) and the reviewer's
decision form (staff). They only shape input; services_profile decides what is acceptable."""

from __future__ import annotations

from typing import Any

from django import forms

from tongxin.core.versioning import add_version_field
from tongxin.registry.models import CodeItem, CodeKind, Level, Person

from .models import ProfileRequest, ProfileRequestKind, ReviewStatus
from .services_profile import CORRECTION_TOO_LONG, REASON_MAX


def mark_invalid(form: forms.BaseForm) -> None:
    """Outline the fields with errors in red (bootstrap's is-invalid)."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


def _text(label: str, max_length: int, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", **attrs}),
    )


class ProfileChangeForm(forms.Form):
    employer = _text("工作单位", 128, autocomplete="organization")
    position = _text("职务", 128, autocomplete="organization-title")
    title = _text("职称", 64, placeholder="如：高级工程师")
    phone = _text("手机号码", 20, inputmode="tel", autocomplete="tel")
    education = forms.ModelChoiceField(
        label="学历",
        queryset=CodeItem.objects.none(),
        required=False,
        empty_label="（不修改）",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    honour_title = _text("荣誉名称", 128, placeholder="如：德阳市优秀民营企业家")
    honour_year = forms.IntegerField(
        label="获得年份",
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    honour_level = forms.ChoiceField(
        label="层级",
        required=False,
        choices=[("", "（请选择）"), *Level.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    honour_issuer = _text("授予单位", 64)
    note = forms.CharField(
        label="说明（选填）",
        required=False,
        max_length=CORRECTION_TOO_LONG,
        widget=forms.Textarea(
            attrs={"class": "form-control", "rows": 2, "placeholder": "如：2026年3月起调任新单位"}
        ),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        initial = {
            "employer": person.employer,
            "position": person.position,
            "title": person.title,
            "education": person.education_id,
        }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["education"].queryset = CodeItem.objects.filter(  # type: ignore[attr-defined]
            kind=CodeKind.EDUCATION, is_active=True
        )
        if person.phone:
            self.fields["phone"].widget.attrs["placeholder"] = (
                f"现为 {person.phone_masked}，不改请留空"
            )
        else:
            self.fields["phone"].widget.attrs["placeholder"] = "11位手机号码"

    def proposal(self) -> dict[str, Any]:
        """What the service takes: text fields as typed, the education code's pk, the honour."""
        data = self.cleaned_data
        education = data.get("education")
        return {
            "employer": data.get("employer", ""),
            "position": data.get("position", ""),
            "title": data.get("title", ""),
            "phone": data.get("phone", ""),
            "education": education.pk if education is not None else None,
            "honour": {
                "title": data.get("honour_title", ""),
                "year": data.get("honour_year"),
                "level": data.get("honour_level", ""),
                "issuer": data.get("honour_issuer", ""),
            },
        }


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="需要更正的内容",
        max_length=CORRECTION_TOO_LONG,
        widget=forms.Textarea(
            attrs={
                "class": "form-control",
                "rows": 6,
                "placeholder": (
                    "请写明哪项信息有误、正确的内容是什么。如：我的出生日期应为1985年3月2日。"
                ),
            }
        ),
    )


DECISIONS = {
    "approve": "通过并更新名册",
    "reject": "不通过",
    "handle": "标记已处理",
}


class EmailForm(forms.Form):
    # A CharField, not an EmailField, and no max_length: the service checks the address and says
    # what is wrong (EMAIL_INVALID), the same sentence on the page and in the API.
    email = forms.CharField(
        label="电子邮箱",
        required=False,
        help_text="工作人员发送带邮件的通知时，会发到这个邮箱。留空表示不接收邮件。",
        widget=forms.EmailInput(
            attrs={
                "class": "form-control",
                "autocomplete": "email",
                "inputmode": "email",
                "placeholder": "name@example.com",
            }
        ),
    )


class DecisionForm(forms.Form):
    """Approve or reject a change request, or mark a correction handled with the reply."""

    decision = forms.ChoiceField(choices=list(DECISIONS.items()), widget=forms.HiddenInput)
    reason = forms.CharField(
        label="审核意见",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args: Any, profile_request: ProfileRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self, profile_request)
        if profile_request.kind == ProfileRequestKind.CORRECTION:
            self.fields["reason"].label = "答复（申报人会看到）"


STATUS_FILTER = [
    (ReviewStatus.PENDING.value, "待审核"),
    *[(value, label) for value, label in ReviewStatus.choices if value != ReviewStatus.PENDING],
    ("", "全部"),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=STATUS_FILTER,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[("", "全部类型"), *ProfileRequestKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def values(self) -> tuple[str, str]:
        """(status, kind): pending when no status is asked for, every status for "" (全部)."""
        status = self.data.get("status", ReviewStatus.PENDING)
        if status not in dict(STATUS_FILTER):
            status = ReviewStatus.PENDING
        kind = self.data.get("kind", "")
        return status, kind if kind in ProfileRequestKind.values else ""
