"""/persons, /organizations, /memberships."""

from ninja import Router

router = Router(tags=["名册"])
