"""Per kind of record: what one mapped row becomes, and how the accepted rows are written.

Checking a row never writes; `write` runs inside the run's single transaction. The rules
themselves come from `crm.services.imports` (the same checks as the crm forms).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from core.roles import can
from crm.models import Account, Contact, Opportunity
from crm.services import imports as crm_imports
from crm.services.opportunities import may_edit_opportunity, update_opportunity

from .. import values as parse
from ..models import ImportRun
from . import lookups

CREATE, UPDATE, SKIP, REFUSE = "create", "update", "skip", "refuse"


@dataclass
class RowResult:
    row: int
    action: str
    label: str
    problems: list[tuple[str, str]] = field(default_factory=list)  # (target field, message)
    instance: Any = None
    existing_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Processor:
    """Shared shape: `check(row, cells)` per row, then `write(results)` once."""

    model: type[models.Model]
    # crm error keys that belong to another target field than their own name.
    error_fields: dict[str, str] = {}

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.user = run.created_by
        self.manages = can(self.user, "crm.manage")
        self.seen: dict[Any, int] = {}

    def refuse(self, result: RowResult, target: str, message: str) -> RowResult:
        result.action = REFUSE
        result.problems.append((target, message))
        return result

    def add_errors(self, result: RowResult, errors: dict[str, list[str]]) -> RowResult:
        for key, messages in errors.items():
            for message in messages:
                self.refuse(result, self.error_fields.get(key, key), message)
        return result

    def once_in_file(self, result: RowResult, key, target: str) -> bool:
        """False (and the row refused) when an earlier row of the file has the same key."""
        if key in self.seen:
            self.refuse(result, target, _("Same record as row %(row)d.") % {"row": self.seen[key]})
            return False
        self.seen[key] = result.row
        return True

    def duplicate(self, result: RowResult, existing_id: int) -> str:
        """What to do with a row that matches an existing record, by the run's choice."""
        result.existing_id = existing_id
        return {
            ImportRun.Duplicates.SKIP: SKIP,
            ImportRun.Duplicates.UPDATE: UPDATE,
            ImportRun.Duplicates.CREATE: CREATE,
        }[self.run.duplicates]

    def owner_for(self, cells: dict[str, Any]) -> int:
        """Sales own what they import; a manager may name another owner."""
        handle = parse.text(cells.get("owner_email")).lower()
        if self.manages and handle:
            return self.users.get(handle, self.user.pk)
        return self.user.pk

    def write_updates(self, results: list[RowResult]) -> list[tuple[RowResult, int, dict]]:
        """Changed fields set on the existing rows in bulk; returns (row, id, previous values)."""
        done = []
        for start in range(0, len(results), crm_imports.BATCH_SIZE):
            chunk = results[start : start + crm_imports.BATCH_SIZE]
            existing = self.model.objects.in_bulk([r.existing_id for r in chunk])
            changed, fields = [], set()
            for result in chunk:
                instance = existing[result.existing_id]
                previous = {name: _jsonable(getattr(instance, name)) for name in result.data}
                for name, value in result.data.items():
                    setattr(instance, name, value)
                fields.update(result.data)
                changed.append(instance)
                done.append((result, instance.pk, previous))
            if fields:
                self.model.objects.bulk_update(changed, sorted(fields))
        return done


def _jsonable(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _changes(cells: dict[str, Any], names: tuple[str, ...], values: dict[str, Any]) -> dict:
    """Only mapped, non-empty cells change an existing record: a blank cell keeps what is there."""
    return {name: values[name] for name in names if parse.text(cells.get(name))}


class AccountProcessor(Processor):
    model = Account
    FIELDS = ("name", "business_id", "country", "industry", "segment", "website")

    def __init__(self, run: ImportRun) -> None:
        super().__init__(run)
        self.accounts = lookups.AccountIndex()
        self.users = lookups.users_by_handle()

    def check(self, row: int, cells: dict[str, Any]) -> RowResult:
        name = parse.text(cells.get("name"))
        result = RowResult(row=row, action=CREATE, label=name)
        try:
            country = parse.country(parse.text(cells.get("country")))
        except ValueError as exc:
            return self.refuse(result, "country", str(exc))
        values = {key: parse.text(cells.get(key)) for key in self.FIELDS}
        values["country"] = country
        if values["website"] and "://" not in values["website"]:
            values["website"] = f"https://{values['website']}"
        account = Account(owner_id=self.owner_for(cells), **values)
        if self.add_errors(result, crm_imports.check_account(account)).action == REFUSE:
            return result
        key = values["business_id"].upper() or (account.name.upper(), country)
        if not self.once_in_file(result, key, "business_id" if values["business_id"] else "name"):
            return result
        known = self.accounts.existing(
            name=account.name, country=country, business_id=values["business_id"]
        )
        if known:
            result.action = self.duplicate(result, known.pk)
            if result.action == UPDATE:
                if not self.manages and known.owner_id != self.user.pk:
                    return self.refuse(
                        result, "name", _("Only the owner or a manager may update this account.")
                    )
                result.data = _changes(cells, self.FIELDS, values)
        result.instance = account
        return result

    def write(self, created: list[RowResult], updated: list[RowResult]):
        accounts = crm_imports.bulk_create_accounts(
            creator=self.user, accounts=[r.instance for r in created]
        )
        return [(r, a.pk) for r, a in zip(created, accounts, strict=True)], self.write_updates(
            updated
        )


class ContactProcessor(Processor):
    model = Contact
    FIELDS = ("name", "email", "phone", "title")
    error_fields = {"account": "account_name"}

    def __init__(self, run: ImportRun) -> None:
        super().__init__(run)
        self.accounts = lookups.AccountIndex()
        self.emails = lookups.contacts_by_email()

    def check(self, row: int, cells: dict[str, Any]) -> RowResult:
        name = parse.text(cells.get("name")) or " ".join(
            filter(None, (parse.text(cells.get("first_name")), parse.text(cells.get("last_name"))))
        )
        result = RowResult(row=row, action=CREATE, label=name)
        known, problem = self.accounts.resolve(
            name=parse.text(cells.get("account_name")),
            business_id=parse.text(cells.get("account_business_id")),
        )
        if problem:
            return self.refuse(result, "account_name", problem)
        values = {key: parse.text(cells.get(key)) for key in self.FIELDS}
        values["name"] = name
        values["email"] = values["email"].lower()
        contact = Contact(account_id=known.pk, **values)
        if self.add_errors(result, crm_imports.check_contact(contact)).action == REFUSE:
            return result
        if values["email"]:
            if not self.once_in_file(result, values["email"], "email"):
                return result
            if values["email"] in self.emails:
                result.action = self.duplicate(result, self.emails[values["email"]][0])
                result.data = _changes({**cells, "name": name}, self.FIELDS, values)
        result.instance = contact
        return result

    def write(self, created: list[RowResult], updated: list[RowResult]):
        contacts = crm_imports.bulk_create_contacts(
            creator=self.user, contacts=[r.instance for r in created]
        )
        return [(r, c.pk) for r, c in zip(created, contacts, strict=True)], self.write_updates(
            updated
        )


class OpportunityProcessor(Processor):
    model = Opportunity
    FIELDS = (
        "name",
        "amount",
        "currency",
        "stage",
        "source",
        "expected_close_on",
        "lost_reason",
    )
    error_fields = {"account": "account_name"}

    def __init__(self, run: ImportRun) -> None:
        super().__init__(run)
        self.accounts = lookups.AccountIndex()
        self.opportunities = lookups.opportunities_by_name()
        self.users = lookups.users_by_handle()

    def check(self, row: int, cells: dict[str, Any]) -> RowResult:
        name = parse.text(cells.get("name"))
        result = RowResult(row=row, action=CREATE, label=name)
        known, problem = self.accounts.resolve(
            name=parse.text(cells.get("account_name")),
            business_id=parse.text(cells.get("account_business_id")),
        )
        if problem:
            return self.refuse(result, "account_name", problem)
        values: dict[str, Any] = {
            "name": name,
            "currency": parse.text(cells.get("currency")) or "EUR",
            "lost_reason": parse.text(cells.get("lost_reason")),
        }
        for key, convert in (
            ("amount", parse.amount),
            ("stage", lambda v: parse.stage(parse.text(v), parse.text(cells.get("status")))),
            ("source", lambda v: parse.source(parse.text(v))),
            ("expected_close_on", parse.a_date),
        ):
            try:
                values[key] = convert(cells.get(key))
            except ValueError as exc:
                self.refuse(result, key, str(exc))
        if result.action == REFUSE:
            return result
        opportunity = Opportunity(account_id=known.pk, owner_id=self.owner_for(cells), **values)
        if self.add_errors(result, crm_imports.check_opportunity(opportunity)).action == REFUSE:
            return result
        key = (known.pk, name.upper())
        if not self.once_in_file(result, key, "name"):
            return result
        if key in self.opportunities:
            existing_id, owner_id = self.opportunities[key]
            result.action = self.duplicate(result, existing_id)
            if result.action == UPDATE:
                if not (self.manages or owner_id == self.user.pk):
                    return self.refuse(
                        result, "name", _("Only the owner or a manager may edit this opportunity.")
                    )
                cells = {**cells, "stage": cells.get("stage") or cells.get("status")}
                result.data = _changes(cells, self.FIELDS, values)
        result.instance = opportunity
        return result

    def write(self, created: list[RowResult], updated: list[RowResult]):
        opportunities = crm_imports.bulk_create_opportunities(
            creator=self.user, opportunities=[r.instance for r in created]
        )
        done = []
        # Row by row through the crm service, so stage moves are recorded as on the page.
        existing = Opportunity.objects.in_bulk([r.existing_id for r in updated])
        for result in updated:
            opportunity = existing[result.existing_id]
            if not may_edit_opportunity(self.user, opportunity):
                raise PermissionDenied(_("Only the owner or a manager may edit this opportunity."))
            previous = {name: _jsonable(getattr(opportunity, name)) for name in result.data}
            update_opportunity(opportunity=opportunity, editor=self.user, data=result.data)
            done.append((result, opportunity.pk, previous))
        return [(r, o.pk) for r, o in zip(created, opportunities, strict=True)], done


class NoteProcessor(Processor):
    error_fields = {"account": "account_name", "contacts": "contact_email"}

    def __init__(self, run: ImportRun) -> None:
        super().__init__(run)
        self.accounts = lookups.AccountIndex()
        self.emails = lookups.contacts_by_email()
        self.known_notes = lookups.imported_note_keys()

    def check(self, row: int, cells: dict[str, Any]) -> RowResult:
        text = str(cells.get("discussed") or "").strip()
        result = RowResult(row=row, action=CREATE, label=" ".join(text.split())[:80])
        if not text:
            self.refuse(result, "discussed", _("The note is empty."))
        known, problem = self.accounts.resolve(
            name=parse.text(cells.get("account_name")),
            business_id=parse.text(cells.get("account_business_id")),
        )
        if problem:
            self.refuse(result, "account_name", problem)
        values: dict[str, Any] = {"discussed": text}
        for key, convert in (
            ("occurred_at", parse.a_datetime),
            ("channel", lambda v: parse.channel(parse.text(v))),
        ):
            try:
                values[key] = convert(cells.get(key))
            except ValueError as exc:
                self.refuse(result, key, str(exc))
        if result.action == REFUSE:
            return result
        values["account"] = Account(pk=known.pk, country=known.country)
        email = parse.text(cells.get("contact_email")).lower()
        if email and email in self.emails:
            contact_id, account_id = self.emails[email]
            values["contacts"] = [Contact(pk=contact_id, account_id=account_id)]
        if self.add_errors(result, crm_imports.check_historical_note(values)).action == REFUSE:
            return result
        key = lookups.note_key(known.pk, values["occurred_at"], text)
        if not self.once_in_file(result, key, "discussed"):
            return result
        if key in self.known_notes and self.run.duplicates != ImportRun.Duplicates.CREATE:
            result.action = SKIP  # a note is never updated: it is the same note
        result.data = values
        return result

    def write(self, created: list[RowResult], updated: list[RowResult]):
        notes = crm_imports.import_historical_notes(
            author=self.user, rows=[r.data for r in created]
        )
        return [(r, n.pk) for r, n in zip(created, notes, strict=True)], []


PROCESSORS: dict[str, type[Processor]] = {
    ImportRun.Kind.ACCOUNTS: AccountProcessor,
    ImportRun.Kind.CONTACTS: ContactProcessor,
    ImportRun.Kind.OPPORTUNITIES: OpportunityProcessor,
    ImportRun.Kind.NOTES: NoteProcessor,
}

__all__ = ["PROCESSORS", "RowResult", "CREATE", "UPDATE", "SKIP", "REFUSE"]
