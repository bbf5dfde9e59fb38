"""core.keyset: positions survive a round trip; anything else is refused, never guessed."""

import base64
import datetime as dt
import json

import pytest
from django.utils import timezone

from core.keyset import Cursor, InvalidCursor, decode_cursor, full_ordering, keyset_page
from crm.models import Conversation
from tests.crm.factories import ConversationFactory

ORDERING = ("-occurred_at", "-id")


def raw(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_ordering_ends_with_the_primary_key_in_the_first_fields_direction():
    assert full_ordering(["-occurred_at"], Conversation) == ORDERING
    assert full_ordering(["quality_score"], Conversation) == ("quality_score", "id")
    assert full_ordering(["-occurred_at", "-pk"], Conversation) == ORDERING


def test_a_cursor_decodes_to_the_position_it_was_made_from():
    moment = timezone.now().replace(microsecond=123456)
    cursor = Cursor(ORDERING, (moment, 42), before=True)
    assert decode_cursor(cursor.encode(), model=Conversation, ordering=ORDERING) == cursor


@pytest.mark.parametrize(
    "text",
    [
        "%%%",
        raw(["o", "p"]),
        raw({"o": list(ORDERING), "p": ["yesterday", 1], "b": 0}),
        raw({"o": list(ORDERING), "p": ["2026-01-01T00:00:00+00:00"], "b": 0}),
        raw({"o": list(ORDERING), "p": ["2026-01-01T00:00:00+00:00", None], "b": 0}),
        raw({"o": list(ORDERING), "p": ["2026-01-01T00:00:00+00:00", 1], "b": 7}),
        raw({"o": ["quality_score", "id"], "p": [1, 1], "b": 0}),
    ],
)
def test_anything_but_a_cursor_for_this_ordering_is_refused(text):
    with pytest.raises(InvalidCursor):
        decode_cursor(text, model=Conversation, ordering=ORDERING)


@pytest.mark.django_db
@pytest.mark.parametrize("collect_then_sort", [False, True])
def test_pages_meet_without_overlap_in_both_directions(collect_then_sort):
    now = timezone.now()
    ids = [ConversationFactory(occurred_at=now - dt.timedelta(minutes=m)).pk for m in range(5)]
    queryset = Conversation.objects.all()

    def page(cursor=None):
        return keyset_page(
            queryset,
            ordering=ORDERING,
            size=2,
            cursor=cursor,
            collect_then_sort=collect_then_sort,
        )

    first = page()
    second = page(first.next_cursor)
    third = page(second.next_cursor)
    assert [[c.pk for c in p.rows] for p in (first, second, third)] == [ids[:2], ids[2:4], ids[4:]]
    assert third.next_cursor is None and first.previous_cursor is None
    assert [c.pk for c in page(third.previous_cursor).rows] == ids[2:4]
    assert [c.pk for c in page(page(third.previous_cursor).previous_cursor).rows] == ids[:2]
    assert not first.complete and page_of_all(queryset).complete


def page_of_all(queryset):
    return keyset_page(queryset, ordering=ORDERING, size=50)


@pytest.mark.django_db
def test_collecting_matches_looks_past_the_recent_weeks_when_they_do_not_fill_the_page():
    now = timezone.now()
    ages = [dt.timedelta(days=d) for d in (2, 45, 90, 400)]
    ids = [ConversationFactory(occurred_at=now - age).pk for age in ages]
    queryset = Conversation.objects.all()

    def page(cursor=None):
        return keyset_page(
            queryset, ordering=ORDERING, size=2, cursor=cursor, collect_then_sort=True
        )

    first = page()
    second = page(first.next_cursor)
    assert [c.pk for c in first.rows] == ids[:2]
    assert [c.pk for c in second.rows] == ids[2:]
    assert second.next_cursor is None


@pytest.mark.django_db
def test_a_page_whose_rows_went_away_is_empty_and_links_nowhere():
    now = timezone.now()
    for minutes in range(3):
        ConversationFactory(occurred_at=now - dt.timedelta(minutes=minutes))
    queryset = Conversation.objects.all()
    first = keyset_page(queryset, ordering=ORDERING, size=2)
    Conversation.objects.filter(pk__in=[c.pk for c in queryset][2:]).delete()
    gone = keyset_page(queryset, ordering=ORDERING, size=2, cursor=first.next_cursor)
    assert gone.rows == [] and gone.next_cursor is None and gone.previous_cursor is None


def test_an_ordering_on_a_column_that_may_be_null_is_refused():
    with pytest.raises(ValueError, match="without NULLs"):
        keyset_page(Conversation.objects.all(), ordering=["-next_step_due"], size=2)
