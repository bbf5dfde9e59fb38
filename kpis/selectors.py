"""Reads for KPI pages and the API: snapshots, rollup runs, assessment results."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Avg, Count, QuerySet

from .instrument import AREAS, stage_for
from .models import (
    AssessmentAnswer,
    AssessmentResponse,
    AssessmentRound,
    AssessmentSide,
    Dimension,
    KpiSnapshot,
    Period,
    RollupRun,
)


def snapshots(
    *,
    period: str,
    dimension: str,
    dimension_id: str,
    since: date,
    until: date,
) -> QuerySet[KpiSnapshot]:
    """Every figure of one slice in [since, until] — the dashboard's one data query."""
    return KpiSnapshot.objects.filter(
        period=period,
        dimension=dimension,
        dimension_id=dimension_id,
        period_start__gte=since,
        period_start__lte=until,
    ).only("metric", "period_start", "value")


def segment_names() -> list[str]:
    """Segments that have figures (from the snapshots, not from raw rows).

    A loose index scan: per period, hop from one segment to the next along
    kpi_snapshot_dashboard_idx (period, dimension, dimension_id, …), a few dozen index
    probes instead of reading the hundreds of thousands of segment figures.
    """
    table = connection.ops.quote_name(KpiSnapshot._meta.db_table)
    periods = ", ".join(["(%s)"] * len(Period.values))
    sql = f"""
        WITH RECURSIVE segment(period, name) AS (
            SELECT p.column1, (
                SELECT k.dimension_id FROM {table} k
                WHERE k.period = p.column1 AND k.dimension = %s
                ORDER BY k.dimension_id LIMIT 1
            )
            FROM (VALUES {periods}) AS p
            UNION ALL
            SELECT s.period, (
                SELECT k.dimension_id FROM {table} k
                WHERE k.period = s.period AND k.dimension = %s AND k.dimension_id > s.name
                ORDER BY k.dimension_id LIMIT 1
            )
            FROM segment s WHERE s.name IS NOT NULL
        )
        SELECT DISTINCT name FROM segment WHERE name IS NOT NULL ORDER BY name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [Dimension.SEGMENT, *Period.values, Dimension.SEGMENT])
        return [name for (name,) in cursor.fetchall()]


def latest_rollup_run() -> RollupRun | None:
    return RollupRun.objects.select_related("requested_by").first()


def assessment_rounds() -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.select_related("opened_by")
        .annotate(response_count=Count("responses"), mean_total=Avg("responses__total"))
        .order_by("-opened_at", "-id")  # Meta.ordering does not apply to grouped queries
    )


def response_of(*, round_id: int, user) -> AssessmentResponse | None:
    return AssessmentResponse.objects.filter(round_id=round_id, respondent=user).first()


def assessment_results(*, assessment_round: AssessmentRound) -> dict:
    """Stage, totals per side and the mean score per area per side with the sales–marketing gap."""
    responses = AssessmentResponse.objects.filter(round=assessment_round)
    overall = responses.aggregate(mean=Avg("total"), count=Count("id"))
    per_side = {
        row["side"]: row
        for row in responses.values("side")
        .annotate(mean=Avg("total"), count=Count("id"))
        .order_by()
    }
    area_rows = (
        AssessmentAnswer.objects.filter(response__round=assessment_round)
        .values("area", "response__side")
        .annotate(mean=Avg("score"))
        .order_by()
    )
    area_scores: dict[str, dict[str, float]] = {}
    for row in area_rows:
        area_scores.setdefault(row["area"], {})[row["response__side"]] = float(row["mean"])
    areas = []
    for area in AREAS:
        scores = area_scores.get(area.key, {})
        sales = scores.get(AssessmentSide.SALES)
        marketing = scores.get(AssessmentSide.MARKETING)
        areas.append(
            {
                "key": area.key,
                "label": area.label,
                "sales": sales,
                "marketing": marketing,
                "manager": scores.get(AssessmentSide.MANAGER),
                "all": _mean(scores.values()),
                "gap": None if sales is None or marketing is None else round(sales - marketing, 2),
            }
        )
    sides = [
        {
            "key": side,
            "label": label,
            "count": per_side.get(side, {}).get("count", 0),
            "mean": _float(per_side.get(side, {}).get("mean")),
            "stage": stage_for(per_side.get(side, {}).get("mean")),
        }
        for side, label in AssessmentSide.choices
    ]
    return {
        "count": overall["count"],
        "mean": _float(overall["mean"]),
        "stage": stage_for(overall["mean"]),
        "sides": sides,
        "areas": areas,
    }


def assessment_trend() -> list[dict]:
    """Mean total per round and side, oldest round first (one grouped query)."""
    rows = (
        AssessmentResponse.objects.values("round_id", "round__title", "round__opened_at", "side")
        .annotate(mean=Avg("total"))
        .order_by("round__opened_at", "round_id")
    )
    rounds: dict[int, dict] = {}
    for row in rows:
        entry = rounds.setdefault(
            row["round_id"], {"title": row["round__title"], "opened_at": row["round__opened_at"]}
        )
        entry[row["side"]] = round(float(row["mean"]), 1)
    return list(rounds.values())


def _float(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 2) if values else None
