"""The insight app's models. Metrics are computed from other apps' records and keep no tables;
what is stored here are the saved versions of the annual summary's wording."""

from __future__ import annotations

# Imported here so that Django loads them with the app.
from .models_summary import SummaryDraft  # noqa: F401
