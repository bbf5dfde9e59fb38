"""Run one function from several threads released at the same moment (real races)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(function: Callable[[], object], *, times: int) -> list:
    """`function()` from `times` threads at once, each on its own database connection;
    the results (in finishing order). Any error in a thread fails the calling test."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results
