from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, auth, pages

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth.password_change, name="password_change"),
    path("account/tokens/", accounts.my_tokens, name="my_tokens"),
    path("account/tokens/<int:token_id>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("", pages.workbench, name="workbench"),
    path("regions/", pages.region_list, name="region_list"),
    path("regions/new/", pages.region_create, name="region_create"),
    path("regions/<str:code>/", pages.region_detail, name="region_detail"),
    path("units/", pages.unit_list, name="unit_list"),
    path("units/new/", pages.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", pages.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", pages.unit_edit, name="unit_edit"),
    path("users/", accounts.user_list, name="user_list"),
    path("users/new/", accounts.user_create, name="user_create"),
    path("users/<int:user_id>/", accounts.user_detail, name="user_detail"),
    path("users/<int:user_id>/password/", accounts.user_set_password, name="user_set_password"),
    path("users/<int:user_id>/unlock/", accounts.user_unlock, name="user_unlock"),
    path("audit/", pages.audit_log, name="audit_log"),
]
