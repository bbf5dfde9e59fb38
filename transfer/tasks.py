"""Import runs as Celery jobs: thin wrappers around `transfer.services.runs`."""

from celery import shared_task

from .services import runs


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def execute_import_run(run_id: int) -> str:
    """Check or import one queued run; a second delivery finds it claimed and does nothing."""
    run = runs.execute_run(run_id=run_id)
    return run.status if run else "skipped"


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def undo_import_run(run_id: int) -> str:
    """Undo one run that is waiting for it; idempotent like the import."""
    run = runs.execute_undo(run_id=run_id)
    return run.status if run else "skipped"
