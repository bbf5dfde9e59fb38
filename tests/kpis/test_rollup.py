"""The rollup: idempotent upserts, range recompute, progress, the nightly task."""

from datetime import date

import pytest

from kpis.metrics import registry
from kpis.models import KpiSnapshot, RollupRun
from kpis.services.rollup import default_range, rollup_kpis, run_rollup, start_rollup
from kpis.tasks import rollup_kpis as rollup_task
from tests.kpis.factories import (
    CampaignFactory,
    KpiSnapshotFactory,
    make_conversation,
)
from tests.kpis.helpers import at, figure


def snapshot_rows():
    return sorted(
        KpiSnapshot.objects.values_list(
            "id", "metric", "period", "period_start", "dimension", "dimension_id", "value"
        )
    )


def test_running_twice_leaves_exactly_the_same_rows(postgres, activity):
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 4, 30))
    first = snapshot_rows()
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 4, 30))
    assert snapshot_rows() == first
    assert len(first) > 20


def test_range_recompute_updates_only_the_range_and_drops_stale_figures(postgres, activity):
    seller, account = activity
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 4, 30))
    assert figure("conversations_logged", "month", date(2026, 3, 1)) == 2
    april_before = KpiSnapshot.objects.filter(period_start__gte=date(2026, 4, 1)).values_list(
        "id", "value", "computed_at"
    )
    april_before = sorted(april_before)

    # March changes: one conversation more, the March campaign is gone.
    make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 20), status="complete"
    )
    CampaignFactory._meta.model.objects.all().delete()
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))

    assert figure("conversations_logged", "month", date(2026, 3, 1)) == 3
    assert figure("conversations_logged", "day", date(2026, 3, 20)) == 1
    assert figure("marketing_spend", "month", date(2026, 3, 1)) is None
    assert (
        sorted(
            KpiSnapshot.objects.filter(period_start__gte=date(2026, 4, 1)).values_list(
                "id", "value", "computed_at"
            )
        )
        == april_before
    )


def test_a_week_crossing_the_range_start_is_recomputed_whole(db, activity):
    # 2026-03-03 is a Tuesday; asking from Wednesday still recomputes that Monday's week.
    rollup_kpis(since=date(2026, 3, 4), until=date(2026, 3, 4))
    assert figure("conversations_logged", "week", date(2026, 3, 2)) == 1
    assert figure("conversations_logged", "month", date(2026, 3, 1)) == 2


def test_run_records_progress_per_metric_and_finishes(db, activity):
    run = rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert run.status == RollupRun.Status.DONE
    assert run.metrics_total == len(registry.available()) == run.metrics_done
    assert run.percent == 100
    assert run.rows_written == KpiSnapshot.objects.count()


def test_a_finished_run_is_not_run_again(db, activity):
    run = rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert run_rollup(run_id=run.pk) is None


def test_a_run_left_running_by_a_lost_worker_is_taken_over(db, activity):
    run = start_rollup(since=date(2026, 3, 1), until=date(2026, 3, 31))
    RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.RUNNING, metrics_done=3)
    finished = run_rollup(run_id=run.pk)
    assert finished.status == RollupRun.Status.DONE
    assert finished.metrics_done == finished.metrics_total


def test_a_failing_metric_marks_the_run_failed_and_keeps_earlier_metrics(db, activity, monkeypatch):
    metric = registry.metrics["objections_top"]

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setitem(
        registry.metrics,
        "objections_top",
        metric.__class__(**{**metric.__dict__, "grouped": broken}),
    )
    run = start_rollup(since=date(2026, 3, 1), until=date(2026, 3, 31))
    with pytest.raises(RuntimeError):
        run_rollup(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RollupRun.Status.FAILED
    assert "database went away" in run.error
    assert run.current_metric == "objections_top"
    assert figure("objections_top", "month", date(2026, 3, 1)) is None
    assert figure("conversations_logged", "month", date(2026, 3, 1)) == 2


def test_metrics_of_one_batch_are_computed_together_and_count_as_done_together():
    from kpis.services.rollup import batches

    groups = [[metric.key for metric in group] for group in batches(registry.available())]
    assert [
        "conversations_logged",
        "conversation_completeness",
        "avg_quality_score",
        "unaware_campaign_mentions",
    ] in groups
    assert sorted(key for group in groups for key in group) == sorted(registry.metrics)


def test_stale_rows_of_other_metrics_are_left_alone(db):
    KpiSnapshotFactory(metric="some_retired_metric", period_start=date(2026, 3, 1), value=7)
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert figure("some_retired_metric", "month", date(2026, 3, 1)) == 7


def test_nightly_task_without_arguments_covers_this_month_and_the_last_week(db):
    run_id = rollup_task.delay().get()
    run = RollupRun.objects.get(pk=run_id)
    assert (run.since, run.until) == default_range()
    assert run.since.day == 1 and run.status == RollupRun.Status.DONE


@pytest.mark.parametrize(
    ("today", "since"),
    [
        (date(2026, 1, 15), date(2026, 1, 1)),
        (date(2026, 1, 5), date(2025, 12, 1)),
        (date(2026, 3, 8), date(2026, 3, 1)),
    ],
)
def test_default_range_reaches_back_into_last_month_only_in_the_first_week(today, since):
    assert default_range(today) == (since, today)


def test_nightly_job_is_registered_in_the_schedule():
    from core.schedule import registered_jobs

    jobs = {job.task: job for job in registered_jobs()}
    assert jobs["kpis.tasks.rollup_kpis"].crontab == {"minute": "30", "hour": "2"}


@pytest.mark.parametrize(
    ("since", "until", "field"),
    [(date(2026, 3, 2), date(2026, 3, 1), "since"), (date(2019, 1, 1), date(2026, 3, 1), "since")],
)
def test_bad_ranges_are_refused_with_field_errors(db, since, until, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        start_rollup(since=since, until=until)
    assert field in error.value.message_dict


DESIGN_METRIC_KEYS = {
    "conversations_logged",
    "conversation_completeness",
    "avg_quality_score",
    "pipeline_created",
    "revenue_won",
    "win_rate",
    "avg_cycle_days",
    "lead_response_hours",
    "sla_met_rate",
    "marketing_spend",
    "revenue_per_marketing_euro",
    "briefing_ack_rate",
    "unaware_campaign_mentions",
    "insights_by_theme",
    "objections_top",
    "feedback_participation_rate",
    "feedback_actions_closed_rate",
    "alignment_stage",
}


def test_every_shared_kpi_of_the_design_is_registered_and_available():
    assert {metric.key for metric in registry.available()} >= DESIGN_METRIC_KEYS
    assert not registry.missing()


def test_every_metric_documents_its_definition():
    for metric in registry.metrics.values():
        assert metric.description, metric.key


def test_figures_whose_source_rows_are_gone_disappear_on_recompute(db, activity):
    from crm.models import Conversation

    rollup_kpis(since=date(2026, 4, 1), until=date(2026, 4, 30))
    assert figure("conversations_logged", "day", date(2026, 4, 2)) == 1
    Conversation.objects.filter(occurred_at__gte=at(2026, 4, 1, 0)).delete()
    rollup_kpis(since=date(2026, 4, 1), until=date(2026, 4, 30))
    assert figure("conversations_logged", "day", date(2026, 4, 2)) is None
    assert figure("conversations_logged", "month", date(2026, 3, 1)) is None  # never computed


def test_a_rerun_rewrites_only_the_figures_whose_value_changed(db, activity):
    seller, account = activity
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    before = {row.pk: (row.value, row.computed_at) for row in KpiSnapshot.objects.all()}
    make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 17, 15), status="complete"
    )
    run = rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))

    rewritten = {
        row.pk: row
        for row in KpiSnapshot.objects.all()
        if (row.value, row.computed_at) != before.get(row.pk)
    }
    assert run.rows_written == len(rewritten)
    # The 17th, its week and March moved; the 3rd and its week did not, and neither did
    # the completeness of the 17th (complete before, complete now).
    assert {(r.metric, r.period, str(r.period_start), r.dimension) for r in rewritten.values()} == {
        ("conversations_logged", period, start, dimension)
        for period, start in (
            ("day", "2026-03-17"),
            ("week", "2026-03-16"),
            ("month", "2026-03-01"),
        )
        for dimension in ("all", "segment")
    } | {
        ("conversations_logged", period, start, "user")
        for period, start in (("week", "2026-03-16"), ("month", "2026-03-01"))
    }
    assert figure("conversations_logged", "day", date(2026, 3, 17)) == 2
