"""A rep uploads a spreadsheet, fixes the column mapping, watches the progress and sees the accounts."""

import pytest
from playwright.sync_api import expect

from crm.models import Account
from tests.factories import UserFactory
from transfer.models import ImportRun
from transfer.services import runs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "Firma;Land;Toimiala\n"
    "Lahden Lämpö Oy;Suomi;Energia\n"
    "Delftse Data B.V.;Nederland;Software\n"
    "Atlantis Trading;Atlantis;Retail\n"
).encode()


def test_upload_fix_mapping_watch_progress_and_see_the_accounts(page, login, monkeypatch):
    # The "worker" is this test: queued runs wait until it runs them, so the page must poll.
    queued: list[int] = []
    monkeypatch.setattr(runs, "enqueue_on_commit", lambda task, run_id: queued.append(run_id))
    UserFactory(username="alice", roles=["sales"])
    login(page, "alice")
    page.goto("/transfer/")
    page.get_by_role("link", name="Import a file").click()
    page.locator("#id_file").set_input_files(
        files=[{"name": "yritykset.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_label("The file contains").select_option("accounts")
    page.get_by_label("Exported from").select_option("custom")
    page.get_by_role("button", name="Upload and map the columns").click()

    # Nothing matches the custom headers: the rep maps them by hand.
    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    page.get_by_role("button", name="Preview (dry run)").click()
    expect(page.get_by_text("Choose the column for this field.")).to_be_visible()
    page.get_by_label("Company name", exact=True).select_option("Firma")
    page.get_by_label("Country", exact=True).select_option("Land")
    page.get_by_label("Industry").select_option("Toimiala")
    page.get_by_role("button", name="Preview (dry run)").click()

    bar = page.get_by_test_id("import-progress-bar")
    expect(page.get_by_test_id("import-status")).to_have_text("Queued")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    ImportRun.objects.filter(pk=queued[-1]).update(status="running", processed_rows=2)
    expect(bar).to_have_attribute("aria-valuenow", "67")  # the bar moves without a reload
    ImportRun.objects.filter(pk=queued[-1]).update(status="queued")
    runs.execute_run(run_id=queued[-1])
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("import-status")).to_have_text("Refused: some rows have problems")
    expect(page.get_by_test_id("problems")).to_contain_text("Unknown country “Atlantis”")
    expect(page.get_by_test_id("problems")).to_contain_text("Land")
    assert Account.objects.count() == 0

    # An unknown country cannot be mapped away: the rep fixes the file and uploads it again.
    page.get_by_role("link", name="Import history").click()
    page.get_by_role("link", name="Import a file").click()
    fixed = b"\n".join(CSV.split(b"\n")[:3]) + b"\n"
    page.locator("#id_file").set_input_files(
        files=[{"name": "yritykset.csv", "mimeType": "text/csv", "buffer": fixed}]
    )
    page.get_by_label("Exported from").select_option("custom")
    page.get_by_role("button", name="Upload and map the columns").click()
    page.get_by_label("Company name", exact=True).select_option("Firma")
    page.get_by_label("Country", exact=True).select_option("Land")
    page.get_by_role("button", name="Import now").click()
    runs.execute_run(run_id=queued[-1])

    expect(page.get_by_test_id("import-progress-bar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("import-status")).to_have_text("Imported")
    expect(page.get_by_test_id("run-counts")).to_contain_text("2")
    page.get_by_role("link", name="See the accounts").click()
    expect(page.get_by_role("link", name="Lahden Lämpö Oy")).to_be_visible()
    expect(page.get_by_role("link", name="Delftse Data B.V.")).to_be_visible()
    assert set(Account.objects.values_list("country", flat=True)) == {"FI", "NL"}
