from django.urls import path, re_path

from . import views

app_name = "transfer"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="imports"),
    path("new/", views.ImportUploadView.as_view(), name="upload"),
    path("<int:pk>/", views.RunView.as_view(), name="run"),
    path("<int:pk>/mapping/", views.MappingView.as_view(), name="mapping"),
    path("<int:pk>/import/", views.RunStartView.as_view(), name="start"),
    path("<int:pk>/undo/", views.RunUndoView.as_view(), name="undo"),
    path("export/", views.ExportIndexView.as_view(), name="export"),
    re_path(
        r"^export/accounts\.(?P<fmt>csv|xlsx)$",
        views.AccountExportView.as_view(),
        name="export-accounts",
    ),
    re_path(
        r"^export/contacts\.(?P<fmt>csv|xlsx)$",
        views.ContactExportView.as_view(),
        name="export-contacts",
    ),
    re_path(
        r"^export/opportunities\.(?P<fmt>csv|xlsx)$",
        views.OpportunityExportView.as_view(),
        name="export-opportunities",
    ),
    re_path(
        r"^export/conversations\.(?P<fmt>csv|xlsx)$",
        views.ConversationExportView.as_view(),
        name="export-conversations",
    ),
    path("export/all.json", views.FullExportView.as_view(), name="export-all"),
]
