"""Listens to the CRM: a customer mentioned a campaign the rep did not know about; a
conversation was deleted, restored or erased (the feed's cached summaries may quote it)."""

from django.dispatch import receiver

from crm.signals import conversation_logged, conversations_withdrawn

from .selectors.feed import forget_feed_summaries
from .services.mentions import notify_unaware_mention


@receiver(conversation_logged, dispatch_uid="alignment_unaware_mention")
def on_conversation_logged(sender, conversation, created=False, **kwargs) -> None:
    # Also on edits: a rep may add the campaign later. The dedupe key keeps it to one message.
    notify_unaware_mention(conversation=conversation)


@receiver(conversations_withdrawn, dispatch_uid="alignment_feed_summaries")
def on_conversations_withdrawn(sender, conversation_ids, **kwargs) -> None:
    forget_feed_summaries()
