import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alignment.models import Theme, ThemeApproval
from alignment.services.themes import approve_theme, propose_theme, retire_theme, update_theme
from core.models import Notification
from tests.factories import UserFactory

from .factories import ThemeFactory

pytestmark = pytest.mark.django_db


def test_sales_rep_can_propose_a_theme_that_starts_proposed(sales_user):
    theme = propose_theme(
        author=sales_user,
        data={
            "title": "Downtime is a sales problem",
            "insight": "Every hour of downtime loses orders.",
        },
    )
    assert theme.status == Theme.Status.PROPOSED
    assert theme.proposed_by == sales_user


def test_frontline_cannot_propose(frontline_user):
    with pytest.raises(PermissionDenied):
        propose_theme(author=frontline_user, data={"title": "x", "insight": "a b c d e f"})


def test_a_theme_without_substance_is_refused_with_field_errors(marketing_user):
    with pytest.raises(ValidationError) as error:
        propose_theme(author=marketing_user, data={"title": " ", "insight": "ok"})
    assert set(error.value.message_dict) == {"title", "insight"}


def test_marketing_approval_alone_is_not_enough(marketing_user):
    theme = ThemeFactory()
    approve_theme(user=marketing_user, theme=theme)
    theme.refresh_from_db()
    assert theme.status == Theme.Status.PROPOSED


def test_two_marketers_are_still_one_side(marketing_user):
    theme = ThemeFactory()
    approve_theme(user=marketing_user, theme=theme)
    approve_theme(user=UserFactory(roles=["marketing"]), theme=theme)
    theme.refresh_from_db()
    assert theme.status == Theme.Status.PROPOSED


@pytest.mark.parametrize("second_role", ["sales", "manager"])
def test_marketing_plus_sales_or_manager_activates_and_tells_the_proposer(
    marketing_user, second_role
):
    theme = ThemeFactory()
    approve_theme(user=marketing_user, theme=theme)
    approve_theme(user=UserFactory(roles=[second_role]), theme=theme)
    theme.refresh_from_db()
    assert theme.status == Theme.Status.ACTIVE
    assert theme.activated_at is not None
    assert Notification.objects.filter(user=theme.proposed_by, kind="theme.activated").count() == 1


def test_the_same_person_approving_twice_is_not_two_sides():
    both = UserFactory(roles=["marketing", "sales"])
    theme = ThemeFactory()
    first = approve_theme(user=both, theme=theme)
    second = approve_theme(user=both, theme=theme)
    second_with_side = approve_theme(user=both, theme=theme, side=ThemeApproval.Side.SALES)
    theme.refresh_from_db()
    assert first == second == second_with_side
    assert theme.approvals.count() == 1
    assert theme.status == Theme.Status.PROPOSED


def test_a_dual_role_user_fills_the_missing_side_but_only_once(sales_user):
    both = UserFactory(roles=["marketing", "sales"])
    theme = ThemeFactory()
    approve_theme(user=sales_user, theme=theme)
    approval = approve_theme(user=both, theme=theme)
    theme.refresh_from_db()
    assert approval.side == ThemeApproval.Side.MARKETING
    assert theme.status == Theme.Status.ACTIVE


def test_sales_user_cannot_approve_for_the_marketing_side(sales_user):
    with pytest.raises(ValidationError) as error:
        approve_theme(user=sales_user, theme=ThemeFactory(), side=ThemeApproval.Side.MARKETING)
    assert "side" in error.value.message_dict


@pytest.mark.parametrize("role", ["frontline", None])
def test_users_without_a_side_cannot_approve(role):
    user = UserFactory(roles=[role] if role else [])
    with pytest.raises(PermissionDenied):
        approve_theme(user=user, theme=ThemeFactory())


def test_retired_theme_cannot_be_approved(manager_user, marketing_user):
    theme = ThemeFactory(retired=True)
    with pytest.raises(ValidationError):
        approve_theme(user=marketing_user, theme=theme)


def test_only_theme_managers_retire(sales_user, marketing_user):
    theme = ThemeFactory(active=True)
    with pytest.raises(PermissionDenied):
        retire_theme(user=sales_user, theme=theme)
    retire_theme(user=marketing_user, theme=theme)
    theme.refresh_from_db()
    assert theme.status == Theme.Status.RETIRED and theme.retired_at


def test_proposer_edits_own_proposal_but_not_once_active(sales_user, other_sales_user):
    theme = ThemeFactory(proposed_by=sales_user)
    update_theme(user=sales_user, theme=theme, data={"title": "Sharper title"})
    assert Theme.objects.get(pk=theme.pk).title == "Sharper title"
    with pytest.raises(PermissionDenied):
        update_theme(user=other_sales_user, theme=theme, data={"title": "Mine now"})
    theme.status = Theme.Status.ACTIVE
    theme.save()
    with pytest.raises(PermissionDenied):
        update_theme(user=sales_user, theme=theme, data={"title": "Again"})


def test_a_proposal_asks_marketing_and_managers_to_approve(
    sales_user, marketing_user, manager_user, other_sales_user
):
    theme = propose_theme(
        author=sales_user,
        data={
            "title": "Rush orders eat margin",
            "insight": "Rush orders at list price lose money every time.",
        },
    )
    notified = set(
        Notification.objects.filter(kind="theme.proposed").values_list("user__username", flat=True)
    )
    assert notified == {"bob", "maria"}
    assert Notification.objects.get(user=marketing_user, kind="theme.proposed").link.endswith(
        f"/themes/{theme.pk}/"
    )
