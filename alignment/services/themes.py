"""Proposing, approving and retiring insight themes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, can, roles_of, users_with_role
from core.services.notifications import notify

from ..models import Theme, ThemeApproval

THEME_FIELDS = ("title", "insight", "talking_points", "evidence", "segment")


def approval_sides_of(user) -> list[str]:
    """The sides a user may approve for: marketing, and sales (sales or manager role)."""
    if user.is_superuser:
        return [ThemeApproval.Side.MARKETING, ThemeApproval.Side.SALES]
    roles = roles_of(user)
    sides = []
    if Role.MARKETING in roles:
        sides.append(ThemeApproval.Side.MARKETING)
    if roles & {Role.SALES, Role.MANAGER}:
        sides.append(ThemeApproval.Side.SALES)
    return sides


def _clean(data: dict) -> dict:
    cleaned = {field: (data.get(field) or "").strip() for field in THEME_FIELDS if field in data}
    errors = {}
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = [_("Give the theme a title.")]
    if "insight" in cleaned and len(cleaned["insight"].split()) < 5:
        errors["insight"] = [_("Describe the insight in at least five words.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def propose_theme(*, author, data: dict) -> Theme:
    """A marketer, rep or manager proposes a theme; it starts as `proposed`."""
    if not can(author, "theme.propose"):
        raise PermissionDenied
    cleaned = _clean({"title": "", "insight": "", **data})
    theme = Theme.objects.create(proposed_by=author, **cleaned)
    _ask_for_approval(theme)
    return theme


def _ask_for_approval(theme: Theme) -> None:
    """Marketers and managers curate the library: tell them a proposal waits for them."""
    reviewers = (users_with_role(Role.MARKETING) | users_with_role(Role.MANAGER)).exclude(
        pk=theme.proposed_by_id
    )
    for reviewer in reviewers.distinct():
        notify(
            user=reviewer,
            kind="theme.proposed",
            subject=_("New theme to approve: %(title)s") % {"title": theme.title},
            body=theme.insight,
            link=reverse("alignment:theme-detail", args=[theme.pk]),
            dedupe_key=f"theme-proposed:{theme.pk}",
        )


def can_edit_theme(*, user, theme: Theme) -> bool:
    if theme.status == Theme.Status.RETIRED:
        return False
    if can(user, "theme.manage"):
        return True
    return theme.status == Theme.Status.PROPOSED and theme.proposed_by_id == user.pk


@transaction.atomic
def update_theme(*, user, theme: Theme, data: dict) -> Theme:
    """Edit a theme: managers of themes any time, the proposer while it is proposed."""
    if not can_edit_theme(user=user, theme=theme):
        raise PermissionDenied
    for field, value in _clean(data).items():
        setattr(theme, field, value)
    theme.save()
    return theme


@transaction.atomic
def approve_theme(*, user, theme: Theme, side: str | None = None) -> ThemeApproval:
    """Record the user's approval for one side; two sides by two people make it active.

    A user with both roles speaks for one side per approval, and approving
    twice changes nothing: one person can never activate a theme alone.
    """
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.status == Theme.Status.RETIRED:
        raise ValidationError({"status": [_("A retired theme cannot be approved.")]})
    sides = approval_sides_of(user)
    if not sides:
        raise PermissionDenied
    existing = ThemeApproval.objects.filter(theme=theme, user=user).first()
    if existing:
        return existing
    covered = set(theme.approvals.values_list("side", flat=True))
    if side:
        if side not in sides:
            raise ValidationError({"side": [_("You cannot approve for that side.")]})
    else:
        side = next((s for s in sides if s not in covered), sides[0])
    approval = ThemeApproval.objects.create(theme=theme, user=user, side=side)
    covered.add(side)
    if theme.status == Theme.Status.PROPOSED and covered >= set(ThemeApproval.Side.values):
        _activate(theme)
    return approval


def _activate(theme: Theme) -> None:
    theme.status = Theme.Status.ACTIVE
    theme.activated_at = timezone.now()
    theme.save(update_fields=["status", "activated_at"])
    if theme.proposed_by:
        notify(
            user=theme.proposed_by,
            kind="theme.activated",
            subject=_("Your theme “%(title)s” is now active") % {"title": theme.title},
            body=_("Marketing and sales both approved it; reps can now bring it to customers."),
            link=reverse("alignment:theme-detail", args=[theme.pk]),
            dedupe_key=f"theme-activated:{theme.pk}",
        )


@transaction.atomic
def retire_theme(*, user, theme: Theme) -> Theme:
    """Take a theme out of use; its history and usage stay."""
    if not can(user, "theme.manage"):
        raise PermissionDenied
    if theme.status != Theme.Status.RETIRED:
        theme.status = Theme.Status.RETIRED
        theme.retired_at = timezone.now()
        theme.save(update_fields=["status", "retired_at"])
    return theme
