"""People of the portal for tests: an account for a registry person, and clients logged in as it
(a browser session, or a portal token)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tongxin.portal.models import Consent, PortalAccount
from tongxin.portal.realm import SESSION_AUTH_AT, SESSION_KEY
from tongxin.portal.services_accounts import portal_token_create
from tongxin.registry.models import Person

PORTAL_PASSWORD = "Renmin@2026x"


def make_account(
    person: Person, phone: str = "13800000001", *, consent: bool = True
) -> PortalAccount:
    account = PortalAccount(person=person, phone=phone)
    account.set_password(PORTAL_PASSWORD)
    account.save()
    if consent:
        Consent.objects.create(account=account, version=settings.PORTAL_PRIVACY_VERSION)
    return account


def portal_client(account: PortalAccount) -> Client:
    """A browser logged in to the portal as ``account`` (as realm.portal_login leaves it)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = account.pk
    session[SESSION_AUTH_AT] = timezone.now().isoformat()
    session.save()
    return client


def portal_bearer(account: PortalAccount) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {portal_token_create(account=account)}"}
