"""Reads of the staff pages for invitations and account applications, always within scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tongxin.core import access
from tongxin.core.models import User
from tongxin.registry.models import Person

from .models import AccountApplication, ApplicationStatus, Invitation, PortalAccount
from .services_accounts import same_phone


def invitation_list(user: User) -> QuerySet[Invitation]:
    return access.scope(user, Invitation.objects.all()).select_related(
        "region", "organization", "activity", "created_by"
    )


def invitation_for_user(user: User, invitation_id: int) -> Invitation:
    return access.get_for_user(user, invitation_list(user), pk=invitation_id)


def invitation_accounts(user: User, invitation: Invitation) -> QuerySet[PortalAccount]:
    """Who opened an account through the invitation: only people ``user`` may see (a city
    staff member of one line does not learn of another line's people here either)."""
    people = access.scope(user, Person.objects.all())
    return (
        invitation.accounts.filter(person__in=people)
        .select_related("person")
        .order_by("-created_at")[:50]
    )


def application_list(
    user: User, status: str = ApplicationStatus.PENDING
) -> QuerySet[AccountApplication]:
    qs = access.scope(user, AccountApplication.objects.all()).select_related(
        "region", "reviewed_by", "account__person"
    )
    return qs.filter(status=status) if status else qs


def application_for_user(user: User, application_id: int) -> AccountApplication:
    return access.get_for_user(user, application_list(user, status=""), pk=application_id)


def pending_applications(user: User) -> int:
    return application_list(user).count()


@dataclass(frozen=True)
class Candidate:
    person: Person
    same_phone: bool


def application_candidates(user: User, application: AccountApplication) -> list[Candidate]:
    """Records in scope the applicant may already be (same name in the application's region),
    each with whether its phone is the applicant's: only those may be linked."""
    people = access.scope(
        user,
        Person.objects.filter(
            name=application.name,
            region__path__startswith=application.region.path,
            archived_at__isnull=True,
            merged_into__isnull=True,
            portal_account__isnull=True,
        ),
    ).select_related("region")[:10]
    return [Candidate(p, same_phone(p, application.phone)) for p in people]


def account_list(user: User, q: str = "") -> QuerySet[PortalAccount]:
    """People's accounts of the people ``user`` may see, by name (or its pinyin initials)."""
    qs = PortalAccount.objects.filter(person__in=access.scope(user, Person.objects.all()))
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(person__name_initials__startswith=q.lower()))
    return qs.select_related("person", "person__region", "invitation").order_by("-created_at")


def account_for_user(user: User, account_id: int) -> PortalAccount:
    return access.get_for_user(user, account_list(user), pk=account_id)
