"""Opportunities with stage history, conversations and what the crm app derives from them."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from django.apps import apps

from bench import corpus
from bench.loader import col, next_id, table
from bench.world import World
from crm.models import (
    Conversation,
    ConversationObjection,
    FollowUp,
    Opportunity,
    OpportunityStageChange,
)
from crm.services import rules

STAGES = ["lead", "qualified", "proposal", "negotiation"]
PRODUCTS = {
    "fi": ["Kalustonhallinta", "Energiaseuranta", "Huoltosopimus", "Varastonohjaus"],
    "nl": ["Wagenparkbeheer", "Energiemonitoring", "Onderhoudscontract", "Voorraadbeheer"],
    "en": ["Fleet management", "Energy monitoring", "Service contract", "Inventory control"],
}
SOURCES = [("marketing", 35), ("sales", 40), ("partner", 15), ("referral", 10)]
CHANNELS = [("meeting", 30), ("call", 30), ("video", 20), ("email", 12), ("event", 4), ("chat", 4)]
OUTCOMES = [
    ("advanced", 36),
    ("no_change", 26),
    ("setback", 8),
    ("won", 7),
    ("lost", 6),
    ("no_decision", 5),
]
CLOSING = {"won", "lost", "no_decision"}
POOL_SIZE = 600


def build_opportunities(world: World) -> None:
    rng = world.rng
    total = world.n(100_000, minimum=200)
    accounts = len(world.account_language)
    first_id = next_id(Opportunity)
    changes: list[tuple] = []
    now = world.now

    def rows():
        for offset in range(total):
            opp_id = first_id + offset
            account_offset = int(rng.random() ** 1.5 * accounts)
            account_id = world.first_account + account_offset
            language = world.account_language[account_offset]
            owner = world.account_owner[account_offset]
            created = world.moment(world.growing_fraction())
            source = world.choice_weighted(SOURCES)
            campaign = None
            if source == "marketing":
                campaign = world.campaign_live_on(world.local_date(created))
            amount = Decimal(int(rng.lognormvariate(9.8, 0.9)) // 100 * 100 + 500)
            # Walk the stages: each step takes days; old deals are mostly closed.
            stage, at = "lead", created
            history = [("", "lead", created)]
            final = None
            for next_stage in STAGES[1:]:
                if rng.random() < 0.25:
                    break
                at = at + timedelta(days=rng.randrange(3, 40), hours=rng.randrange(0, 8))
                if at > now:
                    break
                history.append((stage, next_stage, at))
                stage = next_stage
            closed_at = None
            close_at = at + timedelta(days=rng.randrange(5, 60))
            if close_at < now and rng.random() < 0.85:
                final = "won" if rng.random() < (0.2 + 0.12 * STAGES.index(stage)) else "lost"
                history.append((stage, final, close_at))
                stage, closed_at, at = final, close_at, close_at
            for from_stage, to_stage, changed_at in history:
                changes.append((opp_id, from_stage, to_stage, changed_at, owner))
            world.opportunities_of.setdefault(account_id, []).append(opp_id)
            yield (
                opp_id,
                account_id,
                f"{rng.choice(PRODUCTS[language])} {created:%Y}",
                owner,
                stage,
                amount,
                "EUR" if rng.random() < 0.97 else "SEK",
                source,
                campaign,
                world.local_date(created) + timedelta(days=rng.randrange(30, 180)),
                created,
                at,
                closed_at,
                rng.choice(corpus.LOST_REASONS) if stage == "lost" else "",
            )

    fields = [
        "id",
        "account",
        "name",
        "owner",
        "stage",
        "amount",
        "currency",
        "source",
        "campaign",
        "expected_close_on",
        "created_at",
        "stage_changed_at",
        "closed_at",
        "lost_reason",
    ]
    world.loader.copy(Opportunity, fields, rows())
    world.loader.copy(
        OpportunityStageChange,
        ["opportunity", "from_stage", "to_stage", "changed_at", "changed_by"],
        changes,
    )


def _pools(world: World) -> dict:
    """Per language and field: (text, points toward the quality score) pairs."""
    rng = world.rng
    pools: dict = {}
    for language, fields in corpus.SENTENCES.items():
        for field, sentences in fields.items():
            pool = []
            for _ in range(POOL_SIZE):
                count = (
                    1 if field in ("customer_reaction", "next_step") else rng.choice((1, 2, 2, 3))
                )
                if field == "customer_reaction" and rng.random() < 0.4:
                    count = 2
                picked = rng.sample(sentences, k=min(count, len(sentences)))
                text = " ".join(picked).format(
                    n=rng.randrange(2, 40),
                    pct=rng.randrange(5, 45),
                    eur=f"{rng.randrange(10, 900) * 1000:,}".replace(",", " "),
                    w=rng.randrange(2, 12),
                )
                pool.append((text, _points(field, text)))
            pools[(language, field)] = pool
    return pools


def _points(field: str, text: str) -> float:
    """This text's share of the quality score, by the rules module's own weights."""
    weight = rules.WEIGHTS["next_step"] if field == "next_step" else rules.WEIGHTS[field]
    if rules.is_placeholder(text) or rules.is_vague(text):
        return 0.0
    if len(rules.words(text)) < rules.min_words(field):
        return 0.0
    return weight * min(1.0, len(rules.words(text)) / rules.FULL_MARK_WORDS[field])


def build_conversations(world: World) -> None:
    rng = world.rng
    total = world.n(1_000_000, minimum=1000)
    pools = _pools(world)
    accounts = len(world.account_language)
    first_id = next_id(Conversation)
    managers = [u for u in world.users_by_role.get("manager", []) if u not in world.inactive_users]
    placeholder = corpus.PLACEHOLDER_TEXTS
    objections = corpus.OBJECTIONS
    themes = world.active_themes
    theme_points = rules.WEIGHTS["theme"]
    objection_points = rules.WEIGHTS["objections"]
    closing_points = rules.WEIGHTS["next_step"] + rules.WEIGHTS["next_step_due"]
    due_points = rules.WEIGHTS["next_step_due"]
    random, choice, randrange = rng.random, rng.choice, rng.randrange
    samples: list[dict] = []

    def rows():
        for offset in range(total):
            conv_id = first_id + offset
            account_offset = int(random() ** 2.2 * accounts)
            account_id = world.first_account + account_offset
            language = world.account_language[account_offset]
            if random() < 0.08:
                language = "en"
            roll = random()
            if roll < 0.7:
                author = world.account_owner[account_offset]
            elif roll < 0.95 or not managers:
                author = choice(world.sales_by_language.get(language) or world.account_owner)
            else:
                author = choice(managers)
            occurred = world.moment(world.growing_fraction())
            occurred_on = world.local_date(occurred)
            opportunity = None
            opps = world.opportunities_of.get(account_id)
            if opps and random() < 0.5:
                opportunity = choice(opps)
            theme = choice(themes) if themes and random() < 0.35 else None
            campaign = None
            known = True
            if random() < 0.1:
                campaign = world.campaign_live_on(occurred_on)
                known = campaign is None or random() < 0.72
            tags = []
            tag_roll = random()
            if tag_roll > 0.45:
                tags = rng.sample(
                    objections[language], k=1 if tag_roll < 0.8 else (2 if tag_roll < 0.95 else 3)
                )
            outcome = world.choice_weighted(OUTCOMES)
            goal, goal_pts = choice(pools[(language, "customer_goal")])
            discussed, discussed_pts = choice(pools[(language, "discussed")])
            insight, insight_pts = ("", 0.0)
            if theme or random() < 0.5:
                insight, insight_pts = choice(pools[(language, "insight_shared")])
            reaction, reaction_pts = choice(pools[(language, "customer_reaction")])
            step, step_pts, due = "", 0.0, None
            if outcome not in CLOSING:
                step, step_pts = choice(pools[(language, "next_step")])
                due = occurred_on + timedelta(days=randrange(1, 30))
            status = "complete"
            if random() < 0.08:
                # A rushed draft: a placeholder or missing fields, so it cannot be complete.
                status = "draft"
                if random() < 0.5:
                    discussed, discussed_pts = choice(placeholder[language]), 0.0
                else:
                    reaction, reaction_pts, step, step_pts, due = "", 0.0, "", 0.0, None
                if random() < 0.3:
                    outcome = ""
            score = goal_pts + discussed_pts + insight_pts + reaction_pts
            if theme:
                score += theme_points
            if tags:
                score += objection_points
            if outcome in CLOSING:
                score += closing_points
            else:
                score += step_pts + (due_points if due else 0)
            quality = max(0, min(100, round(score)))
            created = occurred + timedelta(minutes=randrange(20, 60 * 30))
            created = min(created, world.now)
            row = (
                conv_id,
                account_id,
                opportunity,
                author,
                world.choice_weighted(CHANNELS),
                occurred,
                goal,
                discussed,
                insight,
                theme,
                reaction,
                json.dumps(tags, ensure_ascii=False),
                campaign,
                known,
                outcome,
                step,
                due,
                status,
                quality,
                created,
                created,
            )
            if len(samples) < 300:
                samples.append(
                    {
                        "customer_goal": goal,
                        "discussed": discussed,
                        "insight_shared": insight,
                        "customer_reaction": reaction,
                        "next_step": step,
                        "theme": theme,
                        "objections": tags,
                        "outcome": outcome,
                        "next_step_due": due,
                        "occurred_on": occurred_on,
                        "_score": quality,
                    }
                )
            if offset and offset % 200_000 == 0:
                world.loader.log(f"  … {offset:,} conversations")
            yield row

    fields = [
        "id",
        "account",
        "opportunity",
        "author",
        "channel",
        "occurred_at",
        "customer_goal",
        "discussed",
        "insight_shared",
        "theme",
        "customer_reaction",
        "objections",
        "campaign",
        "campaign_known_to_rep",
        "outcome",
        "next_step",
        "next_step_due",
        "status",
        "quality_score",
        "created_at",
        "updated_at",
    ]
    world.loader.copy_staged(Conversation, fields, rows())
    mismatches = [s for s in samples if rules.quality_score(s) != s["_score"]]
    if mismatches:
        world.loader.log(
            f"warning: {len(mismatches)} of {len(samples)} sampled quality scores differ "
            "from crm.services.rules.quality_score; update bench/build_crm.py"
        )


def derive_conversation_tables(world: World) -> None:
    """Rows the crm service writes beside each conversation, derived in SQL."""
    loader = world.loader
    conv, contact = table(Conversation), table(apps.get_model("crm", "Contact"))
    Contact = apps.get_model("crm", "Contact")
    Through = Conversation.contacts.through
    through_conv = col(Through, "conversation")
    through_contact = col(Through, "contact")
    c_id, c_account = col(Conversation, "id"), col(Conversation, "account")
    # One contact for every conversation and a second for every fourth, from the account.
    loader.execute(
        Through,
        f"""
        INSERT INTO {table(Through)} ({through_conv}, {through_contact})
        SELECT c.{c_id}, a.first_id + (c.{c_id} + k) % a.n
        FROM {conv} c
        JOIN (SELECT {col(Contact, "account")} AS account_id, min({col(Contact, "id")}) AS first_id,
                     count(*) AS n FROM {contact} GROUP BY 1) a ON a.account_id = c.{c_account}
        CROSS JOIN (VALUES (0), (1)) AS extra(k)
        WHERE k = 0 OR (c.{c_id} % 4 = 0 AND a.n > 1)
        """,
    )
    loader.execute(
        ConversationObjection,
        f"""
        INSERT INTO {table(ConversationObjection)}
            ({col(ConversationObjection, "conversation")}, {col(ConversationObjection, "tag")})
        SELECT c.{c_id}, t.tag FROM {conv} c
        CROSS JOIN LATERAL jsonb_array_elements_text(c.{col(Conversation, "objections")}) AS t(tag)
        """,
    )
    closing = list(Conversation.CLOSING_OUTCOMES)
    f = {
        name: col(FollowUp, name)
        for name in (
            "owner",
            "conversation",
            "account",
            "title",
            "due",
            "done_at",
            "created_at",
            "updated_at",
        )
    }
    loader.execute(
        FollowUp,
        f"""
        INSERT INTO {table(FollowUp)} ({", ".join(f.values())})
        SELECT c.{col(Conversation, "author")}, c.{c_id}, c.{c_account},
               c.{col(Conversation, "next_step")}, c.{col(Conversation, "next_step_due")},
               CASE WHEN c.{col(Conversation, "next_step_due")} < %s::date - (c.{c_id} %% 10)::int
                         AND c.{c_id} %% 100 < 88
                    THEN c.{col(Conversation, "next_step_due")}::timestamptz + interval '15 hours'
               END,
               c.{col(Conversation, "created_at")}, c.{col(Conversation, "created_at")}
        FROM {conv} c
        WHERE c.{col(Conversation, "status")} = 'complete'
          AND c.{col(Conversation, "next_step")} <> ''
          AND c.{col(Conversation, "next_step_due")} IS NOT NULL
          AND c.{col(Conversation, "outcome")} <> ALL(%s)
        """,
        [world.now.date(), closing],
    )
    _derive_triage(world)


def _derive_triage(world: World) -> None:
    """Marketing has reviewed about one conversation in seven (when the feed's model exists)."""
    try:
        Triage = apps.get_model("alignment", "ConversationTriage")
    except LookupError:
        return
    reviewers = [
        u for u in world.users_by_role.get("marketing", []) if u not in world.inactive_users
    ]
    if not reviewers:
        return
    conv = table(Conversation)
    c_id, created = col(Conversation, "id"), col(Conversation, "created_at")
    world.loader.execute(
        Triage,
        f"""
        INSERT INTO {table(Triage)} ({col(Triage, "conversation")}, {col(Triage, "reviewed_at")},
            {col(Triage, "reviewed_by")}, {col(Triage, "highlighted")}, {col(Triage, "updated_at")})
        SELECT c.{c_id}, c.{created} + interval '1 day',
               (%s::bigint[])[1 + c.{c_id} %% %s], c.{c_id} %% 50 = 0, c.{created} + interval '1 day'
        FROM {conv} c
        WHERE c.{c_id} %% 7 = 0 AND c.{created} < %s
        """,
        [reviewers, len(reviewers), world.now - timedelta(days=3)],
    )
