"""What makes a conversation log complete, and how good it is.

Pure functions over plain values, so the same rules serve pages, API and imports
(through `crm.services.conversations`) and read as a table in the tests.

Quality score (0-100), shown to the rep as guidance:

=====================  ======  ==========================================================
part                   points  full marks when
=====================  ======  ==========================================================
customer goal            20    it has substance and at least 15 words (scaled below)
what was discussed       15    it has substance and at least 15 words (scaled below)
insight brought          15    it has substance and at least 12 words (scaled below)
insight tied to theme    10    a theme is linked
customer reaction        15    it has substance and at least 10 words (scaled below)
objections named          5    at least one objection tag
next step                20    10 for a next step with substance (6 words = full),
                               10 for a due date not before the conversation;
                               an outcome that closes the matter earns all 20
=====================  ======  ==========================================================

A field "has substance" when it is not empty, not a placeholder ("ok", "n/a",
"soitettu", "gesproken"...), not a bare "talked to X", and not a copy of another field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# The free-text fields, in form order (duplicates are reported on the later field).
TEXT_FIELDS = ("customer_goal", "discussed", "insight_shared", "customer_reaction", "next_step")

# Minimum words for a field to count as written; override per field with the setting
# SILTA_CONVERSATION_MIN_WORDS = {"customer_goal": 5, ...}.
DEFAULT_MIN_WORDS = {
    "customer_goal": 4,
    "discussed": 4,
    "insight_shared": 3,
    "customer_reaction": 2,
    "next_step": 3,
}

# Texts that say nothing, compared after lower-casing and dropping punctuation.
PLACEHOLDERS = {
    "en": {
        "ok",
        "okay",
        "k",
        "na",
        "n a",
        "none",
        "nothing",
        "nil",
        "tbd",
        "tba",
        "todo",
        "to do",
        "talked",
        "spoke",
        "call",
        "called",
        "meeting",
        "met",
        "meeting held",
        "see notes",
        "see above",
        "same",
        "same as above",
        "as discussed",
        "follow up",
        "followup",
        "no comment",
        "nothing special",
        "fine",
        "good",
        "x",
        "xx",
        "xxx",
        "test",
        "asdf",
        "etc",
        "various",
        "general chat",
        "catch up",
        "yes",
        "no",
    },
    "fi": {
        "ok",
        "joo",
        "soitettu",
        "soitin",
        "soitto",
        "palaveri",
        "palaveri pidetty",
        "tapaaminen",
        "tavattu",
        "ei mitään",
        "ei mitaan",
        "ei",
        "ei muuta",
        "puhuttiin",
        "puhuttu",
        "keskusteltu",
        "juteltiin",
        "kts yllä",
        "ks yllä",
        "sama",
        "samat",
        "tehty",
        "hoidettu",
        "sovittu",
        "jatketaan",
        "katsotaan",
        "yleistä",
        "kuulumiset",
        "kyllä",
        "selvä",
    },
    "nl": {
        "ok",
        "oké",
        "gesproken",
        "afspraak",
        "afspraak gehad",
        "nvt",
        "n v t",
        "niets",
        "geen",
        "gebeld",
        "overleg",
        "besproken",
        "zie boven",
        "idem",
        "volgt",
        "nog niet",
        "ntb",
        "n t b",
        "nader te bepalen",
        "algemeen",
        "bijgepraat",
        "ja",
        "nee",
        "prima",
    },
}
ALL_PLACEHOLDERS = frozenset().union(*PLACEHOLDERS.values())

# Openings of a short text that only says a conversation happened ("talked to Matti").
VAGUE_OPENINGS = (
    "talked to",
    "talked with",
    "spoke to",
    "spoke with",
    "called",
    "call with",
    "met",
    "meeting with",
    "had a call",
    "had a meeting",
    "puhuttu",
    "puhuttiin",
    "puhuin",
    "soitettu",
    "soitin",
    "soitto",
    "palaveri",
    "tapaaminen",
    "tapasin",
    "keskusteltu",
    "juteltiin",
    "gesproken met",
    "gebeld met",
    "gebeld",
    "afspraak met",
    "overleg met",
    "gesprek met",
    "bijgepraat met",
)
VAGUE_MAX_WORDS = 6

FULL_MARK_WORDS = {
    "customer_goal": 15,
    "discussed": 15,
    "insight_shared": 12,
    "customer_reaction": 10,
    "next_step": 6,
}
WEIGHTS = {
    "customer_goal": 20,
    "discussed": 15,
    "insight_shared": 15,
    "theme": 10,
    "customer_reaction": 15,
    "objections": 5,
    "next_step": 10,
    "next_step_due": 10,
}
assert sum(WEIGHTS.values()) == 100

_WORD = re.compile(r"[\w']+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def normalized(text: str) -> str:
    """Lower-case words joined by single spaces: punctuation and spacing do not count."""
    return " ".join(word.lower() for word in words(text))


def min_words(field: str) -> int:
    overrides = getattr(settings, "SILTA_CONVERSATION_MIN_WORDS", {}) or {}
    return int(overrides.get(field, DEFAULT_MIN_WORDS[field]))


def is_placeholder(text: str) -> bool:
    norm = normalized(text)
    return not norm or norm in ALL_PLACEHOLDERS


def is_vague(text: str) -> bool:
    norm = normalized(text)
    if len(norm.split()) > VAGUE_MAX_WORDS:
        return False
    return any(norm == opening or norm.startswith(opening + " ") for opening in VAGUE_OPENINGS)


@dataclass(frozen=True)
class TextVerdict:
    """Why a text fails (`problem`), or None when it has substance."""

    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _expected(field: str) -> str:
    return {
        "customer_goal": _(
            "Write what the customer is trying to achieve or which problem they have, in their terms."
        ),
        "discussed": _("Write what you actually discussed: topics, questions, figures, decisions."),
        "insight_shared": _("Write the new idea or insight you brought to the customer."),
        "customer_reaction": _("Write how the customer reacted to the insight or offer."),
        "next_step": _("Write the concrete next step: who does what."),
    }[field]


def text_problems(values: Mapping[str, str]) -> dict[str, str]:
    """Field -> message for every filled free-text field that lacks substance.

    Empty fields are not judged here; whether they are required is decided by the caller.
    """
    problems: dict[str, str] = {}
    seen: dict[str, str] = {}
    for field in TEXT_FIELDS:
        text = (values.get(field) or "").strip()
        if not text:
            continue
        norm = normalized(text)
        if is_placeholder(text):
            problems[field] = _("“%(text)s” is a placeholder, not a note. %(expected)s") % {
                "text": text[:40],
                "expected": _expected(field),
            }
        elif is_vague(text):
            problems[field] = _("This only says that a conversation took place. %(expected)s") % {
                "expected": _expected(field)
            }
        elif norm in seen:
            problems[field] = _("This is the same text as in “%(other)s”. %(expected)s") % {
                "other": field_labels()[seen[norm]],
                "expected": _expected(field),
            }
        elif len(words(text)) < min_words(field):
            problems[field] = _("Too short: write at least %(count)d words. %(expected)s") % {
                "count": min_words(field),
                "expected": _expected(field),
            }
        seen.setdefault(norm, field)
    return problems


def field_labels() -> dict[str, str]:
    from crm.models import Conversation

    return {name: str(Conversation._meta.get_field(name).verbose_name) for name in TEXT_FIELDS}


def required_message(field: str) -> str:
    if field == "outcome":
        return _("Choose how the conversation ended.")
    if field == "next_step_due":
        return _("Give the date by which the next step is done.")
    return _("This is required for a complete log. %(expected)s") % {"expected": _expected(field)}


def quality_score(values: Mapping, problems: Mapping[str, str] | None = None) -> int:
    """0-100 by the table in this module's docstring."""
    problems = text_problems(values) if problems is None else problems
    score = 0.0
    for field in ("customer_goal", "discussed", "insight_shared", "customer_reaction"):
        text = values.get(field) or ""
        if text.strip() and field not in problems:
            score += WEIGHTS[field] * min(1.0, len(words(text)) / FULL_MARK_WORDS[field])
    if values.get("theme"):
        score += WEIGHTS["theme"]
    if values.get("objections"):
        score += WEIGHTS["objections"]
    if values.get("outcome") in {"won", "lost", "no_decision"}:
        score += WEIGHTS["next_step"] + WEIGHTS["next_step_due"]
    else:
        step = values.get("next_step") or ""
        if step.strip() and "next_step" not in problems:
            score += WEIGHTS["next_step"] * min(
                1.0, len(words(step)) / FULL_MARK_WORDS["next_step"]
            )
        due, occurred = values.get("next_step_due"), values.get("occurred_on")
        if due and (occurred is None or due >= occurred):
            score += WEIGHTS["next_step_due"]
    return max(0, min(100, round(score)))
