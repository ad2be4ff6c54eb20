"""What the registry's pages share: who may open them, and how a service's refusal reaches a form.

The pages themselves live in views_persons.py, views_person_details.py, views_organizations.py
and views_codes.py; imports and exports in views_transfer.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.core import access
from tongxin.core.models import User

from . import services

View = Callable[..., HttpResponse]


def registry_view(view: View) -> View:
    """Log in first; liaisons and auditors get 403 with a sentence saying why."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access.require_role(request.user, *access.REGISTRY_ROLES)
        return view(request, *args, **kwargs)

    return wrapped


def require_editor(user: User) -> None:
    """Leaders read; only admins and staff write (403 otherwise)."""
    access.require_write(user, *services.EDITORS)


def form_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the fields they name, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_text(exc: ValidationError) -> str:
    return "".join(exc.messages)


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, error_text(exc))


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back_url: str,
    intro: str = "",
    submit: str = "保存",
    heading: str = "名册",
) -> HttpResponse:
    return render(
        request,
        "registry/form_page.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "intro": intro,
            "submit": submit,
            "heading": heading,
        },
    )
