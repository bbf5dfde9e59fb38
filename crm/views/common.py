from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext


def query_string_without_page(request) -> str:
    """The current filters, for pagination links."""
    params = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return urlencode(params)


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: on a million conversations an exact COUNT(*) per page
    view costs more than the list itself, and nobody pages past the first few hundred."""

    cap = 5000

    @cached_property
    def count(self) -> int:
        return len(self.object_list.values_list("pk", flat=True)[: self.cap])


def _shown(field, value) -> str:
    """A value as the form shows it, for the side-by-side merge prompt."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, (list, tuple, QuerySet)):
        return ", ".join(str(item) for item in value) or "—"
    choices = dict(getattr(field, "choices", None) or []) if not hasattr(value, "pk") else {}
    return str(choices.get(value, value))


def conflict_rows(form, current, fields) -> list[dict]:
    """Field by field, where the saved record (`current`) differs from what the user typed."""
    rows = []
    for name in fields:
        if name not in form.fields or name not in form.cleaned_data:
            continue
        field = form.fields[name]
        theirs = getattr(current, name)
        if name == "contacts":
            theirs = list(current.contacts.all())
        if name == "objections":
            theirs = ", ".join(theirs or [])
        mine = form.cleaned_data[name]
        if name == "contacts":
            mine = list(mine or [])
        theirs_shown, mine_shown = _shown(field, theirs), _shown(field, mine)
        if theirs_shown != mine_shown:
            rows.append(
                {"name": name, "label": field.label, "theirs": theirs_shown, "mine": mine_shown}
            )
    return rows


def conflict_context(form, error, fields) -> dict:
    """The merge prompt's data after an EditConflict; the form keeps the user's input."""
    return edit_conflict_context(form, error.current, fields)


def edit_conflict_context(form, current, fields) -> dict:
    """Compare `current` with the user's input and move the form's hidden version onto it,
    so saving again (after reading the prompt) is a deliberate choice that goes through."""
    latest = current.history.order_by("-history_date").select_related("history_user").first()
    data = form.data.copy()
    data[form.add_prefix("version")] = str(current.version)
    form.data = data
    return {
        "rows": conflict_rows(form, current, fields),
        "who": latest.history_user if latest else None,
        "when": formats.localize(timezone.localtime(latest.history_date)) if latest else "",
        "version": current.version,
    }
