"""Pages of imports and exports (views in views_transfer.py). URL parameters are named from the
list the authorization test probes (tests/test_authorization.py)."""

from django.urls import path

from . import views_transfer as transfer

urlpatterns = [
    # Each kind of import (import_kinds.py) routes its upload and template pages with its key.
    path("persons/import/", transfer.import_upload, {"kind": "persons"}, name="person_import"),
    path(
        "persons/import/template.xlsx",
        transfer.import_template_download,
        {"kind": "persons"},
        name="person_import_template",
    ),
    path("imports/progress/", transfer.import_progress, name="import_progress"),
    path("imports/<int:job_id>/", transfer.import_job, name="import_job"),
    path("imports/<int:job_id>/commit/", transfer.import_commit, name="import_commit"),
    path("persons/export.xlsx", transfer.person_export_xlsx, name="person_export_xlsx"),
    path("persons/export.csv", transfer.person_export_csv, name="person_export_csv"),
]
