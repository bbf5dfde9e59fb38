"""Imports: presets, the per-row preview, all-or-nothing, duplicates, undo and re-import."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from crm.models import Account, Contact, Conversation, Opportunity, OpportunityStageChange
from tests.crm.factories import AccountFactory, ContactFactory
from transfer.models import ImportedRow, ImportRun
from transfer.services import runs

from .files import HUBSPOT_COMPANIES, PIPEDRIVE_DEALS, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def run_phase(run, user, phase):
    runs.queue_run(run=run, user=user, phase=phase)
    runs.execute_run(run_id=run.pk)
    run.refresh_from_db()
    return run


def start(user, rows, *, kind, preset, upload=csv_upload, duplicates="skip", mapping=None):
    run = runs.start_import(user=user, upload=upload(rows), kind=kind, preset=preset)
    if mapping is not None or duplicates != "skip":
        runs.set_mapping(run=run, user=user, mapping=mapping or run.mapping, duplicates=duplicates)
    return run


GOOD_COMPANIES = HUBSPOT_COMPANIES[:4]


@pytest.mark.parametrize("upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_hubspot_preset_maps_the_standard_company_columns(sales_user, upload):
    run = start(sales_user, HUBSPOT_COMPANIES, kind="accounts", preset="hubspot", upload=upload)
    assert run.mapping == {
        "name": "Company name",
        "business_id": "Business ID",
        "country": "Country/Region",
        "industry": "Industry",
        "website": "Website URL",
    }
    assert run.total_rows == 5


@pytest.mark.parametrize("upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(sales_user, upload):
    run = start(sales_user, HUBSPOT_COMPANIES, kind="accounts", preset="hubspot", upload=upload)
    run = run_phase(run, sales_user, "import")
    assert run.status == ImportRun.Status.REFUSED
    assert Account.objects.count() == 0
    assert run.created_count == 0
    assert run.refused_count == 2
    rows = {(p["row"], p["column"]) for p in run.problems}
    assert rows == {(5, "Company name"), (6, "Country/Region")}
    assert "Atlantis" in next(p["message"] for p in run.problems if p["row"] == 6)
    actions = [row["action"] for row in run.preview]
    assert actions == ["create", "create", "create", "refuse", "refuse"]


def test_dry_run_previews_without_writing(sales_user):
    run = start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot")
    run = run_phase(run, sales_user, "check")
    assert run.status == ImportRun.Status.CHECKED
    assert run.created_count == 3
    assert Account.objects.count() == 0
    assert [row["label"] for row in run.preview][:1] == ["Lahden Lämpö Oy"]


def test_good_hubspot_file_imports_owned_by_the_sales_rep(sales_user):
    run = start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot")
    run = run_phase(run, sales_user, "import")
    assert run.status == ImportRun.Status.DONE
    accounts = {a.name: a for a in Account.objects.all()}
    assert set(accounts) == {
        "Lahden Lämpö Oy",
        "Kuopion Konepaja Oy",
        "Van der Berg Logistiek B.V.",
    }
    assert {a.owner for a in accounts.values()} == {sales_user}
    assert accounts["Van der Berg Logistiek B.V."].country == "NL"
    assert accounts["Lahden Lämpö Oy"].website == "https://lahdenlampo.fi"
    assert accounts["Lahden Lämpö Oy"].business_id == "1234567-8"
    assert run.rows.filter(action=ImportedRow.Action.CREATED).count() == 3


def test_second_import_of_the_same_file_with_skip_creates_nothing(sales_user):
    run_phase(
        start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot"), sales_user, "import"
    )
    again = run_phase(
        start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot"), sales_user, "import"
    )
    assert again.status == ImportRun.Status.DONE
    assert (again.created_count, again.skipped_count) == (0, 3)
    assert Account.objects.count() == 3


def test_duplicates_match_business_id_or_name_and_country(sales_user):
    AccountFactory(name="Kuopion Konepaja Oy", country="FI", owner=sales_user)
    AccountFactory(name="Lahden Lämpö", business_id="1234567-8", owner=sales_user)
    AccountFactory(
        name="Van der Berg Logistiek B.V.", country="BE", owner=sales_user
    )  # other country
    run = run_phase(
        start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot", duplicates="update"),
        sales_user,
        "import",
    )
    assert (run.created_count, run.updated_count) == (1, 2)
    assert Account.objects.get(business_id="1234567-8").name == "Lahden Lämpö Oy"
    assert Account.objects.filter(name="Van der Berg Logistiek B.V.").count() == 2


def test_create_choice_imports_duplicates_anyway(manager_user):
    AccountFactory(name="Kuopion Konepaja Oy", country="FI")
    run = run_phase(
        start(manager_user, GOOD_COMPANIES, kind="accounts", preset="hubspot", duplicates="create"),
        manager_user,
        "import",
    )
    assert run.created_count == 3
    assert Account.objects.filter(name="Kuopion Konepaja Oy").count() == 2


def test_sales_may_not_update_someone_elses_account(sales_user, other_sales_user):
    AccountFactory(name="Kuopion Konepaja Oy", country="FI", owner=other_sales_user)
    run = run_phase(
        start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot", duplicates="update"),
        sales_user,
        "import",
    )
    assert run.status == ImportRun.Status.REFUSED
    assert "owner" in run.problems[0]["message"]


def test_manager_names_the_owner_from_the_file(manager_user, sales_user):
    rows = [["name", "owner_email"], ["Oulun Ohjelmisto Oy", sales_user.email]]
    run = run_phase(
        start(manager_user, rows, kind="accounts", preset="custom"), manager_user, "import"
    )
    assert run.status == ImportRun.Status.DONE
    assert Account.objects.get().owner == sales_user


def test_undo_deletes_created_rows_and_restores_updated_fields(sales_user):
    kept = AccountFactory(
        name="Kuopion Konepaja Oy", country="FI", industry="Metal", owner=sales_user
    )
    run = run_phase(
        start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot", duplicates="update"),
        sales_user,
        "import",
    )
    kept.refresh_from_db()
    assert kept.industry == "Manufacturing"
    runs.undo_run(run=run, user=sales_user)
    kept.refresh_from_db()
    assert kept.industry == "Metal"
    assert list(Account.objects.all()) == [kept]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE
    with pytest.raises(ValidationError):
        runs.undo_run(run=run, user=sales_user)


def test_another_rep_cannot_undo_or_run_my_import(sales_user, other_sales_user):
    run = start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot")
    with pytest.raises(PermissionDenied):
        runs.queue_run(run=run, user=other_sales_user, phase="import")


@pytest.mark.parametrize("role", ["marketing", "frontline"])
def test_roles_without_import_cannot_upload(role, role_users):
    with pytest.raises(PermissionDenied):
        runs.start_import(
            user=role_users[role],
            upload=csv_upload(GOOD_COMPANIES),
            kind="accounts",
            preset="hubspot",
        )


@pytest.mark.parametrize("upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_pipedrive_deals_with_good_and_bad_rows(manager_user, upload):
    for name in ("Lahden Lämpö Oy", "Kuopion Konepaja Oy", "Van der Berg Logistiek B.V."):
        AccountFactory(name=name)
    run = start(
        manager_user, PIPEDRIVE_DEALS, kind="opportunities", preset="pipedrive", upload=upload
    )
    run = run_phase(run, manager_user, "import")
    assert run.status == ImportRun.Status.REFUSED
    assert {(p["row"], p["column"]) for p in run.problems} == {
        (4, "Deal - Lost reason"),  # lost without a reason: the crm rule
        (5, "Deal - Organization"),  # unknown company
    }
    assert Opportunity.objects.count() == 0

    good = PIPEDRIVE_DEALS[:3]
    run = run_phase(
        start(manager_user, good, kind="opportunities", preset="pipedrive", upload=upload),
        manager_user,
        "import",
    )
    assert run.status == ImportRun.Status.DONE
    heat = Opportunity.objects.get(name="Lämpöpumput 2027")
    assert (heat.stage, heat.amount, heat.expected_close_on) == (
        "proposal",
        Decimal("12500.00"),
        date(2027, 3, 31),
    )
    won = Opportunity.objects.get(name="Varaosasopimus")
    assert won.stage == "won" and won.closed_at is not None
    assert OpportunityStageChange.objects.count() == 2


def test_contacts_matched_by_email_and_named_from_first_and_last(sales_user):
    account = AccountFactory(name="Lahden Lämpö Oy")
    ContactFactory(account=account, name="Old Name", email="liisa.virtanen@lahdenlampo.fi")
    rows = [
        ["First Name", "Last Name", "Email", "Job Title", "Associated Company"],
        ["Liisa", "Virtanen", "Liisa.Virtanen@lahdenlampo.fi", "CFO", "Lahden Lämpö Oy"],
        ["Matti", "Korhonen", "matti@lahdenlampo.fi", "CEO", "Lahden Lämpö Oy"],
        ["Matti", "Korhonen", "matti@lahdenlampo.fi", "CEO", "Lahden Lämpö Oy"],
        ["Bad", "Mail", "not-an-email", "", "Lahden Lämpö Oy"],
    ]
    run = run_phase(start(sales_user, rows, kind="contacts", preset="hubspot"), sales_user, "check")
    assert [r["action"] for r in run.preview] == ["skip", "create", "refuse", "refuse"]
    assert run.problems[0] == {"row": 4, "column": "Email", "message": "Same record as row 3."}
    assert run.problems[1]["column"] == "Email"

    run = run_phase(
        start(sales_user, rows[:3], kind="contacts", preset="hubspot", duplicates="update"),
        sales_user,
        "import",
    )
    assert (run.created_count, run.updated_count) == (1, 1)
    assert (
        Contact.objects.get(email__iexact="liisa.virtanen@lahdenlampo.fi").name == "Liisa Virtanen"
    )


def test_historical_notes_are_imported_complete_and_exempt_from_the_rules(sales_user):
    account = AccountFactory(name="Lahden Lämpö Oy")
    contact = ContactFactory(account=account, email="liisa@lahdenlampo.fi")
    rows = [
        ["Note - Content", "Note - Add time", "Note - Organization", "Person - Email"],
        ["soitettu", "2024-05-02 10:00:00", "Lahden Lämpö Oy", "liisa@lahdenlampo.fi"],
        ["Talked about the heat pump tender", "2024-06-01 09:30:00", "Lahden Lämpö Oy", ""],
        ["From the future", "2999-01-01 09:00:00", "Lahden Lämpö Oy", ""],
    ]
    run = run_phase(start(sales_user, rows, kind="notes", preset="pipedrive"), sales_user, "import")
    assert run.status == ImportRun.Status.REFUSED
    assert run.problems[0]["row"] == 4 and run.problems[0]["column"] == "Note - Add time"

    run = run_phase(
        start(sales_user, rows[:3], kind="notes", preset="pipedrive"), sales_user, "import"
    )
    assert run.status == ImportRun.Status.DONE
    notes = Conversation.objects.order_by("occurred_at")
    assert [n.discussed for n in notes] == ["soitettu", "Talked about the heat pump tender"]
    assert all(n.imported and n.status == "complete" and n.author == sales_user for n in notes)
    assert list(notes[0].contacts.all()) == [contact]
    assert not hasattr(notes[0], "followup") or notes[0].followup is None

    again = run_phase(
        start(sales_user, rows[:3], kind="notes", preset="pipedrive"), sales_user, "import"
    )
    assert (again.created_count, again.skipped_count) == (0, 2)


def test_manual_mapping_requires_the_required_fields(sales_user):
    rows = [["Firma", "Land"], ["Oulun Ohjelmisto Oy", "Suomi"]]
    run = start(sales_user, rows, kind="accounts", preset="custom")
    assert run.mapping == {}
    with pytest.raises(ValidationError) as error:
        runs.set_mapping(run=run, user=sales_user, mapping={"country": "Land"}, duplicates="skip")
    assert "name" in error.value.message_dict
    runs.set_mapping(
        run=run, user=sales_user, mapping={"name": "Firma", "country": "Land"}, duplicates="skip"
    )
    run = run_phase(run, sales_user, "import")
    assert Account.objects.get().country == "FI"


def test_semicolon_csv_from_excel_is_read(sales_user):
    upload = csv_upload([["name", "country"], ["Delftse Data B.V.", "Nederland"]], delimiter=";")
    run = runs.start_import(user=sales_user, upload=upload, kind="accounts", preset="custom")
    run = run_phase(run, sales_user, "import")
    assert Account.objects.get().country == "NL"


def test_a_file_that_is_not_csv_or_xlsx_is_refused(sales_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        runs.start_import(
            user=sales_user,
            upload=SimpleUploadedFile("x.pdf", b"%PDF"),
            kind="accounts",
            preset="custom",
        )
    assert "file" in error.value.message_dict


def test_imported_notes_are_found_by_the_feed_search_and_can_be_undone(sales_user):
    from crm.filters import ConversationFilter
    from crm.selectors import conversations_qs

    AccountFactory(name="Lahden Lämpö Oy")
    rows = [
        ["Note body", "Activity date", "Associated Company"],
        ["Asiakas harkitsee maalämpöpumppua varastolle", "2024-05-02", "Lahden Lämpö Oy"],
    ]
    run = run_phase(start(sales_user, rows, kind="notes", preset="hubspot"), sales_user, "import")
    found = ConversationFilter({"search": "maalämpöpumppua"}, queryset=conversations_qs()).qs
    assert [c.imported for c in found] == [True]
    Conversation.objects.update(deleted_at=timezone.now())  # soft-deleted before the undo
    runs.undo_run(run=run, user=sales_user)
    assert not Conversation.all_objects.exists()  # undo removes it for good, not restorable


def test_a_file_over_the_size_limit_is_refused(sales_user, monkeypatch):
    monkeypatch.setattr(runs, "MAX_FILE_BYTES", 10)
    with pytest.raises(ValidationError) as error:
        runs.start_import(
            user=sales_user, upload=csv_upload(GOOD_COMPANIES), kind="accounts", preset="hubspot"
        )
    assert "50 MB" in error.value.message_dict["file"][0]


def test_undo_is_refused_when_an_imported_account_has_conversations(sales_user):
    from tests.crm.factories import ConversationFactory

    run = run_phase(
        start(sales_user, GOOD_COMPANIES, kind="accounts", preset="hubspot"), sales_user, "import"
    )
    ConversationFactory(account=Account.objects.get(name="Kuopion Konepaja Oy"))
    with pytest.raises(ValidationError):
        runs.undo_run(run=run, user=sales_user)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and "conversations" in run.error
    assert Account.objects.count() == 3
