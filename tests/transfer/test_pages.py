"""The import pages and /api/imports/: upload, mapping, progress, history, undo, roles."""

import pytest
from django.urls import reverse

from crm.models import Account
from tests.transfer.factories import ImportRunFactory
from transfer.models import ImportRun

from .files import HUBSPOT_COMPANIES, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

GOOD = HUBSPOT_COMPANIES[:4]


def upload(client, rows, *, preset="hubspot", upload_file=csv_upload, kind="accounts"):
    return client.post(
        reverse("transfer:upload"), {"file": upload_file(rows), "kind": kind, "preset": preset}
    )


def test_upload_map_preview_then_import(client_as, sales_user, django_capture_on_commit_callbacks):
    client = client_as(sales_user)
    response = upload(client, GOOD, upload_file=xlsx_upload)
    run = ImportRun.objects.get()
    assert response.url == reverse("transfer:mapping", args=[run.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'value="Company name" selected' in page.content.decode()

    form = {**run.mapping, "duplicates": "skip", "check": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfer:mapping", args=[run.pk]), form)
    assert response.url == reverse("transfer:run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Kuopion Konepaja Oy" in page and 'aria-valuenow="100"' in page
    assert Account.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:start", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert Account.objects.filter(owner=sales_user).count() == 3
    history = client.get(reverse("transfer:imports")).content.decode()
    assert "export.xlsx" in history and reverse("transfer:undo", args=[run.pk]) in history


def test_mapping_without_a_required_column_shows_the_field_error(client_as, sales_user):
    client = client_as(sales_user)
    upload(client, [["Firma", "Land"], ["Oulun Ohjelmisto Oy", "FI"]], preset="custom")
    run = ImportRun.objects.get()
    response = client.post(
        reverse("transfer:mapping", args=[run.pk]), {"country": "Land", "duplicates": "skip"}
    )
    assert response.status_code == 200
    assert "Choose the column for this field." in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.MAPPING


def test_a_broken_upload_is_a_form_error(client_as, sales_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as(sales_user).post(
        reverse("transfer:upload"),
        {
            "file": SimpleUploadedFile("x.xlsx", b"not a zip"),
            "kind": "accounts",
            "preset": "hubspot",
        },
    )
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_progress_partial_polls_while_running_and_refreshes_when_done(client_as, sales_user):
    run = ImportRunFactory(created_by=sales_user, status=ImportRun.Status.RUNNING, total_rows=10)
    ImportRun.objects.filter(pk=run.pk).update(processed_rows=4)
    client = client_as(sales_user)
    url = reverse("transfer:run", args=[run.pk])
    partial = client.get(url, {"polling": 1}, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-valuenow="40"' in partial and 'hx-trigger="every 1s"' in partial
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.DONE)
    done = client.get(url, {"polling": 1}, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_undo_from_the_history(client_as, sales_user, django_capture_on_commit_callbacks):
    client = client_as(sales_user)
    upload(client, GOOD)
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("transfer:mapping", args=[run.pk]),
            {**run.mapping, "duplicates": "skip", "import": ""},
        )
    assert Account.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfer:undo", args=[run.pk]))
    assert response.url == reverse("transfer:run", args=[run.pk])
    assert Account.objects.count() == 0
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE


def test_a_rep_cannot_see_another_reps_run(client_as, sales_user, other_sales_user, manager_user):
    run = ImportRunFactory(created_by=other_sales_user)
    assert client_as(sales_user).get(reverse("transfer:run", args=[run.pk])).status_code == 404
    assert client_as(manager_user).get(reverse("transfer:run", args=[run.pk])).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [("sales", 200), ("manager", 200), ("marketing", 403), ("frontline", 403), ("anonymous", 302)],
)
def test_import_pages_by_role(role, status, role_users, client_as):
    client = client_as(role_users[role])
    assert client.get(reverse("transfer:imports")).status_code == status
    assert client.get(reverse("transfer:upload")).status_code == status


def test_history_query_count_does_not_grow_with_runs(
    client_as, manager_user, django_assert_max_num_queries
):
    for _ in range(5):
        ImportRunFactory()
    client = client_as(manager_user)
    client.get(reverse("transfer:imports"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("transfer:imports"))
    assert response.content.decode().count("accounts.csv") == 5


def test_api_upload_dry_run_and_progress(api_as, sales_user, django_capture_on_commit_callbacks):
    api = api_as(sales_user)
    response = api.post(
        "/api/imports/",
        {"file": csv_upload(GOOD), "kind": "accounts", "preset": "hubspot"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    run_id = response.json()["id"]
    assert response.json()["mapping"]["name"] == "Company name"
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"/api/imports/{run_id}/start/", {"dry_run": True}, format="json")
    assert started.status_code == 202
    body = api.get(f"/api/imports/{run_id}/").json()
    assert (body["status"], body["percent"], body["created_count"]) == ("checked", 100, 3)
    assert [row["action"] for row in body["preview"]] == ["create"] * 3
    assert Account.objects.count() == 0
    listed = api.get("/api/imports/").json()["results"]
    assert [r["id"] for r in listed] == [run_id] and "preview" not in listed[0]


def test_api_mapping_errors_are_keyed_by_field(api_as, sales_user):
    run = ImportRunFactory(created_by=sales_user, headers=["Firma"])
    response = api_as(sales_user).post(
        f"/api/imports/{run.pk}/mapping/", {"mapping": {}, "duplicates": "skip"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize(("role", "status"), [("marketing", 403), ("anonymous", 401)])
def test_api_imports_refuse_roles_without_import(role, status, role_users, api_as):
    response = api_as(role_users[role]).get("/api/imports/")
    assert response.status_code in (status, 403)


def test_demo_leaves_one_finished_import_in_sams_history(db):
    from core.demo import load_demo

    ctx = load_demo()
    run = ImportRun.objects.get(created_by=ctx.users["sam"])
    assert run.status == ImportRun.Status.DONE and run.created_count == 3
    assert Account.objects.get(name="Tampereen Tarkkuusvalu Oy").owner == ctx.users["sam"]


def test_api_undo_is_queued_and_runs_once(api_as, sales_user, django_capture_on_commit_callbacks):
    from transfer.services import runs

    run = runs.start_import(
        user=sales_user, upload=csv_upload(GOOD), kind="accounts", preset="hubspot"
    )
    runs.queue_run(run=run, user=sales_user, phase="import")
    runs.execute_run(run_id=run.pk)
    api = api_as(sales_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/imports/{run.pk}/undo/")
    assert response.status_code == 202 and response.json()["status"] == "undoing"
    assert api.get(f"/api/imports/{run.pk}/").json()["status"] == "undone"
    assert Account.objects.count() == 0
    assert api.post(f"/api/imports/{run.pk}/undo/").status_code == 400
