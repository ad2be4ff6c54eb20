"""Pages importing work records from spreadsheets: activities with their participants, and a
training class's trainees. The upload, preview and commit pages are the shared ones of
registry/views_transfer.py; URL parameters are named from the list the authorization test probes
(tests/test_authorization.py)."""

from django.urls import path

from tongxin.registry import views_transfer as transfer

from . import views_imports

urlpatterns = [
    path(
        "activities/import/", transfer.import_upload, {"kind": "activities"}, name="activity_import"
    ),
    path(
        "activities/import/template.xlsx",
        transfer.import_template_download,
        {"kind": "activities"},
        name="activity_import_template",
    ),
    path(
        "trainings/<int:training_id>/trainees/import/",
        views_imports.trainee_import,
        name="trainee_import",
    ),
    path(
        "trainings/trainees/import/template.xlsx",
        transfer.import_template_download,
        {"kind": "trainees"},
        name="trainee_import_template",
    ),
]
