"""What the registry tells the parts built on it, without knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by services.person_merge inside its transaction: keep=Person, drop=Person. The people's
# portal moves the dropped record's account and requests to the kept one (tongxin.portal.signals).
person_merged = Signal()
