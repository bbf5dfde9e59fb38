"""Demo data: last month's closed round with its report and actions (one done,
with "you said, we did" sent), and this month's open round with entries of
every kind, some anonymous. Uses ctx.shared["themes"] / ["accounts"] when there.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.db.models import F
from django.utils import timezone

from .models import FeedbackEntry, FeedbackRound, RoundParticipant
from .months import month_of, shift_month
from .services.actions import change_action_status, create_action
from .services.entries import submit_entry
from .services.rounds import close_round, eligible_participants, open_round_for_month

# author, kind, category, anonymous, text, account index (or None), theme index (or None)
PREVIOUS_ENTRIES = [
    (
        "frank",
        "bad",
        "delivery",
        False,
        "Kesko's store in Tampere got the shelving two days late and nobody called them; the "
        "store manager found out from the carrier's tracking page.",
        0,
        None,
    ),
    (
        "femke",
        "bad",
        "delivery",
        True,
        "Klant in Utrecht kreeg de installatiedatum pas de avond ervoor door. Ze hadden al "
        "personeel ingeroosterd voor de dag daarvoor.",
        None,
        None,
    ),
    (
        "sam",
        "bad",
        "billing",
        False,
        "Valio's purchasing asked again why one order produces three invoices; they want one "
        "monthly invoice and threatened to move the small orders elsewhere.",
        1,
        None,
    ),
    (
        "sanna",
        "idea",
        "delivery",
        False,
        "Send an SMS with the delivery window the day before, like the parcel companies do. "
        "Customers keep asking us for exactly that.",
        None,
        None,
    ),
    (
        "daan",
        "good",
        "support",
        False,
        "De servicedesk loste het probleem met de koelunit bij de klant in Eindhoven binnen "
        "een uur op. De klant noemde het spontaan in ons gesprek.",
        None,
        0,
    ),
    (
        "mark",
        "idea",
        "marketing",
        True,
        "Our spring flyer promised free installation, but the order form still charges it. "
        "Two customers pointed at the flyer at the counter.",
        None,
        None,
    ),
    (
        "aino",
        "good",
        "sales",
        False,
        "The joint visit with sales at a Turku bakery chain worked well: the quoting-time "
        "benchmark started a real conversation with their CFO.",
        None,
        0,
    ),
]

# More customer-facing colleagues, so the report has groups of five or more.
COLLEAGUES = [
    ("joni", "Joni", "Heikkinen"),
    ("eveliina", "Eveliina", "Rantanen"),
    ("sanne", "Sanne", "Visser"),
    ("pieter", "Pieter", "Mulder"),
    ("kaisa", "Kaisa", "Lehtonen"),
    ("ruben", "Ruben", "Smit"),
    ("minna", "Minna", "Salo"),
    ("lotte", "Lotte", "de Graaf"),
]

COLLEAGUE_ENTRIES = [
    (
        "joni",
        "bad",
        "delivery",
        False,
        "The carrier left pallets outside a closed restaurant in Vaasa; the customer found them "
        "wet in the morning and asked who pays.",
        None,
        None,
    ),
    (
        "eveliina",
        "bad",
        "delivery",
        False,
        "A hotel in Rovaniemi got the wrong voltage model. Our order system did not warn that "
        "the model differs from last year's.",
        None,
        None,
    ),
    (
        "sanne",
        "bad",
        "delivery",
        False,
        "Bij een bakkerij in Amersfoort stond de monteur voor een dichte deur; de afspraak was "
        "nooit bevestigd.",
        None,
        None,
    ),
    (
        "pieter",
        "bad",
        "delivery",
        True,
        "Levering in Den Bosch kwam een dag te vroeg. De klant had geen ruimte en moest alles "
        "buiten laten staan.",
        None,
        None,
    ),
    (
        "kaisa",
        "good",
        "support",
        False,
        "Remote diagnosis saved a technician trip to Kuopio; the customer was running again in "
        "twenty minutes and said so in a review.",
        None,
        None,
    ),
    (
        "ruben",
        "good",
        "support",
        False,
        "Klant in Groningen was blij dat de servicedesk terugbelde met een oplossing in plaats "
        "van een ticketnummer.",
        None,
        None,
    ),
    (
        "minna",
        "good",
        "support",
        False,
        "A school kitchen in Lahti praised the clear maintenance instructions we sent after "
        "the repair.",
        None,
        None,
    ),
    (
        "lotte",
        "good",
        "support",
        False,
        "Een zorginstelling in Zwolle noemde onze storingsdienst 'de enige die echt opneemt' "
        "tijdens de kerstdagen.",
        None,
        None,
    ),
]

CURRENT_ENTRIES = [
    (
        "frank",
        "good",
        "support",
        False,
        "A customer in Oulu thanked us for calling back within the hour when their "
        "dishwasher line stopped on a Saturday.",
        None,
        None,
    ),
    (
        "femke",
        "bad",
        "digital",
        True,
        "De webshop toont 'op voorraad' voor onderdelen die pas over drie weken leverbaar "
        "zijn. Klanten bellen dan boos op.",
        None,
        None,
    ),
    (
        "femke",
        "idea",
        "digital",
        False,
        "Toon in de webshop de verwachte leverdatum in plaats van alleen 'op voorraad'. "
        "Dat scheelt ons veel telefoontjes.",
        None,
        None,
    ),
    (
        "sam",
        "bad",
        "pricing",
        True,
        "The new price list reached customers before it reached us; a buyer quoted the new "
        "discount to me and I had never seen it.",
        None,
        1,
    ),
    (
        "sanna",
        "idea",
        "internal",
        False,
        "Let sales see the open support tickets of an account before a visit, so we do not "
        "walk in blind when something is broken.",
        2,
        None,
    ),
]


def _day_in(month: str, day: int):
    year, mon = (int(part) for part in month.split("-"))
    return timezone.datetime(year, mon, day).date()


def _write(ctx, feedback_round, rows, *, submitted_day: int | None = None) -> list[FeedbackEntry]:
    themes = [t for t in ctx.shared.get("themes", []) if t.status == "active"]
    accounts = list(ctx.shared.get("accounts", []))
    entries = []
    for username, kind, category, anonymous, text, account_index, theme_index in rows:
        entry = submit_entry(
            feedback_round=feedback_round,
            author=ctx.users[username],
            kind=kind,
            text=text,
            category=category,
            anonymous=anonymous,
            themes=[themes[theme_index]]
            if theme_index is not None and themes[theme_index:]
            else [],
            account=accounts[account_index]
            if account_index is not None and accounts[account_index:]
            else None,
        )
        entries.append(entry)
    if submitted_day is not None:
        FeedbackEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            submitted_on=_day_in(feedback_round.month, submitted_day)
        )
    return entries


def _month_start(month: str):
    """06:00 local time on the 1st, when the beat job opens a round."""
    return timezone.make_aware(timezone.datetime.combine(_day_in(month, 1), time(6, 0)))


def _previous_round(ctx) -> FeedbackRound:
    month = shift_month(month_of(ctx.now), -1)
    opens_at = _month_start(month)
    feedback_round = FeedbackRound.objects.create(
        month=month,
        opens_at=opens_at,
        # Open while the demo writes into it; closed right after.
        closes_at=ctx.now + timedelta(hours=1),
        opened_by=ctx.users["maria"],
    )
    RoundParticipant.objects.bulk_create(
        [RoundParticipant(round=feedback_round, user=u) for u in eligible_participants()]
    )
    return feedback_round


def _colleagues(ctx) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.models import Team

    team, _ = Team.objects.get_or_create(name="Customer Service")
    frontline, _ = Group.objects.get_or_create(name="frontline")
    for username, first, last in COLLEAGUES:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.silta.invalid",
                "team": team,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(frontline)
        ctx.users[username] = user


def load(ctx) -> None:
    maria, mark, aino = ctx.users["maria"], ctx.users["mark"], ctx.users["aino"]
    _colleagues(ctx)

    previous = _previous_round(ctx)
    old = _write(ctx, previous, PREVIOUS_ENTRIES, submitted_day=4)
    _write(ctx, previous, COLLEAGUE_ENTRIES, submitted_day=6)
    late = create_action(
        created_by=maria,
        title="Call the customer when a delivery slips",
        entries=[old[0], old[1], old[3]],
        owner=maria,
        due=ctx.now.date() - timedelta(days=5),
        description="Logistics tells customer service the same day; service calls the customer.",
    )
    invoices = create_action(
        created_by=mark,
        title="Offer one monthly invoice to key accounts",
        entries=[old[2]],
        due=ctx.now.date() + timedelta(days=20),
    )
    flyer = create_action(
        created_by=aino,
        title="Check every campaign promise against the order form before launch",
        entries=[old[5]],
        owner=aino,
    )
    change_action_status(action=invoices, status="in_progress")
    change_action_status(action=flyer, status="planned")
    change_action_status(
        action=late,
        status="done",
        outcome=(
            "Since the 15th logistics flags every slipped delivery by noon and customer "
            "service calls the customer the same day. Three calls so far; all customers "
            "thanked us for the heads-up."
        ),
    )
    FeedbackRound.objects.filter(pk=previous.pk).update(
        closes_at=F("opens_at") + timedelta(days=10)
    )
    close_round(round_id=previous.pk, now=previous.opens_at + timedelta(days=10))

    this_month = month_of(ctx.now)
    current, _created = open_round_for_month(
        month=this_month,
        now=max(ctx.now - timedelta(days=2), min(_month_start(this_month), ctx.now)),
        opened_by=maria,
    )
    fresh = _write(ctx, current, CURRENT_ENTRIES)
    _write(ctx, current, [COLLEAGUE_ENTRIES[4], COLLEAGUE_ENTRIES[2]])
    create_action(
        created_by=mark,
        title="Show expected delivery dates in the webshop",
        entries=[fresh[1], fresh[2]],
        owner=aino,
        due=ctx.now.date() + timedelta(days=30),
    )
    ctx.shared["feedback_rounds"] = [previous, current]
