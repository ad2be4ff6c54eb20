"""Pages of imports and exports (views in views_transfer.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []  # type: ignore[type-arg]
