"""Alignment models, one module per concept."""

from .campaigns import Campaign, CampaignAttachment, CampaignBriefing
from .insights import ConversationTriage, InsightQuestion, InsightTag
from .service_levels import ServiceLevel, ServiceLevelBreach
from .themes import Theme, ThemeApproval

__all__ = [
    "Campaign",
    "CampaignAttachment",
    "CampaignBriefing",
    "ConversationTriage",
    "InsightQuestion",
    "InsightTag",
    "ServiceLevel",
    "ServiceLevelBreach",
    "Theme",
    "ThemeApproval",
]
