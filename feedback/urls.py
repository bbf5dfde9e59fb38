from django.urls import path

from .views import actions, answer, manage, reports

# Months and entry ids are checked in the views, after the role check, so an
# unknown value answers 404 only to those who may use the page at all.
app_name = "feedback"

urlpatterns = [
    path("", answer.FeedbackHomeView.as_view(), name="home"),
    path("rounds/open/", manage.OpenRoundView.as_view(), name="open-round"),
    path("rounds/<str:month>/", answer.RoundView.as_view(), name="round"),
    path("rounds/<str:month>/answer/", answer.AnswerView.as_view(), name="answer"),
    path(
        "rounds/<str:month>/entries/<str:entry_id>/withdraw/",
        answer.WithdrawEntryView.as_view(),
        name="withdraw",
    ),
    path("rounds/<str:month>/close/", manage.CloseRoundView.as_view(), name="close-round"),
    path(
        "rounds/<str:month>/participation/",
        manage.ParticipationView.as_view(),
        name="participation",
    ),
    path("rounds/<str:month>/triage/", manage.TriageView.as_view(), name="triage"),
    path("entries/<str:entry_id>/triage/", manage.TriageEntryView.as_view(), name="triage-entry"),
    path("rounds/<str:month>/meeting/", manage.MeetingView.as_view(), name="meeting"),
    path("rounds/<str:month>/report/", reports.ReportView.as_view(), name="report"),
    path("rounds/<str:month>/report.csv", reports.ReportCsvView.as_view(), name="report-csv"),
    path("actions/", actions.ActionListView.as_view(), name="actions"),
    path("actions/new/", actions.ActionCreateView.as_view(), name="action-create"),
    path("actions/<int:pk>/", actions.ActionDetailView.as_view(), name="action"),
    path("actions/<int:pk>/edit/", actions.ActionEditView.as_view(), name="action-edit"),
    path("actions/<int:pk>/status/", actions.ActionStatusView.as_view(), name="action-status"),
]
