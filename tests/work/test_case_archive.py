"""归档 of a case: it leaves every figure but is never deleted; who archived it and why is on its
timeline; restoring it counts it again. Only staff keeping the case's region and line may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from tongxin.work import services
from tongxin.work.models import Case, CaseEventKind

from ..conftest import Cast, login


def test_archiving_keeps_the_case_and_writes_why_on_its_timeline(cast: Cast) -> None:
    case = services.case_archive(case=cast.records.case, actor=cast.jingyang, reason="重复登记")
    assert case.archived_at is not None and case.archive_reason == "重复登记"
    event = case.events.order_by("pk").last()
    assert event is not None
    assert (event.kind, event.actor, event.note) == (
        CaseEventKind.ARCHIVE,
        cast.jingyang,
        "重复登记",
    )
    restored = services.case_restore(case=case, actor=cast.jingyang, note="并非重复")
    assert restored.archived_at is None
    assert restored.events.order_by("pk").last().kind == CaseEventKind.RESTORE  # type: ignore[union-attr]


def test_archiving_needs_a_reason_and_happens_once(cast: Cast) -> None:
    events = cast.records.case.events.count()
    with pytest.raises(ValidationError, match=services.ARCHIVE_REASON_REQUIRED):
        services.case_archive(case=cast.records.case, actor=cast.jingyang, reason="  ")
    assert Case.objects.get(pk=cast.records.case.pk).archived_at is None
    services.case_archive(case=cast.records.case, actor=cast.jingyang, reason="误录")
    with pytest.raises(ValidationError, match=services.ALREADY_ARCHIVED):
        services.case_archive(case=cast.records.case, actor=cast.jingyang, reason="误录")
    with pytest.raises(ValidationError, match=services.NOT_ARCHIVED):
        services.case_restore(
            case=services.case_restore(case=cast.records.case, actor=cast.jingyang),
            actor=cast.jingyang,
        )
    assert cast.records.case.events.count() == events + 2


@pytest.mark.parametrize("who", ["luojiang", "outsider", "liaison", "leader", "auditor"])
def test_no_one_else_archives_a_jingyang_case(cast: Cast, who: str) -> None:
    with pytest.raises((PermissionDenied, ValidationError, Http404)):
        services.case_archive(case=cast.records.case, actor=getattr(cast, who), reason="误录")
    assert Case.objects.get(pk=cast.records.case.pk).archived_at is None


def test_staff_archive_and_restore_from_the_case_page(cast: Cast) -> None:
    client = login(cast.jingyang)
    url = reverse("case_archive", args=[cast.records.case.pk])
    detail = reverse("case_detail", args=[cast.records.case.pk])
    assert url in client.get(detail).content.decode()
    client.post(url, {"reason": "重复登记"})
    assert Case.objects.get(pk=cast.records.case.pk).archive_reason == "重复登记"
    assert "不计入任何统计数字" in client.get(detail).content.decode()
    client.post(url, {"restore": "1"})
    assert Case.objects.get(pk=cast.records.case.pk).archived_at is None


def test_a_page_archive_without_reason_says_what_to_do_and_changes_nothing(cast: Cast) -> None:
    client = login(cast.jingyang)
    response = client.post(
        reverse("case_archive", args=[cast.records.case.pk]), {"reason": ""}, follow=True
    )
    assert services.ARCHIVE_REASON_REQUIRED in response.content.decode()
    assert Case.objects.get(pk=cast.records.case.pk).archived_at is None


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_get_404_and_change_nothing(cast: Cast, who: str) -> None:
    response = login(getattr(cast, who)).post(
        reverse("case_archive", args=[cast.records.case.pk]), {"reason": "误录"}
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=cast.records.case.pk).archived_at is None


def test_a_liaison_and_a_leader_see_no_archive_button(cast: Cast) -> None:
    detail = reverse("case_detail", args=[cast.records.case.pk])
    page = login(cast.leader).get(detail).content.decode()
    assert reverse("case_archive", args=[cast.records.case.pk]) not in page
