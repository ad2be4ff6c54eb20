"""Pages of visits and cases. URL parameters are named from the list the authorization test
probes (tests/test_authorization.py): visit_id, opinion_id, case_id."""

from django.urls import path

from . import views_cases as cases
from . import views_visits as visits

urlpatterns = [
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/opinion-row/", visits.visit_opinion_row, name="visit_opinion_row"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="visit_detail"),
    path("opinions/<int:opinion_id>/to-case/", visits.opinion_to_case, name="opinion_to_case"),
    path("work/targets/", visits.target_search, name="target_search"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/act/", cases.case_act, name="case_act"),
    path("cases/<int:case_id>/archive/", cases.case_archive, name="case_archive"),
]
