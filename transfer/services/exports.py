"""Streamed exports: a list page's rows (its filters applied) as CSV or XLSX, everything as JSON.

Rows come from `.values_list(...).iterator(chunk_size=...)`, so a million rows pass
through in constant memory. Anonymous feedback authors (and their keyed hash) never leave.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import can
from core.services.audit import record_audit_event
from crm import filters as crm_filters
from crm import selectors as crm_selectors

CHUNK = 2000
# Spreadsheet programs run cells starting with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ListExport:
    object_type: str
    capability: str
    filterset: type
    queryset: Callable[..., QuerySet]
    columns: tuple[tuple[str, str], ...]  # (header, values_list path)


LISTS: dict[str, ListExport] = {
    "accounts": ListExport(
        object_type="crm.account",
        capability="crm.read",
        filterset=crm_filters.AccountFilter,
        queryset=lambda user: crm_selectors.accounts_qs(),
        columns=(
            ("id", "pk"),
            ("name", "name"),
            ("business_id", "business_id"),
            ("country", "country"),
            ("industry", "industry"),
            ("segment", "segment"),
            ("website", "website"),
            ("owner", "owner__username"),
            ("created_at", "created_at"),
        ),
    ),
    "contacts": ListExport(
        object_type="crm.contact",
        capability="crm.read",
        filterset=crm_filters.ContactFilter,
        queryset=lambda user: crm_selectors.contacts_qs(),
        columns=(
            ("id", "pk"),
            ("name", "name"),
            ("title", "title"),
            ("email", "email"),
            ("phone", "phone"),
            ("consent_basis", "consent_basis"),
            ("account_id", "account_id"),
            ("account", "account__name"),
            ("created_at", "created_at"),
        ),
    ),
    "opportunities": ListExport(
        object_type="crm.opportunity",
        capability="crm.read",
        filterset=crm_filters.OpportunityFilter,
        queryset=lambda user: crm_selectors.opportunities_qs(),
        columns=(
            ("id", "pk"),
            ("name", "name"),
            ("account_id", "account_id"),
            ("account", "account__name"),
            ("owner", "owner__username"),
            ("stage", "stage"),
            ("amount", "amount"),
            ("currency", "currency"),
            ("source", "source"),
            ("campaign", "campaign__name"),
            ("expected_close_on", "expected_close_on"),
            ("created_at", "created_at"),
            ("closed_at", "closed_at"),
            ("lost_reason", "lost_reason"),
        ),
    ),
    "conversations": ListExport(
        object_type="crm.conversation",
        capability="conversation.read",
        filterset=crm_filters.ConversationFilter,
        queryset=lambda user: crm_selectors.conversations_for(user=user),
        columns=(
            ("id", "pk"),
            ("occurred_at", "occurred_at"),
            ("account_id", "account_id"),
            ("account", "account__name"),
            ("author", "author__username"),
            ("channel", "channel"),
            ("customer_goal", "customer_goal"),
            ("discussed", "discussed"),
            ("insight_shared", "insight_shared"),
            ("theme", "theme__title"),
            ("customer_reaction", "customer_reaction"),
            ("objections", "objections"),
            ("campaign", "campaign__name"),
            ("campaign_known_to_rep", "campaign_known_to_rep"),
            ("outcome", "outcome"),
            ("next_step", "next_step"),
            ("next_step_due", "next_step_due"),
            ("status", "status"),
            ("quality_score", "quality_score"),
            ("imported", "imported"),
        ),
    ),
}


def export_rows(*, user, name: str, params) -> tuple[list[str], Iterator[tuple]]:
    """Headers and a lazy row iterator for list `name` filtered like its page; audited."""
    spec = LISTS[name]
    if not can(user, spec.capability):
        raise PermissionDenied(_("You may not export this list."))
    filterset = spec.filterset(params, queryset=spec.queryset(user))
    if not filterset.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(filterset.errors.get_json_data())
    # Ordering by id keeps the export stable and lets the database stream along the index.
    rows = (
        filterset.qs.select_related(None)
        .prefetch_related(None)
        .order_by("pk")
        .values_list(*(path for _, path in spec.columns))
        .iterator(chunk_size=CHUNK)
    )
    filters = "&".join(f"{k}={v}" for k, v in params.items() if v and k != "format")
    record_audit_event(
        actor=user,
        action="export",
        object_type=spec.object_type,
        summary=_("Exported the %(list)s list%(filters)s.")
        % {"list": name, "filters": f" ({filters})" if filters else ""},
    )
    return [header for header, _ in spec.columns], rows


def cell(value):
    """A value as a spreadsheet cell: text that looks like a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)  # the BOM makes Excel read UTF-8
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def xlsx_file(headers: list[str], rows: Iterable[tuple], *, title: str):
    """A temporary XLSX file written row by row (openpyxl's write-only mode), rewound."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(
            [
                timezone.make_naive(v) if isinstance(v, datetime) and timezone.is_aware(v) else v
                for v in (
                    cell(value) if not isinstance(value, datetime) else value for value in row
                )
            ]
        )
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


# The full export: (section, model label, fields left out). Anonymous authors are blanked below.
FULL_SECTIONS = (
    ("users", "core.user", {"password", "last_login"}),
    ("accounts", "crm.account", set()),
    ("contacts", "crm.contact", set()),
    ("opportunities", "crm.opportunity", set()),
    ("conversations", "crm.conversation", {"search_vector"}),
    ("conversation_contacts", "crm.conversation_contacts", set()),
    ("followups", "crm.followup", set()),
    ("themes", "alignment.theme", set()),
    ("campaigns", "alignment.campaign", set()),
    ("feedback_rounds", "feedback.feedbackround", set()),
    ("feedback_entries", "feedback.feedbackentry", {"author_key"}),
    ("feedback_actions", "feedback.action", set()),
)


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _section_rows(label: str, exclude: set[str]) -> Iterator[dict]:
    model = get_user_model() if label == "core.user" else apps.get_model(label)
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
    anonymous_authors = label == "feedback.feedbackentry"
    for values in model.objects.order_by("pk").values_list(*names).iterator(chunk_size=CHUNK):
        row = dict(zip(names, values, strict=True))
        if anonymous_authors and row.get("anonymous"):
            row["author_id"] = None
        yield row


def full_export(*, user) -> Iterator[str]:
    """The company's data as one JSON document, streamed section by section (managers only)."""
    if not can(user, "transfer.export_all"):
        raise PermissionDenied(_("Only a manager may export all data."))
    record_audit_event(
        actor=user,
        action="export",
        object_type="transfer.full",
        summary=_("Exported all of the company's data as JSON."),
    )
    return _full_json()


def _full_json() -> Iterator[str]:
    yield '{"exported_at": ' + json.dumps(timezone.now().isoformat())
    for section, label, exclude in FULL_SECTIONS:
        yield f', "{section}": ['
        first = True
        for row in _section_rows(label, exclude):
            yield ("" if first else ",") + json.dumps(
                row, default=_json_default, ensure_ascii=False
            )
            first = False
        yield "]"
    yield "}\n"
