"""SQL functions SQLite lacks, registered on each of its connections (see KpisConfig.ready)."""

from __future__ import annotations

import statistics


class Median:
    """`silta_median(x)`: the middle value of the non-NULL inputs (PostgreSQL's
    `percentile_cont(0.5)`), NULL for none."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def register_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("silta_median", 1, Median)
