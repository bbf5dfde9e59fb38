"""Keyset pagination: pages by position in a fixed ordering instead of by counting rows.

A page is "the rows after (or before) this row" in an ordering that ends with the
primary key, so a page deep in a million rows costs what the first one costs, nothing is
counted, and a row logged while someone pages never pushes another row onto the next
page twice. Links carry an opaque cursor: the ordering and the boundary row's values.
Used by `/api/conversations/` and the insight feed page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.utils import timezone

# How far back `collect_then_sort` looks before it collects every match (see _fetch).
COLLECT_WINDOW = timedelta(days=30)


class InvalidCursor(ValueError):
    """A cursor this code did not make, or one made for another ordering."""


@dataclass(frozen=True)
class Cursor:
    """A boundary row: the page holds the rows after it, or before it when `before`."""

    ordering: tuple[str, ...]
    position: tuple[Any, ...]
    before: bool = False

    def encode(self) -> str:
        payload = {
            "o": list(self.ordering),
            "p": [
                value.isoformat() if hasattr(value, "isoformat") else value
                for value in self.position
            ],
            "b": int(self.before),
        }
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class KeysetPage:
    rows: list[Model]
    next_cursor: Cursor | None = None
    previous_cursor: Cursor | None = None
    # Every match is on this page, so its length is the exact count (known for free).
    complete: bool = field(default=False)


def full_ordering(ordering: Sequence[str], model: type[Model]) -> tuple[str, ...]:
    """The ordering with the primary key last (same direction as the first field): a total order."""
    pk_name = model._meta.pk.attname
    terms = tuple(
        term.replace("pk", pk_name) if term.lstrip("-") == "pk" else term for term in ordering
    )
    for term in terms:
        _field(model, term)
    if not any(term.lstrip("-") == pk_name for term in terms):
        descending = bool(terms) and terms[0].startswith("-")
        terms += (("-" if descending else "") + pk_name,)
    return terms


def decode_cursor(
    text: str | None, *, model: type[Model], ordering: Sequence[str]
) -> Cursor | None:
    """The cursor of a link (None without one); InvalidCursor for anything else."""
    if not text:
        return None
    ordering = full_ordering(ordering, model)
    try:
        payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        cursor_ordering, raw_position, before = payload["o"], payload["p"], payload["b"]
    except (binascii.Error, ValueError, TypeError, KeyError) as error:
        raise InvalidCursor("This cursor is not one Silta made.") from error
    if tuple(cursor_ordering) != ordering or not isinstance(raw_position, list):
        raise InvalidCursor("This cursor belongs to another ordering; start from the first page.")
    if len(raw_position) != len(ordering) or before not in (0, 1):
        raise InvalidCursor("This cursor is not one Silta made.")
    try:
        position = tuple(
            _field(model, term).to_python(value)
            for term, value in zip(ordering, raw_position, strict=True)
        )
    except (ValidationError, TypeError, ValueError, OverflowError) as error:
        raise InvalidCursor("This cursor is not one Silta made.") from error
    if any(value is None for value in position):
        raise InvalidCursor("This cursor is not one Silta made.")
    return Cursor(ordering=ordering, position=position, before=bool(before))


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: Sequence[str],
    size: int,
    cursor: Cursor | None = None,
    collect_then_sort: bool = False,
) -> KeysetPage:
    """One page of `queryset` in `ordering` (+ primary key), after or before `cursor`.

    `collect_then_sort` makes PostgreSQL gather every match from the filter indexes and
    sort them, instead of walking the ordering's index newest-first until the page is
    full. Ask for it when filters are correlated in ways the planner cannot see (a word
    and a tag written in one language): it then expects matches every few rows, and when
    there are none the walk reads the whole table.
    """
    model = queryset.model
    ordering = full_ordering(ordering, model)
    if cursor is not None and cursor.ordering != ordering:
        raise InvalidCursor("This cursor belongs to another ordering; start from the first page.")
    before = cursor is not None and cursor.before
    if cursor is not None:
        queryset = queryset.filter(_beyond(ordering, cursor.position, before=before))
    walk = tuple(_flip(term) for term in ordering) if before else ordering
    rows = _fetch(queryset, walk, model, size + 1, collect_then_sort, cursor)
    more = len(rows) > size
    rows = rows[:size]
    if before:
        rows.reverse()
    has_after = True if before else more
    has_before = more if before else cursor is not None
    page = KeysetPage(rows=rows, complete=not has_after and not has_before)
    # An empty page (the rows beyond the cursor went away) links nowhere: a link back from
    # its position would skip the boundary row; readers start again from the first page.
    if rows:
        if has_after:
            page.next_cursor = Cursor(ordering, _position(rows[-1], ordering, model))
        if has_before:
            page.previous_cursor = Cursor(ordering, _position(rows[0], ordering, model), True)
    return page


def _fetch(
    queryset: QuerySet,
    walk: tuple[str, ...],
    model: type[Model],
    limit: int,
    collect_then_sort: bool,
    cursor: Cursor | None,
) -> list[Model]:
    ordered = queryset.order_by(*_order_by(walk, model, collect_then_sort))
    first = _field(model, walk[0])
    if not (collect_then_sort and walk[0].startswith("-") and isinstance(first, DateTimeField)):
        return list(ordered[:limit])
    # Newest first: collect the matches of the last weeks before the page's start, and all
    # of them only when those do not fill the page. Dense matches are then sorted from a
    # few hundred rows instead of every match in five years; sparse ones cost little anyway.
    start = cursor.position[0] if cursor is not None else timezone.now()
    window = ordered.filter(**{f"{first.name}__gte": start - COLLECT_WINDOW})
    recent = list(window.prefetch_related(None)[:limit])  # prefetch only what is kept
    if len(recent) < limit:
        return list(ordered[:limit])
    prefetch_related_objects(recent, *queryset._prefetch_related_lookups)
    return recent


def _field(model: type[Model], term: str):
    name = term.lstrip("-")
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        found = next((f for f in model._meta.concrete_fields if f.attname == name), None)
    if found is None or not found.concrete or (found.is_relation and not found.primary_key):
        raise ValueError(f"Keyset ordering needs plain columns of {model.__name__}, not {term!r}")
    if found.null:
        # A NULL has no place in a keyset position: its cursor could not be followed.
        raise ValueError(f"Keyset ordering needs columns without NULLs, not {term!r}")
    return found


def _flip(term: str) -> str:
    return term[1:] if term.startswith("-") else "-" + term


def _position(row: Model, ordering: tuple[str, ...], model: type[Model]) -> tuple[Any, ...]:
    return tuple(getattr(row, _field(model, term).attname) for term in ordering)


def _beyond(ordering: tuple[str, ...], position: tuple[Any, ...], *, before: bool) -> Q:
    """Rows strictly after `position` in `ordering` (before it when `before`).

    (a, b, id) > (x, y, z) spelled out as a > x OR (a = x AND b > y) OR …, plus a >= x on
    its own so that the first field's index bounds the scan.
    """
    clauses = []
    for index, term in enumerate(ordering):
        name = term.lstrip("-")
        lookup = "gt" if term.startswith("-") == before else "lt"
        equal = {ordering[i].lstrip("-"): position[i] for i in range(index)}
        clauses.append(Q(**equal, **{f"{name}__{lookup}": position[index]}))
    first = ordering[0]
    bound = "gte" if first.startswith("-") == before else "lte"
    return Q(**{f"{first.lstrip('-')}__{bound}": position[0]}) & reduce(or_, clauses)


def _order_by(ordering: tuple[str, ...], model: type[Model], collect_then_sort: bool) -> list:
    terms = [
        F(term.lstrip("-")).desc() if term.startswith("-") else F(term).asc() for term in ordering
    ]
    if not collect_then_sort or connection.vendor != "postgresql":
        return terms
    # `occurred_at + interval '0'` sorts like the column, but no index provides that order.
    first = _field(model, ordering[0])
    if isinstance(first, DateTimeField):
        zero, output = Value(timedelta(0)), DateTimeField()
    elif isinstance(first, IntegerField):
        zero, output = Value(0), IntegerField()
    else:
        return terms
    opaque = ExpressionWrapper(F(first.attname) + zero, output_field=output)
    terms[0] = opaque.desc() if ordering[0].startswith("-") else opaque.asc()
    return terms
