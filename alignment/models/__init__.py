"""Alignment models, one module per concept."""

from .campaigns import Campaign, CampaignAttachment, CampaignBriefing
from .service_levels import ServiceLevel, ServiceLevelBreach
from .themes import Theme, ThemeApproval

__all__ = [
    "Campaign",
    "CampaignAttachment",
    "CampaignBriefing",
    "ServiceLevel",
    "ServiceLevelBreach",
    "Theme",
    "ThemeApproval",
]
