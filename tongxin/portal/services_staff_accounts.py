"""What staff decide about people's accounts: applications approved (linked to the record with
the same phone, or a new one) or rejected with a reason; accounts switched off and on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, audit
from tongxin.core.models import Region, User
from tongxin.registry import services as registry
from tongxin.registry.models import Person

from .messaging import send_sms
from .models import (
    AccountApplication,
    AccountStatus,
    ApplicationStatus,
    Consent,
    PortalAccount,
    PortalToken,
)
from .services_accounts import (
    PERSON_TAKEN,
    PHONE_MISMATCH,
    STAFF,
    _check_phone_free,
    _matching_person,
    same_phone,
)

APPLICATION_DONE = "该申请已审核，无需再次处理。"
REASON_REQUIRED = "请填写不通过的理由，申请人会看到它。"
STATUS_REASON_REQUIRED = "请填写停用的原因，本人登录时不会看到，但会记入审计日志。"


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
        if not same_phone(person, locked.phone):
            # Else anyone who knows a name could be given that person's record.
            raise ValidationError(PHONE_MISMATCH)
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
    locked.decide(actor=actor, status=ApplicationStatus.APPROVED, account=account)
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
    locked.decide(actor=actor, status=ApplicationStatus.REJECTED, reason=reason.strip())
    phone = locked.phone
    transaction.on_commit(
        lambda: send_sms(phone, f"您的同心个人门户开通申请未通过：{locked.review_reason}")
    )
    return locked


@transaction.atomic
def account_set_active(
    *, actor: User, account: PortalAccount, active: bool, reason: str = ""
) -> PortalAccount:
    """停用 or 启用 a person's account (staff of the person's scope). Switching off ends its
    sessions and revokes its tokens at once; the reason goes to the audit log."""
    access.require_write(actor, *STAFF)
    access.get_for_user(actor, Person.objects.all(), pk=account.person_id)
    locked = PortalAccount.objects.select_for_update().get(pk=account.pk)
    if not active and not reason.strip():
        raise ValidationError({"reason": STATUS_REASON_REQUIRED})
    status = AccountStatus.ACTIVE if active else AccountStatus.DISABLED
    if locked.status != status:
        with audit.noting(("启用" if active else "停用：") + reason.strip()[:200]):
            locked.status = status
            locked.save(update_fields=["status"])
        if not active:
            PortalToken.objects.filter(account=locked, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
    return locked
