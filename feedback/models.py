"""Monthly frontline-feedback rounds, their entries, the actions taken and the reports.

Anonymity: an anonymous entry has no `author`; it carries only `author_key`, a
keyed hash (HMAC with a secret derived from SECRET_KEY) of the round and the
author's id. The author can recompute it to find their own entries; nobody can
turn it back into a user. Entries have random ids and a date without time, so
neither the id order nor a timestamp ties an anonymous entry to a named one
written in the same sitting, and they keep no simple-history (its rows would
record the request user).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class FeedbackRound(models.Model):
    """One month's round (`month` as YYYY-MM); exactly one per month."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("feedback round status", "Open")
        CLOSED = "closed", pgettext_lazy("feedback round status", "Closed")

    month = models.CharField(_("month"), max_length=7, unique=True, help_text="YYYY-MM")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="RoundParticipant",
        verbose_name=_("participants"),
        related_name="feedback_rounds",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="feedback_round_opens_before_close",
            ),
        ]

    def __str__(self) -> str:
        return self.month

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoundParticipant(models.Model):
    """A user invited to (or answering) a round; `answered` has no timestamp on purpose."""

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_memberships"
    )
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="feedback_participant_once"),
        ]
        indexes = [models.Index(fields=["round", "answered"], name="feedback_participant_ans_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.round}"


class Category(models.TextChoices):
    """Where the customer met us: the touchpoint the entry is about."""

    PRODUCT = "product", _("Product or service quality")
    DELIVERY = "delivery", _("Delivery and installation")
    SUPPORT = "support", _("Customer service and support")
    SALES = "sales", _("Sales contact")
    MARKETING = "marketing", _("Marketing and communication")
    PRICING = "pricing", _("Pricing and offers")
    BILLING = "billing", _("Invoicing")
    DIGITAL = "digital", _("Website and online services")
    INTERNAL = "internal", _("Internal collaboration")
    OTHER = "other", _("Other")


class FeedbackTag(models.Model):
    """A short label marketing or a manager puts on entries while triaging."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class FeedbackEntry(models.Model):
    """One good experience, bad experience or improvement idea in a round."""

    class Kind(models.TextChoices):
        GOOD = "good", _("Good experience")
        BAD = "bad", _("Bad experience")
        IDEA = "idea", _("Improvement idea")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        FeedbackRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("what happened"))
    category = models.CharField(
        _("touchpoint"), max_length=20, choices=Category.choices, blank=True
    )
    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("customer account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_entries",
    )
    themes = models.ManyToManyField(
        "alignment.Theme", verbose_name=_("themes"), blank=True, related_name="feedback_entries"
    )
    tags = models.ManyToManyField(
        FeedbackTag, verbose_name=_("tags"), blank=True, related_name="entries"
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # Named entries only; NULL whenever `anonymous` (a check constraint holds it).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_entries",
    )
    # Anonymous entries only: HMAC(secret, round id + user id); see feedback.anonymity.
    author_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        ordering = ["kind", "category", "-submitted_on", "id"]
        verbose_name = _("feedback entry")
        verbose_name_plural = _("feedback entries")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(anonymous=True, author__isnull=True) & ~models.Q(author_key=""))
                | models.Q(anonymous=False, author_key=""),
                name="feedback_entry_author_hidden_when_anonymous",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "kind", "category"], name="feedback_entry_group_idx"),
            models.Index(fields=["round", "author_key"], name="feedback_entry_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Action(models.Model):
    """What we decided to do about one or more entries ("you said, we did")."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        TRIAGE = "triage", _("Triage")
        MEETING = "meeting", _("Monthly meeting")

    CLOSED_STATUSES = (Status.DONE, Status.DECLINED)

    round = models.ForeignKey(
        FeedbackRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    title = models.CharField(pgettext_lazy("feedback action", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    entries = models.ManyToManyField(
        FeedbackEntry, verbose_name=_("entries"), blank=True, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="feedback_actions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    outcome = models.TextField(_("what we did"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.TRIAGE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Optimistic concurrency (crm.services.concurrency): a stale edit is refused, not applied.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="feedback_action_declined_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="feedback_action_round_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES


class RoundReport(models.Model):
    """The figures of a closed round; breakdowns hide groups under 5 respondents."""

    round = models.OneToOneField(
        FeedbackRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="report"
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    participation_rate = models.FloatField(_("participation rate"), default=0)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    # {"by_kind": [...], "by_category": [...], "top_themes": [...]} as built by reports.py.
    breakdown = models.JSONField(_("breakdown"), default=dict)
    built_at = models.DateTimeField(_("built"), auto_now=True)

    class Meta:
        ordering = ["-round__month"]
        verbose_name = _("round report")
        verbose_name_plural = _("round reports")

    def __str__(self) -> str:
        return f"{self.round} report"
