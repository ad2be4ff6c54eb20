"""Encryption of personal data at rest, and keyed blind indexes for exact search.

AES-256-GCM (authenticated) with a random 96-bit nonce per value; the field's name is the
associated data, so a ciphertext copied into another column fails to decrypt. Keys come from
``settings.FIELD_KEYS`` (``TONGXIN_FIELD_KEYS``): the first key encrypts, every key decrypts, so a
new key can be put in front and ``python manage.py rotate_keys`` re-encrypts at leisure.

The blind index is an HMAC of the normalized value under a key derived from the field key. It is
computed under every configured key when searching, so search keeps working during a rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

SEPARATOR = "$"


class DecryptionError(Exception):
    """A stored value cannot be decrypted: a missing key or a tampered value."""


@cache
def _derive(key: bytes, purpose: bytes) -> bytes:
    # Separate keys for encryption and indexing, so neither use can weaken the other.
    return hmac.new(key, b"tongxin/" + purpose, hashlib.sha256).digest()


def _keys() -> list[tuple[str, bytes]]:
    return list(settings.FIELD_KEYS)


def primary_key_id() -> str:
    return _keys()[0][0]


def encrypt(plain: str, *, context: str) -> str:
    key_id, key = _keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(_derive(key, b"enc")).encrypt(nonce, plain.encode(), context.encode())
    return f"{key_id}{SEPARATOR}{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    key_id, sep, body = token.partition(SEPARATOR)
    if not sep:
        raise DecryptionError("not an encrypted value")
    key = dict(_keys()).get(key_id)
    if key is None:
        raise DecryptionError(
            f"字段密钥 {key_id} 不在 TONGXIN_FIELD_KEYS 中：请把该密钥加回配置（放在新密钥之后）。"
        )
    raw = base64.urlsafe_b64decode(body.encode())
    try:
        return AESGCM(_derive(key, b"enc")).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except InvalidTag as exc:
        raise DecryptionError("加密数据校验失败：数据可能被篡改。") from exc


def key_id_of(token: str) -> str:
    return token.partition(SEPARATOR)[0]


def blind_index(value: str, *, purpose: str, key: bytes | None = None) -> str:
    """The index of ``value`` under the primary key (or ``key``). Empty values index to ''."""
    if not value:
        return ""
    secret = _derive(key if key is not None else _keys()[0][1], b"index")
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def blind_indexes(value: str, *, purpose: str) -> list[str]:
    """The index of ``value`` under every configured key: what a search must look for."""
    return [blind_index(value, purpose=purpose, key=key) for _, key in _keys()] if value else []
