"""The portal's pages (/portal/…, the people's realm) and the staff pages that serve it
(/portal-admin/…, staff only)."""

from django.urls import include, path

from . import views_accounts, views_staff_accounts

urlpatterns = [
    path("portal/", views_accounts.home, name="portal_home"),
    path("portal/login/", views_accounts.login, name="portal_login"),
    path("portal/login/code/", views_accounts.login_by_code, name="portal_login_code"),
    path("portal/logout/", views_accounts.logout, name="portal_logout"),
    path("portal/password/reset/", views_accounts.password_reset, name="portal_password_reset"),
    path("portal/privacy/", views_accounts.privacy, name="portal_privacy"),
    path(
        "portal/invite/<str:invitation_code>/", views_accounts.invitation, name="portal_invitation"
    ),
    path("portal/apply/", views_accounts.apply, name="portal_apply"),
    path("portal-admin/", views_staff_accounts.hub, name="portal_admin"),
    path(
        "portal-admin/invitations/",
        views_staff_accounts.invitation_list,
        name="portal_invitation_list",
    ),
    path(
        "portal-admin/invitations/new/",
        views_staff_accounts.invitation_create,
        name="portal_invitation_create",
    ),
    path(
        "portal-admin/invitations/<int:invitation_id>/",
        views_staff_accounts.invitation_detail,
        name="portal_invitation_detail",
    ),
    path(
        "portal-admin/invitations/<int:invitation_id>/qr.svg",
        views_staff_accounts.invitation_qr,
        name="portal_invitation_qr",
    ),
    path(
        "portal-admin/invitations/<int:invitation_id>/revoke/",
        views_staff_accounts.invitation_revoke,
        name="portal_invitation_revoke",
    ),
    path(
        "portal-admin/applications/",
        views_staff_accounts.application_list,
        name="portal_application_list",
    ),
    path(
        "portal-admin/applications/<int:application_id>/",
        views_staff_accounts.application_review,
        name="portal_application_review",
    ),
    path("portal-admin/accounts/", views_staff_accounts.account_list, name="portal_account_list"),
    path(
        "portal-admin/accounts/<int:account_id>/status/",
        views_staff_accounts.account_status,
        name="portal_account_status",
    ),
    path("", include("tongxin.portal.urls_profile")),
    path("", include("tongxin.portal.urls_opinions")),
    path("", include("tongxin.portal.urls_joins")),
    path("", include("tongxin.portal.urls_activities")),
    path("", include("tongxin.portal.urls_notices")),
]
