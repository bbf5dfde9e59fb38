from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = _("Alignment")

    def ready(self) -> None:
        from core import navigation, schedule

        from . import receivers  # noqa: F401 - connects to crm's conversation_logged

        entries = [
            ("alignment:live-now", _("Live now"), "campaign.read", "broadcast", 20,
             _("Campaigns customers may have seen today, and what to say")),
            ("alignment:feed", _("Insight feed"), "conversation.read", "chat-square-quote", 21,
             _("What customers actually said, for marketing and managers")),
            ("alignment:themes", _("Themes"), "theme.propose", "lightbulb", 22,
             _("Insight themes built by marketing and sales together")),
            ("alignment:campaigns", _("Campaigns"), "campaign.manage", "megaphone", 23,
             _("Create campaigns and brief sales before launch")),
            ("alignment:mentions", _("Unaware mentions"), "campaign.manage", "exclamation-diamond", 24,
             _("Customers mentioned a campaign the rep had not heard of")),
            ("alignment:service-levels", _("Service levels"), "servicelevel.manage", "stopwatch", 25,
             _("Promises between marketing and sales, and their breaches")),
        ]  # fmt: skip
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
        schedule.register_periodic(
            schedule.PeriodicJob(
                name="alignment: service-level breaches",
                task="alignment.tasks.check_service_levels",
                crontab={"minute": "15", "hour": "6"},
                description="Lists and notifies missed service levels between marketing and sales.",
            )
        )
        schedule.register_periodic(
            schedule.PeriodicJob(
                name="alignment: briefing reminders",
                task="alignment.tasks.remind_unread_briefings",
                crontab={"minute": "0", "hour": "8"},
                description="Reminds reps once per campaign to read a briefing before launch.",
            )
        )
