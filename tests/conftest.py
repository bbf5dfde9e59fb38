"""Shared fixtures: one user per role plus an outsider, API clients, service checks."""

import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from config.celery import app as celery_app
from tests.factories import UserFactory


def service_missing(name: str, reason: str):
    """Skip locally, but fail when CI said services must be there."""
    if settings.SILTA_REQUIRE_SERVICES:
        pytest.fail(f"{name} is required (SILTA_REQUIRE_SERVICES) but {reason}")
    pytest.skip(f"{name} not available: {reason}")


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless a test drives a real worker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures (the insight feed's summaries) never carry over between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sales_user(db):
    return UserFactory(username="alice", first_name="Alice", roles=["sales"])


@pytest.fixture
def other_sales_user(db):
    return UserFactory(username="sven", first_name="Sven", roles=["sales"])


@pytest.fixture
def marketing_user(db):
    return UserFactory(username="bob", first_name="Bob", roles=["marketing"])


@pytest.fixture
def manager_user(db):
    return UserFactory(username="maria", first_name="Maria", roles=["manager"])


@pytest.fixture
def frontline_user(db):
    return UserFactory(username="frida", first_name="Frida", roles=["frontline"])


@pytest.fixture
def outsider(db):
    """Logged in, but in no role group."""
    return UserFactory(username="charlie", first_name="Charlie")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def role_users(sales_user, marketing_user, manager_user, frontline_user, outsider):
    return {
        "sales": sales_user,
        "marketing": marketing_user,
        "manager": manager_user,
        "frontline": frontline_user,
        "outsider": outsider,
        "anonymous": None,
    }


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """`api_as(user)` gives an APIClient authenticated as that user (None: anonymous)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_as(client):
    def make(user):
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def redis_url():
    url = settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis") else ""
    if not url:
        service_missing("Redis", "no redis:// broker configured (CELERY_BROKER_URL)")
    if not port_open(url, 6379):
        service_missing("Redis", f"nothing answers at {url}")
    return url


@pytest.fixture
def postgres(db):
    """Use in tests whose point is PostgreSQL behaviour (locks, search, concurrency)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        service_missing("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")
    return connection


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return [
        f"silta: database={db['ENGINE'].rsplit('.', 1)[-1]} broker={settings.CELERY_BROKER_URL.split('://')[0]}"
        f" require_services={settings.SILTA_REQUIRE_SERVICES}"
    ]


@pytest.fixture(scope="session", autouse=True)
def _postgres_when_required(django_db_setup, django_db_blocker):
    """In CI the suite must run on PostgreSQL; refuse to pass quietly on SQLite."""
    if settings.SILTA_REQUIRE_SERVICES and not settings.IS_POSTGRES:
        pytest.exit(
            "SILTA_REQUIRE_SERVICES is set but DATABASE_URL is not PostgreSQL", returncode=3
        )
