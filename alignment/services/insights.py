"""Triage of the insight feed and questions to the rep who logged the conversation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import can
from core.services.notifications import notify

from ..models import ConversationTriage, InsightQuestion, InsightTag

MAX_TAGS = 10


def _triage_for(*, user, conversation) -> ConversationTriage:
    if not can(user, "insight.triage"):
        raise PermissionDenied
    triage, _created = ConversationTriage.objects.select_for_update().get_or_create(
        conversation=conversation
    )
    return triage


@transaction.atomic
def mark_reviewed(*, user, conversation, reviewed: bool = True) -> ConversationTriage:
    """Mark a conversation reviewed (or not) in the feed; the first reviewer is kept."""
    triage = _triage_for(user=user, conversation=conversation)
    if reviewed and triage.reviewed_at is None:
        triage.reviewed_at, triage.reviewed_by = timezone.now(), user
    elif not reviewed:
        triage.reviewed_at, triage.reviewed_by = None, None
    triage.save()
    return triage


@transaction.atomic
def set_highlight(*, user, conversation, highlighted: bool) -> ConversationTriage:
    triage = _triage_for(user=user, conversation=conversation)
    triage.highlighted = highlighted
    triage.save()
    return triage


def normalise_tags(raw) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, lower case, unique, in order."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()[:60]
        if tag and tag not in tags:
            tags.append(tag)
    return tags


@transaction.atomic
def set_tags(*, user, conversation, tags) -> ConversationTriage:
    """Replace the conversation's tags."""
    names = normalise_tags(tags)
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": [_("Use at most %(n)d tags.") % {"n": MAX_TAGS}]})
    triage = _triage_for(user=user, conversation=conversation)
    existing = {t.name: t for t in InsightTag.objects.filter(name__in=names)}
    missing = [InsightTag(name=n) for n in names if n not in existing]
    InsightTag.objects.bulk_create(missing, ignore_conflicts=True)
    triage.tags.set(InsightTag.objects.filter(name__in=names))
    triage.save()
    return triage


@transaction.atomic
def ask_rep(*, user, conversation, question: str) -> InsightQuestion:
    """Ask the rep about a conversation; the question lands in the rep's inbox."""
    if not can(user, "insight.triage"):
        raise PermissionDenied
    question = question.strip()
    if len(question.split()) < 3:
        raise ValidationError({"question": [_("Write a question of at least three words.")]})
    asked = InsightQuestion.objects.create(
        conversation=conversation, asked_by=user, asked_to=conversation.author, question=question
    )
    notify(
        user=conversation.author,
        kind="insight.question",
        subject=_("%(who)s asks about your conversation with %(account)s")
        % {"who": user, "account": conversation.account},
        body=question,
        link=reverse("alignment:question-detail", args=[asked.pk]),
        dedupe_key=f"insight-question:{asked.pk}",
    )
    return asked


@transaction.atomic
def answer_question(*, user, question: InsightQuestion, answer: str) -> InsightQuestion:
    """The rep answers; the marketer who asked hears back."""
    if user.pk != question.asked_to_id:
        raise PermissionDenied
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": [_("Write your answer.")]})
    question.answer, question.answered_at = answer, timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    notify(
        user=question.asked_by,
        kind="insight.answer",
        subject=_("%(who)s answered your question") % {"who": user},
        body=answer,
        link=reverse("alignment:question-detail", args=[question.pk]),
        dedupe_key=f"insight-answer:{question.pk}",
    )
    return question


TRIAGE_ACTIONS = ("review", "unreview", "highlight", "unhighlight", "tags", "ask")


def apply_triage_action(*, user, conversation, action: str, data) -> None:
    """One feed button: review, highlight, tag or ask, with the posted form data."""
    if action in ("review", "unreview"):
        mark_reviewed(user=user, conversation=conversation, reviewed=action == "review")
    elif action in ("highlight", "unhighlight"):
        set_highlight(user=user, conversation=conversation, highlighted=action == "highlight")
    elif action == "tags":
        set_tags(user=user, conversation=conversation, tags=data.get("tags", ""))
    elif action == "ask":
        ask_rep(user=user, conversation=conversation, question=data.get("question", ""))
    else:
        raise ValueError(f"unknown triage action {action!r}")
