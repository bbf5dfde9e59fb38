from django.utils import timezone

from core.models import WorkerHeartbeat


def record_worker_heartbeat(*, name: str = "worker") -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
