from django.urls import path

from . import views_summary as views

urlpatterns = [
    path("summaries/annual/", views.summary_annual, name="summary_annual"),
    path("summaries/annual/edit/", views.summary_edit, name="summary_edit"),
    path("summaries/annual/versions/", views.summary_versions, name="summary_versions"),
    path("summaries/annual/export.docx", views.summary_export_docx, name="summary_export_docx"),
]
