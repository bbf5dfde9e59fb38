"""Answering a round, editing or withdrawing one's own entries, and triage."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.anonymity import author_key, author_keys
from feedback.models import Category, FeedbackEntry, FeedbackRound, FeedbackTag, RoundParticipant
from feedback.rules import substance_errors


def is_author(*, entry: FeedbackEntry, user) -> bool:
    """True when `user` wrote the entry, named or anonymous."""
    if not getattr(user, "is_authenticated", False):
        return False
    if entry.author_id is not None:
        return entry.author_id == user.pk
    return bool(entry.author_key) and entry.author_key in author_keys(
        round_id=entry.round_id, user_id=user.pk
    )


def _check_round_open(feedback_round: FeedbackRound) -> None:
    if not feedback_round.is_open or feedback_round.closes_at <= timezone.now():
        raise ValidationError({"round": [_("This round is closed; it no longer takes entries.")]})


def _clean(*, kind: str, text: str, category: str, themes: Iterable) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in FeedbackEntry.Kind.values:
        errors["kind"] = [_("Choose a good experience, a bad experience or an idea.")]
    if problems := substance_errors(text):
        errors["text"] = problems
    if category and category not in Category.values:
        errors["category"] = [_("Choose a touchpoint from the list.")]
    themes = list(themes or [])
    if any(theme.status != "active" for theme in themes):
        errors["themes"] = [_("Only active themes can be linked.")]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "text": text.strip(), "category": category or "", "themes": themes}


def _set_identity(entry: FeedbackEntry, *, user, anonymous: bool) -> None:
    entry.anonymous = anonymous
    if anonymous:
        entry.author = None
        entry.author_key = author_key(round_id=entry.round_id, user_id=user.pk)
    else:
        entry.author = user
        entry.author_key = ""


def _mark_answered(feedback_round: FeedbackRound, user, answered: bool = True) -> None:
    membership, created = RoundParticipant.objects.get_or_create(
        round=feedback_round, user=user, defaults={"answered": answered}
    )
    if not created and membership.answered != answered:
        RoundParticipant.objects.filter(pk=membership.pk).update(answered=answered)


@transaction.atomic
def submit_entry(
    *,
    feedback_round: FeedbackRound,
    author,
    kind: str,
    text: str,
    category: str = "",
    anonymous: bool = False,
    themes: Iterable = (),
    account=None,
) -> FeedbackEntry:
    """Save one entry for `author`; anonymous entries keep only the keyed hash."""
    _check_round_open(feedback_round)
    cleaned = _clean(kind=kind, text=text, category=category, themes=themes)
    entry = FeedbackEntry(
        round=feedback_round,
        kind=cleaned["kind"],
        text=cleaned["text"],
        category=cleaned["category"],
        account=account,
        submitted_on=timezone.localdate(),
    )
    _set_identity(entry, user=author, anonymous=anonymous)
    entry.save()
    entry.themes.set(cleaned["themes"])
    _mark_answered(feedback_round, author)
    return entry


@transaction.atomic
def update_entry(
    *,
    entry: FeedbackEntry,
    user,
    kind: str,
    text: str,
    category: str = "",
    anonymous: bool = False,
    themes: Iterable = (),
    account=None,
) -> FeedbackEntry:
    """The author edits their entry while the round is open."""
    if not is_author(entry=entry, user=user):
        raise PermissionDenied(_("Only the author can change an entry."))
    _check_round_open(entry.round)
    cleaned = _clean(kind=kind, text=text, category=category, themes=themes)
    entry.kind, entry.text, entry.category = cleaned["kind"], cleaned["text"], cleaned["category"]
    entry.account = account
    _set_identity(entry, user=user, anonymous=anonymous)
    entry.save()
    entry.themes.set(cleaned["themes"])
    return entry


@transaction.atomic
def withdraw_entry(*, entry: FeedbackEntry, user) -> None:
    """The author deletes their entry while the round is open."""
    if not is_author(entry=entry, user=user):
        raise PermissionDenied(_("Only the author can withdraw an entry."))
    _check_round_open(entry.round)
    feedback_round = entry.round
    entry.delete()
    still_answered = FeedbackEntry.objects.filter(
        own_entries_q(user=user, round_ids=[feedback_round.pk]), round=feedback_round
    ).exists()
    if not still_answered:
        _mark_answered(feedback_round, user, answered=False)


def own_entries_q(*, user, round_ids: Iterable[int]):
    """A Q matching the user's named entries and their anonymous ones in these rounds."""
    from django.db.models import Q

    query = Q(author=user)
    keys = [key for rid in round_ids for key in author_keys(round_id=rid, user_id=user.pk)]
    if keys:
        query |= Q(anonymous=True, author_key__in=keys)
    return query


def normalise_tags(raw: str | Iterable[str]) -> list[str]:
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    cleaned = []
    for name in names:
        name = " ".join(str(name).split()).lower()[:40]
        if name and name not in cleaned:
            cleaned.append(name)
    return cleaned


@transaction.atomic
def triage_entry(
    *,
    entry: FeedbackEntry,
    tags: str | Iterable[str] | None = None,
    themes: Iterable | None = None,
    category: str | None = None,
) -> FeedbackEntry:
    """Marketing or a manager tags an entry, links themes or corrects the touchpoint."""
    if category is not None:
        if category and category not in Category.values:
            raise ValidationError({"category": [_("Choose a touchpoint from the list.")]})
        if category != entry.category:
            entry.category = category
            entry.save(update_fields=["category"])
    if tags is not None:
        names = normalise_tags(tags)
        existing = {tag.name: tag for tag in FeedbackTag.objects.filter(name__in=names)}
        missing = [FeedbackTag(name=name) for name in names if name not in existing]
        FeedbackTag.objects.bulk_create(missing, ignore_conflicts=True)
        entry.tags.set(FeedbackTag.objects.filter(name__in=names))
    if themes is not None:
        entry.themes.set(list(themes))
    return entry
