"""Menu entries contributed by each app, filtered by capability per user.

Apps register their entries in `AppConfig.ready()`, so the base layout never
needs editing when a feature lands.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import can


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    capability: str | None
    icon: str
    order: int
    description: str | Promise = ""


_ENTRIES: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    _ENTRIES[entry.url_name] = entry


def entries_for(user) -> list[dict]:
    """The entries this user may open, in menu order, with resolved URLs."""
    visible = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: e.order):
        if entry.capability and not can(user, entry.capability):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        visible.append({"entry": entry, "url": url})
    return visible


# Menu sections by order range (crm 10-19, alignment 20-29, ...), so the
# navbar stays short however many pages an app adds.
SECTIONS = {
    1: _("Customers"),
    2: _("Alignment"),
    3: _("Feedback"),
    4: _("Results"),
    5: _("Data"),
    9: _("Administration"),
}


def sections_for(user, *, current_path: str = "") -> list[dict]:
    """The user's entries grouped into menu sections; a lone entry stays a plain link."""
    sections: dict[int, dict] = {}
    for item in entries_for(user):
        key = item["entry"].order // 10
        section = sections.setdefault(
            key, {"label": SECTIONS.get(key, ""), "items": [], "active": False, "key": key}
        )
        item["active"] = current_path == item["url"] or (
            item["url"] != "/" and current_path.startswith(item["url"])
        )
        section["active"] = section["active"] or item["active"]
        section["items"].append(item)
    return [sections[key] for key in sorted(sections)]


def register_core_entries() -> None:
    register(
        NavEntry(
            label=_("Home"),
            url_name="home",
            capability=None,
            icon="house",
            order=0,
            description=_("Your overview"),
        )
    )
    register(
        NavEntry(
            label=_("Audit log"),
            url_name="audit-log",
            capability="audit.read",
            icon="journal-text",
            order=90,
            description=_("Who created, changed, deleted or exported what"),
        )
    )
