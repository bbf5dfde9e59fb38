from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app
from core.schedule import install_default_schedule, registered_jobs

EXPECTED_JOBS = {
    "core.tasks.record_worker_heartbeat",
    "core.tasks.flush_notification_outbox",
    "crm.tasks.remind_due_followups",
    "crm.tasks.remind_incomplete_conversations",
    "feedback.tasks.open_monthly_feedback_round",
    "feedback.tasks.send_feedback_reminders",
    "feedback.tasks.close_feedback_rounds",
    "kpis.tasks.rollup_kpis",
}


def test_design_jobs_are_scheduled_and_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()
    scheduled = {job.task for job in registered_jobs()}
    assert scheduled >= EXPECTED_JOBS
    assert scheduled <= set(celery_app.tasks), scheduled - set(celery_app.tasks)


def test_migrate_installs_the_schedule_and_reinstalling_changes_nothing(db):
    names = {job.name for job in registered_jobs()}
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= names
    assert install_default_schedule() == []


def test_an_edited_schedule_row_is_left_alone(db):
    job = registered_jobs()[0]
    PeriodicTask.objects.filter(name=job.name).update(enabled=False)
    install_default_schedule()
    assert PeriodicTask.objects.get(name=job.name).enabled is False
