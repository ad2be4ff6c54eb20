"""QuickSelect writes exactly the HTML Django's Select writes, only faster."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from tongxin.core.widgets import QuickSelect

CHOICES = [("", "全部"), (1, 'A & "B"'), ("x<y", "<b>粗</b>"), (3, "三")]
ATTRS = {"class": "form-select", "aria-label": "组织", "disabled": False, "required": True}


@pytest.mark.parametrize("value", [None, "", 1, "x<y", 3, [1, 3], "not a choice"])
def test_quick_select_writes_what_select_writes(value: Any) -> None:
    plain = forms.Select(attrs=ATTRS, choices=CHOICES).render("org", value, attrs={"id": "id_org"})
    quick = QuickSelect(attrs=ATTRS, choices=CHOICES).render("org", value, attrs={"id": "id_org"})
    assert quick == plain


def test_option_groups_are_written_as_select_writes_them() -> None:
    grouped = [("", "全部"), ("德阳", [(1, "旌阳"), (2, "罗江")]), (3, "其他")]
    plain = forms.Select(choices=grouped).render("region", 2)
    assert QuickSelect(choices=grouped).render("region", 2) == plain
