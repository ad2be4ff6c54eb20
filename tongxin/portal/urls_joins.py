"""Joining an organization: the person's pages (/portal/organizations/…) and the staff queue,
decisions and quotas (/portal-admin/joins/…)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_joins as person
from . import views_staff_joins as staff

urlpatterns: list[URLPattern] = [
    path("portal/organizations/", person.organization_list, name="portal_organizations"),
    path(
        "portal/organizations/<int:organization_id>/apply/",
        person.join_apply,
        name="portal_join_apply",
    ),
    path(
        "portal/organizations/applications/<int:join_id>/",
        person.join_detail,
        name="portal_join_detail",
    ),
    path(
        "portal/organizations/applications/<int:join_id>/withdraw/",
        person.join_withdraw,
        name="portal_join_withdraw",
    ),
    path("portal-admin/joins/", staff.join_queue, name="portal_join_queue"),
    path("portal-admin/joins/<int:join_id>/", staff.join_decide, name="portal_join_decide"),
    path(
        "portal-admin/joins/organizations/<int:organization_id>/",
        staff.organization_quota,
        name="portal_join_organization",
    ),
]
