"""The page importing a training class's trainees: the shared upload page of the trainees kind
(registry/views_transfer.py), for the class in the address. A class outside the user's scope
answers 404 (import_trainees.TraineeKind.clean_options)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from tongxin.registry import views_transfer


def trainee_import(request: HttpRequest, training_id: int) -> HttpResponse:
    return views_transfer.import_upload(request, "trainees", {"training": training_id})
