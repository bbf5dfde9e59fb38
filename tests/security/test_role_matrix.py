"""Every route in the URLconf × every role (and anonymous) → the expected answer.

The rule of each route is read from the view itself (CapabilityRequiredMixin's
`required_capability`, DRF's HasCapability permission, LoginRequiredMixin /
IsAuthenticated) or declared below for the few public routes. A new route
whose rule cannot be found fails `test_every_route_declares_who_may_use_it`.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny, IsAuthenticated

from core.roles import CapabilityRequiredMixin, HasCapability, can

PUBLIC = "public"
AUTHENTICATED = "authenticated"
# Routes whose view cannot say it itself.
DECLARED = {
    "health": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "set_language": PUBLIC,
    "api-token": PUBLIC,
    "api-schema": PUBLIC,
    "api-docs": PUBLIC,
    "password_change": AUTHENTICATED,
    "password_change_done": AUTHENTICATED,
}
SKIPPED_PREFIXES = ("admin/",)  # Django admin: staff only, its own checks
ROLES = ["sales", "marketing", "manager", "frontline", "outsider"]


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    view: object
    is_api: bool

    def __str__(self) -> str:
        return f"{self.path} ({self.name})"


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _concrete_path(pattern: str) -> str:
    """A requestable path: ids become 999999 (a row that does not exist)."""
    path = re.sub(r"\(\?P<format>[^)]*\)", "", pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "999999", path)
    path = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: "999999" if m.group(1) in (None, "int") else "x", path
    )
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path


def all_routes() -> list[Route]:
    routes = []
    seen = set()
    for pattern, entry in _walk(get_resolver().url_patterns):
        if (
            pattern.startswith(SKIPPED_PREFIXES)
            or "(?P<format>" in pattern
            or "<drf_format_suffix" in pattern
        ):
            continue
        path = _concrete_path(pattern)
        if path in seen:
            continue  # an earlier pattern answers this path
        seen.add(path)
        routes.append(Route(path, entry.name or "", entry.callback, path.startswith("/api/")))
    return routes


def rule_of(route: Route) -> str | tuple[str, ...] | None:
    """PUBLIC, AUTHENTICATED, a tuple of capabilities, or None when undeclared."""
    if route.name in DECLARED:
        return DECLARED[route.name]
    view_class = getattr(route.view, "view_class", None) or getattr(route.view, "cls", None)
    if view_class is None:
        return None
    permissions = getattr(view_class, "permission_classes", None)
    if getattr(route.view, "cls", None) is not None and permissions is not None:
        actions = getattr(route.view, "actions", None) or {}
        # The permissions of the action a GET reaches (or the route's only action).
        action = actions.get("get") or next(iter(actions.values()), None)
        view = view_class(**({"action": action} if action else {}))
        if hasattr(view, "get_permissions") and actions:
            view.request = None
            # Per-action permissions; fall back to the class attribute if they need a request.
            with contextlib.suppress(Exception):
                permissions = [type(p) for p in view.get_permissions()]
        capabilities = tuple(
            p.capability for p in permissions if issubclass(p, HasCapability) and p.capability
        )
        if capabilities:
            return capabilities
        if any(issubclass(p, AllowAny) for p in permissions):
            return PUBLIC
        if any(issubclass(p, IsAuthenticated) for p in permissions):
            return AUTHENTICATED
        return None
    if issubclass(view_class, CapabilityRequiredMixin):
        needed = view_class.required_capability
        return (needed,) if isinstance(needed, str) else tuple(needed)
    if issubclass(view_class, LoginRequiredMixin):
        return AUTHENTICATED
    return None


ROUTES = all_routes()


def test_every_route_declares_who_may_use_it():
    undeclared = [str(route) for route in ROUTES if rule_of(route) is None]
    assert not undeclared, f"declare a capability (or a DECLARED rule) for: {undeclared}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_visitors_are_kept_out(client, db, route):
    rule = rule_of(route)
    if rule is None:
        pytest.fail(f"{route} declares no rule")
    response = client.get(route.path)
    if rule == PUBLIC:
        assert response.status_code not in (401, 403) and response.status_code < 500
        return
    if route.is_api:
        assert response.status_code in (401, 403), response.status_code
    else:
        assert response.status_code == 302, response.status_code
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_role_gets_the_expected_answer(client, role_users, route, role):
    rule = rule_of(route)
    if rule is None:
        pytest.fail(f"{route} declares no rule")
    user = role_users[role]
    client.force_login(user)
    response = client.get(route.path)
    allowed = rule in (PUBLIC, AUTHENTICATED) or all(can(user, capability) for capability in rule)
    if allowed:
        assert response.status_code not in (401, 403), f"{role} refused at {route.path}"
        assert response.status_code < 500, f"{route.path} failed for {role}"
    else:
        assert response.status_code == 403, f"{role} got {response.status_code} at {route.path}"
