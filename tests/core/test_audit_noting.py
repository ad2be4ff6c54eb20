"""audit.noting: every audit row written inside the block, the model signals' rows included, gets
the block's 说明; a row that names its own keeps it; outside the block nothing is added."""

from __future__ import annotations

import pytest

from tongxin.core import audit
from tongxin.core.models import AuditAction, AuditEvent, Region

pytestmark = pytest.mark.django_db


def _region(code: str) -> Region:
    return Region.objects.create(code=code, name=f"测试{code}", kind="district")


def test_rows_written_by_signals_inside_the_block_carry_the_note() -> None:
    with audit.noting("本人申报，审核人：张三"):
        region = _region("990001")
        region.name = "改名"
        region.save()
    rows = AuditEvent.objects.filter(object_type="core.region", object_id=str(region.pk))
    assert sorted(rows.values_list("action", "detail")) == [
        (AuditAction.CREATE, "本人申报，审核人：张三"),
        (AuditAction.UPDATE, "本人申报，审核人：张三"),
    ]


def test_an_explicit_detail_wins_and_nothing_is_noted_outside() -> None:
    with audit.noting("外层说明"):
        own = audit.record(AuditAction.EXPORT, object_type="x", detail="自己的说明")
    assert own.detail == "自己的说明"
    region = _region("990002")
    after = AuditEvent.objects.get(object_type="core.region", object_id=str(region.pk))
    assert after.detail == ""


def test_the_note_ends_with_the_block_even_on_error() -> None:
    with pytest.raises(RuntimeError), audit.noting("出错前"):
        raise RuntimeError
    assert audit.record(AuditAction.EXPORT, object_type="x").detail == ""
