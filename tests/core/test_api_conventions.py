import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from core.services.notifications import notify
from tests.factories import TEST_PASSWORD


def test_token_endpoint_answers_a_token_for_valid_credentials(api_client, sales_user):
    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=sales_user).key}


def test_token_endpoint_refuses_bad_credentials_with_field_keyed_json(api_client, sales_user):
    response = api_client.post("/api/auth/token/", {"username": "alice"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}


def test_token_authenticates_api_calls(api_client, sales_user):
    token = Token.objects.create(user=sales_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/notifications/").status_code == 200


def test_anonymous_api_calls_are_refused_with_401(api_client, db):
    response = api_client.get("/api/notifications/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_lists_paginate_under_results(api_as, sales_user):
    for n in range(3):
        notify(user=sales_user, kind="test", subject=f"Hello {n}", dedupe_key=f"k{n}")
    body = api_as(sales_user).get("/api/notifications/?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_validation_errors_are_keyed_by_field(api_as, sales_user):
    response = api_as(sales_user).post(
        "/api/notifications/mark-read/", {"ids": ["not-a-number"]}, format="json"
    )
    assert response.status_code == 400
    assert "ids" in response.json()


def test_openapi_schema_lists_the_endpoints(api_as, sales_user):
    response = api_as(sales_user).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/auth/token/" in paths
    assert "/api/notifications/" in paths


@pytest.mark.parametrize("asset", ["swagger-ui-bundle.js", "swagger-ui.css"])
def test_api_docs_are_served_without_a_cdn(client, sales_user, asset):
    client.force_login(sales_user)
    html = client.get(reverse("api-docs")).content.decode()
    assert asset in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
