"""Every create and change in the CRM services leaves an audit row (who, what, which fields)."""

import pytest

from core.models import AuditEvent
from crm.services import accounts as account_services
from crm.services import opportunities as opportunity_services
from tests.crm.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_accounts_contacts_and_opportunities_are_audited(sales_user):
    account = account_services.create_account(
        creator=sales_user, data={"name": "Delfts Blauw B.V."}
    )
    account_services.update_account(account=account, editor=sales_user, data={"segment": "SMB"})
    contact = account_services.create_contact(
        creator=sales_user, data={"account": account, "name": "Sanne de Vries"}
    )
    account_services.update_contact(contact=contact, editor=sales_user, data={"title": "CEO"})
    opportunity = opportunity_services.create_opportunity(
        owner=sales_user, data={"account": account, "name": "Kiln monitoring", "amount": 1}
    )
    rows = set(AuditEvent.objects.values_list("object_type", "action", "actor"))
    assert rows == {
        ("crm.account", "create", sales_user.pk),
        ("crm.account", "change", sales_user.pk),
        ("crm.contact", "create", sales_user.pk),
        ("crm.contact", "change", sales_user.pk),
        ("crm.opportunity", "create", sales_user.pk),
    }
    change = AuditEvent.objects.get(object_type="crm.account", action="change")
    assert change.changes == {"segment": ["", "SMB"]}
    assert opportunity.version == 1


def test_a_refused_change_leaves_no_audit_row(sales_user):
    account = AccountFactory()
    with pytest.raises(Exception, match="name"):
        account_services.update_account(account=account, editor=sales_user, data={"name": " "})
    assert not AuditEvent.objects.exists()
