from django.urls import path

from .views import accounts, conversations, deletion, followups, opportunities, privacy

app_name = "crm"

urlpatterns = [
    path("log/", conversations.ConversationFormView.as_view(), name="conversation_create"),
    path("conversations/", conversations.ConversationListView.as_view(), name="conversation_list"),
    path(
        "conversations/<int:pk>/",
        conversations.ConversationDetailView.as_view(),
        name="conversation_detail",
    ),
    path(
        "conversations/<int:pk>/edit/",
        conversations.ConversationFormView.as_view(),
        name="conversation_edit",
    ),
    path(
        "conversations/<int:pk>/delete/",
        deletion.ConversationDeleteView.as_view(),
        name="conversation_delete",
    ),
    path(
        "conversations/<int:pk>/restore/",
        deletion.ConversationRestoreView.as_view(),
        name="conversation_restore",
    ),
    path(
        "conversations/deleted/",
        deletion.RecentlyDeletedView.as_view(),
        name="recently_deleted",
    ),
    path("log/score/", conversations.ConversationScoreView.as_view(), name="conversation_score"),
    path("log/accounts/", conversations.AccountSearchView.as_view(), name="account_search"),
    path("log/options/", conversations.AccountOptionsView.as_view(), name="account_options"),
    path("accounts/", accounts.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", accounts.AccountFormView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", accounts.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/edit/", accounts.AccountFormView.as_view(), name="account_edit"),
    path(
        "accounts/<int:pk>/contacts/new/",
        accounts.ContactCreateView.as_view(),
        name="contact_create",
    ),
    path(
        "contacts/<int:pk>/privacy/", privacy.ContactPrivacyView.as_view(), name="contact_privacy"
    ),
    path(
        "contacts/<int:pk>/privacy/export/",
        privacy.ContactExportView.as_view(),
        name="contact_export",
    ),
    path(
        "contacts/<int:pk>/privacy/erase/", privacy.ContactEraseView.as_view(), name="contact_erase"
    ),
    path("pipeline/", opportunities.PipelineView.as_view(), name="pipeline"),
    path(
        "opportunities/new/", opportunities.OpportunityFormView.as_view(), name="opportunity_create"
    ),
    path(
        "opportunities/<int:pk>/",
        opportunities.OpportunityDetailView.as_view(),
        name="opportunity_detail",
    ),
    path(
        "opportunities/<int:pk>/edit/",
        opportunities.OpportunityFormView.as_view(),
        name="opportunity_edit",
    ),
    path("followups/", followups.MyFollowUpsView.as_view(), name="my_followups"),
    path(
        "followups/<int:pk>/done/", followups.FollowUpToggleView.as_view(), name="followup_toggle"
    ),
]
