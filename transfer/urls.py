from django.urls import path

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
    path(
        "export/accounts.<str:fmt>",
        views.AccountExportView.as_view(),
        name="export-accounts",
    ),
    path(
        "export/contacts.<str:fmt>",
        views.ContactExportView.as_view(),
        name="export-contacts",
    ),
    path(
        "export/opportunities.<str:fmt>",
        views.OpportunityExportView.as_view(),
        name="export-opportunities",
    ),
    path(
        "export/conversations.<str:fmt>",
        views.ConversationExportView.as_view(),
        name="export-conversations",
    ),
    path("export/all.json", views.FullExportView.as_view(), name="export-all"),
]
