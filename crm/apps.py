from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM")

    def ready(self) -> None:
        from core import navigation
        from core.schedule import PeriodicJob, register_periodic

        entries = [
            (
                "crm:conversation_create",
                _("Log a conversation"),
                "conversation.log",
                "pencil-square",
                10,
                _("Write down what the customer wants, what you discussed and what happens next."),
            ),
            (
                "crm:conversation_list",
                _("Conversations"),
                "conversation.read",
                "chat-left-text",
                11,
                _("Search what customers actually said."),
            ),
            (
                "crm:account_list",
                _("Accounts"),
                "crm.read",
                "building",
                12,
                _("Customers, their contacts and the timeline of conversations."),
            ),
            ("crm:pipeline", _("Pipeline"), "crm.read", "kanban", 13, _("Opportunities by stage.")),
            (
                "crm:my_followups",
                _("My follow-ups"),
                "conversation.log",
                "check2-square",
                14,
                _("The next steps you promised: overdue, today, this week."),
            ),
            (
                "crm:recently_deleted",
                _("Recently deleted"),
                "crm.manage",
                "trash",
                19,
                _("Conversations deleted in the last 30 days; restore one if it was a mistake."),
            ),
        ]
        for url_name, label, capability, icon, order, description in entries:
            navigation.register(
                navigation.NavEntry(
                    label=label,
                    url_name=url_name,
                    capability=capability,
                    icon=icon,
                    order=order,
                    description=description,
                )
            )
        register_periodic(
            PeriodicJob(
                name="crm: remind due follow-ups",
                task="crm.tasks.remind_due_followups",
                crontab={"minute": "0", "hour": "7"},
                description="One digest per user per day of overdue and today's follow-ups.",
            )
        )
        register_periodic(
            PeriodicJob(
                name="crm: remind incomplete conversations",
                task="crm.tasks.remind_incomplete_conversations",
                crontab={"minute": "30", "hour": "7"},
                description="One digest per user per day of drafts older than a day.",
            )
        )
        register_periodic(
            PeriodicJob(
                name="crm: purge deleted conversations",
                task="crm.tasks.purge_deleted_conversations",
                crontab={"minute": "15", "hour": "3"},
                description="Conversations deleted more than 30 days ago are removed for good.",
            )
        )
