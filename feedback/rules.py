"""What makes a feedback text worth reading: the substance rule for entries."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

# Texts that say nothing, whatever the language they are typed in.
PLACEHOLDERS = frozenset(
    {
        "-",
        "--",
        ".",
        "?",
        "ok",
        "okay",
        "n/a",
        "na",
        "none",
        "nothing",
        "no comment",
        "good",
        "bad",
        "fine",
        "test",
        "asdf",
        "ei",
        "ei mitään",
        "hyvä",
        "huono",
        "niets",
        "geen",
        "goed",
        "slecht",
    }
)
WORD = re.compile(r"\w+", re.UNICODE)


def min_words() -> int:
    return settings.SILTA_MIN_WORDS_PER_FIELD


def substance_errors(text: str) -> list[str]:
    """Why a text is too thin to act on; an empty list when it carries substance."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return [_("Tell us what happened.")]
    if cleaned.lower().strip(" .!") in PLACEHOLDERS:
        return [_("Please describe what happened, not just a word or a placeholder.")]
    words = WORD.findall(cleaned)
    if len(words) < min_words():
        return [
            _("Please write at least %(count)d words so others can act on it.")
            % {"count": min_words()}
        ]
    if len({w.lower() for w in words}) == 1:
        return [_("Please describe what happened, not just a word or a placeholder.")]
    return []
