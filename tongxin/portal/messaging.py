"""Where SMS messages go. settings.PORTAL_SMS_BACKEND names a class with ``send(phone, text)``;
a province's SMS gateway plugs in as one more such class. Email goes through Django's mail."""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


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
