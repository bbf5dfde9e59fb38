"""`/api/conversations/` pages by cursor (keyset) by default and by number on request."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.crm.factories import ConversationFactory

pytestmark = pytest.mark.django_db

URL = "/api/conversations/"


def logs_at(*hours_ago, **fields):
    """Conversations that happened the given number of hours ago, newest first."""
    now = timezone.now()
    made = [
        ConversationFactory(occurred_at=now - dt.timedelta(hours=h), **fields) for h in hours_ago
    ]
    return sorted(made, key=lambda c: (c.occurred_at, c.pk), reverse=True)


def walk(client, url, params=None, *, key="next"):
    """Follow `next` (or `previous`) links; the ids of every page, page by page."""
    pages, body = [], client.get(url, params).json()
    while True:
        pages.append([row["id"] for row in body["results"]])
        if not body[key]:
            return pages, body
        body = client.get(body[key]).json()


def test_pages_follow_next_newest_first_and_count_only_what_fits(api_as, marketing_user):
    logs = logs_at(5, 1, 4, 2, 3)
    client = api_as(marketing_user)
    first = client.get(URL, {"page_size": 2}).json()
    assert first["count"] is None and first["previous"] is None and "cursor=" in first["next"]
    pages, last = walk(client, URL, {"page_size": 2})
    assert pages == [[logs[0].pk, logs[1].pk], [logs[2].pk, logs[3].pk], [logs[4].pk]]
    assert last["next"] is None
    assert client.get(URL, {"page_size": 10}).json()["count"] == 5  # one page holds all


def test_previous_links_walk_back_to_the_first_page(api_as, marketing_user):
    logs = logs_at(1, 2, 3, 4, 5)
    client = api_as(marketing_user)
    _pages, last = walk(client, URL, {"page_size": 2})
    back, first = walk(client, last["previous"], key="previous")
    assert back == [[logs[2].pk, logs[3].pk], [logs[0].pk, logs[1].pk]]
    assert first["previous"] is None and first["next"]


def test_a_log_arriving_while_paging_is_neither_repeated_nor_skipped(api_as, marketing_user):
    logs = logs_at(1, 2, 3, 4)
    client = api_as(marketing_user)
    first = client.get(URL, {"page_size": 2}).json()
    logs_at(0)  # logged meanwhile: it belongs before the first page, not on the second
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [logs[2].pk, logs[3].pk]


def test_ties_in_the_ordering_are_broken_by_id(api_as, marketing_user):
    same_moment = timezone.now() - dt.timedelta(hours=1)
    ids = sorted((ConversationFactory(occurred_at=same_moment).pk for _ in range(5)), reverse=True)
    pages, _last = walk(api_as(marketing_user), URL, {"page_size": 2})
    assert [pk for page in pages for pk in page] == ids


@pytest.mark.parametrize("ordering", ["quality_score", "-quality_score", "created_at"])
def test_every_offered_ordering_pages_without_repeats(api_as, marketing_user, ordering):
    for score in (40, 80, 40, 60, 80):
        ConversationFactory(quality_score=score)
    client = api_as(marketing_user)
    everything = [row["id"] for row in client.get(URL, {"ordering": ordering}).json()["results"]]
    pages, _last = walk(client, URL, {"ordering": ordering, "page_size": 2})
    assert [pk for page in pages for pk in page] == everything
    assert len(everything) == 5


def test_filters_stay_in_the_links(api_as, marketing_user):
    wanted = logs_at(1, 2, 3, channel="call")
    logs_at(1, 2, channel="email")
    pages, _last = walk(api_as(marketing_user), URL, {"channel": "call", "page_size": 2})
    assert pages == [[wanted[0].pk, wanted[1].pk], [wanted[2].pk]]


def test_objection_and_search_page_in_order(api_as, marketing_user):
    wanted = logs_at(1, 2, 3, objections=["prijs"], customer_goal="Kortere levertijden graag.")
    for log in wanted:
        log.objection_tags.create(tag="prijs")
    pages, _last = walk(
        api_as(marketing_user), URL, {"objection": "PRIJS", "search": "levertijden", "page_size": 2}
    )
    assert pages == [[wanted[0].pk, wanted[1].pk], [wanted[2].pk]]


def test_page_numbers_still_answer_counted_pages(api_as, marketing_user):
    logs = logs_at(1, 2, 3)
    client = api_as(marketing_user)
    body = client.get(URL, {"page": 1, "page_size": 2}).json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [logs[0].pk, logs[1].pk]
    assert "page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert [row["id"] for row in second["results"]] == [logs[2].pk]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "eyJvIjpbXX0", "e30"])
def test_a_cursor_silta_did_not_make_is_a_field_error(api_as, marketing_user, cursor):
    response = api_as(marketing_user).get(URL, {"cursor": cursor})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_cursor_from_another_ordering_is_refused(api_as, marketing_user):
    logs_at(1, 2, 3)
    client = api_as(marketing_user)
    next_link = client.get(URL, {"page_size": 1}).json()["next"]
    response = client.get(next_link + "&ordering=quality_score")
    assert response.status_code == 400
    assert "another ordering" in response.json()["cursor"][0]


def test_the_schema_documents_cursor_pages(api_as, marketing_user):
    schema = api_as(marketing_user).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["paths"]["/api/conversations/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"cursor", "page", "page_size", "ordering", "search", "objection"} <= names
    page_schema = listing["responses"]["200"]["content"]["application/json"]["schema"]
    ref = page_schema["$ref"].rsplit("/", 1)[-1]
    count = schema["components"]["schemas"][ref]["properties"]["count"]
    assert count["nullable"] is True
