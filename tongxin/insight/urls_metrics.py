from django.urls import path

from . import views_metrics as views
from . import views_tables as tables

urlpatterns = [
    path("metrics/", views.metric_list, name="metric_list"),
    path("metrics/<str:key>/records/", views.metric_records, name="metric_records"),
    path("tables/people/", tables.table_people, name="table_people"),
    path("tables/organizations/", tables.table_organizations, name="table_organizations"),
    path("tables/work/", tables.table_work, name="table_work"),
]
