from django.urls import path, register_converter

from .views import actions, answer, manage, reports


class MonthConverter:
    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MonthConverter, "month")

app_name = "feedback"

urlpatterns = [
    path("", answer.FeedbackHomeView.as_view(), name="home"),
    path("rounds/open/", manage.OpenRoundView.as_view(), name="open-round"),
    path("rounds/<month:month>/", answer.RoundView.as_view(), name="round"),
    path("rounds/<month:month>/answer/", answer.AnswerView.as_view(), name="answer"),
    path(
        "rounds/<month:month>/entries/<uuid:entry_id>/withdraw/",
        answer.WithdrawEntryView.as_view(),
        name="withdraw",
    ),
    path("rounds/<month:month>/close/", manage.CloseRoundView.as_view(), name="close-round"),
    path(
        "rounds/<month:month>/participation/",
        manage.ParticipationView.as_view(),
        name="participation",
    ),
    path("rounds/<month:month>/triage/", manage.TriageView.as_view(), name="triage"),
    path("entries/<uuid:entry_id>/triage/", manage.TriageEntryView.as_view(), name="triage-entry"),
    path("rounds/<month:month>/meeting/", manage.MeetingView.as_view(), name="meeting"),
    path("rounds/<month:month>/report/", reports.ReportView.as_view(), name="report"),
    path("rounds/<month:month>/report.csv", reports.ReportCsvView.as_view(), name="report-csv"),
    path("actions/", actions.ActionListView.as_view(), name="actions"),
    path("actions/new/", actions.ActionCreateView.as_view(), name="action-create"),
    path("actions/<int:pk>/", actions.ActionDetailView.as_view(), name="action"),
    path("actions/<int:pk>/edit/", actions.ActionEditView.as_view(), name="action-edit"),
    path("actions/<int:pk>/status/", actions.ActionStatusView.as_view(), name="action-status"),
]
