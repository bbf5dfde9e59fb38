from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_schedule(sender, **kwargs) -> None:
    from .schedule import install_default_schedule

    install_default_schedule()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Silta core")

    def ready(self) -> None:
        from . import navigation, schedule

        navigation.register_core_entries()
        schedule.register_core_jobs()
        # After the last app migrates, so every app has registered its jobs.
        post_migrate.connect(_install_schedule, dispatch_uid="silta_install_schedule")
