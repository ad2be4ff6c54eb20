"""Export URLs of the work lists: /<list>/export.xlsx and /<list>/export.csv."""

from django.urls import path

from .views_exports import list_export

urlpatterns = [
    path(
        "activities/export.xlsx",
        list_export,
        {"name": "activities", "fmt": "xlsx"},
        name="activities_export_xlsx",
    ),
    path(
        "activities/export.csv",
        list_export,
        {"name": "activities", "fmt": "csv"},
        name="activities_export_csv",
    ),
    path(
        "outputs/export.xlsx",
        list_export,
        {"name": "outputs", "fmt": "xlsx"},
        name="outputs_export_xlsx",
    ),
    path(
        "outputs/export.csv",
        list_export,
        {"name": "outputs", "fmt": "csv"},
        name="outputs_export_csv",
    ),
    path(
        "visits/export.xlsx",
        list_export,
        {"name": "visits", "fmt": "xlsx"},
        name="visits_export_xlsx",
    ),
    path(
        "visits/export.csv", list_export, {"name": "visits", "fmt": "csv"}, name="visits_export_csv"
    ),
    path(
        "cases/export.xlsx", list_export, {"name": "cases", "fmt": "xlsx"}, name="cases_export_xlsx"
    ),
    path("cases/export.csv", list_export, {"name": "cases", "fmt": "csv"}, name="cases_export_csv"),
    path(
        "trainings/export.xlsx",
        list_export,
        {"name": "trainings", "fmt": "xlsx"},
        name="trainings_export_xlsx",
    ),
    path(
        "trainings/export.csv",
        list_export,
        {"name": "trainings", "fmt": "csv"},
        name="trainings_export_csv",
    ),
    path(
        "secondments/export.xlsx",
        list_export,
        {"name": "secondments", "fmt": "xlsx"},
        name="secondments_export_xlsx",
    ),
    path(
        "secondments/export.csv",
        list_export,
        {"name": "secondments", "fmt": "csv"},
        name="secondments_export_csv",
    ),
    path(
        "dual-reports/export.xlsx",
        list_export,
        {"name": "dual-reports", "fmt": "xlsx"},
        name="dual_reports_export_xlsx",
    ),
    path(
        "dual-reports/export.csv",
        list_export,
        {"name": "dual-reports", "fmt": "csv"},
        name="dual_reports_export_csv",
    ),
]
