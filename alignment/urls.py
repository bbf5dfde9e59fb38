from django.urls import path

from .views import campaigns, feed, service_levels, themes

app_name = "alignment"

urlpatterns = [
    path("themes/", themes.ThemeListView.as_view(), name="themes"),
    path("themes/new/", themes.ThemeFormView.as_view(), name="theme-create"),
    path("themes/<int:pk>/", themes.ThemeDetailView.as_view(), name="theme-detail"),
    path("themes/<int:pk>/edit/", themes.ThemeFormView.as_view(), name="theme-edit"),
    path("themes/<int:pk>/approve/", themes.ThemeApproveView.as_view(), name="theme-approve"),
    path("themes/<int:pk>/retire/", themes.ThemeRetireView.as_view(), name="theme-retire"),
    path("live/", campaigns.LiveNowView.as_view(), name="live-now"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", campaigns.CampaignFormView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", campaigns.CampaignFormView.as_view(), name="campaign-edit"),
    path(
        "campaigns/<int:pk>/publish/",
        campaigns.CampaignPublishView.as_view(),
        name="campaign-publish",
    ),
    path(
        "campaigns/<int:pk>/acknowledge/",
        campaigns.CampaignAcknowledgeView.as_view(),
        name="campaign-acknowledge",
    ),
    path("feed/", feed.FeedView.as_view(), name="feed"),
    path(
        "feed/<int:pk>/<slug:action>/",
        feed.FeedItemActionView.as_view(),
        name="feed-action",
    ),
    path("questions/<int:pk>/", feed.QuestionDetailView.as_view(), name="question-detail"),
    path("mentions/", feed.UnawareMentionsView.as_view(), name="mentions"),
    path("service-levels/", service_levels.ServiceLevelListView.as_view(), name="service-levels"),
    path(
        "service-levels/new/",
        service_levels.ServiceLevelFormView.as_view(),
        name="service-level-create",
    ),
    path(
        "service-levels/<int:pk>/edit/",
        service_levels.ServiceLevelFormView.as_view(),
        name="service-level-edit",
    ),
]
