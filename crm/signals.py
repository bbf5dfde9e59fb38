"""Signals other apps listen to; sent only after the transaction commits."""

from django.db import transaction
from django.dispatch import Signal

# Sent by crm.services.conversations after a conversation is created or updated,
# with kwargs `conversation=<Conversation>, created=<bool>`.
conversation_logged = Signal()

# Sent by crm.services after a conversation was deleted, restored or had personal data
# erased, with kwargs `conversation_ids=<list[int]>`: whoever keeps copies of what
# conversations say (caches) must drop them.
conversations_withdrawn = Signal()


def announce_withdrawn(conversation_ids: list[int]) -> None:
    """After the commit, send `conversations_withdrawn` for these conversations."""
    transaction.on_commit(
        lambda: conversations_withdrawn.send(sender=None, conversation_ids=conversation_ids)
    )
