from django.urls import include, path

from tongxin.api.api import api
from tongxin.portal.api import portal_api

urlpatterns = [
    path("api/v1/portal/", portal_api.urls),
    path("api/v1/", api.urls),
    path("", include("tongxin.portal.urls")),
    path("", include("tongxin.core.urls")),
    path("", include("tongxin.registry.urls")),
    path("", include("tongxin.registry.urls_transfer")),
    path("", include("tongxin.work.urls_exports")),
    path("", include("tongxin.work.urls_cadres")),
    path("", include("tongxin.work.urls_cases")),
    path("", include("tongxin.work.urls_activities")),
    path("", include("tongxin.work.urls_imports")),
    path("", include("tongxin.governance.urls_tasks")),
    path("", include("tongxin.governance.urls_mechanisms")),
    path("", include("tongxin.governance.urls_indicators")),
    path("", include("tongxin.insight.urls_metrics")),
    path("", include("tongxin.insight.urls_dashboard")),
    path("", include("tongxin.insight.urls_summary")),
]

handler403 = "tongxin.core.views.errors.forbidden"
handler404 = "tongxin.core.views.errors.not_found"
handler500 = "tongxin.core.views.errors.server_error"
