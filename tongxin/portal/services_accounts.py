"""Writes of the people's accounts: invitations, one-time codes, registration, applications,
consent, login and portal tokens. Every refusal is a Chinese sentence saying what to do."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, audit, crypto
from tongxin.core.ids import check_phone
from tongxin.core.models import Region, token_digest
from tongxin.registry import services as registry
from tongxin.registry.models import Person

from .messaging import send_sms
from .models import (
    PORTAL_TOKEN_PREFIX,
    AccountApplication,
    ApplicationStatus,
    CodePurpose,
    Consent,
    Invitation,
    JoinApplication,
    OneTimeCode,
    PortalAccount,
    PortalToken,
    code_digest,
    phone_index,
)
from .services_invitations import invitation_check

STAFF = access.STAFF_ROLES
CODE_MINUTES = 10
CODE_MAX_ATTEMPTS = 5
PHONE_NOT_MOBILE = "请填写11位手机号码。"
CODE_WRONG = "验证码不正确或已过期，请重新获取验证码。"
NAME_REQUIRED = "请填写姓名。"
NO_ACCOUNT = "该手机号还没有开通个人门户账号。请扫描工作人员提供的邀请二维码注册，或申请开通。"
ACCOUNT_DISABLED = "您的个人门户账号已停用。如有疑问，请联系所在地统战部工作人员。"
PHONE_MISMATCH = (
    "所选档案登记的手机号与申请人的不一致，不能关联。请先核实身份，在档案中更正手机号后再关联，"
    "或选择“找不到则新建档案”。"
)
PHONE_TAKEN = "该手机号已开通个人门户账号，请直接登录；忘记密码可用验证码重设。"
PERSON_TAKEN = "您的信息已关联其他门户账号，请联系所在地统战部工作人员核实。"
LOGIN_FAILED = "手机号或密码不正确，请重新输入；忘记密码可用验证码登录或重设。"
CONSENT_REQUIRED = "请阅读并同意《个人信息保护声明》后再继续。"
APPLICATION_PENDING = "该手机号已提交开通申请，正在审核中，请耐心等待短信通知。"


def mobile(raw: str) -> str:
    checked = check_phone(raw)
    if not checked.ok or len(checked.number) != 11 or not checked.number.startswith("1"):
        raise ValidationError({"phone": PHONE_NOT_MOBILE})
    return checked.number


# --- one-time codes ------------------------------------------------------------------------------


def code_send(*, phone: str, purpose: str) -> None:
    """Text a six-digit code to ``phone``. Earlier unused codes of the same purpose are spent.
    The text goes after the code's transaction: a slow gateway must not hold the write lock."""
    number = mobile(phone)
    index = phone_index(number)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        now = timezone.now()
        OneTimeCode.objects.filter(phone_index=index, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
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
    Call it outside any transaction of the caller's (as the services below do, before they open
    theirs): a wrong try must stay counted when the caller fails."""
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
        ip=_address(ip),
        user_agent=user_agent[:300],
    )


def _address(ip: str | None) -> str | None:
    """``ip`` if it is an IP address, else None: rates.client_ip says "unknown" when the server
    was given no address, and PostgreSQL's inet (Consent.ip) refuses anything but an address."""
    try:
        ipaddress.ip_address(ip or "")
    except ValueError:
        return None
    return ip


# --- registration ---------------------------------------------------------------------------------


def _check_form(name: str, phone: str, password: str, consent_version: str) -> tuple[str, str]:
    """What a registration or an application states, checked before any code is spent: the name
    and the mobile number cleaned."""
    if consent_version != current_privacy_version():
        raise ValidationError({"consent": CONSENT_REQUIRED})
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    number = mobile(phone)
    _check_password(password)
    return name, number


def _check_password(raw: str) -> None:
    try:
        password_validation.validate_password(raw)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from e


def _check_phone_free(index: str) -> None:
    if PortalAccount.objects.filter(phone_index=index).exists():
        raise ValidationError({"phone": PHONE_TAKEN})


def same_phone(person: Person, phone: str) -> bool:
    """Whether the record's phone is ``phone`` (compared by blind index, never decrypted)."""
    return bool(person.phone_index) and person.phone_index in crypto.blind_indexes(
        phone, purpose="phone"
    )


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
    invitation_check(Invitation.objects.filter(code=invitation_code).first())
    name, number = _check_form(name, phone, password, consent_version)
    # The code first, in its own transaction (a wrong one stays counted); only then whether the
    # number has an account, which only the phone's owner may learn.
    code_verify(phone=number, purpose=CodePurpose.REGISTER, code=code)
    with transaction.atomic():
        return _register(invitation_code, name, number, password, consent_version, ip, user_agent)


def _register(
    invitation_code: str,
    name: str,
    number: str,
    password: str,
    consent_version: str,
    ip: str | None,
    user_agent: str,
) -> PortalAccount:
    invitation = invitation_check(
        Invitation.objects.select_for_update().filter(code=invitation_code).first()
    )
    _check_phone_free(phone_index(number))
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
    name, number = _check_form(name, phone, password, consent_version)
    code_verify(phone=number, purpose=CodePurpose.REGISTER, code=code)
    with transaction.atomic():
        index = phone_index(number)
        _check_phone_free(index)
        if AccountApplication.objects.filter(
            phone_index=index, status=ApplicationStatus.PENDING
        ).exists():
            raise ValidationError({"phone": APPLICATION_PENDING})
        return _application_save(
            name,
            number,
            region,
            consent_version,
            employer,
            position,
            message,
            password,
            ip,
            user_agent,
        )


def _application_save(
    name: str,
    number: str,
    region: Region,
    consent_version: str,
    employer: str,
    position: str,
    message: str,
    password: str,
    ip: str | None,
    user_agent: str,
) -> AccountApplication:
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


def _usable(account: PortalAccount | None) -> PortalAccount:
    if account is None:
        raise ValidationError(NO_ACCOUNT)
    if not account.is_active or not person_in_service(account):
        raise ValidationError(ACCOUNT_DISABLED)
    return account


def person_in_service(account: PortalAccount) -> bool:
    """A record archived or merged into another no longer logs in (its account moves with a
    merge: signals.py)."""
    return account.person.archived_at is None and account.person.merged_into_id is None


def account_authenticate(*, phone: str, password: str) -> PortalAccount:
    account = _account_by_phone(phone)
    if account is None:
        make_password(password)  # the same time as a real check: no hint that none exists
        raise ValidationError(LOGIN_FAILED)
    if not account.check_password(password):
        raise ValidationError(LOGIN_FAILED)
    return _usable(account)


def account_by_code(*, phone: str, code: str) -> PortalAccount:
    code_verify(phone=phone, purpose=CodePurpose.LOGIN, code=code)
    return _usable(_account_by_phone(phone))


def password_reset(*, phone: str, code: str, password: str) -> PortalAccount:
    _check_password(password)
    code_verify(phone=phone, purpose=CodePurpose.RESET, code=code)
    with transaction.atomic():
        account = _usable(_account_by_phone(phone))
        return _set_password(account, password)


def _set_password(account: PortalAccount, password: str) -> PortalAccount:
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
    if token is None or not token.account.is_active or not person_in_service(token.account):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PortalToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.account
