"""Demo data: the core users and teams, then each app's own demo loader.

Each app may have a `demo.py` with `load(ctx: DemoContext) -> None`; they run
in `APP_ORDER` so later apps can use what earlier ones created (ctx.shared).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from .models import Team

DEMO_PASSWORD = "silta-demo-2026"
APP_ORDER = ["alignment", "crm", "feedback", "kpis", "transfer"]

# username, first name, last name, roles, team
DEMO_USERS = [
    ("maria", "Maria", "Manager", ["manager"], "Leadership"),
    ("sam", "Sami", "Virtanen", ["sales"], "Sales Finland"),
    ("sanna", "Sanna", "Korhonen", ["sales"], "Sales Finland"),
    ("daan", "Daan", "de Vries", ["sales"], "Sales Netherlands"),
    ("mark", "Mark", "Jansen", ["marketing"], "Marketing"),
    ("aino", "Aino", "Mäkinen", ["marketing"], "Marketing"),
    ("frank", "Frank", "Laine", ["frontline"], "Customer Service"),
    ("femke", "Femke", "Bakker", ["frontline"], "Customer Service"),
]


@dataclass
class DemoContext:
    users: dict[str, object]
    now: datetime
    shared: dict = field(default_factory=dict)

    def with_role(self, role: str) -> list:
        return [u for u in self.users.values() if role in self.shared["roles"][u.username]]


def demo_is_loaded() -> bool:
    return get_user_model().objects.filter(username="maria").exists()


def create_demo_users() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, first, last, roles, team_name in DEMO_USERS:
        team, _ = Team.objects.get_or_create(name=team_name)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.silta.invalid",
                "team": team,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=roles))
        users[username] = user
    return users


def load_demo() -> DemoContext:
    ctx = DemoContext(users=create_demo_users(), now=timezone.now())
    ctx.shared["roles"] = {username: roles for username, _, _, roles, _ in DEMO_USERS}
    for module_path in APP_ORDER:
        name = f"{module_path}.demo"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.load(ctx)
    return ctx


def demo_logins() -> list[tuple[str, str]]:
    return [(username, ", ".join(roles)) for username, _, _, roles, _ in DEMO_USERS]
