import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Web requests gain nothing from PostgreSQL's JIT; jobs (the KPI rollup) keep the default.
os.environ.setdefault("DATABASE_JIT", "off")
application = get_wsgi_application()

# Import every URLconf and view now, while the server loads the app (once, before it
# forks its workers when preloading: gunicorn.conf.py), instead of during the first
# request each worker serves. Nothing here touches the database.
get_resolver().url_patterns  # noqa: B018 - reading the patterns imports config.urls
