"""Writes of joining an organization: a person applies or withdraws; staff of the organization's
region (and line) approve, which creates the membership through the registry, or reject with a
reason; an optional quota caps approvals a quarter. Each decision is taken once (the application's
version), audited in its transaction, and texted to the person after commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core import access, audit, versioning
from tongxin.core.models import AuditAction, User
from tongxin.registry import services as registry
from tongxin.registry.models import Organization, Person

from . import selectors_joins as selectors
from .messaging import text_person
from .models_requests import JoinApplication, JoinQuota, ReviewStatus

REASON_REQUIRED = "请填写申请理由，例如您的工作领域和希望参与的活动。"
NOT_JOINABLE = "该组织不在您可申请加入的范围内，请从“加入组织”列表中选择。"
ALREADY_MEMBER = "您已是该组织的成员，无需再申请。"
ALREADY_PENDING = "您已申请加入该组织，正在审核中，请耐心等待。"
NOT_WITHDRAWABLE = "该申请已审核或已撤回，不能再撤回。"
DECIDED = "该申请已审核或已被申请人撤回，无需再次处理。请返回待审列表。"
REJECT_REASON_REQUIRED = "请填写不通过的理由，申请人会在门户和短信中看到它。"
MEMBER_ALREADY = "{name}已是{org}的成员，无需批准。请选择“不通过”，理由可写“已是成员”。"
QUOTA_FULL = (
    "{org}{year}年第{quarter}季度的入会名额为{limit}名，本季度已批准{approved}名，名额已满，"
    "不能再批准。请下季度再审批，或在该组织的名额设置中调整本季度名额。"
)
QUOTA_NEGATIVE = "名额须为0或正整数；不限名额请留空。"

ROLE_MEMBER = "会员"
SMS_APPROVED = "您申请加入“{org}”已获批准，欢迎您成为会员。"
SMS_REJECTED = "您申请加入“{org}”未获通过，理由：{reason}"


# --- the person -----------------------------------------------------------------------------------


@transaction.atomic
def join_apply(*, person: Person, organization: Organization, reason: str) -> JoinApplication:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if not selectors.joinable_organizations(person).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": NOT_JOINABLE})
    if selectors.current_memberships(person).filter(organization=organization).exists():
        raise ValidationError({"organization": ALREADY_MEMBER})
    application = JoinApplication(person=person, organization=organization, reason=reason)
    application.full_clean()  # the one-pending constraint, with its sentence
    try:
        # Two taps at once: the second insert meets the partial unique index.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError({"organization": ALREADY_PENDING}) from None
    return application


@transaction.atomic
def join_withdraw(*, person: Person, application: JoinApplication) -> JoinApplication:
    locked = selectors.own_application(person, application.pk)
    if locked.status != ReviewStatus.PENDING:
        raise ValidationError(NOT_WITHDRAWABLE)
    _claim(locked, None, NOT_WITHDRAWABLE)
    locked.status = ReviewStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    return locked


# --- staff ----------------------------------------------------------------------------------------


def _claim(application: JoinApplication, expected: int | None, done: str) -> None:
    """Take the application's next version, or say it was decided (or withdrawn) meanwhile."""
    try:
        versioning.claim(application, expected)
    except versioning.EditConflict:
        status = JoinApplication.objects.filter(pk=application.pk).values_list("status", flat=True)
        if status.first() != ReviewStatus.PENDING:
            raise ValidationError(done) from None
        raise


def _decidable(actor: User, application: JoinApplication, expected: int | None) -> JoinApplication:
    access.require_write(actor, *access.STAFF_ROLES)
    fresh = selectors.join_for_user(actor, application.pk)
    if fresh.status != ReviewStatus.PENDING:
        raise ValidationError(DECIDED)
    _claim(fresh, expected, DECIDED)
    return fresh


def _check_quota(organization: Organization, year: int, quarter: int) -> None:
    # The quota row is locked, so two approvals at once count one after the other.
    quota = (
        JoinQuota.objects.select_for_update()
        .filter(organization=organization, year=year, quarter=quarter)
        .first()
    )
    if quota is None:
        return
    approved = selectors.approvals_in_quarter(organization, year, quarter)
    if approved >= quota.limit:
        raise ValidationError(
            QUOTA_FULL.format(
                org=organization.name,
                year=year,
                quarter=quarter,
                limit=quota.limit,
                approved=approved,
            )
        )


@transaction.atomic
def join_approve(
    *, actor: User, application: JoinApplication, expected_version: int | None = None
) -> JoinApplication:
    """Approve: a membership as 会员 from today, within the quarter's quota if one is set."""
    locked = _decidable(actor, application, expected_version)
    person, organization = locked.person, locked.organization
    if selectors.current_memberships(person).filter(organization=organization).exists():
        raise ValidationError(MEMBER_ALREADY.format(name=person.name, org=organization.name))
    now = timezone.now()
    today = timezone.localdate(now)
    _check_quota(organization, *selectors.quarter_of(today))
    membership = registry.membership_add(
        actor=actor,
        person=person,
        organization=organization,
        role=ROLE_MEMBER,
        term_start=today,
        notes="本人通过个人门户申请入会",
    )
    locked.decide(actor=actor, status=ReviewStatus.APPROVED, membership=membership)
    audit.record(
        AuditAction.UPDATE,
        obj=locked,
        actor=actor,
        changes={"status": [ReviewStatus.PENDING.label, ReviewStatus.APPROVED.label]},
        detail=f"批准入会申请，入会记录 {membership.pk}",
    )
    text_person(person, SMS_APPROVED.format(org=organization.name))
    return locked


@transaction.atomic
def join_reject(
    *,
    actor: User,
    application: JoinApplication,
    reason: str,
    expected_version: int | None = None,
) -> JoinApplication:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REJECT_REASON_REQUIRED})
    locked = _decidable(actor, application, expected_version)
    locked.decide(actor=actor, status=ReviewStatus.REJECTED, reason=reason)
    audit.record(
        AuditAction.UPDATE,
        obj=locked,
        actor=actor,
        changes={"status": [ReviewStatus.PENDING.label, ReviewStatus.REJECTED.label]},
        detail=f"入会申请不通过：{locked.review_reason}",
    )
    text_person(
        locked.person,
        SMS_REJECTED.format(org=locked.organization.name, reason=locked.review_reason),
    )
    return locked


@transaction.atomic
def quota_set(
    *, actor: User, organization: Organization, year: int, quarter: int, limit: int | None
) -> JoinQuota | None:
    """Set the quarter's quota of ``organization``, or (``limit`` None) lift it."""
    access.require_write(actor, *access.STAFF_ROLES)
    organization = selectors.organization_for_quota(actor, organization.pk)
    if limit is not None and limit < 0:
        raise ValidationError({"limit": QUOTA_NEGATIVE})
    found = JoinQuota.objects.select_for_update().filter(
        organization=organization, year=year, quarter=quarter
    )
    before = found.values_list("limit", flat=True).first()
    label = f"{organization.name} {year}年第{quarter}季度入会名额"
    if limit is None:
        found.delete()
        quota = None
    else:
        quota = found.first() or JoinQuota(
            organization=organization, year=year, quarter=quarter, set_by=actor, limit=limit
        )
        quota.limit = limit
        quota.set_by = actor
        quota.full_clean()
        quota.save()
    if before != limit:
        audit.record(
            AuditAction.UPDATE,
            object_type=JoinQuota._meta.label_lower,
            object_id=str(quota.pk if quota else ""),
            object_repr=label,
            actor=actor,
            changes={"limit": [before, limit]},
            detail="设置入会名额" if limit is not None else "取消入会名额（不限）",
        )
    return quota
