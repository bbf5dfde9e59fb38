"""Signals other apps listen to; sent only after the transaction commits."""

from django.dispatch import Signal

# Sent by crm.services.conversations after a conversation is created or updated,
# with kwargs `conversation=<Conversation>, created=<bool>`.
conversation_logged = Signal()
