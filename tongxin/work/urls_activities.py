"""Pages of activities and outputs (成果) and of their files. URL parameters are named from the
list the authorization test probes (tests/test_authorization.py)."""

from django.urls import path

from . import views_activities as activities
from . import views_outputs as outputs

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", activities.activity_edit, name="activity_edit"),
    path(
        "activities/<int:activity_id>/participants/new/",
        activities.participant_add,
        name="activity_participant_add",
    ),
    path(
        "participations/<int:participation_id>/delete/",
        activities.participant_remove,
        name="activity_participant_remove",
    ),
    path(
        "activities/<int:activity_id>/projects/new/",
        activities.project_add,
        name="activity_project_add",
    ),
    path(
        "projects/<int:project_id>/delete/",
        activities.project_remove,
        name="activity_project_remove",
    ),
    path(
        "activities/<int:activity_id>/credits/new/",
        activities.credit_add,
        name="activity_credit_add",
    ),
    path(
        "credits/<int:credit_id>/delete/", activities.credit_remove, name="activity_credit_remove"
    ),
    path(
        "activities/<int:activity_id>/attachments/new/",
        activities.activity_attachment_add,
        name="activity_attachment_add",
    ),
    path("work/people/", activities.person_search, name="work_person_search"),
    path("outputs/", outputs.output_list, name="output_list"),
    path("outputs/new/", outputs.output_create, name="output_create"),
    path("outputs/<int:output_id>/", outputs.output_detail, name="output_detail"),
    path("outputs/<int:output_id>/edit/", outputs.output_edit, name="output_edit"),
    path("outputs/<int:output_id>/authors/new/", outputs.author_add, name="output_author_add"),
    path("authors/<int:author_id>/delete/", outputs.author_remove, name="output_author_remove"),
    path(
        "outputs/<int:output_id>/endorsements/new/",
        outputs.endorsement_add,
        name="output_endorsement_add",
    ),
    path(
        "endorsements/<int:endorsement_id>/delete/",
        outputs.endorsement_remove,
        name="output_endorsement_remove",
    ),
    path(
        "outputs/<int:output_id>/adoptions/new/",
        outputs.adoption_add,
        name="output_adoption_add",
    ),
    path(
        "adoptions/<int:adoption_id>/delete/",
        outputs.adoption_remove,
        name="output_adoption_remove",
    ),
    path(
        "outputs/<int:output_id>/attachments/new/",
        outputs.output_attachment_add,
        name="output_attachment_add",
    ),
    path(
        "attachments/<int:attachment_id>/", outputs.attachment_download, name="attachment_download"
    ),
    path(
        "attachments/<int:attachment_id>/delete/",
        outputs.attachment_delete,
        name="attachment_delete",
    ),
]
