"""Listens to the CRM: a customer mentioned a campaign the rep did not know about."""

from django.dispatch import receiver

from crm.signals import conversation_logged

from .services.mentions import notify_unaware_mention


@receiver(conversation_logged, dispatch_uid="alignment_unaware_mention")
def on_conversation_logged(sender, conversation, created=False, **kwargs) -> None:
    # Also on edits: a rep may add the campaign later. The dedupe key keeps it to one message.
    notify_unaware_mention(conversation=conversation)
