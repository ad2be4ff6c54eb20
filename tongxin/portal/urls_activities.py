"""Activities: the person's pages (/portal/activities/…, the check-in link of the QR code among
them) and the staff pages that open an activity for sign-up (/portal-admin/activities/…)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_signups as person
from . import views_staff_signups as staff

urlpatterns: list[URLPattern] = [
    path("portal/activities/", person.activity_list, name="portal_activities"),
    path(
        "portal/activities/<int:activity_id>/",
        person.activity_detail,
        name="portal_activity_detail",
    ),
    path(
        "portal/activities/<int:activity_id>/signup/",
        person.activity_signup,
        name="portal_activity_signup",
    ),
    path(
        "portal/activities/<int:activity_id>/cancel/",
        person.activity_cancel,
        name="portal_activity_cancel",
    ),
    path(
        "portal/activities/checkin/<str:checkin_code>/",
        person.activity_checkin,
        name="portal_activity_checkin",
    ),
    path("portal-admin/activities/", staff.opening_list, name="portal_signup_list"),
    path(
        "portal-admin/activities/<int:activity_id>/signup/",
        staff.opening_edit,
        name="portal_signup_opening",
    ),
    path(
        "portal-admin/activities/<int:activity_id>/signup/close/",
        staff.opening_close,
        name="portal_signup_close",
    ),
    path(
        "portal-admin/activities/<int:activity_id>/signup/qr.svg",
        staff.opening_qr,
        name="portal_signup_qr",
    ),
    path(
        "portal-admin/signups/<int:signup_id>/attend/",
        staff.attendance,
        name="portal_signup_attend",
    ),
]
