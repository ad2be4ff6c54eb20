"""Invitations: a link or QR code staff issue for a region, an organization or an activity, with
an expiry and a use limit; whoever opens it may open an account (services_accounts)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, User
from tongxin.registry.models import Organization
from tongxin.work.models import Activity

from .models import Invitation, InvitationState, InvitationTarget

STAFF = access.STAFF_ROLES
INVITATION_UNKNOWN = "邀请链接无效，请向发放邀请的工作人员确认链接或二维码。"
INVITATION_EXPIRED = "邀请已过期，请联系发放邀请的工作人员重新获取。"
INVITATION_USED_UP = "邀请的名额已用完，请联系发放邀请的工作人员。"
INVITATION_REVOKED = "邀请已作废，请联系发放邀请的工作人员。"
EXPIRY_PAST = "有效期应晚于现在。"
EXPIRY_TOO_FAR = "有效期最长一年。"
ORG_REQUIRED = "请选择邀请加入的组织。"
ACTIVITY_REQUIRED = "请选择邀请参加的活动。"


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
    refusal = REFUSALS.get(invitation.state)
    if refusal:
        raise ValidationError(refusal)
    return invitation


REFUSALS = {
    InvitationState.REVOKED: INVITATION_REVOKED,
    InvitationState.EXPIRED: INVITATION_EXPIRED,
    InvitationState.USED_UP: INVITATION_USED_UP,
}
