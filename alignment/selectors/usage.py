"""How themes are used in conversations (filled in once crm.Conversation exists)."""

from __future__ import annotations


def theme_usage(*, theme) -> dict | None:
    return None
