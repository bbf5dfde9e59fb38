"""The structured conversation log (design.md, Conversation ★) and the follow-ups it creates."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ConversationQuerySet(models.QuerySet):
    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class LiveConversationManager(models.Manager.from_queryset(ConversationQuerySet)):
    """The default manager: deleted conversations are out of every list, API, feed and KPI."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Conversation(models.Model):
    """What the customer wants, what was discussed, the insight brought, the reaction, what next.

    `status` and `quality_score` are computed by `crm.services.conversations`;
    nothing else writes them.
    """

    class Channel(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        VIDEO = "video", _("Video call")
        EMAIL = "email", _("E-mail")
        EVENT = "event", _("Event")
        CHAT = "chat", _("Chat")

    class Outcome(models.TextChoices):
        ADVANCED = "advanced", _("Advanced")
        NO_CHANGE = "no_change", _("No change")
        SETBACK = "setback", _("Setback")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        NO_DECISION = "no_decision", _("No decision")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETE = "complete", _("Complete")

    # Outcomes that close the matter: no next step is needed after them.
    CLOSING_OUTCOMES = frozenset({Outcome.WON, Outcome.LOST, Outcome.NO_DECISION})

    # Foreign keys without an index of their own where a composite index (Meta) leads
    # with them: every index costs each logged conversation an insert.
    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="conversations",
        db_index=False,
    )
    contacts = models.ManyToManyField(
        "crm.Contact", verbose_name=_("contacts"), blank=True, related_name="conversations"
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="conversations",
        db_index=False,
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.MEETING
    )
    occurred_at = models.DateTimeField(_("when"))
    customer_goal = models.TextField(
        _("customer's goal or problem"),
        blank=True,
        help_text=_(
            "What the customer is trying to achieve, or the problem they have, in their terms."
        ),
    )
    discussed = models.TextField(
        _("what was discussed"),
        blank=True,
        help_text=_("The substance of the conversation: topics, questions, figures."),
    )
    insight_shared = models.TextField(
        _("insight you brought"),
        blank=True,
        help_text=_("The new idea or insight you brought to the customer."),
    )
    theme = models.ForeignKey(
        "alignment.Theme",
        verbose_name=_("insight theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    customer_reaction = models.TextField(
        _("customer's reaction"),
        blank=True,
        help_text=_("How the customer reacted to the insight, proposition or offer."),
    )
    # Short tags, also kept row-per-tag in ConversationObjection for filtering and counting.
    objections = models.JSONField(_("objections"), default=list, blank=True)
    campaign = models.ForeignKey(
        "alignment.Campaign",
        verbose_name=_("campaign mentioned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    campaign_known_to_rep = models.BooleanField(_("I knew about this campaign"), default=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    quality_score = models.PositiveSmallIntegerField(_("quality score"), default=0, editable=False)
    # Historical notes brought in from another CRM: exempt from the structured-notes rules.
    imported = models.BooleanField(_("imported"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic concurrency: every saved edit moves it on; a stale edit is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Soft delete: hidden everywhere, restorable by a manager until purged after 30 days.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )
    # Maintained by a database trigger on PostgreSQL (migration 0001); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"], m2m_fields=[contacts])

    objects = LiveConversationManager()
    all_objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        base_manager_name = "all_objects"
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="crm_conv_occurred"),
            models.Index(fields=["account", "-occurred_at"], name="crm_conv_account_occurred"),
            models.Index(fields=["author", "-occurred_at"], name="crm_conv_author_occurred"),
            models.Index(fields=["theme", "-occurred_at"], name="crm_conv_theme_occurred"),
            models.Index(fields=["campaign", "-occurred_at"], name="crm_conv_campaign_occurred"),
            models.Index(fields=["outcome", "-occurred_at"], name="crm_conv_outcome_occurred"),
            models.Index(fields=["channel", "-occurred_at"], name="crm_conv_channel_occurred"),
            models.Index(fields=["status", "updated_at"], name="crm_conv_status_updated"),
            models.Index(fields=["status", "-occurred_at"], name="crm_conv_status_occurred"),
            # The API's other orderings, keyset-paged on (field, id) (core.api.pagination).
            models.Index(fields=["quality_score", "id"], name="crm_conv_quality"),
            models.Index(fields=["created_at", "id"], name="crm_conv_created"),
            # Partial: only the few deleted rows, so "not deleted" filters never pick it.
            models.Index(
                fields=["deleted_at"],
                name="crm_conv_deleted",
                condition=models.Q(deleted_at__isnull=False),
            ),
            models.Index(
                fields=["deleted_by"],
                name="crm_conv_deleted_by",
                condition=models.Q(deleted_by__isnull=False),
            ),
            models.Index(
                fields=["id"], name="crm_conv_imported", condition=models.Q(imported=True)
            ),
            # A lead's first conversation (kpis lead_response_hours), and the foreign key.
            models.Index(
                fields=["opportunity", "occurred_at"],
                name="crm_conv_opportunity",
                condition=models.Q(opportunity__isnull=False),
            ),
            # The KPI rollup reads only these columns of the counted conversations: an
            # index-only scan of ~70 bytes a row instead of the whole table (PostgreSQL;
            # elsewhere a plain index on occurred_at).
            models.Index(
                fields=["occurred_at"],
                include=[
                    "author",
                    "account",
                    "campaign",
                    "theme",
                    "status",
                    "quality_score",
                    "campaign_known_to_rep",
                ],
                name="crm_conv_kpi_rows",
                condition=models.Q(deleted_at__isnull=True, imported=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.occurred_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("crm:conversation_detail", args=[self.pk])

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE


class ConversationObjection(models.Model):
    """One objection tag of a conversation, so filtering and top-objection counts use an index."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="objection_tags"
    )
    tag = models.CharField(_("objection"), max_length=60)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "tag"], name="crm_objection_once"),
        ]
        indexes = [
            models.Index(fields=["tag", "conversation"], name="crm_objection_tag"),
            # The objection filter matches case-insensitively (UPPER(tag) = UPPER(%s)).
            models.Index(Upper("tag"), "conversation", name="crm_objection_tag_upper"),
        ]

    def __str__(self) -> str:
        return self.tag


class FollowUp(models.Model):
    """A promised next step the owner must act on; one per conversation."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="followups",
    )
    conversation = models.OneToOneField(
        Conversation,
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followup",
    )
    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="followups",
    )
    title = models.TextField(_("next step"))
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["owner", "done_at", "due"], name="crm_followup_owner_open_due"),
            models.Index(fields=["done_at", "due"], name="crm_followup_open_due"),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
