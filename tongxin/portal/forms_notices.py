"""The notice a staff member composes, and the registry's person filters that pick its recipients
(the same form as the person list page, so a notice goes to exactly the people that page shows)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from tongxin.core.models import User
from tongxin.registry.forms import PersonListForm
from tongxin.registry.selectors import PersonFilter

# The person list's filters that choose people; its sort, page size and columns choose nothing,
# and archived people get no notices.
FILTER_KEYS = ("q", "region", "category", "stratum_group", "organization", "rep_level", "tag")

TITLE_REQUIRED = "请填写通知标题。"
BODY_REQUIRED = "请填写通知正文。"
BODY_MAX = 2000
FILTER_INVALID = "筛选条件“{label}”无效或不在您的管辖范围内，请重新选择。"


class NoticeForm(forms.Form):
    title = forms.CharField(
        label="标题", max_length=100, error_messages={"required": TITLE_REQUIRED}
    )
    body = forms.CharField(
        label="正文",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": BODY_REQUIRED},
    )
    send_sms = forms.BooleanField(
        label="同时发送短信",
        required=False,
        help_text="发往名册登记的手机号码；短信只含标题和正文开头，全文请本人在门户查看。",
    )
    send_email = forms.BooleanField(
        label="同时发送邮件", required=False, help_text="发往本人在个人门户填写的电子邮箱。"
    )
    # The recipient count the sender saw: if it changed since, the notice is not sent unseen.
    expected = forms.IntegerField(required=False, widget=forms.HiddenInput)


def filter_query(data: QueryDict | dict[str, Any]) -> str:
    """The recipient filters of a request, as a query string (what Notice.filters keeps and the
    person list page understands)."""
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        value = str(data.get(key) or "").strip()
        if value:
            kept[key] = value
    return kept.urlencode()


def filter_form(user: User, filters: str) -> PersonListForm:
    return PersonListForm(user, QueryDict(filters))


def filter_errors(form: PersonListForm) -> list[str]:
    """What is wrong with the chosen filters. The person list ignores a stale or foreign value and
    shows everything; a notice must refuse it instead, or it would go to everyone."""
    form.is_valid()
    return [
        FILTER_INVALID.format(label=form.fields[key].label)
        for key in FILTER_KEYS
        if key in form.errors
    ]


def recipient_filter(user: User, filters: str) -> PersonFilter:
    """The person filter a notice's query string asks for, in ``user``'s scope; a value that is
    not valid there is refused (ValidationError)."""
    form = filter_form(user, filters)
    errors = filter_errors(form)
    if errors:
        raise ValidationError(errors)
    return form.person_filter()


def describe_filters(form: PersonListForm) -> list[tuple[str, str]]:
    """The chosen filters in words: (label, value) pairs."""
    form.is_valid()
    described = []
    for key in FILTER_KEYS:
        value = form.cleaned_data.get(key) if hasattr(form, "cleaned_data") else None
        if value:
            described.append((str(form.fields[key].label), str(value).strip()))
    return described
