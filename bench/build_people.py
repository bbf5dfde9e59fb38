"""Users with roles and teams, accounts and contacts."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from bench import corpus
from bench.loader import next_id
from bench.world import World
from core.models import Team
from crm.models import Account, Contact

BENCH_PASSWORD = "silta-bench-2026"
ROLE_SHARES = [("sales", 0.60), ("marketing", 0.12), ("manager", 0.08), ("frontline", 0.20)]
TEAMS = {
    "sales": {"fi": ["Sales Finland North", "Sales Finland South"], "nl": ["Sales Benelux"]},
    "marketing": {"fi": ["Marketing Finland"], "nl": ["Marketing Benelux"]},
    "manager": {"fi": ["Leadership"], "nl": ["Leadership"]},
    "frontline": {"fi": ["Customer Service Finland"], "nl": ["Customer Service Benelux"]},
}
EXPORT_TEAM = "Sales Nordics and Baltics"


def build_users(world: World) -> None:
    rng = world.rng
    User = get_user_model()
    total = world.n(500, minimum=40)
    team_names = sorted(
        {name for by_lang in TEAMS.values() for names in by_lang.values() for name in names}
        | {EXPORT_TEAM}
    )
    team_ids = {}
    for name in team_names:
        team_ids[name] = Team.objects.get_or_create(name=name)[0].pk
    groups = {}
    for role, _share in ROLE_SHARES:
        groups[role] = Group.objects.get_or_create(name=role)[0].pk
    password = make_password(BENCH_PASSWORD)
    first_id = next_id(User)
    rows, memberships = [], []
    taken: set[str] = set()
    user_id = first_id
    for role, share in ROLE_SHARES:
        for _ in range(max(4, round(total * share))):
            language = "fi" if rng.random() < 0.55 else "nl"
            team = rng.choice(TEAMS[role][language])
            if role == "sales" and rng.random() < 0.12:
                team, language = EXPORT_TEAM, "en"
            first = rng.choice(corpus.FIRST_NAMES[language])
            last = rng.choice(corpus.LAST_NAMES[language])
            base = f"{first}.{last}".lower().replace(" ", "")
            username, suffix = base, 1
            while username in taken:
                suffix += 1
                username = f"{base}{suffix}"
            taken.add(username)
            active = rng.random() > 0.02
            joined = world.start + timedelta(days=rng.randrange(0, 900))
            rows.append(
                (
                    user_id,
                    password,
                    False,
                    username,
                    first,
                    last,
                    f"{username}@bench.silta.invalid",
                    False,
                    active,
                    joined,
                    team_ids[team],
                )
            )
            memberships.append((user_id, groups[role]))
            world.users_by_role.setdefault(role, []).append(user_id)
            world.user_language[user_id] = language
            world.user_team[user_id] = team_ids[team]
            if not active:
                world.inactive_users.add(user_id)
            elif role == "sales":
                world.sales_by_language.setdefault(language, []).append(user_id)
            user_id += 1
    fields = [
        "id",
        "password",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "team",
    ]
    world.loader.copy(User, fields, rows)
    Through = User.groups.through
    world.loader.copy(Through, ["user", "group"], memberships)


def _sales_for(world: World, language: str) -> list[int]:
    return world.sales_by_language.get(language) or world.sales_by_language["fi"]


def build_accounts(world: World) -> None:
    rng = world.rng
    total = world.n(50_000, minimum=100)
    world.first_account = next_id(Account)
    countries = corpus.COUNTRY_WEIGHTS
    segments = corpus.SEGMENTS

    def rows():
        for offset in range(total):
            country = world.choice_weighted(countries)
            language = corpus.COUNTRY_LANGUAGE[country]
            trade, industry = rng.choice(corpus.COMPANY_TRADES[language])
            if rng.random() < 0.35:
                stem = rng.choice(corpus.LAST_NAMES[language])
            else:
                stem = rng.choice(corpus.COMPANY_STEMS[language])
            name = f"{stem} {trade} {corpus.COMPANY_SUFFIX[language]}"
            if rng.random() < 0.3:
                name = f"{stem} {trade} {offset % 97 + 1} {corpus.COMPANY_SUFFIX[language]}"
            sellers = _sales_for(world, language if language in world.sales_by_language else "en")
            owner = rng.choice(sellers)
            created = world.moment(rng.random() * 0.7, working_hours=False)
            world.account_language.append(language)
            world.account_owner.append(owner)
            world.account_created.append(created)
            slug = name.lower().replace(" ", "").replace(".", "")[:40]
            website = f"https://www.{slug}.{country.lower()}" if rng.random() < 0.6 else ""
            segment = segments[min(3, int(rng.random() ** 1.8 * 4))]
            yield (
                world.first_account + offset,
                name,
                industry,
                segment,
                country,
                website,
                owner,
                created,
            )

    fields = ["id", "name", "industry", "segment", "country", "website", "owner", "created_at"]
    world.loader.copy(Account, fields, rows())


def build_contacts(world: World) -> None:
    rng = world.rng
    accounts = len(world.account_language)
    per_account = 200_000 / 50_000
    first_id = next_id(Contact)

    def rows():
        contact_id = first_id
        for offset in range(accounts):
            language = world.account_language[offset]
            count = 1 + int(rng.random() * (2 * per_account - 1))
            domain = f"example-{offset}.{language}"
            for _ in range(count):
                first = rng.choice(corpus.FIRST_NAMES[language])
                last = rng.choice(corpus.LAST_NAMES[language])
                email = f"{first}.{last}@{domain}".lower().replace(" ", "")
                yield (
                    contact_id,
                    world.first_account + offset,
                    f"{first} {last}",
                    rng.choice(corpus.TITLES[language]),
                    email,
                    f"+{rng.randrange(31, 359)} {rng.randrange(10_000_000, 99_999_999)}",
                    "legitimate_interest" if rng.random() < 0.8 else "consent",
                    world.account_created[offset] + timedelta(days=rng.randrange(0, 60)),
                )
                contact_id += 1

    fields = ["id", "account", "name", "title", "email", "phone", "consent_basis", "created_at"]
    world.loader.copy(Contact, fields, rows())
