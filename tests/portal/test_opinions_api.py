"""The portal API of opinions: send with files, list, read, rate once, download one's own files;
another person's are 404, staff credentials get nothing, sending is rate-limited."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tongxin.portal import services_opinions as services
from tongxin.portal.models_requests import Submission

from ..conftest import Cast, bearer, login
from .helpers import portal_bearer, portal_client
from .opinion_world import PNG, account_of, other_account, png, resolve, send, stored_files

API = "/api/v1/portal/opinions"


def _send(client: Client, auth: dict[str, str], **fields: Any) -> Any:
    data: dict[str, Any] = {
        "kind": "suggestion",
        "title": "旌阳营商环境建议",
        "text": "建议简化审批。",
    }
    data.update(fields)
    return client.post(API, data, **auth)


def test_a_person_sends_with_files_and_reads_it_back(cast: Cast) -> None:
    account = account_of(cast)
    auth = portal_bearer(account)
    response = _send(Client(), auth, line="xinjie", files=[png(), png("第二张.png")])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["status_label"] == "待处理"
    assert body["line"] == "xinjie"
    assert [a["name"] for a in body["attachments"]] == ["现场照片.png", "第二张.png"]
    listed = Client().get(API, **auth).json()
    assert [s["title"] for s in listed] == ["旌阳营商环境建议"]
    detail = Client().get(f"{API}/{body['id']}", **auth).json()
    assert detail["text"] == "建议简化审批。"
    file_id = body["attachments"][0]["id"]
    download = Client().get(f"{API}/{body['id']}/attachments/{file_id}", **auth)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]


def test_an_unknown_line_or_kind_is_refused(cast: Cast) -> None:
    auth = portal_bearer(account_of(cast))
    assert _send(Client(), auth, line="nosuch").status_code == 422
    assert _send(Client(), auth, kind="nosuch").status_code == 422
    assert not Submission.objects.exists()


def test_bad_files_are_refused_with_nothing_stored(cast: Cast) -> None:
    auth = portal_bearer(account_of(cast))
    cases = [
        [SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00")],
        [SimpleUploadedFile("setup.exe", b"MZ\x90\x00")],
        [png("大.png", PNG + b"0" * services.MAX_FILE_BYTES)],
        [png(f"{i}.png") for i in range(4)],
    ]
    for files in cases:
        response = _send(Client(), auth, files=files)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"
    assert not Submission.objects.exists() and stored_files() == []


def test_rating_once_after_the_case_is_resolved(cast: Cast) -> None:
    account = account_of(cast)
    auth = portal_bearer(account)
    submission = send(account)
    url = f"{API}/{submission.pk}/rating"
    early = Client().post(url, {"rating": 5}, content_type="application/json", **auth)
    assert early.status_code == 422
    case = services.submission_to_case(actor=cast.jingyang, submission=submission)
    assert Client().get(f"{API}/{submission.pk}", **auth).json()["case_status"] == "受理"
    resolve(cast, case, "旌阳区已协调解决。")
    body = Client().get(f"{API}/{submission.pk}", **auth).json()
    assert body["case_status"] == "办结" and body["answer"] == "旌阳区已协调解决。"
    assert body["can_rate"] is True
    rated = Client().post(
        url, {"rating": 5, "comment": "好"}, content_type="application/json", **auth
    )
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    again = Client().post(url, {"rating": 1}, content_type="application/json", **auth)
    assert again.status_code == 422 and services.ALREADY_RATED in again.json()["detail"]
    assert Submission.objects.get().rating == 5


def test_another_person_gets_404(cast: Cast) -> None:
    submission = send(account_of(cast), uploads=[png()])
    attachment = submission.attachments.get()
    auth = portal_bearer(other_account(cast))
    assert Client().get(API, **auth).json() == []
    assert Client().get(f"{API}/{submission.pk}", **auth).status_code == 404
    file_url = f"{API}/{submission.pk}/attachments/{attachment.pk}"
    assert Client().get(file_url, **auth).status_code == 404
    rate = Client().post(
        f"{API}/{submission.pk}/rating", {"rating": 1}, content_type="application/json", **auth
    )
    assert rate.status_code == 404


def test_staff_credentials_get_nothing(cast: Cast) -> None:
    submission = send(account_of(cast))
    for who in (cast.jingyang, cast.admin):
        response = Client().get(f"{API}/{submission.pk}", **bearer(who))
        assert response.status_code in (401, 403)
        assert "旌阳" not in response.content.decode()
        assert Client().get(API, **bearer(who)).status_code in (401, 403)
        assert _send(Client(), bearer(who)).status_code in (401, 403)
        assert login(who).get(API).status_code in (401, 403)
    assert Submission.objects.count() == 1


def test_sending_is_rate_limited(cast: Cast, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    auth = portal_bearer(account_of(cast))
    assert _send(Client(), auth).status_code == 201
    assert _send(Client(), auth).status_code == 201
    response = _send(Client(), auth)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert Submission.objects.count() == 2


def test_rating_is_rate_limited(cast: Cast, settings: Any) -> None:
    settings.PORTAL_RATE_SUBMIT = "2/h"
    account = account_of(cast)
    submission = services.submission_answer(
        actor=cast.jingyang, submission=send(account), answer="已答复。"
    )
    auth = portal_bearer(account)
    url = f"{API}/{submission.pk}/rating"
    codes = [
        Client().post(url, {"rating": r}, content_type="application/json", **auth).status_code
        for r in (9, 0, 5)
    ]
    assert codes == [422, 422, 429]
    assert Submission.objects.get().rating is None


def test_the_portal_session_works_too(cast: Cast) -> None:
    account = account_of(cast)
    send(account)
    assert len(portal_client(account).get(API).json()) == 1
