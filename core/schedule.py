"""Default periodic jobs, stored in the database for django-celery-beat.

Each app registers its jobs in `AppConfig.ready()`; `install_default_schedule`
(run after every migrate and by `manage.py install_schedule`) creates the
missing rows and leaves any a manager has edited alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    crontab: dict  # minute, hour, day_of_month, month_of_year, day_of_week
    description: str = ""


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic(job: PeriodicJob) -> None:
    _JOBS[job.name] = job


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def install_default_schedule() -> list[str]:
    """Create missing schedule rows; returns the names created."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = []
    for job in registered_jobs():
        if PeriodicTask.objects.filter(name=job.name).exists():
            continue
        fields = {
            "minute": "0",
            "hour": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            "day_of_week": "*",
            **job.crontab,
        }
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **fields)
        PeriodicTask.objects.create(
            name=job.name, task=job.task, crontab=crontab, description=job.description
        )
        created.append(job.name)
    return created


def register_core_jobs() -> None:
    register_periodic(
        PeriodicJob(
            name="core: worker heartbeat",
            task="core.tasks.record_worker_heartbeat",
            crontab={"minute": "*"},
            description="Lets /health/ tell that beat and a worker are running.",
        )
    )
    register_periodic(
        PeriodicJob(
            name="core: notification e-mail outbox",
            task="core.tasks.flush_notification_outbox",
            crontab={"minute": "*/5"},
            description="Sends e-mails that could not be queued or sent earlier.",
        )
    )
