"""Attachments: checked by size, extension and content before anything is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tongxin.core import access
from tongxin.work import attachments
from tongxin.work.models import Attachment

from ..conftest import Cast, bearer, login

PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _add(cast: Cast, name: str, content: bytes, **owner: object) -> Attachment:
    owner = owner or {"activity": cast.work.activity}
    return attachments.attachment_add(
        actor=cast.jingyang,
        upload=SimpleUploadedFile(name, content),
        **owner,  # type: ignore[arg-type]
    )


def _stored() -> int:
    return Attachment.objects.count()


def test_a_pdf_is_stored_through_the_storage_api_with_its_name_size_and_type(cast: Cast) -> None:
    attachment = _add(cast, "会议纪要（定稿）.pdf", PDF)
    assert attachment.original_name == "会议纪要（定稿）.pdf"
    assert attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf"
    assert default_storage.exists(attachment.file.name)
    with attachment.file.open("rb") as f:
        assert f.read() == PDF


def test_an_output_takes_files_too(cast: Cast) -> None:
    attachment = _add(cast, "照片.png", PNG, output=cast.work.output)
    assert attachment.output == cast.work.output and attachment.activity is None


def test_a_file_over_the_limit_is_refused_and_nothing_stored(cast: Cast) -> None:
    before = _stored()
    big = PDF + b"0" * attachments.MAX_ATTACHMENT_BYTES
    with pytest.raises(ValidationError) as err:
        _add(cast, "大文件.pdf", big)
    assert attachments.TOO_LARGE in err.value.messages
    assert _stored() == before


@pytest.mark.parametrize("name", ["脚本.exe", "页面.html", "宏.docm", "没有扩展名", "x.svg"])
def test_a_file_of_a_wrong_type_is_refused(cast: Cast, name: str) -> None:
    before = _stored()
    with pytest.raises(ValidationError) as err:
        _add(cast, name, b"MZ\x90\x00")
    assert attachments.WRONG_TYPE in err.value.messages
    assert _stored() == before


def test_a_file_whose_content_is_not_its_extension_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        _add(cast, "伪装.pdf", b"MZ\x90\x00 this is an exe")
    assert attachments.CONTENT_MISMATCH.format(ext=".pdf") in err.value.messages


def test_an_empty_file_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        _add(cast, "空.pdf", b"")
    assert attachments.EMPTY in err.value.messages


def test_an_attachment_belongs_to_exactly_one_record(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        _add(cast, "a.pdf", PDF, activity=cast.work.activity, output=cast.work.output)


def test_read_only_roles_cannot_attach(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        attachments.attachment_add(
            actor=cast.leader,
            upload=SimpleUploadedFile("a.pdf", PDF),
            activity=cast.work.activity,
        )


def test_deleting_removes_the_row_and_then_the_file(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    attachment = _add(cast, "删.pdf", PDF)
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        attachments.attachment_delete(actor=cast.jingyang, attachment=attachment)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(name)


def test_attachments_are_seen_only_with_their_record(cast: Cast) -> None:
    for who in (cast.luojiang, cast.outsider, cast.liaison, cast.auditor):
        assert not access.scope(who, Attachment.objects.all()).exists()
    assert access.scope(cast.leader, Attachment.objects.all()).filter(pk=cast.work.attachment.pk)


def test_a_file_gone_from_storage_answers_404_saying_what_to_do(cast: Cast) -> None:
    # A database restored without its uploaded files: the download explains, never a 500.
    attachment = cast.work.attachment
    default_storage.delete(attachment.file.name)
    response = Client().get(f"/api/v1/attachments/{attachment.pk}", **bearer(cast.jingyang))
    assert response.status_code == 404
    assert response.json() == {"detail": attachments.FILE_MISSING, "code": "error"}
    page = login(cast.jingyang).get(reverse("attachment_download", args=[attachment.pk]))
    assert page.status_code == 404
