import re

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def test_pages_send_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("url", ["/", "/inbox/", "/password/", "/api/docs/"])
def test_pages_carry_no_inline_scripts(client, sales_user, url):
    client.force_login(sales_user)
    html = client.get(url).content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)


def test_repeated_failed_logins_lock_the_account(client, sales_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_token_endpoint_counts_toward_the_lockout(api_client, sales_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post("/api/auth/token/", {"username": "alice", "password": "no"}, format="json")
    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code != 200
    assert b'"token"' not in response.content
