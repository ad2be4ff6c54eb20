"""Forms of the portal's doors and of the staff pages that issue invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy

from tongxin.core import access
from tongxin.core.models import Region, User
from tongxin.registry.models import Organization
from tongxin.work.models import Activity

from .models import Invitation, InvitationTarget


def _password_help() -> str:
    # The same policy as staff passwords (settings.AUTH_PASSWORD_VALIDATORS), said in one line.
    return f"至少 {settings.PASSWORD_MIN_LENGTH} 个字符，包含字母、数字、符号中的至少两类。"


PASSWORD_HELP = lazy(_password_help, str)()
PHONE_ATTRS = {"inputmode": "numeric", "autocomplete": "tel", "placeholder": "11位手机号码"}
CODE_ATTRS = {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "6位验证码"}


class PhoneForm(forms.Form):
    phone = forms.CharField(label="手机号码", max_length=20, widget=forms.TextInput(PHONE_ATTRS))


class LoginForm(PhoneForm):
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput({"autocomplete": "current-password"})
    )


class CodeLoginForm(PhoneForm):
    code = forms.CharField(
        label="验证码", max_length=6, required=False, widget=forms.TextInput(CODE_ATTRS)
    )


class ResetForm(PhoneForm):
    code = forms.CharField(
        label="验证码", max_length=6, required=False, widget=forms.TextInput(CODE_ATTRS)
    )
    password = forms.CharField(
        label="新密码",
        required=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )


class RegisterForm(PhoneForm):
    name = forms.CharField(
        label="姓名", max_length=64, widget=forms.TextInput({"autocomplete": "name"})
    )
    code = forms.CharField(
        label="验证码", max_length=6, required=False, widget=forms.TextInput(CODE_ATTRS)
    )
    password = forms.CharField(
        label="设置密码",
        required=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    consent = forms.BooleanField(label="我已阅读并同意《个人信息保护声明》", required=False)
    field_order = ["name", "phone", "code", "password", "consent"]


class ApplyForm(RegisterForm):
    region = forms.ModelChoiceField(
        label="所在区县", queryset=Region.objects.none(), empty_label="请选择"
    )
    employer = forms.CharField(label="工作单位", max_length=128, required=False)
    position = forms.CharField(label="职务", max_length=128, required=False)
    message = forms.CharField(
        label="申请说明",
        required=False,
        widget=forms.Textarea({"rows": 3, "placeholder": "如：所属行业、参加过的活动、推荐人等"}),
    )
    field_order = [
        "name",
        "phone",
        "code",
        "password",
        "region",
        "employer",
        "position",
        "message",
        "consent",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The districts, counties and functional areas of the deployment's city (or cities).
        self.fields["region"].queryset = Region.objects.filter(depth__gte=2).order_by("path")  # type: ignore[attr-defined]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label="我已阅读并同意《个人信息保护声明》")


class InvitationForm(forms.ModelForm):
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=365, initial=30)

    class Meta:
        model = Invitation
        fields = ["title", "target", "region", "organization", "activity", "max_uses"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = access.scope(user, Region.objects.all())  # type: ignore[attr-defined]
        self.fields["organization"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Organization.objects.filter(archived_at__isnull=True)
        ).order_by("name")
        self.fields["activity"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Activity.objects.filter(date__gte=timezone.localdate() - dt.timedelta(days=30))
        ).order_by("-date")
        self.fields["max_uses"].initial = 50
        self.fields["target"].initial = InvitationTarget.REGION


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("reject", "不通过")])
    person = forms.IntegerField(required=False)
    reason = forms.CharField(label="审核意见", required=False, max_length=500)
