"""What the generator's builders share: the seeded random source, the clock and the ids made so far."""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from bench.loader import Loader

YEARS = 5


@dataclass
class World:
    scale: float
    seed: int
    loader: Loader
    rng: random.Random = field(init=False)
    now: datetime = field(init=False)
    start: datetime = field(init=False)
    tz: ZoneInfo = field(init=False)
    # user ids
    users_by_role: dict[str, list[int]] = field(default_factory=dict)
    user_language: dict[int, str] = field(default_factory=dict)
    user_team: dict[int, int] = field(default_factory=dict)
    sales_by_language: dict[str, list[int]] = field(default_factory=dict)
    inactive_users: set[int] = field(default_factory=set)
    # accounts: parallel lists indexed by (account id - first_account)
    first_account: int = 0
    account_language: list[str] = field(default_factory=list)
    account_owner: list[int] = field(default_factory=list)
    account_created: list[datetime] = field(default_factory=list)
    opportunities_of: dict[int, list[int]] = field(default_factory=dict)
    # alignment
    active_themes: list[int] = field(default_factory=list)
    all_themes: list[int] = field(default_factory=list)
    campaign_starts: list[date] = field(default_factory=list)
    campaign_ids: list[int] = field(default_factory=list)
    campaign_ends: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        # A fixed clock per day keeps the data deterministic for a seed and a date.
        today = timezone.localdate()
        self.now = min(
            datetime(today.year, today.month, today.day, 6, 0, tzinfo=self.tz), timezone.now()
        )
        self.start = self.now - timedelta(days=365 * YEARS + 1)

    def n(self, design_count: int, minimum: int = 1) -> int:
        return max(minimum, round(design_count * self.scale))

    @property
    def span_seconds(self) -> float:
        return (self.now - self.start).total_seconds()

    def moment(self, fraction: float, *, working_hours: bool = True) -> datetime:
        """A time at `fraction` of the five years, moved into office hours."""
        at = self.start + timedelta(seconds=fraction * self.span_seconds)
        if working_hours:
            local = at.astimezone(self.tz)
            hour = 8 + int(self.rng.random() * 9)
            at = local.replace(hour=hour, minute=self.rng.randrange(60), second=0, microsecond=0)
        return min(at, self.now - timedelta(hours=1))

    def growing_fraction(self) -> float:
        """Activity grows over the years: density rises linearly toward today."""
        return self.rng.random() ** 0.5

    def campaign_live_on(self, day: date) -> int | None:
        """A campaign running on `day`, if any (the latest one that started by then)."""
        index = bisect_right(self.campaign_starts, day) - 1
        for candidate in range(index, max(-1, index - 4), -1):
            if self.campaign_ends[candidate] >= day:
                return self.campaign_ids[candidate]
        return None

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def choice_weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights)[0]
