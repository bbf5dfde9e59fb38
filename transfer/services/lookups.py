"""Existing records, loaded once per run, so matching 100,000 rows costs a few queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from hashlib import blake2b

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from crm.models import Account, Contact, Conversation, Opportunity


@dataclass(frozen=True)
class KnownAccount:
    pk: int
    country: str
    owner_id: int | None
    business_id: str = ""


class AccountIndex:
    """Accounts by business ID and by upper-cased name."""

    def __init__(self) -> None:
        self.by_business_id: dict[str, KnownAccount] = {}
        self.by_name: dict[str, list[KnownAccount]] = {}
        # Case is folded in Python: SQLite's upper() leaves "ä" alone.
        rows = Account.objects.values_list("pk", "name", "country", "owner_id", "business_id")
        for pk, name, country, owner_id, business_id in rows.iterator(chunk_size=5000):
            key = name.upper()
            known = KnownAccount(pk, country, owner_id, business_id.upper())
            self.by_name.setdefault(key, []).append(known)
            if business_id:
                self.by_business_id[business_id.upper()] = known

    def existing(self, *, name: str, country: str, business_id: str) -> KnownAccount | None:
        """The duplicate of an account row: same business ID, else same name in the same country
        (unless both have business IDs and they differ)."""
        business_id = business_id.upper()
        if business_id and business_id in self.by_business_id:
            return self.by_business_id[business_id]
        for known in self.by_name.get(name.upper(), []):
            if known.country == country and not (business_id and known.business_id):
                return known
        return None

    def resolve(self, *, name: str, business_id: str) -> tuple[KnownAccount | None, str]:
        """The account a contact, deal or note belongs to, or the reason it cannot be found."""
        if business_id:
            known = self.by_business_id.get(business_id.upper())
            if known:
                return known, ""
        if not name:
            return None, _("Name the company this row belongs to.")
        matches = self.by_name.get(name.upper(), [])
        if len(matches) == 1:
            return matches[0], ""
        if not matches:
            return None, _("No account is called “%(name)s”; import the accounts first.") % {
                "name": name
            }
        return None, _("Several accounts are called “%(name)s”; add the business ID.") % {
            "name": name
        }


def contacts_by_email() -> dict[str, tuple[int, int]]:
    """Lower-cased e-mail -> (contact id, account id)."""
    rows = Contact.objects.exclude(email="").values_list("email", "pk", "account_id")
    return {
        email.lower(): (pk, account_id) for email, pk, account_id in rows.iterator(chunk_size=5000)
    }


def opportunities_by_name() -> dict[tuple[int, str], tuple[int, int]]:
    """(account id, upper-cased name) -> (opportunity id, owner id)."""
    rows = Opportunity.objects.values_list("account_id", "name", "pk", "owner_id")
    return {
        (account, name.upper()): (pk, owner)
        for account, name, pk, owner in rows.iterator(chunk_size=5000)
    }


def note_key(account_id: int, occurred_at, text: str) -> str:
    digest = blake2b(" ".join(text.split()).encode(), digest_size=12).hexdigest()
    return f"{account_id}|{occurred_at.astimezone(UTC).isoformat()}|{digest}"


def imported_note_keys() -> set[str]:
    rows = Conversation.objects.filter(imported=True).values_list(
        "account_id", "occurred_at", "discussed"
    )
    return {note_key(*row) for row in rows.iterator(chunk_size=5000)}


def users_by_handle() -> dict[str, int]:
    """Lower-cased e-mail, username and full name -> user id, for owner columns."""
    handles: dict[str, int] = {}
    users = get_user_model().objects.filter(is_active=True)
    for pk, email, username, first, last in users.values_list(
        "pk", "email", "username", "first_name", "last_name"
    ):
        for handle in (email, username, f"{first} {last}".strip()):
            if handle:
                handles.setdefault(handle.lower(), pk)
    return handles
