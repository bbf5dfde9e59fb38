"""Exports: filters as on the pages, streamed in constant memory, audited, anonymous stays anonymous."""

import csv
import io
import json
import tracemalloc

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from crm.models import Account
from tests.crm.factories import AccountFactory, ConversationFactory
from tests.feedback.factories import FeedbackRoundFactory, add_participants, make_entry

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_account_export_applies_the_list_filters_and_is_audited(client_as, marketing_user):
    AccountFactory(name="Lahden Lämpö Oy", country="FI")
    AccountFactory(name="Delftse Data B.V.", country="NL")
    response = client_as(marketing_user).get(
        reverse("transfer:export-accounts", args=["csv"]), {"country": "NL"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="silta-accounts-')
    rows = read_csv(response)
    assert rows[0][:3] == ["id", "name", "business_id"]
    assert [row[1] for row in rows[1:]] == ["Delftse Data B.V."]
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.object_type) == (marketing_user, "crm.account")
    assert "country=NL" in event.summary


def test_a_bad_filter_is_a_400_not_a_full_export(client_as, sales_user):
    response = client_as(sales_user).get(
        reverse("transfer:export-accounts", args=["csv"]), {"owner": "abc"}
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_formula_like_cells_are_quoted(client_as, sales_user):
    AccountFactory(name='=HYPERLINK("http://evil")')
    rows = read_csv(client_as(sales_user).get(reverse("transfer:export-accounts", args=["csv"])))
    assert rows[1][1].startswith("'=")


def test_conversation_export_in_xlsx(client_as, marketing_user):
    ConversationFactory(discussed="Lämpöpumppujen huoltosopimus ja hinnoittelu")
    response = client_as(marketing_user).get(
        reverse("transfer:export-conversations", args=["xlsx"])
    )
    assert isinstance(response, FileResponse)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("id", "occurred_at", "account_id")
    assert rows[1][7] == "Lämpöpumppujen huoltosopimus ja hinnoittelu"


@pytest.mark.parametrize(
    ("role", "url_name", "status"),
    [
        ("frontline", "transfer:export-accounts", 403),
        ("frontline", "transfer:export-conversations", 403),
        ("marketing", "transfer:export-opportunities", 200),
        ("sales", "transfer:export-contacts", 200),
        ("anonymous", "transfer:export-accounts", 302),
    ],
)
def test_exports_follow_the_list_pages_permissions(role, url_name, status, role_users, client_as):
    response = client_as(role_users[role]).get(reverse(url_name, args=["csv"]))
    assert response.status_code == status


@pytest.mark.parametrize("role", ["sales", "marketing", "frontline"])
def test_only_managers_export_everything(role, role_users, client_as):
    assert client_as(role_users[role]).get(reverse("transfer:export-all")).status_code == 403


def test_full_export_never_names_an_anonymous_author(client_as, manager_user, sales_user):
    feedback_round = FeedbackRoundFactory()
    add_participants(feedback_round, sales_user, manager_user)
    anonymous = make_entry(
        feedback_round, sales_user, text="Asiakkaat eivät löydä hinnastoa", anonymous=True
    )
    named = make_entry(feedback_round, manager_user, text="Uusi esite toimii hyvin")
    AccountFactory(name="Lahden Lämpö Oy")
    response = client_as(manager_user).get(reverse("transfer:export-all"))
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode()
    data = json.loads(body)
    entries = {e["id"]: e for e in data["feedback_entries"]}
    anonymous_id, named_id = str(anonymous.pk), str(named.pk)
    assert entries[anonymous_id]["author_id"] is None
    assert "author_key" not in entries[anonymous_id]
    assert entries[named_id]["author_id"] == manager_user.pk
    anonymous.refresh_from_db()
    assert anonymous.author_key and anonymous.author_key not in body
    assert [a["name"] for a in data["accounts"]] == ["Lahden Lämpö Oy"]
    assert all("password" not in user for user in data["users"])
    assert AuditEvent.objects.filter(action="export", object_type="transfer.full").exists()


def test_a_large_export_streams_in_constant_memory(client_as, sales_user):
    owner = sales_user
    Account.objects.bulk_create(
        [Account(name=f"Yritys {n} Oy", country="FI", owner=owner) for n in range(20_000)],
        batch_size=5000,
    )
    response = client_as(sales_user).get(reverse("transfer:export-accounts", args=["csv"]))
    assert isinstance(response, StreamingHttpResponse)
    tracemalloc.start()
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == 20_001
    # The whole file is ~1.5 MB of CSV and far more as model instances; a stream holds one chunk.
    assert peak < 3_000_000, peak


def test_list_pages_link_to_the_export_with_their_filters(client_as, sales_user):
    page = (
        client_as(sales_user).get(reverse("crm:account_list"), {"country": "NL"}).content.decode()
    )
    assert reverse("transfer:export-accounts", args=["csv"]) + "?country=NL" in page
    page = client_as(sales_user).get(reverse("crm:conversation_list"), {"outcome": "won"})
    assert reverse("transfer:export-conversations", args=["xlsx"]) + "?outcome=won" in (
        page.content.decode()
    )
