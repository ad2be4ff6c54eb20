"""Pages of indicator sets and evaluation rounds. URL parameters are named from the list the
authorization test probes (tests/test_authorization.py): indicator_set_id, indicator_id,
round_id."""

from django.urls import path

from . import views_indicators as sets
from . import views_rounds as rounds

urlpatterns = [
    path("indicator-sets/", sets.indicator_set_list, name="indicator_set_list"),
    path("indicator-sets/new/", sets.indicator_set_create, name="indicator_set_create"),
    path(
        "indicator-sets/<int:indicator_set_id>/",
        sets.indicator_set_detail,
        name="indicator_set_detail",
    ),
    path(
        "indicator-sets/<int:indicator_set_id>/edit/",
        sets.indicator_set_edit,
        name="indicator_set_edit",
    ),
    path(
        "indicator-sets/<int:indicator_set_id>/indicators/new/",
        sets.indicator_add,
        name="indicator_add",
    ),
    path("indicators/<int:indicator_id>/edit/", sets.indicator_edit, name="indicator_edit"),
    path("indicators/<int:indicator_id>/remove/", sets.indicator_remove, name="indicator_remove"),
    path(
        "indicator-sets/<int:indicator_set_id>/rounds/new/",
        rounds.round_create,
        name="round_create",
    ),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/compute/", rounds.round_compute, name="round_compute"),
    path("rounds/<int:round_id>/publish/", rounds.round_publish, name="round_publish"),
    path("rounds/<int:round_id>/values/", rounds.round_value_enter, name="round_value_enter"),
    path("rounds/<int:round_id>/compare/", rounds.round_compare, name="round_compare"),
    path(
        "rounds/<int:round_id>/export.xlsx",
        rounds.round_export,
        {"fmt": "xlsx"},
        name="round_export_xlsx",
    ),
    path(
        "rounds/<int:round_id>/export.docx",
        rounds.round_export,
        {"fmt": "docx"},
        name="round_export_docx",
    ),
]
