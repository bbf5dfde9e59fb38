from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = _("Shared KPIs and self-assessment")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from core import navigation
        from core.navigation import NavEntry
        from core.schedule import PeriodicJob, register_periodic

        from .sqlite import register_functions

        connection_created.connect(register_functions, dispatch_uid="kpis_sqlite_functions")
        register_periodic(
            PeriodicJob(
                name="kpis: nightly KPI rollup",
                task="kpis.tasks.rollup_kpis",
                crontab={"minute": "30", "hour": "2"},
                description="Recomputes the shared KPIs from the first day of last month to today.",
            )
        )
        navigation.register(
            NavEntry(
                label=_("Dashboard"),
                url_name="kpis:dashboard",
                capability="dashboard.view",
                icon="graph-up",
                order=40,
                description=_("Money in beside money out: the figures sales and marketing share."),
            )
        )
        navigation.register(
            NavEntry(
                label=_("Alignment self-assessment"),
                url_name="kpis:assessment-list",
                capability="assessment.answer",
                icon="clipboard-check",
                order=45,
                description=_(
                    "Where do sales and marketing stand: undefined, defined, aligned or integrated?"
                ),
            )
        )
