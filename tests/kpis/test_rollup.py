"""The rollup: idempotent upserts, range recompute, progress, the nightly task."""

import time
from datetime import date
from decimal import Decimal

import pytest

from alignment.models import Theme
from kpis.metrics import registry
from kpis.models import KpiSnapshot, RollupRun
from kpis.services.rollup import default_range, rollup_kpis, run_rollup, start_rollup
from kpis.tasks import rollup_kpis as rollup_task
from tests.factories import UserFactory
from tests.kpis.factories import (
    CampaignFactory,
    KpiSnapshotFactory,
    make_account,
    make_conversation,
)
from tests.kpis.helpers import at, figure


def snapshot_rows():
    return sorted(
        KpiSnapshot.objects.values_list(
            "id", "metric", "period", "period_start", "dimension", "dimension_id", "value"
        )
    )


@pytest.fixture
def activity(db):
    seller = UserFactory(username="anna", roles=["sales"])
    account = make_account("Hollandse Installatie BV", segment="installers")
    for day in (3, 17):
        make_conversation(
            author=seller, account=account, occurred_at=at(2026, 3, day), status="complete"
        )
    make_conversation(author=seller, account=account, occurred_at=at(2026, 4, 2), status="draft")
    CampaignFactory(starts_on=date(2026, 3, 5), spend=Decimal("500"))
    return seller, account


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


def test_one_slice_computed_alone_equals_what_the_rollup_stored(db, activity):
    from kpis.metrics import Window
    from kpis.services.fresh import figures_of

    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 4, 30))
    window = Window.covering("day", date(2026, 3, 1), date(2026, 4, 30))
    figures = figures_of(registry.metrics["conversations_logged"], window, "all")
    assert dict(figures) == {
        ("conversations_logged", date(2026, 3, 3), ""): Decimal("1.0000"),
        ("conversations_logged", date(2026, 3, 17), ""): Decimal("1.0000"),
        ("conversations_logged", date(2026, 4, 2), ""): Decimal("1.0000"),
    }
    stored = {
        (row.metric, row.period_start, row.dimension_id): row.value
        for row in KpiSnapshot.objects.filter(
            metric="conversations_logged", period="day", dimension="all"
        )
    }
    assert stored == dict(figures)


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


def test_per_person_figures_are_kept_by_week_and_month_without_breakdowns(db):
    from tests.factories import TeamFactory

    team = TeamFactory(name="North")
    seller = UserFactory(username="ella", roles=["sales"], team=team)
    account = make_account("Rakennus Oy", segment="construction")
    make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 4), objections=["price"]
    )
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))

    person = KpiSnapshot.objects.filter(dimension="user", dimension_id=str(seller.pk))
    assert set(person.values_list("period", flat=True)) == {"week", "month"}
    assert not person.filter(metric__contains=":").exists()
    assert figure("objections_top", "month", date(2026, 3, 1), "user", seller.pk) == 1
    # Teams, segments and the whole company keep days and breakdowns.
    assert figure("objections_top:price", "day", date(2026, 3, 4), "team", team.pk) == 1
    assert figure("conversations_logged", "day", date(2026, 3, 4), "segment", "construction") == 1


def test_objections_of_deleted_or_imported_conversations_do_not_count(db, activity):
    seller, account = activity
    kept = make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 9), objections=["price"]
    )
    deleted = make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 9), objections=["price"]
    )
    make_conversation(
        author=seller,
        account=account,
        occurred_at=at(2026, 3, 9),
        objections=["price"],
        imported=True,
    )
    type(deleted).all_objects.filter(pk=deleted.pk).update(deleted_at=at(2026, 3, 10))
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert kept.pk and figure("objections_top:price", "day", date(2026, 3, 9)) == 1
    assert figure("objections_top", "month", date(2026, 3, 1)) == 1


def test_grouping_sets_and_the_portable_cross_join_give_the_same_figures(postgres, activity):
    from kpis.metrics import Window
    from kpis.services.fresh import figures_of

    seller, account = activity
    make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 17), objections=["price", "time"]
    )
    for key in ("objections_top", "conversation_completeness", "stage_reached"):
        metric = registry.metrics[key]
        for period in ("day", "week", "month"):
            window = Window.covering(period, date(2026, 3, 1), date(2026, 4, 30))
            for dimension in ("all", "team", "user", "segment"):
                fast = figures_of(metric, window, dimension, portable=False)
                portable = figures_of(metric, window, dimension, portable=True)
                assert fast == portable, (key, period, dimension)
    month = Window.covering("month", date(2026, 3, 1), date(2026, 3, 31))
    assert figures_of(registry.metrics["objections_top"], month, "all", portable=True) == {
        ("objections_top", date(2026, 3, 1), ""): Decimal("2.0000"),
        ("objections_top:price", date(2026, 3, 1), ""): Decimal("1.0000"),
        ("objections_top:time", date(2026, 3, 1), ""): Decimal("1.0000"),
    }


@pytest.mark.django_db(transaction=True)
def test_batches_computed_side_by_side_give_the_same_figures_as_one_by_one(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("side by side only on PostgreSQL")
    seller = UserFactory(username="pia", roles=["sales"])
    account = make_account("Vesihuolto Oy", segment="utilities")
    for day, tags in ((3, ["price"]), (10, ["price", "time"]), (24, [])):
        make_conversation(
            author=seller, account=account, occurred_at=at(2026, 3, day), objections=tags
        )
    settings.SILTA_ROLLUP_WORKERS = 1
    one_by_one = rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    expected = sorted(
        KpiSnapshot.objects.values_list(
            "metric", "period", "period_start", "dimension", "dimension_id", "value"
        )
    )
    KpiSnapshot.objects.all().delete()

    settings.SILTA_ROLLUP_WORKERS = 2
    side_by_side = rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert (
        sorted(
            KpiSnapshot.objects.values_list(
                "metric", "period", "period_start", "dimension", "dimension_id", "value"
            )
        )
        == expected
    )
    assert side_by_side.status == one_by_one.status == RollupRun.Status.DONE
    assert side_by_side.metrics_done == side_by_side.metrics_total
    assert side_by_side.rows_written == one_by_one.rows_written == len(expected)


@pytest.mark.django_db(transaction=True)
def test_a_failing_batch_side_by_side_fails_the_run_and_keeps_the_others(settings, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("side by side only on PostgreSQL")
    settings.SILTA_ROLLUP_WORKERS = 2
    seller = UserFactory(username="oona", roles=["sales"])
    make_conversation(author=seller, account=make_account("Satama Oy"), occurred_at=at(2026, 3, 5))
    metric = registry.metrics["insights_by_theme"]

    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        registry.metrics, metric.key, metric.__class__(**{**metric.__dict__, "grouped": broken})
    )
    run = start_rollup(since=date(2026, 3, 1), until=date(2026, 3, 31))
    with pytest.raises(RuntimeError, match="disk full"):
        run_rollup(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RollupRun.Status.FAILED and "disk full" in run.error
    assert run.metrics_done < run.metrics_total
    assert figure("conversations_logged", "month", date(2026, 3, 1)) == 1


def test_the_rollup_costs_the_same_number_of_queries_for_ten_times_the_rows(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seller = UserFactory(username="ilse", roles=["sales"])
    account = make_account("Gemeente Utrecht", segment="public")

    def log(count: int) -> None:
        for i in range(count):
            make_conversation(
                author=seller,
                account=account,
                occurred_at=at(2026, 3, 1 + i % 28, 9 + i % 8),
                objections=[f"tag-{i % 3}"],
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
        return len(captured)

    log(3)
    few = queries()
    log(27)
    assert queries() == few


@pytest.mark.django_db(transaction=True)
def test_a_time_limit_while_batches_run_side_by_side_starts_no_further_batch(settings, monkeypatch):
    from concurrent.futures import FIRST_COMPLETED
    from concurrent.futures import wait as wait_for_futures

    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import connection

    from kpis.services import rollup

    if connection.vendor != "postgresql":
        pytest.skip("side by side only on PostgreSQL")
    settings.SILTA_ROLLUP_WORKERS = 2
    make_conversation(
        author=UserFactory(username="aino", roles=["sales"]),
        account=make_account("Kaivos Oy"),
        occurred_at=at(2026, 3, 5),
    )

    def time_runs_out(futures, return_when):
        wait_for_futures(futures, return_when=FIRST_COMPLETED)
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rollup, "wait", time_runs_out)
    run = start_rollup(since=date(2026, 3, 1), until=date(2026, 3, 31))
    with pytest.raises(SoftTimeLimitExceeded):
        run_rollup(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RollupRun.Status.FAILED
    assert 0 < run.metrics_done < run.metrics_total
    done = run.metrics_done
    time.sleep(0.5)  # nothing was left running in the background
    run.refresh_from_db()
    assert run.metrics_done == done


def test_the_migration_drops_per_person_figures_the_rollup_no_longer_keeps(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("kpis.migrations.0004_drop_per_person_day_and_breakdown_figures")
    for metric, period, dimension in [
        ("conversations_logged", "day", "user"),
        ("objections_top:price", "month", "user"),
        ("conversations_logged", "month", "user"),
        ("objections_top:price", "day", "team"),
    ]:
        KpiSnapshotFactory(metric=metric, period=period, dimension=dimension, dimension_id="4")
    migration.drop_figures_no_longer_kept(apps, None)
    assert sorted(KpiSnapshot.objects.values_list("metric", "period", "dimension")) == [
        ("conversations_logged", "month", "user"),
        ("objections_top:price", "day", "team"),
    ]


def test_a_metric_owns_exactly_its_breakdowns_not_lookalike_keys(db, activity):
    march = date(2026, 3, 1)
    for key in ("objectionsXtop:price", "objections_topper", "objections_top:gone"):
        KpiSnapshotFactory(metric=key, period="month", period_start=march, value=5)
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert figure("objectionsXtop:price", "month", march) == 5  # `_` is no wildcard here
    assert figure("objections_topper", "month", march) == 5
    assert figure("objections_top:gone", "month", march) is None  # stale breakdown


def test_rows_without_a_part_give_no_breakdown_figure(db, activity):
    from crm.models import Conversation
    from kpis.metrics import Window
    from kpis.metrics.base import Metric
    from kpis.metrics.grouped import Grouped
    from kpis.services.fresh import figures_of

    seller, account = activity  # their conversations have no theme
    theme = Theme.objects.create(title="Energy as a service", insight="Pay per use")
    make_conversation(author=seller, account=account, occurred_at=at(2026, 3, 9), theme=theme)
    by_theme = Metric(
        key="by_theme",
        function=None,
        dimensions=(),
        grouped=lambda: Grouped(
            rows=Conversation.objects.all(),
            date_field="occurred_at",
            paths={"all": None},
            part="theme_id",
        ),
    )
    month = Window.covering("month", date(2026, 3, 1), date(2026, 3, 31))
    assert figures_of(by_theme, month, "all") == {
        (f"by_theme:{theme.pk}", date(2026, 3, 1), ""): Decimal("1.0000")
    }


def test_a_total_over_parts_takes_one_additive_value():
    from crm.models import Conversation
    from kpis.metrics.grouped import Grouped, count, mean

    common = {"rows": Conversation.objects.all(), "date_field": "occurred_at", "paths": {}}
    with pytest.raises(ValueError, match="one count"):
        Grouped(**common, part="theme_id", with_total=True, values={"": mean("quality")})
    with pytest.raises(ValueError, match="one count"):
        Grouped(**common, part="tag", with_total=True, values={"a": count(), "b": count()})
