"""What the rollup writes: the figures kept, breakdowns and totals, both SQL strategies."""

from datetime import date
from decimal import Decimal

import pytest

from alignment.models import Theme
from kpis.metrics import registry
from kpis.models import KpiSnapshot
from kpis.services.rollup import rollup_kpis
from tests.factories import UserFactory
from tests.kpis.factories import (
    KpiSnapshotFactory,
    make_account,
    make_conversation,
)
from tests.kpis.helpers import at, figure


def test_one_slice_computed_alone_equals_what_the_rollup_stored(db, activity):
    from kpis.metrics import Window
    from kpis.services.fresh import figures_of

    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 4, 30))
    window = Window.covering("day", date(2026, 3, 1), date(2026, 4, 30))
    figures = figures_of(registry.metrics["conversations_logged"], window, "all")
    assert dict(figures) == {
        ("conversations_logged", date(2026, 3, 3), ""): Decimal("1.0000"),
        ("conversations_logged", date(2026, 3, 17), ""): Decimal("1.0000"),
        ("conversations_logged", date(2026, 4, 2), ""): Decimal("1.0000"),
    }
    stored = {
        (row.metric, row.period_start, row.dimension_id): row.value
        for row in KpiSnapshot.objects.filter(
            metric="conversations_logged", period="day", dimension="all"
        )
    }
    assert stored == dict(figures)


def test_per_person_figures_are_kept_by_week_and_month_without_breakdowns(db):
    from tests.factories import TeamFactory

    team = TeamFactory(name="North")
    seller = UserFactory(username="ella", roles=["sales"], team=team)
    account = make_account("Rakennus Oy", segment="construction")
    make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 4), objections=["price"]
    )
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))

    person = KpiSnapshot.objects.filter(dimension="user", dimension_id=str(seller.pk))
    assert set(person.values_list("period", flat=True)) == {"week", "month"}
    assert not person.filter(metric__contains=":").exists()
    assert figure("objections_top", "month", date(2026, 3, 1), "user", seller.pk) == 1
    # Teams, segments and the whole company keep days and breakdowns.
    assert figure("objections_top:price", "day", date(2026, 3, 4), "team", team.pk) == 1
    assert figure("conversations_logged", "day", date(2026, 3, 4), "segment", "construction") == 1


def test_objections_of_deleted_or_imported_conversations_do_not_count(db, activity):
    seller, account = activity
    kept = make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 9), objections=["price"]
    )
    deleted = make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 9), objections=["price"]
    )
    make_conversation(
        author=seller,
        account=account,
        occurred_at=at(2026, 3, 9),
        objections=["price"],
        imported=True,
    )
    type(deleted).all_objects.filter(pk=deleted.pk).update(deleted_at=at(2026, 3, 10))
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert kept.pk and figure("objections_top:price", "day", date(2026, 3, 9)) == 1
    assert figure("objections_top", "month", date(2026, 3, 1)) == 1


def test_grouping_sets_and_the_portable_cross_join_give_the_same_figures(postgres, activity):
    from kpis.metrics import Window
    from kpis.services.fresh import figures_of

    seller, account = activity
    make_conversation(
        author=seller, account=account, occurred_at=at(2026, 3, 17), objections=["price", "time"]
    )
    for key in ("objections_top", "conversation_completeness", "stage_reached"):
        metric = registry.metrics[key]
        for period in ("day", "week", "month"):
            window = Window.covering(period, date(2026, 3, 1), date(2026, 4, 30))
            for dimension in ("all", "team", "user", "segment"):
                fast = figures_of(metric, window, dimension, portable=False)
                portable = figures_of(metric, window, dimension, portable=True)
                assert fast == portable, (key, period, dimension)
    month = Window.covering("month", date(2026, 3, 1), date(2026, 3, 31))
    assert figures_of(registry.metrics["objections_top"], month, "all", portable=True) == {
        ("objections_top", date(2026, 3, 1), ""): Decimal("2.0000"),
        ("objections_top:price", date(2026, 3, 1), ""): Decimal("1.0000"),
        ("objections_top:time", date(2026, 3, 1), ""): Decimal("1.0000"),
    }


def test_the_migration_drops_per_person_figures_the_rollup_no_longer_keeps(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("kpis.migrations.0004_drop_per_person_day_and_breakdown_figures")
    for metric, period, dimension in [
        ("conversations_logged", "day", "user"),
        ("objections_top:price", "month", "user"),
        ("conversations_logged", "month", "user"),
        ("objections_top:price", "day", "team"),
    ]:
        KpiSnapshotFactory(metric=metric, period=period, dimension=dimension, dimension_id="4")
    migration.drop_figures_no_longer_kept(apps, None)
    assert sorted(KpiSnapshot.objects.values_list("metric", "period", "dimension")) == [
        ("conversations_logged", "month", "user"),
        ("objections_top:price", "day", "team"),
    ]


def test_a_metric_owns_exactly_its_breakdowns_not_lookalike_keys(db, activity):
    march = date(2026, 3, 1)
    for key in ("objectionsXtop:price", "objections_topper", "objections_top:gone"):
        KpiSnapshotFactory(metric=key, period="month", period_start=march, value=5)
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert figure("objectionsXtop:price", "month", march) == 5  # `_` is no wildcard here
    assert figure("objections_topper", "month", march) == 5
    assert figure("objections_top:gone", "month", march) is None  # stale breakdown


def test_rows_without_a_part_give_no_breakdown_figure(db, activity):
    from crm.models import Conversation
    from kpis.metrics import Window
    from kpis.metrics.base import Metric
    from kpis.metrics.grouped import Grouped
    from kpis.services.fresh import figures_of

    seller, account = activity  # their conversations have no theme
    theme = Theme.objects.create(title="Energy as a service", insight="Pay per use")
    make_conversation(author=seller, account=account, occurred_at=at(2026, 3, 9), theme=theme)
    by_theme = Metric(
        key="by_theme",
        function=None,
        dimensions=(),
        grouped=lambda: Grouped(
            rows=Conversation.objects.all(),
            date_field="occurred_at",
            paths={"all": None},
            part="theme_id",
        ),
    )
    month = Window.covering("month", date(2026, 3, 1), date(2026, 3, 31))
    assert figures_of(by_theme, month, "all") == {
        (f"by_theme:{theme.pk}", date(2026, 3, 1), ""): Decimal("1.0000")
    }


def test_a_total_over_parts_takes_one_additive_value():
    from crm.models import Conversation
    from kpis.metrics.grouped import Grouped, count, mean

    common = {"rows": Conversation.objects.all(), "date_field": "occurred_at", "paths": {}}
    with pytest.raises(ValueError, match="one count"):
        Grouped(**common, part="theme_id", with_total=True, values={"": mean("quality")})
    with pytest.raises(ValueError, match="one count"):
        Grouped(**common, part="tag", with_total=True, values={"a": count(), "b": count()})
