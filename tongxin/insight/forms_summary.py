"""The form that edits the annual summary's wording: the title and one field per block of the
template, each holding words and placeholders. The service checks them (summary.check_wording)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from .summary_template import BLOCKS, HEADING, KIND_LABELS

TITLE_REQUIRED = "请填写标题。"


class SummaryWordingForm(forms.Form):
    title = forms.CharField(
        label="标题",
        max_length=200,
        error_messages={"required": TITLE_REQUIRED},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label="修改说明",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "例如：按部务会意见修改第二部分"}
        ),
    )
    # The version the editor started from (0: the default wording); a later one is a conflict.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, texts: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, block in enumerate(BLOCKS, start=1):
            text = texts.get(block.key, "")
            widget: forms.Widget
            if block.kind == HEADING:
                widget = forms.TextInput(attrs={"class": "form-control fw-semibold"})
            else:
                rows = max(2, min(8, len(text) // 60 + 1))
                widget = forms.Textarea(attrs={"class": "form-control", "rows": rows})
            self.fields[block.key] = forms.CharField(
                label=f"第{n}段 · {KIND_LABELS[block.kind]}",
                required=False,
                initial=text,
                widget=widget,
            )

    def block_fields(self) -> list[forms.BoundField]:
        return [self[block.key] for block in BLOCKS]

    def texts(self) -> dict[str, str]:
        return {block.key: self.cleaned_data.get(block.key, "") for block in BLOCKS}
