"""What /health/ reports: the database, the broker and the workers."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

# The heartbeat job runs every minute; three missed beats means no worker.
WORKER_STALE_AFTER = timedelta(minutes=3)


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "transport": str(transport)}


def worker_state(*, database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "error": "database unavailable"}
    from core.models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.filter(name="worker").first()
    if beat is None:
        return {"ok": False, "last_heartbeat": None}
    age = timezone.now() - beat.beat_at
    return {
        "ok": age <= WORKER_STALE_AFTER,
        "last_heartbeat": beat.beat_at.isoformat(),
        "age_seconds": int(age.total_seconds()),
    }


def health_report() -> tuple[dict, int]:
    database = database_state()
    report = {
        "database": database,
        "broker": broker_state(),
        "workers": worker_state(database_ok=database["ok"]),
    }
    report["status"] = "ok" if all(part["ok"] for part in report.values()) else "degraded"
    if not database["ok"]:
        report["status"] = "down"
    return report, 200 if database["ok"] else 503
