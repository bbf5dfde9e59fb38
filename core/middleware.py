"""Turn a lost database connection into a 503 instead of a traceback."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        if request.path.startswith(("/api/", "/health/")):
            return JsonResponse(
                {"detail": "The database is unavailable. Please try again shortly."},
                status=503,
                headers={"Retry-After": "30"},
            )
        # 503.html extends nothing that needs the database.
        return HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "30"})
