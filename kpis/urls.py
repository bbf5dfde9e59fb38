from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export.csv", views.DashboardExportView.as_view(), name="dashboard-export"),
    path("rollup/", views.RollupStartView.as_view(), name="rollup"),
    path("rollup/<int:pk>/", views.RollupRunView.as_view(), name="rollup-run"),
    path("assessment/", views.AssessmentListView.as_view(), name="assessment-list"),
    path("assessment/open/", views.AssessmentOpenView.as_view(), name="assessment-open"),
    path("assessment/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(
        "assessment/<int:pk>/close/", views.AssessmentCloseView.as_view(), name="assessment-close"
    ),
]
