from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's field-keyed errors on the form so the page shows them in place."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ObjectFromUrlMixin:
    """Loads `self.<object_name>` from the URL's pk *after* the capability check.

    Put it after CapabilityRequiredMixin in the bases, so anonymous visitors go to
    login and users without the role get 403 before anyone learns whether the row exists.
    """

    object_model = None
    object_name = "object"

    def dispatch(self, request, *args, **kwargs):
        obj = get_object_or_404(self.object_model, pk=kwargs["pk"]) if "pk" in kwargs else None
        setattr(self, self.object_name, obj)
        if obj is not None:
            self.check_object_permission(request.user, obj)
        return super().dispatch(request, *args, **kwargs)

    def check_object_permission(self, user, obj) -> None:
        """Raise PermissionDenied for object-level rules (the proposer edits own proposals)."""
