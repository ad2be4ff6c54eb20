"""本人申报: the person's own record in the portal, and its review by staff."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_profile as own
from . import views_staff_profile as staff

urlpatterns: list[URLPattern] = [
    path("portal/profile/", own.profile, name="portal_profile"),
    path("portal/profile/change/", own.profile_change, name="portal_profile_change"),
    path("portal/profile/correction/", own.profile_correction, name="portal_profile_correction"),
    path("portal/profile/email/", own.profile_email, name="portal_profile_email"),
    path("portal/profile/export/", own.profile_export, name="portal_profile_export"),
    path(
        "portal/profile/requests/<int:request_id>/",
        own.profile_request,
        name="portal_profile_request",
    ),
    path(
        "portal/profile/requests/<int:request_id>/withdraw/",
        own.profile_withdraw,
        name="portal_profile_withdraw",
    ),
    path(
        "portal-admin/profile-requests/",
        staff.request_list,
        name="portal_profile_request_list",
    ),
    path(
        "portal-admin/profile-requests/<int:request_id>/",
        staff.request_detail,
        name="portal_profile_request_review",
    ),
    path(
        "portal-admin/profile-requests/<int:request_id>/decide/",
        staff.request_decide,
        name="portal_profile_request_decide",
    ),
]
