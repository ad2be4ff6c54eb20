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
    for request in ProfileRequest.objects.filter(person=drop):
        request.person = keep
        request.save(update_fields=["person"])
    for submission in Submission.objects.filter(person=drop):
        submission.person = keep
        submission.save(update_fields=["person"])
    pending_at = set(
        JoinApplication.objects.filter(person=keep, status="pending").values_list(
            "organization_id", flat=True
        )
    )
    for application in JoinApplication.objects.filter(person=drop):
        if application.status == "pending" and application.organization_id in pending_at:
            continue  # one pending application per organization
        application.person = keep
        application.save(update_fields=["person"])
    held = set(Signup.objects.filter(person=keep).values_list("opening_id", flat=True))
    Signup.objects.filter(person=drop).exclude(opening_id__in=held).update(person=keep)
    held = set(NoticeRecipient.objects.filter(person=keep).values_list("notice_id", flat=True))
    NoticeRecipient.objects.filter(person=drop).exclude(notice_id__in=held).update(person=keep)
