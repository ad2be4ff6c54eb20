"""The dashboard (驾驶舱) and the meeting brief of an activity. URL parameters are named from
the list the authorization test probes (tests/test_authorization.py)."""

from django.urls import path

from . import views_brief
from .views_dashboard import dashboard

urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("activities/<int:activity_id>/brief/", views_brief.brief_page, name="activity_brief"),
]
