"""Files of a 督办事项 progress report: checked like every attachment before anything is stored, all
or nothing with the report, kept on the timeline (never deleted), and seen only by those who see
the task."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.core import access
from tongxin.core.models import User
from tongxin.governance import services_tasks as services
from tongxin.governance.models import Task, TaskEvent, TaskEventKind
from tongxin.work import attachments
from tongxin.work.models import Attachment

from ..conftest import Cast, login
from .test_task_pages import city_task, messages_of, page, sifa

PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def pdf(name: str = "走访台账.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def png(name: str = "座谈会照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG)


def exe(name: str = "工具.exe") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00")


def stored_files(path: str = "") -> list[str]:
    """Every file in the storage, however deep."""
    dirs, files = default_storage.listdir(path)
    found = [f"{path}{f}" for f in files]
    for d in dirs:
        found += stored_files(f"{path}{d}/")
    return found


def reports(task: Task) -> int:
    return task.events.filter(kind=TaskEventKind.PROGRESS).count()


def report(cast: Cast, liaison: User, *files: SimpleUploadedFile) -> TaskEvent:
    return services.task_progress(
        task=city_task(cast), actor=liaison, note="已走访律所8家。", files=list(files)
    )


# --- the service ----------------------------------------------------------------------------------


def test_a_report_keeps_its_files_through_the_storage_api(cast: Cast) -> None:
    event = report(cast, sifa(cast), pdf(), png())
    files = list(event.attachments.order_by("id"))
    assert [f.original_name for f in files] == ["走访台账.pdf", "座谈会照片.png"]
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    assert all(f.task_event == event and f.activity is None and f.output is None for f in files)
    with files[0].file.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    "bad",
    [exe(), SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00"), SimpleUploadedFile("空.txt", b"")],
    ids=["wrong-type", "content-mismatch", "empty"],
)
def test_a_refused_file_leaves_no_report_and_no_file(cast: Cast, bad: Any) -> None:
    liaison = sifa(cast)
    task = city_task(cast)
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        services.task_progress(task=task, actor=liaison, note="进展。", files=[pdf(), bad])
    assert refused.value.message_dict["files"][0].startswith(f"“{bad.name}”：")
    assert reports(task) == 0 and not Attachment.objects.filter(task_event__task=task).exists()
    assert stored_files() == before


def test_a_failure_after_storing_removes_the_files_already_stored(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails after the first file is stored (a lost database, a full disk) leaves no
    orphan file: the rows roll back with the report, and the files go too."""
    liaison = sifa(cast)
    task = city_task(cast)
    before = stored_files()
    real_add = attachments.attachment_add
    calls = []

    def failing_second(**kwargs: Any) -> Attachment:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return real_add(**kwargs)

    monkeypatch.setattr(attachments, "attachment_add", failing_second)
    with pytest.raises(OSError):
        services.task_progress(task=task, actor=liaison, note="进展。", files=[pdf(), png()])
    assert len(calls) == 2 and reports(task) == 0 and stored_files() == before


def test_a_report_carries_at_most_ten_files(cast: Cast) -> None:
    task = city_task(cast)
    files = [pdf(f"附件{i}.pdf") for i in range(services.MAX_REPORT_FILES + 1)]
    with pytest.raises(ValidationError, match=services.TOO_MANY_FILES):
        services.task_progress(task=task, actor=sifa(cast), note="进展。", files=files)
    assert reports(task) == 0


def test_only_the_reports_author_adds_files_to_it(cast: Cast) -> None:
    event = report(cast, sifa(cast))
    for other in (cast.city_staff, cast.admin, cast.liaison):
        with pytest.raises(PermissionDenied, match=attachments.NOT_YOUR_REPORT):
            attachments.attachment_add(actor=other, upload=pdf(), task_event=event)
    issued = event.task.events.earliest("id")  # 交办, not a progress report
    with pytest.raises(PermissionDenied, match=attachments.NOT_YOUR_REPORT):
        attachments.attachment_add(actor=cast.city_staff, upload=pdf(), task_event=issued)
    assert event.attachments.count() == 0


def test_a_reports_files_are_never_deleted(cast: Cast) -> None:
    event = report(cast, sifa(cast), pdf())
    file = event.attachments.get()
    for who in (event.actor, cast.city_staff, cast.admin):
        assert who is not None
        with pytest.raises(PermissionDenied, match=attachments.REPORT_FILE_KEPT):
            attachments.attachment_delete(actor=who, attachment=file)
    response = login(cast.city_staff).post(f"/attachments/{file.pk}/delete/")
    assert response.status_code == 403
    assert Attachment.objects.filter(pk=file.pk).exists() and default_storage.exists(
        file.file.name or ""
    )


# --- who sees them --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", True),
        ("city_staff", True),
        ("leader", True),
        ("sifa", True),
        ("liaison", False),  # 市委网信办's liaison: another unit
        ("jingyang", False),
        ("luojiang", False),
        ("outsider", False),
        ("auditor", False),
    ],
)
def test_a_reports_files_are_seen_by_those_who_see_the_task(
    cast: Cast, who: str, sees: bool
) -> None:
    liaison = sifa(cast)
    file = report(cast, liaison, pdf()).attachments.get()
    user = liaison if who == "sifa" else getattr(cast, who)
    assert access.scope(user, Attachment.objects.filter(pk=file.pk)).exists() == sees
    response = login(user).get(f"/attachments/{file.pk}/")
    if sees:
        assert response.status_code == 200
        assert response.getvalue() == PDF
    else:
        assert response.status_code in (403, 404)


def test_a_district_sees_the_files_of_a_task_assigned_to_it(cast: Cast) -> None:
    task = city_task(cast, "交旌阳区的督办", assignee_region=cast.jingyang_region)
    event = services.task_progress(task=task, actor=cast.jingyang, note="进展。", files=[pdf()])
    file = event.attachments.get()
    assert login(cast.jingyang).get(f"/attachments/{file.pk}/").status_code == 200
    assert login(cast.luojiang).get(f"/attachments/{file.pk}/").status_code == 404


# --- through the page -----------------------------------------------------------------------------


def test_the_liaison_reports_with_files_and_the_timeline_links_them(cast: Cast) -> None:
    liaison = sifa(cast)
    task = city_task(cast)
    response = login(liaison).post(
        f"/tasks/{task.pk}/act/",
        {
            "action": "progress",
            "progress-note": "已走访律所8家。",
            "progress-attachments": [pdf(), png()],
        },
        follow=True,
    )
    assert "已报告办理进展，附件 2 个。" in messages_of(response)
    files = Attachment.objects.filter(task_event__task=task).order_by("id")
    assert [f.original_name for f in files] == ["走访台账.pdf", "座谈会照片.png"]
    text = page(login(cast.city_staff), f"/tasks/{task.pk}/")
    for f in files:
        assert f'href="/attachments/{f.pk}/">{f.original_name}</a>' in text


def test_a_refused_file_on_the_page_names_the_file_and_keeps_nothing(cast: Cast) -> None:
    liaison = sifa(cast)
    task = city_task(cast)
    before = stored_files()
    response = login(liaison).post(
        f"/tasks/{task.pk}/act/",
        {"action": "progress", "progress-note": "已走访。", "progress-attachments": [pdf(), exe()]},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f"“工具.exe”：{attachments.WRONG_TYPE}" in text
    assert "未保存：请按下方提示修改后再提交。" in text
    assert reports(task) == 0 and stored_files() == before
