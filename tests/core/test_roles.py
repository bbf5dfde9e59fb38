import pytest
from django.contrib.auth.models import Group

from core.roles import CAPABILITIES, HasCapability, can
from tests.factories import UserFactory

# capability -> the roles that must hold it (design.md, "Roles").
EXPECTED = {
    "conversation.log": {"sales", "manager"},
    "conversation.read": {"sales", "marketing", "manager"},
    "insight.triage": {"marketing", "manager"},
    "theme.propose": {"sales", "marketing", "manager"},
    "theme.manage": {"marketing", "manager"},
    "campaign.acknowledge": {"sales", "manager", "frontline"},
    "feedback.answer": {"sales", "marketing", "manager", "frontline"},
    "feedback.manage": {"marketing", "manager"},
    "feedback.run": {"manager"},
    "assessment.run": {"manager"},
    "dashboard.view": {"sales", "marketing", "manager"},
}
ROLES = ["sales", "marketing", "manager", "frontline"]


def test_role_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.parametrize("capability", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_matches_design(db, capability, role):
    user = UserFactory(roles=[role])
    assert can(user, capability) is (role in EXPECTED[capability])


def test_user_with_several_roles_holds_the_union(db):
    user = UserFactory(roles=["frontline", "marketing"])
    assert can(user, "feedback.manage")
    assert can(user, "campaign.acknowledge")
    assert not can(user, "conversation.log")


def test_outsider_and_inactive_users_hold_nothing(db):
    outsider = UserFactory()
    inactive = UserFactory(roles=["manager"], is_active=False)
    assert not any(can(outsider, name) for name in CAPABILITIES)
    assert not any(can(inactive, name) for name in CAPABILITIES)


def test_superuser_holds_every_capability(db):
    root = UserFactory(is_superuser=True)
    assert all(can(root, name) for name in CAPABILITIES)


def test_unknown_capability_is_a_programming_error(db):
    with pytest.raises(KeyError):
        can(UserFactory(), "conversation.delete_everything")
    with pytest.raises(KeyError):
        HasCapability.of("no.such.thing")
