from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "transfer"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from core import navigation

        navigation.register(
            navigation.NavEntry(
                label=_("Import"),
                url_name="transfer:imports",
                capability="transfer.import",
                icon="upload",
                order=50,
                description=_(
                    "Bring accounts, contacts, deals and notes from HubSpot, Pipedrive or a spreadsheet."
                ),
            )
        )
        navigation.register(
            navigation.NavEntry(
                label=_("Export"),
                url_name="transfer:export",
                capability="crm.read",
                icon="download",
                order=51,
                description=_(
                    "Take any list, or all of your data, with you as CSV, Excel or JSON."
                ),
            )
        )
