"""Pages of people, organizations and code tables (views in views.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []  # type: ignore[type-arg]
