"""Login, logout, lockout and passwords."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..forms import LoginForm, PasswordChangeForm
from ..models import Role
from ..services import user_set_password


def lockout_message(username: str) -> str:
    """Say when the account opens again, counted from the last failed attempt."""
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    attempt = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    until = (attempt.attempt_time if attempt else timezone.now()) + cooloff
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return (
        f"连续登录失败次数过多，账号已被临时锁定。请在 {timezone.localtime(until):%H:%M} 以后再试"
        f"（约 {minutes} 分钟），或联系系统管理员解除锁定。"
    )


def lockout_response(
    request: HttpRequest, response: Any = None, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, data=None, initial={"username": username})
    return render(
        request,
        "core/login.html",
        {
            "form": form,
            "lockout": lockout_message(username),
            "lockout_attempts": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "lockout_attempts": settings.AXES_FAILURE_LIMIT,
        }

    def get_default_redirect_url(self) -> str:
        # Leaders read the department through its figures: they land on the dashboard.
        if getattr(self.request.user, "role", None) == Role.LEADER:
            return reverse("dashboard")
        return super().get_default_redirect_url()


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = user_set_password(
            actor=request.user,  # type: ignore[arg-type]
            user=request.user,  # type: ignore[arg-type]
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。下次登录请使用新密码。")
        return redirect("workbench")
    return render(request, "core/password_change.html", {"form": form})
