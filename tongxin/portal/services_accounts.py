"""Writes of the people's accounts: invitations, one-time codes, registration, applications,
consent, login and portal tokens. Every refusal is a Chinese sentence saying what to do."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, audit, crypto
from tongxin.core.ids import check_phone
from tongxin.core.models import Region, User
from tongxin.registry import services as registry
from tongxin.registry.models import Organization, Person
from tongxin.work.models import Activity

from .messaging import send_sms
from .models import (
    PORTAL_TOKEN_PREFIX,
    AccountApplication,
    ApplicationStatus,
    CodePurpose,
    Consent,
    Invitation,
    InvitationTarget,
    JoinApplication,
    OneTimeCode,
    PortalAccount,
    PortalToken,
    code_digest,
    phone_index,
    token_digest,
)

STAFF = access.STAFF_ROLES
CODE_MINUTES = 10
CODE_MAX_ATTEMPTS = 5
PHONE_NOT_MOBILE = "请填写11位手机号码。"
CODE_WRONG = "验证码不正确或已过期，请重新获取验证码。"
INVITATION_UNKNOWN = "邀请链接无效，请向发放邀请的工作人员确认链接或二维码。"
INVITATION_EXPIRED = "邀请已过期，请联系发放邀请的工作人员重新获取。"
INVITATION_USED_UP = "邀请的名额已用完，请联系发放邀请的工作人员。"
INVITATION_REVOKED = "邀请已作废，请联系发放邀请的工作人员。"
PHONE_TAKEN = "该手机号已开通个人门户账号，请直接登录；忘记密码可用验证码重设。"
PERSON_TAKEN = "您的信息已关联其他门户账号，请联系所在地统战部工作人员核实。"
LOGIN_FAILED = "手机号或密码不正确，请重新输入；忘记密码可用验证码登录或重设。"
CONSENT_REQUIRED = "请阅读并同意《个人信息保护声明》后再继续。"
APPLICATION_DONE = "该申请已审核，无需再次处理。"
APPLICATION_PENDING = "该手机号已提交开通申请，正在审核中，请耐心等待短信通知。"
REASON_REQUIRED = "请填写不通过的理由，申请人会看到它。"
EXPIRY_PAST = "有效期应晚于现在。"
EXPIRY_TOO_FAR = "有效期最长一年。"
ORG_REQUIRED = "请选择邀请加入的组织。"
ACTIVITY_REQUIRED = "请选择邀请参加的活动。"


def mobile(raw: str) -> str:
    checked = check_phone(raw)
    if not checked.ok or len(checked.number) != 11 or not checked.number.startswith("1"):
        raise ValidationError({"phone": PHONE_NOT_MOBILE})
    return checked.number


# --- invitations (staff) --------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    target: str,
    region: Region,
    title: str,
    expires_at: dt.datetime,
    max_uses: int,
    organization: Organization | None = None,
    activity: Activity | None = None,
) -> Invitation:
    access.require_write(actor, *STAFF)
    access.get_for_user(actor, Region.objects.all(), pk=region.pk)
    if target == InvitationTarget.ORGANIZATION:
        if organization is None:
            raise ValidationError({"organization": ORG_REQUIRED})
        access.get_for_user(actor, Organization.objects.all(), pk=organization.pk)
    if target == InvitationTarget.ACTIVITY:
        if activity is None:
            raise ValidationError({"activity": ACTIVITY_REQUIRED})
        access.get_for_user(actor, Activity.objects.all(), pk=activity.pk)
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": EXPIRY_PAST})
    if expires_at > now + dt.timedelta(days=366):
        raise ValidationError({"expires_at": EXPIRY_TOO_FAR})
    invitation = Invitation(
        target=target,
        region=region,
        organization=organization if target == InvitationTarget.ORGANIZATION else None,
        activity=activity if target == InvitationTarget.ACTIVITY else None,
        title=title.strip(),
        expires_at=expires_at,
        max_uses=max_uses,
        created_by=actor,
    )
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    access.require_write(actor, *STAFF)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_check(invitation: Invitation | None) -> Invitation:
    """The invitation, if it may still be used; otherwise the reason it may not."""
    if invitation is None:
        raise ValidationError(INVITATION_UNKNOWN)
    if invitation.revoked_at is not None:
        raise ValidationError(INVITATION_REVOKED)
    if invitation.expires_at <= timezone.now():
        raise ValidationError(INVITATION_EXPIRED)
    if invitation.uses >= invitation.max_uses:
        raise ValidationError(INVITATION_USED_UP)
    return invitation


# --- one-time codes ------------------------------------------------------------------------------


@transaction.atomic
def code_send(*, phone: str, purpose: str) -> None:
    """Text a six-digit code to ``phone``. Earlier unused codes of the same purpose are spent."""
    number = mobile(phone)
    index = phone_index(number)
    now = timezone.now()
    OneTimeCode.objects.filter(phone_index=index, purpose=purpose, used_at__isnull=True).update(
        used_at=now
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.create(
        phone_index=index,
        purpose=purpose,
        digest=code_digest(index, code),
        expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
    )
    label = CodePurpose(purpose).label
    send_sms(
        number,
        f"您的{label}验证码是 {code}，{CODE_MINUTES}分钟内有效。如非本人操作，请忽略本短信。",
    )


def code_verify(*, phone: str, purpose: str, code: str) -> None:
    """Spend the code if it is right; a wrong try counts, and CODE_MAX_ATTEMPTS spend it.
    Runs in its own transaction so that a wrong try is counted even when the caller fails."""
    index = phone_index(mobile(phone))
    with transaction.atomic():
        found = (
            OneTimeCode.objects.select_for_update()
            .filter(
                phone_index=index,
                purpose=purpose,
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
        if found is None:
            raise ValidationError({"code": CODE_WRONG})
        right = secrets.compare_digest(found.digest, code_digest(index, (code or "").strip()))
        found.attempts += 1
        if right or found.attempts >= CODE_MAX_ATTEMPTS:
            found.used_at = timezone.now()
        found.save(update_fields=["attempts", "used_at"])
    if not right:
        raise ValidationError({"code": CODE_WRONG})


# --- consent --------------------------------------------------------------------------------------


def current_privacy_version() -> str:
    return str(settings.PORTAL_PRIVACY_VERSION)


def has_current_consent(account: PortalAccount) -> bool:
    return account.consents.filter(version=current_privacy_version()).exists()


def consent_record(
    *,
    account: PortalAccount | None = None,
    application: AccountApplication | None = None,
    version: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Consent:
    if version != current_privacy_version():
        raise ValidationError({"consent": CONSENT_REQUIRED})
    return Consent.objects.create(
        account=account,
        application=application,
        version=version,
        ip=ip,
        user_agent=user_agent[:300],
    )


# --- registration ---------------------------------------------------------------------------------


def _check_password(raw: str) -> None:
    try:
        password_validation.validate_password(raw)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from e


def _check_phone_free(index: str) -> None:
    if PortalAccount.objects.filter(phone_index=index).exists():
        raise ValidationError({"phone": PHONE_TAKEN})


def _matching_person(name: str, phone: str, region: Region) -> Person | None:
    """The registry record this person already has in the region: same name, same phone."""
    indexes = crypto.blind_indexes(phone, purpose="phone")
    return (
        Person.objects.filter(
            name=name,
            phone_index__in=indexes,
            region__path__startswith=region.path,
            archived_at__isnull=True,
            merged_into__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def _person_for(name: str, phone: str, region: Region, employer: str = "", via: str = "") -> Person:
    person = _matching_person(name, phone, region)
    if person is None:
        with audit.acting_as(audit.current_actor(), via=via):
            person = registry.person_create(
                actor=None, name=name, region=region, phone=phone, employer=employer
            )
    if PortalAccount.objects.filter(person=person).exists():
        raise ValidationError(PERSON_TAKEN)
    return person


@transaction.atomic
def register_by_invitation(
    *,
    invitation_code: str,
    name: str,
    phone: str,
    code: str,
    password: str,
    consent_version: str,
    ip: str | None = None,
    user_agent: str = "",
) -> PortalAccount:
    """Open an account through an invitation: link the registry record of the same name and phone
    in the invitation's region, or create one there; an organization's invitation also files an
    application to join it, for its staff to decide."""
    invitation = invitation_check(
        Invitation.objects.select_for_update().filter(code=invitation_code).first()
    )
    if consent_version != current_privacy_version():
        raise ValidationError({"consent": CONSENT_REQUIRED})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写姓名。"})
    number = mobile(phone)
    _check_phone_free(phone_index(number))
    _check_password(password)
    code_verify(phone=number, purpose=CodePurpose.REGISTER, code=code)
    person = _person_for(name, number, invitation.region, via="本人通过邀请注册")
    account = PortalAccount(person=person, phone=number, invitation=invitation)
    account.set_password(password)
    account.save()
    consent_record(account=account, version=consent_version, ip=ip, user_agent=user_agent)
    invitation.uses += 1
    invitation.save(update_fields=["uses"])
    if invitation.organization_id is not None:
        JoinApplication.objects.get_or_create(
            person=person,
            organization_id=invitation.organization_id,
            status="pending",
            defaults={"reason": f"通过邀请“{invitation.title}”注册"},
        )
    return account


@transaction.atomic
def application_submit(
    *,
    name: str,
    phone: str,
    code: str,
    password: str,
    region: Region,
    consent_version: str,
    employer: str = "",
    position: str = "",
    message: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> AccountApplication:
    if consent_version != current_privacy_version():
        raise ValidationError({"consent": CONSENT_REQUIRED})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写姓名。"})
    number = mobile(phone)
    index = phone_index(number)
    _check_phone_free(index)
    if AccountApplication.objects.filter(
        phone_index=index, status=ApplicationStatus.PENDING
    ).exists():
        raise ValidationError({"phone": APPLICATION_PENDING})
    _check_password(password)
    code_verify(phone=number, purpose=CodePurpose.REGISTER, code=code)
    application = AccountApplication(
        name=name,
        phone=number,
        region=region,
        employer=employer.strip(),
        position=position.strip(),
        message=message.strip(),
        consent_version=consent_version,
    )
    application.password = PortalAccount._hash(password)
    application.full_clean(exclude=["password"])
    application.save()
    consent_record(application=application, version=consent_version, ip=ip, user_agent=user_agent)
    return application


def _review_lock(actor: User, application: AccountApplication) -> AccountApplication:
    access.require_write(actor, *STAFF)
    access.get_for_user(actor, Region.objects.all(), pk=application.region_id)
    locked = AccountApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(APPLICATION_DONE)
    return locked


@transaction.atomic
def application_approve(
    *, actor: User, application: AccountApplication, person: Person | None = None
) -> PortalAccount:
    """Open the account: for ``person`` (a record the reviewer found), or for the record of the
    same name and phone in the region, or for a new record made from the application."""
    locked = _review_lock(actor, application)
    if person is not None:
        person = access.get_for_user(actor, Person.objects.all(), pk=person.pk)
        if PortalAccount.objects.filter(person=person).exists():
            raise ValidationError(PERSON_TAKEN)
    else:
        person = _matching_person(locked.name, locked.phone, locked.region)
        if person is None:
            person = registry.person_create(
                actor=actor,
                name=locked.name,
                region=locked.region,
                phone=locked.phone,
                employer=locked.employer,
                position=locked.position,
            )
        elif PortalAccount.objects.filter(person=person).exists():
            raise ValidationError(PERSON_TAKEN)
    _check_phone_free(locked.phone_index)
    account = PortalAccount(person=person, phone=locked.phone, password=locked.password)
    account.save()
    Consent.objects.filter(application=locked).update(account=account)
    locked.status = ApplicationStatus.APPROVED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.account = account
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "account"])
    transaction.on_commit(
        lambda: send_sms(
            locked.phone, "您的同心个人门户账号已开通，请用手机号和注册时设置的密码登录。"
        )
    )
    return account


@transaction.atomic
def application_reject(
    *, actor: User, application: AccountApplication, reason: str
) -> AccountApplication:
    locked = _review_lock(actor, application)
    if not reason.strip():
        raise ValidationError({"review_reason": REASON_REQUIRED})
    locked.status = ApplicationStatus.REJECTED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_reason = reason.strip()[:500]
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    phone = locked.phone
    transaction.on_commit(
        lambda: send_sms(phone, f"您的同心个人门户开通申请未通过：{locked.review_reason}")
    )
    return locked


# --- login ----------------------------------------------------------------------------------------


def _account_by_phone(phone: str) -> PortalAccount | None:
    try:
        number = mobile(phone)
    except ValidationError:
        return None
    return (
        PortalAccount.objects.select_related("person")
        .filter(phone_index=phone_index(number))
        .first()
    )


def account_authenticate(*, phone: str, password: str) -> PortalAccount:
    account = _account_by_phone(phone)
    if account is None or not account.is_active or not account.check_password(password):
        raise ValidationError(LOGIN_FAILED)
    return account


def account_by_code(*, phone: str, code: str) -> PortalAccount:
    account = _account_by_phone(phone)
    code_verify(phone=phone, purpose=CodePurpose.LOGIN, code=code)
    if account is None or not account.is_active:
        raise ValidationError(LOGIN_FAILED)
    return account


@transaction.atomic
def password_reset(*, phone: str, code: str, password: str) -> PortalAccount:
    account = _account_by_phone(phone)
    _check_password(password)
    code_verify(phone=phone, purpose=CodePurpose.RESET, code=code)
    if account is None or not account.is_active:
        raise ValidationError(LOGIN_FAILED)
    account.set_password(password)
    account.save(update_fields=["password", "password_changed_at"])
    PortalToken.objects.filter(account=account, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return account


# --- portal tokens --------------------------------------------------------------------------------


def portal_token_create(*, account: PortalAccount) -> str:
    raw = PORTAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
    PortalToken.objects.create(
        account=account,
        digest=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.PORTAL_TOKEN_DAYS),
    )
    return raw


def portal_token_revoke(*, raw: str) -> None:
    PortalToken.objects.filter(digest=token_digest(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def portal_token_authenticate(raw: str) -> PortalAccount | None:
    if not raw.startswith(PORTAL_TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        PortalToken.objects.select_related("account__person", "account__person__region")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.account.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PortalToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.account
