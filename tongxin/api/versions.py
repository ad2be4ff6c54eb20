"""Concurrent edits through the API (optimistic locking, see tongxin/core/versioning.py).

A record's detail and every PATCH answer carry its version twice: ``"version"`` in the body and
the ``ETag`` header (``"7"``). A PATCH may send it back as ``If-Match: "7"`` (HTTP's conditional
request) or as ``"version": 7`` in the body. A stale one is refused and nothing is written:
412 Precondition Failed for ``If-Match`` (as HTTP requires), 409 Conflict for a body version,
both with the one error shape and a Chinese ``detail`` naming who changed the record and when.
A PATCH with neither is applied to the record as the server reads it (kept for the clients
written before versions existed); clients that edit what a person has read must send one.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from ninja import Field

from tongxin.core.versioning import Versioned

UNMATCHABLE = 0  # versioning.claim refuses it: a header no current version can match

_STRONG_TAG = re.compile(r'^"(\d{1,18})"$')

VERSION_OUT = "版本号：每次修改后变大；修改时可作为 If-Match 请求头或请求体的 version 送回"
VERSION_DESCRIPTION = (
    "可选：读取时的版本号（详情的 version 或 ETag）。与当前版本不符时不修改并返回 409；"
    "也可改用请求头 If-Match（不符时返回 412）。两者都不给时直接修改。"
)


PATCH_HELP = (
    "防止覆盖他人的修改：详情和修改结果都带 version 字段和 ETag 响应头。修改时把读取到的版本"
    '以请求头 If-Match（如 If-Match: "3"）或请求体的 version 送回；记录在此期间已被他人修改时'
    "不作任何修改，If-Match 返回 412、version 返回 409，detail 说明由谁、何时修改，"
    "请重新读取后在最新内容上重新修改。两者都不给时直接修改。"
)


def version_field() -> int | None:
    """The optional ``version`` of PATCH bodies."""
    return Field(None, ge=1, description=VERSION_DESCRIPTION)


def etag(record: Versioned) -> str:
    return f'"{record.version}"'


def tagged(response: HttpResponse, record: Versioned) -> None:
    """Put the record's version in the ETag header of the response ninja will send."""
    response["ETag"] = etag(record)


def expected_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the client edits, from ``If-Match`` or the body; None when it gave neither.
    ``If-Match: *`` asks only that the record exists. A weak or malformed tag, or a header and
    a body version that differ, can match no version: the edit is refused as stale."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return body_version
    match = _STRONG_TAG.match(header)
    if match is None:
        return UNMATCHABLE
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        return UNMATCHABLE
    return version or UNMATCHABLE


def conflict_status(request: HttpRequest) -> int:
    return 412 if request.headers.get("If-Match", "").strip() not in ("", "*") else 409
