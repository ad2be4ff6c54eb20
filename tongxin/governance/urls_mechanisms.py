"""Pages of mechanisms, their member units, the issue list (议题) and duty reports (述职). URL
parameters are named from the list the authorization test probes (tests/test_authorization.py):
mechanism_id, member_id, agenda_item_id, duty_report_id, activity_id."""

from django.urls import path

from . import views_duty as duty
from . import views_mechanisms as mechanisms

urlpatterns = [
    path("mechanisms/", mechanisms.mechanism_list, name="mechanism_list"),
    path("mechanisms/new/", mechanisms.mechanism_create, name="mechanism_create"),
    path("mechanisms/<int:mechanism_id>/", mechanisms.mechanism_detail, name="mechanism_detail"),
    path("mechanisms/<int:mechanism_id>/edit/", mechanisms.mechanism_edit, name="mechanism_edit"),
    path(
        "mechanisms/<int:mechanism_id>/members/new/",
        mechanisms.member_add,
        name="mechanism_member_add",
    ),
    path(
        "mechanisms/<int:mechanism_id>/members/liaisons/",
        mechanisms.liaison_options,
        name="mechanism_liaison_options",
    ),
    path("members/<int:member_id>/edit/", mechanisms.member_edit, name="mechanism_member_edit"),
    path(
        "mechanisms/<int:mechanism_id>/agenda/new/",
        mechanisms.agenda_raise,
        name="mechanism_agenda_raise",
    ),
    path(
        "agenda-items/<int:agenda_item_id>/act/",
        mechanisms.agenda_act,
        name="mechanism_agenda_act",
    ),
    path(
        "meetings/<int:activity_id>/settle/",
        mechanisms.meeting_settle,
        name="mechanism_meeting_settle",
    ),
    path("duty-reports/", duty.duty_report_list, name="duty_report_list"),
    path("duty-reports/submit/", duty.duty_report_submit, name="duty_report_submit"),
    path("duty-reports/<int:duty_report_id>/", duty.duty_report_detail, name="duty_report_detail"),
]
