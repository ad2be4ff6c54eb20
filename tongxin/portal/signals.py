"""A staff login ends any portal login in the same browser (one realm per session); a merge of
two registry records brings the dropped record's portal business to the kept one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tongxin.registry.signals import person_merged

from .realm import SESSION_AUTH_AT, SESSION_KEY


@receiver(user_logged_in)
def _leave_portal(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
        request.session.pop(SESSION_AUTH_AT, None)


@receiver(person_merged)
def _merge_portal(sender: Any, keep: Any, drop: Any, **kwargs: Any) -> None:
    """The person keeps their login: the dropped record's account moves to the kept record, unless
    that one has its own (then the dropped account is switched off: two logins for one person).
    Their requests, applications, opinions, sign-ups and notices follow, but never twice."""
    from .models import (
        AccountStatus,
        JoinApplication,
        NoticeRecipient,
        PortalAccount,
        PortalToken,
        ProfileRequest,
        Signup,
        Submission,
    )

    account = PortalAccount.objects.filter(person=drop).first()
    if account is not None:
        if PortalAccount.objects.filter(person=keep).exists():
            account.status = AccountStatus.DISABLED
            account.save(update_fields=["status"])
            PortalToken.objects.filter(account=account).delete()
        else:
            account.person = keep
            account.save(update_fields=["person"])
    for model in (ProfileRequest, Submission, JoinApplication):
        for row in model.objects.filter(person=drop):
            if (
                model is JoinApplication
                and row.status == "pending"
                and model.objects.filter(
                    person=keep, organization_id=row.organization_id, status="pending"
                ).exists()
            ):
                continue  # one pending application per organization
            row.person = keep
            row.save(update_fields=["person"])
    for model, other in ((Signup, "opening_id"), (NoticeRecipient, "notice_id")):
        held = set(model.objects.filter(person=keep).values_list(other, flat=True))
        model.objects.filter(person=drop).exclude(**{f"{other}__in": held}).update(person=keep)
