from datetime import timedelta
from unittest import mock

from django.db import OperationalError
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.tasks import record_worker_heartbeat


def test_health_reports_each_component(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert set(body) == {"status", "database", "broker", "workers"}
    assert body["workers"]["ok"] is False  # no heartbeat yet
    assert body["status"] == "degraded"


def test_a_recent_heartbeat_means_workers_are_up(client, db):
    record_worker_heartbeat.delay()
    body = client.get("/health/").json()
    assert body["workers"]["ok"] is True


def test_an_old_heartbeat_means_workers_are_down(client, db):
    WorkerHeartbeat.objects.create(name="worker", beat_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/health/").json()["workers"]["ok"] is False


def test_health_is_503_when_the_database_is_gone(client, db):
    with mock.patch("core.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
    assert response.json()["status"] == "down"


def test_health_reports_a_broker_that_does_not_answer(client, db, settings):
    with mock.patch("core.health.broker_state", return_value={"ok": False, "error": "OSError"}):
        body = client.get("/health/").json()
    assert body["broker"]["ok"] is False
    assert body["status"] == "degraded"


def test_lost_database_gives_a_503_page_and_json_not_a_traceback(client, sales_user):
    client.force_login(sales_user)
    with mock.patch("core.views.HomeView.get_context_data", side_effect=OperationalError("x")):
        page = client.get("/")
    assert page.status_code == 503
    assert "briefly unavailable" in page.content.decode()
    with mock.patch(
        "core.api.views.NotificationViewSet.get_queryset", side_effect=OperationalError("x")
    ):
        api = client.get("/api/notifications/")
    assert api.status_code == 503
    assert "unavailable" in api.json()["detail"]
