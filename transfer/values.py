"""Turning the text in a cell into Silta's values; a ValueError carries the message for the row."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Account, Conversation, Opportunity

COUNTRIES = {
    "FI": ("fi", "finland", "suomi", "finnland", "finland (fi)"),
    "NL": ("nl", "netherlands", "the netherlands", "nederland", "holland", "alankomaat"),
    "BE": ("be", "belgium", "belgië", "belgie", "belgique", "belgia"),
    "SE": ("se", "sweden", "sverige", "ruotsi", "zweden"),
    "EE": ("ee", "estonia", "eesti", "viro", "estland"),
    "DE": ("de", "germany", "deutschland", "saksa", "duitsland"),
}
_COUNTRY_BY_NAME = {name: code for code, names in COUNTRIES.items() for name in names}

# HubSpot's internal stage ids and labels, Pipedrive's default pipeline, and our own names.
STAGES = {
    Opportunity.Stage.LEAD: (
        "lead",
        "appointmentscheduled",
        "appointment scheduled",
        "lead in",
        "new",
        "open",
    ),
    Opportunity.Stage.QUALIFIED: (
        "qualified",
        "qualifiedtobuy",
        "qualified to buy",
        "contact made",
        "needs defined",
        "demo scheduled",
    ),
    Opportunity.Stage.PROPOSAL: (
        "proposal",
        "presentationscheduled",
        "presentation scheduled",
        "proposal made",
        "decisionmakerboughtin",
        "decision maker bought-in",
    ),
    Opportunity.Stage.NEGOTIATION: (
        "negotiation",
        "contractsent",
        "contract sent",
        "negotiations started",
        "negotiations",
    ),
    Opportunity.Stage.WON: ("won", "closedwon", "closed won"),
    Opportunity.Stage.LOST: ("lost", "closedlost", "closed lost"),
}
_STAGE_BY_NAME = {name: stage for stage, names in STAGES.items() for name in names}

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%m/%d/%Y")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
)


def text(value) -> str:
    """A cell as trimmed text; numbers from spreadsheets lose a trailing `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def country(value: str) -> str:
    if not value:
        return Account.Country.FINLAND
    code = value.strip().upper()
    if code in Account.Country.values:
        return code
    try:
        return _COUNTRY_BY_NAME[value.strip().lower()]
    except KeyError:
        raise ValueError(_("Unknown country “%(value)s”.") % {"value": value}) from None


def stage(value: str, status: str = "") -> str:
    status = status.strip().lower()
    if status in ("won", "lost"):
        return status
    if not value:
        return Opportunity.Stage.LEAD
    try:
        return _STAGE_BY_NAME[value.strip().lower()]
    except KeyError:
        raise ValueError(_("Unknown stage “%(value)s”.") % {"value": value}) from None


def amount(value) -> Decimal:
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    cleaned = re.sub(r"[^\d,.\-]", "", text(value))
    if not cleaned:
        return Decimal("0")
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one: 1.234,50 or 1,234.50.
        decimal_sep = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal_sep == "," else ",", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": value}) from None


def a_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    value = text(value)
    if not value:
        return None
    for fmt in (*_DATE_FORMATS, *_DATETIME_FORMATS):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date.") % {"value": value})


def a_datetime(value) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12))
    else:
        value = text(value)
        if not value:
            return None
        moment = None
        for fmt in _DATETIME_FORMATS:
            try:
                moment = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            moment = datetime.combine(a_date(value), time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def choice(value: str, choices: type, default: str, what: str) -> str:
    value = value.strip().lower()
    if not value:
        return default
    if value in choices.values:
        return value
    for key, label in choices.choices:
        if str(label).lower() == value:
            return key
    raise ValueError(_("Unknown %(what)s “%(value)s”.") % {"what": what, "value": value})


def channel(value: str) -> str:
    return choice(value, Conversation.Channel, Conversation.Channel.MEETING, _("channel"))


def source(value: str) -> str:
    return choice(value, Opportunity.Source, Opportunity.Source.SALES, _("source"))
