"""Opinions for tests: a 旌阳 person with a portal account sends one; files of each kind; what the
storage holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tongxin.core.models import BusinessLine
from tongxin.portal import services_opinions as services
from tongxin.portal.models import PortalAccount
from tongxin.portal.models_requests import Submission
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem
from tongxin.work import services as work
from tongxin.work.models import Case, CaseStatus

from ..conftest import Cast
from .helpers import make_account

PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def png(name: str = "现场照片.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def pdf(name: str = "情况说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def account_of(cast: Cast) -> PortalAccount:
    return make_account(cast.records.person, phone="13800000001")


def other_account(cast: Cast) -> PortalAccount:
    """Another 旌阳 person, with their own account."""
    category = CodeItem.objects.get(kind="category", name="新的社会阶层人士")
    person = registry.person_create(
        actor=None, name="旌阳另一人", region=cast.jingyang_region, categories=[category]
    )
    return make_account(person, phone="13800000002")


def send(account: PortalAccount, **fields: Any) -> Submission:
    values: dict[str, Any] = {
        "kind": "difficulty",
        "title": "旌阳企业用工难",
        "text": "旌阳测试科技有限公司招不到技术工人，希望帮助对接职业院校。",
        "uploads": [],
    }
    values.update(fields)
    text_ = values.pop("text")
    return services.submission_create(account=account, text_=text_, **values)


def line(name: str) -> BusinessLine:
    return BusinessLine.objects.get(name=name)


def resolve(
    cast: Cast, case: Case, resolution: str = "已对接旌阳职业技术学校，签订用工协议。"
) -> Case:
    """The case through its way, by the 旌阳 staff and the assigned unit, to 办结."""
    case = work.case_transition(
        case=case,
        to_status=CaseStatus.ASSIGNED,
        actor=cast.jingyang,
        units=[cast.jingyang_unit],
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    case = work.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=cast.jingyang)
    return work.case_transition(
        case=case, to_status=CaseStatus.RESOLVED, actor=cast.jingyang, resolution=resolution
    )


def stored_files(path: str = "portal") -> list[str]:
    """Every file the default storage holds under ``path`` (the portal's uploads by default)."""
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    found = [f"{path}/{f}".lstrip("/") for f in files]
    for d in dirs:
        found += stored_files(f"{path}/{d}".lstrip("/"))
    return found
