import uuid

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from feedback.models import FeedbackEntry, FeedbackRound
from feedback.months import MONTH_RE


def round_or_404(month: str) -> FeedbackRound:
    if not MONTH_RE.match(month or ""):
        raise Http404("No such round")
    return get_object_or_404(FeedbackRound, month=month)


def entry_or_404(entry_id: str) -> FeedbackEntry:
    try:
        pk = uuid.UUID(str(entry_id))
    except ValueError as exc:
        raise Http404("No such entry") from exc
    return get_object_or_404(FeedbackEntry.objects.select_related("round"), pk=pk)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's field-keyed errors on the form (unknown fields as non-field errors)."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
