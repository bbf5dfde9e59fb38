"""Read queries for the core app."""

from django.db.models import QuerySet

from .models import Notification


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def audit_events(*, action: str = "", object_type: str = "", actor_id: int | None = None):
    from .models import AuditEvent

    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    return events


def audit_object_types() -> list[str]:
    from .models import AuditEvent

    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())
