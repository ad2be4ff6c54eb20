"""The portal in the demo: two people of 旌阳区 with accounts (曾蓉, and the district's first
person on the roll), an invitation with its
QR code, an application waiting, a change of 曾蓉's record waiting, her opinions (one waiting, one
answered, one a case), an application to join the 服务团, an activity open for sign-up and a
notice. Written through the portal's services, as people and staff would; relative to the day
the demo is loaded (sign-up deadlines lie ahead); written once (曾蓉's account marks it loaded)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from tongxin.core import audit
from tongxin.core.models import Region, User
from tongxin.portal import services_accounts as accounts
from tongxin.portal import services_invitations as invitations
from tongxin.portal import services_joins as joins
from tongxin.portal import services_notices as notices
from tongxin.portal import services_opinions as opinions
from tongxin.portal import services_profile as profile
from tongxin.portal import services_signups as signups
from tongxin.portal.models import Consent, InvitationTarget, PortalAccount, SubmissionKind
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person
from tongxin.work import services_activities as activities

from .data import DEMO_PASSWORD
from .registry_data import SERVICE_TEAM

# The demo's people log in to the portal with these phone numbers and the demo password.
ZENG_PHONE, OTHER_PHONE = "13800000001", "13800000002"
APPLICANT = ("王晓东", "13800000009")


def portal_people(jingyang: Region) -> Person | None:
    """The second demo account's person: 旌阳's first 新阶 person on the roll after 曾蓉."""
    return (
        Person.objects.filter(
            region=jingyang, archived_at__isnull=True, categories__name="新的社会阶层人士"
        )
        .exclude(name="曾蓉")
        .order_by("pk")
        .first()
    )


def _account(person: Person, phone: str) -> PortalAccount:
    account = PortalAccount(person=person, phone=phone)
    account.set_password(DEMO_PASSWORD)
    account.save()
    Consent.objects.create(account=account, version=settings.PORTAL_PRIVACY_VERSION)
    return account


def load_portal(regions: dict[str, Region]) -> None:
    jingyang = regions["510603"]
    zeng_person = Person.objects.filter(name="曾蓉", region=jingyang).first()
    other = portal_people(jingyang)
    if zeng_person is None or other is None:
        return  # a demo without the registry's people
    if PortalAccount.objects.filter(person=zeng_person).exists():
        return
    staff = User.objects.get(username="demo_district")
    now = timezone.now()
    with audit.acting_as(None, via="演示数据"):
        zeng, shan = _account(zeng_person, ZENG_PHONE), _account(other, OTHER_PHONE)
        invitations.invitation_create(
            actor=staff,
            target=InvitationTarget.REGION,
            region=jingyang,
            title="旌阳区新阶人士开通个人门户（走访时发放）",
            expires_at=now + dt.timedelta(days=60),
            max_uses=200,
        )
        _application(jingyang)
        profile.change_submit(
            account=zeng,
            proposal={"position": "高级合伙人"},
            note="今年起任律所高级合伙人。",
        )
        _opinions(zeng, staff)
        service_team = Organization.objects.filter(name=SERVICE_TEAM).first()
        if service_team is not None:
            joins.join_apply(
                person=shan.person,
                organization=service_team,
                reason="希望参加服务团的法律服务进企业活动，发挥专业所长。",
            )
        _activity(staff, jingyang, zeng)
        notices.notice_send(
            actor=staff,
            title="关于开展2027年度新阶人士信息核对的通知",
            body=(
                "各位新阶人士：为做好联系服务，请于本月底前登录个人门户核对本人信息，"
                "如有变化请在“我的信息”中申报变更。感谢支持！\n旌阳区委统战部"
            ),
            filters="category=" + str(_category("新的社会阶层人士").pk),
        )


def _application(region: Region) -> None:
    name, phone = APPLICANT
    application = accounts.AccountApplication(
        name=name,
        phone=phone,
        region=region,
        employer="德阳晓东文化传媒有限公司",
        position="总经理",
        message="在文旅行业从业十年，想加入新阶联谊会，参加区里的活动。",
        consent_version=settings.PORTAL_PRIVACY_VERSION,
    )
    application.password = PortalAccount._hash(DEMO_PASSWORD)
    application.save()
    Consent.objects.create(application=application, version=settings.PORTAL_PRIVACY_VERSION)


def _opinions(account: PortalAccount, staff: User) -> None:
    opinions.submission_create(
        account=account,
        kind=SubmissionKind.DIFFICULTY,
        title="律所年检材料网上提交系统频繁报错",
        text_="近两周司法行政网上平台提交律所年检材料时多次报错，已错过一次预约，希望帮助反映。",
    )
    answered = opinions.submission_create(
        account=account,
        kind=SubmissionKind.SUGGESTION,
        title="建议多组织青年律师参加的公益法律服务",
        text_="建议联谊会每季度组织一次进社区、进企业的公益法律服务，给青年律师更多锻炼机会。",
    )
    opinions.submission_answer(
        actor=staff,
        submission=answered,
        answer="感谢建议！区新联会已将“法律服务进企业”列入明年活动计划，届时会发通知邀请您参加。",
    )
    as_case = opinions.submission_create(
        account=account,
        kind=SubmissionKind.DIFFICULTY,
        title="律所新址停车位不足",
        text_="律所搬到新址后周边停车位严重不足，来访群众停车难，希望协调周边公共停车资源。",
    )
    opinions.submission_to_case(actor=staff, submission=as_case)


def _category(name: str) -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.CATEGORY, name=name)


def _activity(staff: User, region: Region, account: PortalAccount) -> None:
    today = timezone.localdate()
    activity = activities.activity_create(
        actor=staff,
        type=CodeItem.objects.get(kind=CodeKind.ACTIVITY_TYPE, name="座谈会"),
        title="旌阳区新阶人士迎新春座谈会",
        date=today + dt.timedelta(days=21),
        region=region,
        place="旌阳区文庙广场会议中心",
    )
    opening = signups.opening_save(
        actor=staff,
        activity=activity,
        capacity=80,
        deadline=timezone.now() + dt.timedelta(days=14),
        description="请穿着正装；可携带一名家属，报名时在备注说明。",
    )
    signups.signup_create(person=account.person, opening=opening)


def portal_logins() -> str:
    """ "13800000001 曾蓉、…": who the demo's portal accounts are, for `manage.py demo` to print."""
    found = PortalAccount.objects.filter(invitation__isnull=True).select_related("person")
    wanted = {ZENG_PHONE, OTHER_PHONE}
    shown = [f"{a.phone} {a.person.name}" for a in found.order_by("pk") if a.phone in wanted]
    return "、".join(shown) or "（无）"
