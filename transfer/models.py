"""Import runs and every row they created or changed, so a run can be undone."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One uploaded file: its column mapping, the check (dry run) and the import itself."""

    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts")
        CONTACTS = "contacts", _("Contacts")
        OPPORTUNITIES = "opportunities", _("Opportunities")
        NOTES = "notes", _("Historical notes")

    class Preset(models.TextChoices):
        HUBSPOT = "hubspot", _("HubSpot export")
        PIPEDRIVE = "pipedrive", _("Pipedrive export")
        CUSTOM = "custom", _("Other (map the columns yourself)")

    class Duplicates(models.TextChoices):
        SKIP = "skip", _("Skip rows that already exist")
        UPDATE = "update", _("Update the existing record")
        CREATE = "create", _("Create a new record anyway")

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for the column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        CHECKED = "checked", _("Checked, ready to import")
        REFUSED = "refused", _("Refused: some rows have problems")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        UNDOING = "undoing", _("Being undone")
        UNDONE = "undone", _("Undone")

    class Phase(models.TextChoices):
        CHECK = "check", _("Dry run")
        IMPORT = "import", _("Import")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="import_runs",
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    preset = models.CharField(_("source"), max_length=20, choices=Preset.choices)
    duplicates = models.CharField(
        _("existing records"), max_length=10, choices=Duplicates.choices, default=Duplicates.SKIP
    )
    filename = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    # The uploaded file itself, so a worker on another machine can read it.
    content = models.BinaryField(editable=False)
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.CHECK)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.MAPPING, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    # Problems as {"row", "column", "message"}; the preview as {"row", "action", "label", "problems"}.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="transfer_run_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("transfer:run", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.CHECKED, self.Status.REFUSED):
            return 100
        if not self.total_rows or self.status == self.Status.UNDOING:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING, self.Status.UNDOING)


class ImportedRow(models.Model):
    """A record one run created or changed; `previous` holds the changed fields' old values."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    model = models.CharField(_("record type"), max_length=40)
    object_id = models.BigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    previous = models.JSONField(_("previous values"), default=dict, blank=True)

    class Meta:
        ordering = ["run", "row_number"]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        indexes = [models.Index(fields=["run", "model", "action"], name="transfer_row_run_model")]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id} ({self.action})"
