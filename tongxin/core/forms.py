"""Forms of the core pages. They validate input; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from . import audit
from .models import AuditAction, BusinessLine, Region, RegionKind, Role, Unit, UnitKind, User

LOGIN_INVALID = "用户名或密码不正确。请检查后重试；连续多次输错，账号将被临时锁定。"
LOGIN_INACTIVE = "该账号已停用，请联系系统管理员。"
PASSWORDS_DIFFER = "两次输入的新密码不一致，请重新输入。"


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": LOGIN_INVALID, "inactive": LOGIN_INACTIVE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["username"].widget.attrs.update(placeholder="请输入用户名", autofocus=True)
        self.fields["password"].label = "密码"
        self.fields["password"].widget.attrs.update(placeholder="请输入密码")


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = RegionKind.FUNCTIONAL
        self.fields["parent"].required = True
        self.fields["parent"].queryset = Region.objects.order_by("path")  # type: ignore[attr-defined]
        self.fields["code"].help_text = "GB/T 2260 六位代码；功能区（如经开区）可用9位代码。"


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "region", "order", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("path")  # type: ignore[attr-defined]
        self.fields["kind"].initial = UnitKind.PARTY


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="新建用户时填写；留空则账号暂不能登录，待设置密码后启用。",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "title",
            "role",
            "region",
            "lines",
            "unit",
            "can_reveal",
            "is_active",
        ]
        widgets = {"lines": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("path")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.select_related("region").order_by(  # type: ignore[attr-defined]
            "region__path", "order", "name"
        )
        self.fields["lines"].queryset = BusinessLine.objects.all()  # type: ignore[attr-defined]
        self.fields["is_active"].label = "启用"
        self.fields["is_active"].help_text = "停用后该账号不能登录，其历史记录保留。"
        self.fields["username"].help_text = "登录用的账号，可含字母、数字和 @ . + - _。"
        if self.instance.pk:
            del self.fields["password"]
            self.fields["username"].disabled = True

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            candidate = User(
                username=self.cleaned_data.get("username", ""),
                name=self.cleaned_data.get("name", ""),
            )
            password_validation.validate_password(password, candidate)
        return password


class SetPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput,
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", PASSWORDS_DIFFER)
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput, strip=False)
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError("当前密码不正确，请重新输入。")
        return str(old)


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=64,
        initial="API",
        help_text="例如：数据对接、统计脚本。令牌只显示一次，请妥善保存。",
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作账号", required=False)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部操作"), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label="对象类型", required=False, choices=[("", "全部对象")])
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, object_types: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "全部对象")] + [  # type: ignore[attr-defined]
            (t, audit.object_type_label(t)) for t in object_types
        ]


ROLE_CHOICES = [("", "全部角色"), *Role.choices]
