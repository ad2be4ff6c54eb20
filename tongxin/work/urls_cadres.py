"""Pages of trainings and trainees, secondments and 双走访双报告. URL parameters are named from
the list the authorization test probes (tests/test_authorization.py)."""

from django.urls import path

from . import views_cadres as views

urlpatterns = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:training_id>/", views.training_detail, name="training_detail"),
    path("trainings/<int:training_id>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:training_id>/trainees/add/", views.trainees_add, name="trainees_add"),
    path("trainees/<int:trainee_id>/remove/", views.trainee_remove, name="trainee_remove"),
    path("secondments/", views.secondment_list, name="secondment_list"),
    path("secondments/new/", views.secondment_create, name="secondment_create"),
    path("secondments/<int:secondment_id>/", views.secondment_detail, name="secondment_detail"),
    path("secondments/<int:secondment_id>/edit/", views.secondment_edit, name="secondment_edit"),
    path("dual-reports/", views.dual_report_list, name="dual_report_list"),
    path("dual-reports/new/", views.dual_report_create, name="dual_report_create"),
    path("dual-reports/<int:dual_report_id>/", views.dual_report_detail, name="dual_report_detail"),
    path(
        "dual-reports/<int:dual_report_id>/edit/",
        views.dual_report_edit,
        name="dual_report_edit",
    ),
]
