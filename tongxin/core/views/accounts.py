"""User management for admins, and API tokens for everyone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import access, selectors, services, versioning
from ..forms import ROLE_CHOICES, SetPasswordForm, TokenForm, UserForm
from ..models import ApiToken, Role, User
from .helpers import paginate, query_without_page, role_required


@role_required(Role.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    page = paginate(request, selectors.user_list(request.user, q=q, role=role))  # type: ignore[arg-type]
    return render(
        request,
        "core/user_list.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "roles": ROLE_CHOICES,
            "query": query_without_page(request),
        },
    )


@role_required(Role.ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("is_active", None)
        try:
            user = services.user_create(
                actor=request.user,  # type: ignore[arg-type]
                password=data.pop("password") or None,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增用户 {user.username}。")
            return redirect("user_detail", user_id=user.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "新增用户",
            "back": "user_list",
            "intro": (
                "市级业务人员须选择条线；成员单位联络员须选择所在单位；"
                "区县业务人员的区划为其所在区县。"
            ),
        },
    )


@role_required(Role.ADMIN)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = access.get_for_user(actor, User.objects.select_related("region", "unit"), pk=user_id)
    form = UserForm(request.POST or None, instance=target)
    versioning.add_version_field(form, target)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("username", None)
        try:
            services.user_update(actor=actor, user=target, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "用户信息已保存。")
            return redirect("user_detail", user_id=target.pk)
    return render(
        request,
        "core/user_detail.html",
        {
            "target": target,
            "form": form,
            "password_form": SetPasswordForm(target),
            "tokens": selectors.token_list(actor, owner=target),
            "scope_label": access.scope_label(target),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def user_set_password(request: HttpRequest, user_id: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = access.get_for_user(actor, User, pk=user_id)
    form = SetPasswordForm(target, request.POST)
    if form.is_valid():
        services.user_set_password(
            actor=actor, user=target, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, f"已为 {target.username} 设置新密码。")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("user_detail", user_id=target.pk)


@require_POST
@role_required(Role.ADMIN)
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = access.get_for_user(actor, User, pk=user_id)
    services.user_unlock(actor=actor, user=target)
    messages.success(request, f"已解除 {target.username} 的登录锁定。")
    return redirect("user_detail", user_id=target.pk)


@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = services.token_create(actor=user, user=user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.token_list(user, owner=user),
        },
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = access.get_for_user(user, ApiToken.objects.select_related("user"), pk=token_id)
    services.token_revoke(actor=user, token=token)
    messages.success(request, f"令牌 {token.prefix}… 已吊销。")
    if token.user_id != user.pk:
        return redirect("user_detail", user_id=token.user_id)
    return redirect("my_tokens")
