"""Triage of the insight feed: marketing and managers review what customers said (seed 004)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InsightTag(models.Model):
    """A short label marketers put on conversations ("pricing", "competitor X")."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("insight tag")
        verbose_name_plural = _("insight tags")

    def __str__(self) -> str:
        return self.name


class ConversationTriage(models.Model):
    """Marketing's state for one conversation in the feed: reviewed, highlighted, tagged."""

    conversation = models.OneToOneField(
        "crm.Conversation",
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="triage",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    highlighted = models.BooleanField(_("highlighted"), default=False)
    tags = models.ManyToManyField(
        InsightTag, verbose_name=_("tags"), blank=True, related_name="triages"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("conversation triage")
        verbose_name_plural = _("conversation triage")
        indexes = [
            models.Index(fields=["reviewed_at"], name="triage_reviewed_idx"),
            models.Index(
                fields=["highlighted"],
                name="triage_highlighted_idx",
                condition=models.Q(highlighted=True),
            ),
        ]

    def __str__(self) -> str:
        return f"triage of {self.conversation_id}"


class InsightQuestion(models.Model):
    """A marketer's question to the rep about one conversation; lands in the rep's inbox."""

    conversation = models.ForeignKey(
        "crm.Conversation",
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="insight_questions",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="insight_questions_asked",
    )
    asked_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked to"),
        on_delete=models.CASCADE,
        related_name="insight_questions_received",
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("question to the rep")
        verbose_name_plural = _("questions to reps")
        indexes = [models.Index(fields=["asked_to", "answered_at"], name="question_inbox_idx")]

    def __str__(self) -> str:
        return self.question[:80]
