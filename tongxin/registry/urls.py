"""Pages of people, organizations and code tables. URL parameters are named from the list the
authorization test probes (tests/test_authorization.py)."""

from django.urls import path

from . import views_codes as codes
from . import views_organizations as orgs
from . import views_person_details as details
from . import views_persons as persons

urlpatterns = [
    path("persons/", persons.person_list, name="person_list"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<int:person_id>/", persons.person_detail, name="person_detail"),
    path("persons/<int:person_id>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:person_id>/archive/", persons.person_archive, name="person_archive"),
    path("persons/<int:person_id>/restore/", persons.person_restore, name="person_restore"),
    path("persons/<int:person_id>/merge/", persons.person_merge, name="person_merge"),
    path("persons/<int:person_id>/reveal/", persons.person_reveal, name="person_reveal"),
    path(
        "persons/<int:person_id>/arrangements/new/",
        details.arrangement_create,
        name="arrangement_create",
    ),
    path(
        "arrangements/<int:arrangement_id>/delete/",
        details.arrangement_delete,
        name="arrangement_delete",
    ),
    path("persons/<int:person_id>/honours/new/", details.honour_create, name="honour_create"),
    path("honours/<int:honour_id>/delete/", details.honour_delete, name="honour_delete"),
    path("persons/<int:person_id>/reviews/new/", details.review_create, name="review_create"),
    path("reviews/<int:review_id>/delete/", details.review_delete, name="review_delete"),
    path(
        "persons/<int:person_id>/memberships/new/",
        details.membership_create,
        name="membership_create",
    ),
    path("memberships/<int:membership_id>/end/", details.membership_end, name="membership_end"),
    path("organizations/", orgs.organization_list, name="organization_list"),
    path("organizations/new/", orgs.organization_create, name="organization_create"),
    path(
        "organizations/<int:organization_id>/", orgs.organization_detail, name="organization_detail"
    ),
    path(
        "organizations/<int:organization_id>/edit/",
        orgs.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizations/<int:organization_id>/archive/",
        orgs.organization_archive,
        name="organization_archive",
    ),
    path(
        "organizations/<int:organization_id>/figures/new/", orgs.figure_create, name="figure_create"
    ),
    path("figures/<int:figure_id>/edit/", orgs.figure_edit, name="figure_edit"),
    path(
        "organizations/<int:organization_id>/designations/new/",
        orgs.designation_create,
        name="designation_create",
    ),
    path("designations/<int:designation_id>/edit/", orgs.designation_edit, name="designation_edit"),
    path("organizations/<int:organization_id>/checks/new/", orgs.check_create, name="check_create"),
    path("checks/<int:check_id>/edit/", orgs.check_edit, name="check_edit"),
    path("codes/", codes.code_list, name="code_list"),
    path("codes/new/", codes.code_create, name="code_create"),
    path("codes/<int:item_id>/edit/", codes.code_edit, name="code_edit"),
]
