from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from feedback.models import FeedbackRound


def round_or_404(month: str) -> FeedbackRound:
    return get_object_or_404(FeedbackRound, month=month)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's field-keyed errors on the form (unknown fields as non-field errors)."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
