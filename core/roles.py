"""The one place that says who may do what (design.md, "Roles").

Pages use `CapabilityRequiredMixin`, the API `HasCapability`, templates the
`can` mapping from the context processor. Nothing else inspects groups.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.mixins import AccessMixin
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class Role(models.TextChoices):
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")
    MANAGER = "manager", _("Manager")
    FRONTLINE = "frontline", _("Frontline")


ALL_ROLES = frozenset(Role.values)

# capability -> roles that hold it. Superusers hold every capability; the
# author of an anonymous feedback entry is not a capability at all.
CAPABILITIES: dict[str, frozenset[str]] = {
    "conversation.log": frozenset({Role.SALES, Role.MANAGER}),
    "conversation.read": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER}),
    "crm.read": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER}),
    "crm.write": frozenset({Role.SALES, Role.MANAGER}),
    "crm.manage": frozenset({Role.MANAGER}),
    "insight.triage": frozenset({Role.MARKETING, Role.MANAGER}),
    "theme.propose": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER}),
    "theme.manage": frozenset({Role.MARKETING, Role.MANAGER}),
    "campaign.read": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER, Role.FRONTLINE}),
    "campaign.manage": frozenset({Role.MARKETING, Role.MANAGER}),
    "campaign.acknowledge": frozenset({Role.SALES, Role.MANAGER, Role.FRONTLINE}),
    "feedback.answer": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER, Role.FRONTLINE}),
    "feedback.manage": frozenset({Role.MARKETING, Role.MANAGER}),
    "feedback.run": frozenset({Role.MANAGER}),
    "assessment.answer": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER}),
    "assessment.run": frozenset({Role.MANAGER}),
    "dashboard.view": frozenset({Role.SALES, Role.MARKETING, Role.MANAGER}),
    "kpi.rollup": frozenset({Role.MANAGER}),
    "servicelevel.manage": frozenset({Role.MARKETING, Role.MANAGER}),
    "audit.read": frozenset({Role.MANAGER}),
    "gdpr.manage": frozenset({Role.MANAGER}),
    "transfer.import": frozenset({Role.SALES, Role.MANAGER}),
    "transfer.export_all": frozenset({Role.MANAGER}),
}


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_silta_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) & ALL_ROLES
        user._silta_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def can(user, capability: str) -> bool:
    """True when the user holds the capability through a role (or is a superuser)."""
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & CAPABILITIES[capability])


def capabilities_of(user) -> dict[str, bool]:
    """Every capability with a yes/no, for templates (`{% if can.crm_read %}`)."""
    return {name.replace(".", "_"): can(user, name) for name in CAPABILITIES}


def users_with_role(role: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name=role).distinct()


class HasCapability(BasePermission):
    """DRF permission: `permission_classes = [HasCapability.of("crm.read")]`."""

    capability: str = ""
    # Optional different capability for unsafe methods (POST, PATCH, ...).
    write_capability: str | None = None

    @classmethod
    def of(cls, capability: str, write: str | None = None) -> type[HasCapability]:
        for name in filter(None, (capability, write)):
            if name not in CAPABILITIES:
                raise KeyError(f"Unknown capability {name!r}")
        return type(
            f"Has_{capability.replace('.', '_')}",
            (cls,),
            {"capability": capability, "write_capability": write},
        )

    def has_permission(self, request, view) -> bool:
        needed = self.capability
        if self.write_capability and request.method not in ("GET", "HEAD", "OPTIONS"):
            needed = self.write_capability
        return can(request.user, needed)


class CapabilityRequiredMixin(AccessMixin):
    """Page views: anonymous users go to login, users without the capability get 403."""

    required_capability: str | Iterable[str] = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        needed = (
            [self.required_capability]
            if isinstance(self.required_capability, str)
            else list(self.required_capability)
        )
        if not all(can(request.user, name) for name in needed):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
