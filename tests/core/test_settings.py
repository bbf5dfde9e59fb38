"""Settings come from the environment, strictly, and production is hardened."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k7" * 20,
    "DJANGO_ALLOWED_HOSTS": "silta.example.com",
    "DATABASE_URL": "sqlite:////tmp/silta-deploy-check.sqlite3",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required in production" in result.stderr


def test_a_mistyped_boolean_fails_at_start():
    result = run_manage("check", env={"DJANGO_DEBUG": "yess"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_demo_data_is_refused_in_production():
    result = run_manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never created in production" in result.stderr


def test_database_and_broker_urls_switch_backends():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(DATABASE_URL="postgres://u@db:5432/silta", CELERY_BROKER_URL="redis://r:6379/0")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["django.db.backends.postgresql", "redis://r:6379/0"]
    embedded = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=embedded, capture_output=True, text=True
    )
    assert out.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def database_options(module: str, **env_overrides: str) -> str:
    """The PostgreSQL connection options a process loading `module` would use."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        f"import importlib; importlib.import_module({module!r});"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_JIT")}
    env.update(DATABASE_URL="postgres://u@db:5432/silta?options=-c%20statement_timeout%3D5000")
    env.update(env_overrides)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_web_server_turns_postgresql_jit_off_and_jobs_keep_it():
    assert database_options("config.wsgi") == "-c statement_timeout=5000 -c jit=off"
    assert database_options("config.celery") == "-c statement_timeout=5000"
    assert database_options("config.celery", DATABASE_JIT="off").endswith("-c jit=off")
    assert database_options("config.wsgi", DATABASE_JIT="on") == "-c statement_timeout=5000"


def test_the_web_server_imports_every_view_before_forking_its_workers():
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert config["preload_app"] is True
    # ...and opens no database connection the forked workers would share.
    code = (
        "import sys, config.wsgi; from django.db import connections;"
        "print('crm.api.views' in sys.modules, all(c.connection is None for c in connections.all()))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"], out.stderr


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_describes_the_production_shape(compose):
    services = compose["services"]
    assert set(services) >= {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert env["DJANGO_ENV"] == "production"
        assert "healthcheck" in services[name] or name != "web"
    assert "healthcheck" in services["postgres"] and "healthcheck" in services["redis"]


def test_compose_takes_secrets_from_the_environment(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${DJANGO_SECRET_KEY:?" in text
    assert (ROOT / ".env.example").is_file()


def test_conversation_word_minimums_come_from_the_environment():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s; print(s.SILTA_CONVERSATION_MIN_WORDS)"
    )
    env = {**os.environ, "SILTA_CONVERSATION_MIN_WORDS": "customer_goal=6,discussed=2"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "{'customer_goal': 6, 'discussed': 2}"
    env["SILTA_CONVERSATION_MIN_WORDS"] = "customer_goal=many"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "SILTA_CONVERSATION_MIN_WORDS must look like" in out.stderr


def test_a_redis_cache_degrades_to_computing_afresh_instead_of_failing():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s; c = s.CACHES['default'];"
        "print(c['BACKEND'], c['OPTIONS']['IGNORE_EXCEPTIONS'], c['OPTIONS']['SOCKET_TIMEOUT'])"
    )
    env = {**os.environ, "CACHE_URL": "redis://r:6379/1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["django_redis.cache.RedisCache", "True", "0.5"]


def test_the_embedded_product_starts_without_warnings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'silta.sqlite3'}", SILTA_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W040" not in result.stdout + result.stderr
