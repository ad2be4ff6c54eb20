"""Forms of joining an organization: the person's reason, the staff decision, a quarter's quota."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from tongxin.core.versioning import FIELD, VersionField

from .services_joins import REASON_REQUIRED, REJECT_REASON_REQUIRED

APPROVE, REJECT = "approve", "reject"


class JoinApplyForm(forms.Form):
    reason = forms.CharField(
        label="申请理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "例如：从事的行业、希望参与的活动"}),
        error_messages={"required": REASON_REQUIRED},
    )


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(APPROVE, "批准入会"), (REJECT, "不通过")])
    reason = forms.CharField(
        label="不通过的理由",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不通过时必填，申请人会在门户和短信中看到。",
    )

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = VersionField(initial=version)
        self.initial[FIELD] = version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", REJECT_REASON_REQUIRED)
        return data


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in (this, this + 1)]


class QuotaForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=_years)
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)]
    )
    limit = forms.IntegerField(
        label="名额",
        min_value=0,
        required=False,
        help_text="本季度最多批准的人数；留空表示不限。",
        widget=forms.NumberInput(attrs={"placeholder": "不限"}),
    )
