"""CRM models, one module per concept."""

from .accounts import Account, Contact
from .conversations import Conversation, ConversationObjection, FollowUp
from .opportunities import Opportunity, OpportunityStageChange

__all__ = [
    "Account",
    "Contact",
    "Conversation",
    "ConversationObjection",
    "FollowUp",
    "Opportunity",
    "OpportunityStageChange",
]
