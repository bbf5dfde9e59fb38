"""Schemathesis against our own OpenAPI schema, for every role: no 5xx, and
every response matches the schema. Examples are bounded so CI stays fast."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.factories import UserFactory

MAX_EXAMPLES = 10
ROLES = ("sales", "marketing", "manager", "frontline")
# Throttled and lockout-protected by design; covered in tests/core/test_security.py.
SKIPPED_PATHS = {"/api/auth/token/"}


@pytest.fixture
def api_schema(db):
    # Like Django's test client: keep the test transaction's connection open
    # across in-process WSGI requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path not in SKIPPED_PATHS:
            yield operation


@pytest.mark.parametrize("role", ROLES)
def test_api_never_fails_and_matches_its_schema(api_schema, role):
    user = UserFactory(username=f"fuzz-{role}", roles=[role])
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    checked = []
    for operation in operations(api_schema):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        exercise()
        checked.append(operation.label)
    assert checked, "the schema lists no operations"
