"""What can be imported, and where HubSpot and Pipedrive put it in their standard exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TargetField:
    key: str
    label: str
    required: bool = False


FIELDS: dict[str, tuple[TargetField, ...]] = {
    "accounts": (
        TargetField("name", _("Company name"), required=True),
        TargetField("business_id", _("Business ID")),
        TargetField("country", _("Country")),
        TargetField("industry", _("Industry")),
        TargetField("segment", _("Segment")),
        TargetField("website", _("Website")),
        TargetField("owner_email", _("Owner's e-mail")),
    ),
    "contacts": (
        TargetField("name", _("Full name")),
        TargetField("first_name", _("First name")),
        TargetField("last_name", _("Last name")),
        TargetField("email", _("E-mail")),
        TargetField("phone", _("Phone")),
        TargetField("title", _("Job title")),
        TargetField("account_name", _("Company name"), required=True),
        TargetField("account_business_id", _("Company business ID")),
    ),
    "opportunities": (
        TargetField("name", _("Deal name"), required=True),
        TargetField("account_name", _("Company name"), required=True),
        TargetField("account_business_id", _("Company business ID")),
        TargetField("amount", _("Amount")),
        TargetField("currency", _("Currency")),
        TargetField("stage", _("Stage")),
        TargetField("status", _("Won / lost status")),
        TargetField("source", _("Source")),
        TargetField("expected_close_on", _("Expected close date")),
        TargetField("lost_reason", _("Lost reason")),
        TargetField("owner_email", _("Owner's e-mail")),
    ),
    "notes": (
        TargetField("discussed", _("Note"), required=True),
        TargetField("occurred_at", _("Date"), required=True),
        TargetField("account_name", _("Company name"), required=True),
        TargetField("account_business_id", _("Company business ID")),
        TargetField("channel", _("Channel")),
        TargetField("contact_email", _("Contact's e-mail")),
    ),
}

# kind -> target field -> column names in the vendor's standard export (matched case-insensitively).
PRESETS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "hubspot": {
        "accounts": {
            "name": ("Company name", "Name"),
            "business_id": ("Business ID", "VAT number", "Y-tunnus", "KvK number"),
            "country": ("Country/Region", "Country"),
            "industry": ("Industry",),
            "website": ("Website URL", "Company Domain Name"),
            "owner_email": ("Company owner", "Company Owner Email"),
        },
        "contacts": {
            "first_name": ("First Name",),
            "last_name": ("Last Name",),
            "email": ("Email",),
            "phone": ("Phone Number", "Mobile Phone Number"),
            "title": ("Job Title",),
            "account_name": ("Associated Company", "Company Name"),
        },
        "opportunities": {
            "name": ("Deal Name",),
            "account_name": ("Associated Company", "Company Name"),
            "amount": ("Amount",),
            "currency": ("Currency", "Deal currency code"),
            "stage": ("Deal Stage",),
            "expected_close_on": ("Close Date",),
            "lost_reason": ("Closed Lost Reason",),
            "owner_email": ("Deal owner", "Deal Owner Email"),
        },
        "notes": {
            "discussed": ("Note body", "Body"),
            "occurred_at": ("Activity date", "Create date", "Created at"),
            "account_name": ("Associated Company", "Company Name"),
            "contact_email": ("Associated Contact Email", "Email"),
        },
    },
    "pipedrive": {
        "accounts": {
            "name": ("Organization - Name",),
            "business_id": ("Organization - Business ID", "Organization - VAT number"),
            "country": ("Organization - Address - Country", "Organization - Country"),
            "industry": ("Organization - Industry",),
            "website": ("Organization - Website",),
            "owner_email": ("Organization - Owner",),
        },
        "contacts": {
            "name": ("Person - Name",),
            "email": ("Person - Email", "Person - Email - Work"),
            "phone": ("Person - Phone", "Person - Phone - Work"),
            "title": ("Person - Job title",),
            "account_name": ("Person - Organization", "Organization - Name"),
        },
        "opportunities": {
            "name": ("Deal - Title",),
            "account_name": ("Deal - Organization", "Organization - Name"),
            "amount": ("Deal - Value",),
            "currency": ("Deal - Currency",),
            "stage": ("Deal - Stage",),
            "status": ("Deal - Status",),
            "expected_close_on": ("Deal - Expected close date",),
            "lost_reason": ("Deal - Lost reason",),
            "owner_email": ("Deal - Owner",),
        },
        "notes": {
            "discussed": ("Note - Content",),
            "occurred_at": ("Note - Add time", "Note - Date"),
            "account_name": ("Note - Organization", "Organization - Name"),
            "contact_email": ("Person - Email",),
        },
    },
}


def field_keys(kind: str) -> list[str]:
    return [field.key for field in FIELDS[kind]]


def guess_mapping(*, kind: str, preset: str, headers: list[str]) -> dict[str, str]:
    """Target field -> column: the preset's names first, then a column named like the field."""
    by_lower = {header.strip().lower(): header for header in headers}
    candidates = PRESETS.get(preset, {}).get(kind, {})
    mapping: dict[str, str] = {}
    for field in FIELDS[kind]:
        names = (*candidates.get(field.key, ()), field.key, str(field.label))
        for name in names:
            if name.strip().lower() in by_lower:
                mapping[field.key] = by_lower[name.strip().lower()]
                break
    return mapping
