from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_patterns = [
    path("", include("core.api.urls")),
    path("", include("crm.api.urls")),
    path("", include("alignment.api.urls")),
    path("feedback/", include("feedback.api.urls")),
    path("", include("kpis.api.urls")),
    path("", include("transfer.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(api_patterns)),
    path("crm/", include("crm.urls")),
    path("alignment/", include("alignment.urls")),
    path("feedback/", include("feedback.urls")),
    path("kpis/", include("kpis.urls")),
    path("transfer/", include("transfer.urls")),
    path("", include("core.urls")),
]
