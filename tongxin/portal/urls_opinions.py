"""Opinions and appeals: the person's pages (/portal/opinions/…) and staff's inbox
(/portal-admin/opinions/…)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_opinions as person
from . import views_staff_opinions as staff

urlpatterns: list[URLPattern] = [
    path("portal/opinions/", person.opinion_list, name="portal_opinion_list"),
    path("portal/opinions/new/", person.opinion_create, name="portal_opinion_create"),
    path(
        "portal/opinions/<int:submission_id>/",
        person.opinion_detail,
        name="portal_opinion_detail",
    ),
    path(
        "portal/opinions/<int:submission_id>/rating/",
        person.opinion_rate,
        name="portal_opinion_rate",
    ),
    path(
        "portal/opinions/files/<int:file_id>/",
        person.opinion_file,
        name="portal_opinion_file",
    ),
    path("portal-admin/opinions/", staff.inbox, name="portal_staff_opinion_list"),
    path(
        "portal-admin/opinions/<int:submission_id>/",
        staff.detail,
        name="portal_staff_opinion_detail",
    ),
    path(
        "portal-admin/opinions/<int:submission_id>/answer/",
        staff.answer,
        name="portal_staff_opinion_answer",
    ),
    path(
        "portal-admin/opinions/<int:submission_id>/case/",
        staff.to_case,
        name="portal_staff_opinion_case",
    ),
    path(
        "portal-admin/opinions/files/<int:file_id>/",
        staff.attachment,
        name="portal_staff_opinion_file",
    ),
]
