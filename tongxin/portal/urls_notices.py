"""Notices: the person's (/portal/notices/…) and the staff pages that send them
(/portal-admin/notices/…)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_notices, views_staff_notices

urlpatterns: list[URLPattern] = [
    path("portal/notices/", views_notices.notice_list, name="portal_notices"),
    path("portal/notices/<int:notice_id>/", views_notices.notice_detail, name="portal_notice"),
    path("portal-admin/notices/", views_staff_notices.notice_list, name="portal_notice_list"),
    path(
        "portal-admin/notices/new/", views_staff_notices.notice_create, name="portal_notice_create"
    ),
    path(
        "portal-admin/notices/new/reach/",
        views_staff_notices.notice_reach,
        name="portal_notice_reach",
    ),
    path(
        "portal-admin/notices/<int:notice_id>/",
        views_staff_notices.notice_detail,
        name="portal_notice_detail",
    ),
    path(
        "portal-admin/notices/<int:notice_id>/resend/",
        views_staff_notices.notice_resend,
        name="portal_notice_resend",
    ),
]
