from core.models import AuditEvent
from core.services.audit import changed_fields, record_audit_event


def test_changed_fields_lists_only_differences():
    before = {"outcome": "advanced", "next_step": "Send offer", "channel": "call"}
    after = {"outcome": "won", "next_step": "Send offer", "channel": "call"}
    assert changed_fields(before, after) == {"outcome": ["advanced", "won"]}


def test_audit_event_names_the_object_and_actor(manager_user, sales_user):
    event = record_audit_event(actor=manager_user, action="export", obj=sales_user, summary="CSV")
    assert event.object_type == "core.user"
    assert event.object_id == str(sales_user.pk)
    assert event.actor == manager_user


def test_managers_read_the_audit_log_page_and_api(client, api_as, manager_user, sales_user):
    record_audit_event(
        actor=sales_user,
        action="delete",
        object_type="crm.conversation",
        object_id=7,
        summary="Deleted a log",
    )
    client.force_login(manager_user)
    html = client.get("/audit/?action=delete").content.decode()
    assert "Deleted a log" in html
    body = api_as(manager_user).get("/api/audit/?action=delete").json()
    assert [e["summary"] for e in body["results"]] == ["Deleted a log"]


def test_audit_log_filters_by_action(client, manager_user):
    record_audit_event(
        actor=manager_user, action="export", object_type="crm.account", summary="Export A"
    )
    record_audit_event(
        actor=manager_user, action="erase", object_type="crm.contact", summary="Erase B"
    )
    client.force_login(manager_user)
    html = client.get("/audit/?action=erase").content.decode()
    assert "Erase B" in html and "Export A" not in html


def test_only_managers_read_the_audit_log(client, api_as, role_users):
    record_audit_event(actor=None, action="change", object_type="x", summary="secret")
    for role in ("sales", "marketing", "frontline", "outsider"):
        user = role_users[role]
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
        assert api_as(user).get("/api/audit/").status_code == 403
    assert api_as(None).get("/api/audit/").status_code == 401
    assert AuditEvent.objects.count() == 1
