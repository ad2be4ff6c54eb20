"""Model fields for personal data encrypted at rest (see crypto.py)."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Plain text in Python, AES-GCM ciphertext in the database. Cannot be filtered on: search
    goes through a blind index column kept beside it."""

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return crypto.decrypt(value, context=self._context())

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(str(value), context=self._context())
