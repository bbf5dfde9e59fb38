"""KPI jobs: thin wrappers around kpis.services.rollup."""

from datetime import date

from celery import shared_task

from .services import rollup


# A full recompute over years of data may take longer than the default limits.
@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def rollup_kpis(
    run_id: int | None = None, since: str | None = None, until: str | None = None
) -> int | None:
    """Nightly (no arguments: last month to today) or a manager's recorded run."""
    if run_id is None:
        run = rollup.start_rollup(
            since=date.fromisoformat(since) if since else None,
            until=date.fromisoformat(until) if until else None,
        )
        run_id = run.pk
    rollup.run_rollup(run_id=run_id)
    return run_id
