"""Faults: the broker down, a process killed mid-rollup. Nothing a user typed is lost, nothing
half-written is left, and the work catches up from database state once things are back.

The database-down case (503 page and JSON, /health/) is covered in tests/core/test_health.py.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.authtoken.models import Token

from config.celery import app as celery_app
from core.models import Notification
from core.services.notifications import notify
from crm.models import Conversation, FollowUp
from kpis.metrics import registry
from kpis.models import KpiSnapshot
from kpis.services import rollup
from kpis.services.fresh import FreshFigures
from tests.crm.factories import AccountFactory, ConversationFactory
from tests.factories import UserFactory
from tests.jobs.worker import running_worker, wait_for, worker_database_url

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _closed_broker_url() -> str:
    return f"redis://127.0.0.1:{_free_port()}/9"  # nothing listens there


def _server(env_overrides: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "consolemail://",
        **env_overrides,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--nothreading",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, base
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read()) from None
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the server did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_unreachable_a_rep_still_saves_a_conversation_and_the_page_works():
    """A real server process whose CELERY_BROKER_URL points at a closed port."""
    rep = UserFactory(username="broker-down-rep", roles=["sales"])
    token = Token.objects.create(user=rep)
    account = AccountFactory(name="Satakunnan Kuljetus Oy")
    browser = Client()
    browser.force_login(rep)
    process, base = _server({"CELERY_BROKER_URL": _closed_broker_url()})
    try:
        started = time.monotonic()
        response = requests.post(
            f"{base}/api/conversations/",
            json={
                "account": account.pk,
                "channel": "call",
                "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
                "customer_goal": "Halve the paperwork of their cross-border freight.",
                "discussed": "Customs declarations, the Tallinn ferry schedule and fuel levies.",
                "outcome": "advanced",
                "next_step": "Send the customs automation case study to the CFO.",
                "next_step_due": timezone.localdate().isoformat(),
            },
            headers={"Authorization": f"Token {token.key}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        assert time.monotonic() - started < 15, "publishing must not hang the request"
        cookies = {
            settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value
        }
        page = requests.get(f"{base}/crm/log/", cookies=cookies, timeout=30)
        assert page.status_code == 200
        assert 'id="conversation-form"' in page.text
        listing = requests.get(f"{base}/crm/conversations/", cookies=cookies, timeout=30)
        assert "Satakunnan Kuljetus Oy" in listing.text
        health = requests.get(f"{base}/health/", timeout=30)
        assert health.json()["broker"]["ok"] is False  # and /health/ says so
    finally:
        _stop(process)
    conversation = Conversation.objects.get(author=rep)
    # The promised next step is database state: the reminder job finds it later.
    assert FollowUp.objects.filter(conversation=conversation, done_at__isnull=True).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reminders_and_emails_catch_up_when_the_broker_is_back(redis_url):
    rep = UserFactory(username="catch-up-rep", roles=["sales"], email="rep@example.fi")
    ConversationFactory(author=rep)  # makes no follow-up by itself
    FollowUp.objects.create(
        owner=rep, account=AccountFactory(), title="Call the CFO back", due=timezone.localdate()
    )
    # Broker down: publishing raises, the user's action still succeeds, the e-mail waits.
    with mock.patch.object(celery_app, "send_task", side_effect=OperationalError("down")):
        from django.db import transaction

        with transaction.atomic():
            notification = notify(
                user=rep, kind="test.fault", subject="Your briefing", dedupe_key="fault-1"
            )
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert Notification.objects.get(pk=notification.pk).emailed_at is None

    # The broker is back: the periodic jobs (what beat sends) run in a real worker.
    from core.tasks import flush_notification_outbox
    from crm.tasks import remind_due_followups

    with running_worker(broker_url=redis_url):
        flush_notification_outbox.delay()
        remind_due_followups.delay()
        wait_for(
            lambda: Notification.objects.filter(user=rep, emailed_at__isnull=False).count() == 2,
            timeout=60,
            what="the waiting e-mail and the follow-up reminder to go out",
        )
    kinds = set(Notification.objects.filter(user=rep).values_list("kind", flat=True))
    assert kinds == {"test.fault", "crm.followups_due"}


KILL_SCRIPT = """
import os, sys, time
import django
django.setup()
from datetime import date
from kpis.metrics import registry
from kpis.services import rollup
from kpis.services.fresh import FreshFigures
upsert = FreshFigures.upsert_changed
def upsert_then_stall(self, **kwargs):
    written = upsert(self, **kwargs)  # the figures are written, inside the transaction
    open(sys.argv[1], "w").write("mid-metric")
    time.sleep(120)
    return written
FreshFigures.upsert_changed = upsert_then_stall
day = date.fromisoformat(sys.argv[2])
rollup.compute_metrics(metrics=[registry.metrics["conversations_logged"]], since=day, until=day)
"""


def _snapshots(metric: str) -> list[tuple]:
    return sorted(
        KpiSnapshot.objects.filter(metric=metric).values_list(
            "period", "period_start", "dimension", "dimension_id", "value", "computed_at"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_a_rollup_killed_mid_metric_leaves_no_half_written_snapshots(tmp_path):
    """A real process computing a metric is SIGKILLed after part of its figures are written
    (inside the metric's transaction): the database keeps the previous figures intact,
    and the next run is correct."""
    author = UserFactory(username="rollup-rep", roles=["sales"])
    occurred = timezone.now() - dt.timedelta(days=1)
    day = timezone.localdate(occurred)
    ConversationFactory(author=author, occurred_at=occurred)
    rollup.rollup_kpis(since=day, until=day)
    before = _snapshots("conversations_logged")
    assert before and all(row[4] == 1 for row in before if row[2] == "all")
    ConversationFactory.create_batch(2, author=author, occurred_at=occurred)

    marker = tmp_path / "mid-metric"
    env = {**os.environ, "DATABASE_URL": worker_database_url()}
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(marker), day.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(marker.exists, timeout=60, what="the rollup to be in the middle of a metric")
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    assert _snapshots("conversations_logged") == before, "a killed run must leave no trace"

    rollup.rollup_kpis(since=day, until=day)
    after = KpiSnapshot.objects.get(
        metric="conversations_logged", period="day", period_start=day, dimension="all"
    )
    assert after.value == 3


@pytest.mark.django_db
def test_a_failing_metric_rolls_back_alone_and_the_run_records_the_failure():
    """Per-metric atomicity in-process: metrics done before the failure are kept whole, the
    failing one writes nothing, and a retry completes every metric."""
    author = UserFactory(roles=["sales"])
    occurred = timezone.now() - dt.timedelta(days=1)
    day = timezone.localdate(occurred)
    ConversationFactory(author=author, occurred_at=occurred)
    groups = [[m.key for m in group] for group in rollup.batches(registry.available())]
    after_conversations = [keys for keys in groups if "conversations_logged" in keys][0]
    failing = groups[groups.index(after_conversations) + 1][0]  # fails after it committed
    upsert = FreshFigures.upsert_changed
    current = {"keys": []}

    def upsert_then_fail(self, **kwargs):
        written = upsert(self, **kwargs)
        if failing in current["keys"]:
            raise OperationalError("worker lost")
        return written

    compute = rollup.compute_metrics

    def tracking_compute(*, metrics, since, until):
        current["keys"] = [metric.key for metric in metrics]
        return compute(metrics=metrics, since=since, until=until)

    with (
        mock.patch.object(FreshFigures, "upsert_changed", upsert_then_fail),
        mock.patch.object(rollup, "compute_metrics", tracking_compute),
        pytest.raises(OperationalError),
    ):
        rollup.rollup_kpis(since=day, until=day)
    assert not KpiSnapshot.objects.filter(metric=failing).exists()
    assert KpiSnapshot.objects.filter(metric="conversations_logged", dimension="all").exists()
    run = rollup.RollupRun.objects.latest("pk")
    assert run.status == "failed"
    rollup.rollup_kpis(since=day, until=day)
    assert KpiSnapshot.objects.filter(
        metric="conversations_logged", value=1, dimension="all"
    ).exists()


@pytest.mark.django_db
def test_with_the_cache_unreachable_the_feed_and_the_dashboard_still_render(client, settings):
    """The cache only saves work: Redis refusing connections makes pages slower, not broken."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    marketer = UserFactory(roles=["marketing", "manager"])
    ConversationFactory(author=UserFactory(roles=["sales"]), account=AccountFactory())
    client.force_login(marketer)
    for page in ("/alignment/feed/", "/kpis/"):
        response = client.get(page)
        assert response.status_code == 200, page
