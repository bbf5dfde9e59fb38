"""Demo data: two self-assessment rounds answered by both sides, then a KPI rollup.

Runs last in core.demo.APP_ORDER, so the rollup sees the CRM, campaign and
feedback demo data and the dashboard opens with figures.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .instrument import STATEMENTS
from .models import AssessmentRound
from .services.assessment import close_round, submit_response
from .services.rollup import rollup_kpis

# Per side, how true each area feels (1–5). Sales and marketing disagree most on
# shared metrics and hand-offs, as the HBR article says they often do.
AREA_SCORES = {
    "spring": {
        "sales": {
            "metrics": 1,
            "planning": 2,
            "language": 2,
            "handoffs": 1,
            "field": 2,
            "presence": 1,
            "training": 2,
            "culture": 2,
        },
        "marketing": {
            "metrics": 3,
            "planning": 3,
            "language": 3,
            "handoffs": 3,
            "field": 2,
            "presence": 2,
            "training": 2,
            "culture": 3,
        },
        "manager": {
            "metrics": 2,
            "planning": 3,
            "language": 2,
            "handoffs": 2,
            "field": 2,
            "presence": 2,
            "training": 2,
            "culture": 3,
        },
    },
    "autumn": {
        "sales": {
            "metrics": 3,
            "planning": 3,
            "language": 3,
            "handoffs": 3,
            "field": 4,
            "presence": 2,
            "training": 3,
            "culture": 3,
        },
        "marketing": {
            "metrics": 4,
            "planning": 4,
            "language": 3,
            "handoffs": 3,
            "field": 3,
            "presence": 3,
            "training": 3,
            "culture": 4,
        },
        "manager": {
            "metrics": 3,
            "planning": 4,
            "language": 3,
            "handoffs": 3,
            "field": 3,
            "presence": 3,
            "training": 3,
            "culture": 4,
        },
    },
}
RESPONDENTS = {
    "sales": ["sam", "sanna", "daan"],
    "marketing": ["mark", "aino"],
    "manager": ["maria"],
}


def _scores(side: str, season: str, nudge: int) -> dict[str, int]:
    areas = AREA_SCORES[season][side]
    scores = {}
    for index, statement in enumerate(STATEMENTS):
        # Each person differs a little from their side's view.
        score = areas[statement.area] + (1 if (index + nudge) % 5 == 0 else 0)
        scores[statement.key] = max(1, min(5, score))
    return scores


def load(ctx) -> None:
    if AssessmentRound.objects.exists():
        return
    manager = ctx.users["maria"]
    rounds = [
        ("spring", "Kevät 2026 – spring check", ctx.now - timedelta(days=150), True),
        ("autumn", "Syksy 2026 – autumn check", ctx.now - timedelta(days=20), False),
    ]
    for season, title, opened_at, closed in rounds:
        assessment_round = AssessmentRound.objects.create(
            title=title, opened_by=manager, opened_at=opened_at
        )
        for side, usernames in RESPONDENTS.items():
            for nudge, username in enumerate(usernames):
                submit_response(
                    respondent=ctx.users[username],
                    round_id=assessment_round.pk,
                    scores=_scores(side, season, nudge),
                )
        if closed:
            close_round(closed_by=manager, round_id=assessment_round.pk)
    today = timezone.localdate()
    since = (today.replace(day=1) - timedelta(days=180)).replace(day=1)
    rollup_kpis(since=since, until=today, requested_by=manager)
