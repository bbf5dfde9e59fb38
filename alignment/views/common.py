from django.core.exceptions import ValidationError


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's field-keyed errors on the form so the page shows them in place."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
