"""Batches on several connections at once, failures and time limits, constant query counts."""

import time
from datetime import date

import pytest

from kpis.metrics import registry
from kpis.models import KpiSnapshot, RollupRun
from kpis.services.rollup import rollup_kpis, run_rollup, start_rollup
from tests.factories import UserFactory
from tests.kpis.factories import (
    make_account,
    make_conversation,
)
from tests.kpis.helpers import at, figure


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
