from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from core import navigation
        from core.schedule import PeriodicJob, register_periodic

        navigation.register(
            navigation.NavEntry(
                label=_("Feedback round"),
                url_name="feedback:home",
                capability="feedback.answer",
                icon="chat-heart",
                order=30,
                description=_("Share this month's good and bad customer experiences and ideas"),
            )
        )
        navigation.register(
            navigation.NavEntry(
                label=_("Feedback actions"),
                url_name="feedback:actions",
                capability="feedback.manage",
                icon="check2-square",
                order=31,
                description=_("What we do about the feedback, and what is done"),
            )
        )
        for job in (
            PeriodicJob(
                name="feedback: open monthly round",
                task="feedback.tasks.open_monthly_feedback_round",
                crontab={"minute": "0", "hour": "6", "day_of_month": "1"},
                description="Opens the month's feedback round on the 1st.",
            ),
            PeriodicJob(
                name="feedback: send reminders",
                task="feedback.tasks.send_feedback_reminders",
                # Hourly in office hours: a short outage delays a reminder, the
                # dedupe key keeps it to one per person per day.
                crontab={"minute": "5", "hour": "9-16"},
                description="Reminds participants without an entry on the reminder days.",
            ),
            PeriodicJob(
                name="feedback: close due rounds",
                task="feedback.tasks.close_feedback_rounds",
                crontab={"minute": "15"},
                description="Closes rounds whose time is up and builds their reports.",
            ),
            PeriodicJob(
                name="feedback: retention",
                task="feedback.tasks.purge_expired_feedback",
                crontab={"minute": "30", "hour": "3"},
                description="Deletes feedback entries older than the retention period.",
            ),
        ):
            register_periodic(job)
