"""A person's opinions on the portal: sending one with files (checked by type, content, size and
count before anything is stored), following it, seeing the answer or the case's resolution,
rating it once; nobody else's is ever shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tongxin.portal import services_opinions as services
from tongxin.portal.messaging import LocMemSMSBackend
from tongxin.portal.models_requests import Submission, SubmissionAttachment, SubmissionStatus

from ..conftest import Cast
from .helpers import portal_client
from .opinion_world import (
    JPG,
    PNG,
    account_of,
    line,
    other_account,
    pdf,
    png,
    resolve,
    send,
    stored_files,
)

NEW = "/portal/opinions/new/"


def _post(client: Client, files: list[SimpleUploadedFile] | None = None, **fields: Any) -> Any:
    data: dict[str, Any] = {
        "kind": "difficulty",
        "title": "旌阳企业用工难",
        "text": "招不到技术工人。",
        "line": "",
        **fields,
    }
    if files is not None:
        data["uploads"] = files
    return client.post(NEW, data)


# --- sending -------------------------------------------------------------------------------------


def test_a_person_sends_an_opinion_with_files_and_sees_it_in_their_list(cast: Cast) -> None:
    account = account_of(cast)
    client = portal_client(account)
    response = _post(client, [png(), pdf()], line=str(line("新阶").pk))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal_opinion_detail", args=[submission.pk])
    assert submission.person == cast.records.person
    assert submission.region == cast.jingyang_region
    assert submission.line == line("新阶")
    assert submission.status == SubmissionStatus.SUBMITTED
    names = sorted(a.original_name for a in submission.attachments.all())
    assert names == ["情况说明.pdf", "现场照片.png"]
    assert len(stored_files()) == 2
    page = client.get("/portal/opinions/")
    assert "旌阳企业用工难" in page.content.decode() and "待处理" in page.content.decode()


def test_the_form_shows_on_a_phone_with_its_limits(cast: Cast) -> None:
    page = portal_client(account_of(cast)).get(NEW).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "最多 3 个，每个不超过 10 MB" in page
    assert 'accept=".jpg,.jpeg,.png,.pdf' in page


def test_a_title_is_required(cast: Cast) -> None:
    response = _post(portal_client(account_of(cast)), title="  ")
    assert response.status_code == 200
    assert not Submission.objects.exists()


BAD_FILES: list[tuple[str, Callable[[], list[SimpleUploadedFile]], str]] = [
    (
        "wrong magic bytes",
        lambda: [png(), SimpleUploadedFile("伪装照片.png", b"MZ\x90\x00 not a png")],
        "文件内容与扩展名“.png”不符",
    ),
    ("an executable", lambda: [SimpleUploadedFile("setup.exe", b"MZ\x90\x00")], "类型不支持"),
    ("a zip", lambda: [SimpleUploadedFile("材料.zip", b"PK\x03\x04")], "类型不支持"),
    (
        "too big",
        lambda: [png("大照片.png", PNG + b"0" * services.MAX_FILE_BYTES)],
        "超过 10 MB",
    ),
    ("too many", lambda: [png(f"照片{i}.png") for i in range(4)], "最多上传 3 个附件"),
    ("empty", lambda: [SimpleUploadedFile("空.pdf", b"")], "空文件"),
]


@pytest.mark.parametrize(("case", "files", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_nothing_stored(
    cast: Cast, case: str, files: Callable[[], list[SimpleUploadedFile]], message: str
) -> None:
    response = _post(portal_client(account_of(cast)), files())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()
    assert not SubmissionAttachment.objects.exists()
    assert stored_files() == []


def test_the_service_refuses_bad_files_before_writing_anything(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        send(account_of(cast), uploads=[png(), SimpleUploadedFile("a.jpg", PNG)])
    assert "“a.jpg”" in err.value.message_dict["uploads"][0]
    assert not Submission.objects.exists() and stored_files() == []


def test_a_jpeg_and_office_documents_are_taken(cast: Cast) -> None:
    docx = SimpleUploadedFile("说明.docx", b"PK\x03\x04" + b"\x00" * 10)
    submission = send(account_of(cast), uploads=[SimpleUploadedFile("照片.JPG", JPG), docx])
    assert submission.attachments.count() == 2


def test_sending_is_rate_limited(cast: Cast, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    client = portal_client(account_of(cast))
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    assert Submission.objects.count() == 2


def test_a_logged_out_visitor_is_sent_to_the_login(cast: Cast) -> None:
    response = Client().get(NEW)
    assert response.status_code == 302 and response.url.startswith("/portal/login/")


# --- following and rating ------------------------------------------------------------------------


def test_the_answer_shows_and_can_be_rated_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    account = account_of(cast)
    submission = send(account)
    client = portal_client(account)
    detail = reverse("portal_opinion_detail", args=[submission.pk])
    assert "工作人员正在处理" in client.get(detail).content.decode()
    assert client.post(detail + "rating/", {"rating": "5"}).status_code == 302
    assert Submission.objects.get().rating is None  # nothing to rate before an answer

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_answer(
            actor=cast.jingyang, submission=submission, answer="已联系旌阳职业技术学校对接。"
        )
    assert LocMemSMSBackend.outbox[-1][0] == "13800000001"
    assert "旌阳企业用工难" in LocMemSMSBackend.outbox[-1][1]
    page = client.get(detail).content.decode()
    assert "已联系旌阳职业技术学校对接。" in page and "您对答复满意吗" in page

    client.post(detail + "rating/", {"rating": "4", "comment": "很及时"})
    rated = Submission.objects.get()
    assert (rated.rating, rated.rating_comment) == (4, "很及时")
    client.post(detail + "rating/", {"rating": "1"})
    assert Submission.objects.get().rating == 4
    assert "满意" in client.get(detail).content.decode()
    with pytest.raises(ValidationError) as err:
        services.submission_rate(account=account, submission=rated, rating=2)
    assert services.ALREADY_RATED in err.value.messages


def test_a_rating_out_of_range_is_refused(cast: Cast) -> None:
    account = account_of(cast)
    submission = services.submission_answer(
        actor=cast.jingyang, submission=send(account), answer="已答复。"
    )
    with pytest.raises(ValidationError):
        services.submission_rate(account=account, submission=submission, rating=6)
    response = portal_client(account).post(
        reverse("portal_opinion_rate", args=[submission.pk]), {"rating": "9"}
    )
    assert response.status_code == 400
    assert Submission.objects.get().rating is None


def test_a_case_s_status_and_then_its_resolution_show_to_the_person(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    account = account_of(cast)
    submission = send(account)
    case = services.submission_to_case(actor=cast.jingyang, submission=submission)
    client = portal_client(account)
    detail = reverse("portal_opinion_detail", args=[submission.pk])
    page = client.get(detail).content.decode()
    assert "已转为诉求 · 受理" in page and "您对答复满意吗" not in page

    with django_capture_on_commit_callbacks(execute=True):
        resolve(cast, case, "已对接旌阳职业技术学校，签订用工协议。")
    assert "已办结" in LocMemSMSBackend.outbox[-1][1]
    page = client.get(detail).content.decode()
    assert "已转为诉求 · 办结" in page
    assert "已对接旌阳职业技术学校，签订用工协议。" in page
    assert "您对答复满意吗" in page
    client.post(detail + "rating/", {"rating": "5"})
    assert Submission.objects.get().rating == 5


def test_rating_is_rate_limited(cast: Cast, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    account = account_of(cast)
    submission = services.submission_answer(
        actor=cast.jingyang, submission=send(account), answer="已答复。"
    )
    client = portal_client(account)
    url = reverse("portal_opinion_rate", args=[submission.pk])
    codes = [client.post(url, {"rating": "9"}).status_code for _ in range(2)]
    response = client.post(url, {"rating": "5"})
    assert codes == [400, 400] and response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    assert Submission.objects.get().rating is None


# --- nobody else's --------------------------------------------------------------------------------


def test_another_person_gets_404_for_the_submission_and_its_file(cast: Cast) -> None:
    submission = send(account_of(cast), uploads=[png()])
    attachment = submission.attachments.get()
    other = portal_client(other_account(cast))
    assert other.get(reverse("portal_opinion_detail", args=[submission.pk])).status_code == 404
    assert other.get(reverse("portal_opinion_file", args=[attachment.pk])).status_code == 404
    rate = other.post(reverse("portal_opinion_rate", args=[submission.pk]), {"rating": "1"})
    assert rate.status_code == 404
    assert "旌阳企业用工难" not in other.get("/portal/opinions/").content.decode()


def test_the_owner_downloads_their_file(cast: Cast) -> None:
    account = account_of(cast)
    attachment = send(account, uploads=[png()]).attachments.get()
    response = portal_client(account).get(reverse("portal_opinion_file", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]


def test_a_portal_session_cannot_open_the_staff_inbox(cast: Cast) -> None:
    account = account_of(cast)
    submission = send(account)
    client = portal_client(account)
    assert client.get("/portal-admin/opinions/").status_code == 403
    url = reverse("portal_staff_opinion_detail", args=[submission.pk])
    assert client.get(url).status_code == 403
    assert client.post(url + "answer/", {"answer": "自答"}).status_code == 403
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
