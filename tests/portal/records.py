"""Portal records of 旌阳区 for the enumerating authorization test (tests/test_authorization.py):
one of each kind a /portal-admin/ page names, each carrying the 旌阳 marker, made once per cast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from tongxin.portal.models import (
    AccountApplication,
    Invitation,
    InvitationTarget,
    JoinApplication,
    Notice,
    NoticeRecipient,
    PortalAccount,
    ProfileRequest,
    ProfileRequestKind,
    Signup,
    SignupOpening,
    Submission,
    SubmissionAttachment,
    SubmissionKind,
)

from ..conftest import Cast
from .helpers import make_account


@dataclass
class JingyangPortal:
    account: PortalAccount
    invitation: Invitation
    application: AccountApplication
    profile_request: ProfileRequest
    join: JoinApplication
    submission: Submission
    attachment: SubmissionAttachment
    opening: SignupOpening
    signup: Signup
    notice: Notice


def jingyang_portal(cast: Cast) -> JingyangPortal:
    found = getattr(cast, "_portal", None)
    if found is None:
        found = _make(cast)
        cast._portal = found  # type: ignore[attr-defined]
    return found


def _make(cast: Cast) -> JingyangPortal:
    person, region, staff = cast.records.person, cast.jingyang_region, cast.jingyang
    now = timezone.now()
    submission = Submission.objects.create(
        person=person,
        kind=SubmissionKind.DIFFICULTY,
        title="旌阳反映：厂房用电",
        text="旌阳测试科技有限公司的厂房用电增容迟迟未办。",
        region=region,
    )
    attachment = SubmissionAttachment(
        submission=submission, original_name="旌阳现场.txt", size=9, content_type="text/plain"
    )
    attachment.file.save("jingyang.txt", ContentFile("旌阳现场".encode()), save=False)
    attachment.save()
    opening = SignupOpening.objects.create(
        activity=cast.work.activity,
        capacity=20,
        deadline=now + dt.timedelta(days=7),
        region=region,
        opened_by=staff,
    )
    notice = Notice.objects.create(
        title="旌阳通知：座谈会", body="旌阳区新阶人士座谈会。", region=region, created_by=staff
    )
    NoticeRecipient.objects.create(notice=notice, person=person)
    application = AccountApplication(
        name="旌阳申请人",
        phone="13900009999",
        region=region,
        employer="旌阳申请公司",
        consent_version=settings.PORTAL_PRIVACY_VERSION,
    )
    application.password = PortalAccount._hash("Renmin@2026x")
    application.save()
    return JingyangPortal(
        account=make_account(person, phone="13812345678"),
        invitation=Invitation.objects.create(
            target=InvitationTarget.REGION,
            region=region,
            title="旌阳邀请",
            expires_at=now + dt.timedelta(days=30),
            max_uses=5,
            created_by=staff,
        ),
        application=application,
        profile_request=ProfileRequest.objects.create(
            person=person, kind=ProfileRequestKind.CORRECTION, note="旌阳更正：职务有误"
        ),
        join=JoinApplication.objects.create(
            person=person, organization=cast.records.organization, reason="旌阳入会"
        ),
        submission=submission,
        attachment=attachment,
        opening=opening,
        signup=Signup.objects.create(opening=opening, person=person),
        notice=notice,
    )
