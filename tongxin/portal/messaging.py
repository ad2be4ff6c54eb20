"""Where SMS messages go. settings.PORTAL_SMS_BACKEND names a class with ``send(phone, text)``;
a province's SMS gateway plugs in as one more such class. Email goes through Django's mail."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from tongxin.core import ids

if TYPE_CHECKING:
    from tongxin.registry.models import Person

_MOBILE = re.compile(r"1[3-9][0-9]{9}")


class SMSError(Exception):
    pass


class SMSBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSMSBackend:
    """Prints each message (development, and intranets without a gateway yet)."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[短信] 发往 {phone}：{text}\n")
        sys.stdout.flush()


class LocMemSMSBackend:
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LocMemSMSBackend.outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    backend: SMSBackend = import_string(settings.PORTAL_SMS_BACKEND)()
    backend.send(phone, f"【同心】{text}")


def send_email(address: str, subject: str, text: str) -> None:
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])


def mobile_number(raw: str) -> str:
    """``raw`` as a mainland mobile number an SMS can reach ("+86 138 1234 5678" → "13812345678"),
    or "" for a landline, a malformed number or none."""
    number = ids.check_phone(raw or "").number
    return number if _MOBILE.fullmatch(number) else ""


def phone_to_text(person: Person) -> str:
    """Where a message to ``person`` goes: the phone of their portal account while it is active
    (the number they chose and log in with); with no account, or one staff have disabled, the
    mobile number in their registry record, as for any other message from the department. A
    disabled account's login number is never used: it may be why the account was disabled."""
    from .models import PortalAccount

    account = PortalAccount.objects.filter(person_id=person.pk).only("phone", "status").first()
    if account is not None and account.is_active:
        return mobile_number(account.phone)
    return mobile_number(person.phone)


def text_person(person: Person, message: str) -> None:
    """Text ``person`` once the current transaction commits (never for a change rolled back);
    nothing when they have no number an SMS can reach (see phone_to_text)."""
    phone = phone_to_text(person)
    if phone:
        transaction.on_commit(lambda: send_sms(phone, message))
