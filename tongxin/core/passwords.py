"""Password policy beyond Django's validators (length, common, all-digits, similarity)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError

CLASSES_MESSAGE = "密码须包含字母、数字、符号中的至少两类，请换一个更复杂的密码。"


class CharacterClassValidator:
    def validate(self, password: str, user: object = None) -> None:
        classes = [
            any(c.isalpha() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or c.isspace() for c in password),
        ]
        if sum(classes) < 2:
            raise ValidationError(CLASSES_MESSAGE, code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码须包含字母、数字、符号中的至少两类。"


class LengthValidator:
    """Django's MinimumLengthValidator, whose plural message has no Chinese translation."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符，当前只有 {len(password)} 个。",
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"
