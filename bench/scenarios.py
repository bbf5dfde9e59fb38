"""The benchmark scenarios of issue 7. Each returns result rows; none may crash the run.

A row is a dict: scenario, figure, value (text), target (text), met (True/False/None),
floor (text), ratio (text), note. A scenario whose endpoint or service does not exist
yet returns a "not measured: <reason>" row.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8


def row(scenario, figure, value, target="", met=None, floor="", ratio="", note="") -> dict:
    return {
        "scenario": scenario,
        "figure": figure,
        "value": value,
        "target": target,
        "met": met,
        "floor": floor,
        "ratio": ratio,
        "note": note,
        "load": os.getloadavg()[0],
    }


def not_measured(scenario: str, figure: str, reason: str, target: str = "") -> dict:
    return row(scenario, figure, f"not measured: {reason}", target=target)


def median_time(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# --- rollup -----------------------------------------------------------------------


def _child(args: list[str], *, timeout: float | None = None) -> dict:
    """Run `bench/run.py --child ...` on the same database and return its JSON answer."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        "--database-url",
        os.environ["DATABASE_URL"],
        "--redis-url",
        os.environ["CELERY_BROKER_URL"],
        "--child",
        *args,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        peak = _peak_rss_mb(process.pid)
        process.kill()
        stdout, _stderr = process.communicate()
        raise StoppedChild(stdout, peak) from None
    if process.returncode != 0:
        lines = [
            line
            for line in (stderr or stdout).strip().splitlines()
            if line[:1].isalpha() and ("Error" in line or "Exception" in line)
        ] or (stderr or stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else f"exit status {process.returncode}")
    return json.loads(stdout.strip().splitlines()[-1])


class StoppedChild(Exception):
    """The child ran past the cap; carries its output so far and its peak RSS."""

    def __init__(self, stdout: str, peak_mb: float | None):
        super().__init__("stopped at the cap")
        self.stdout = stdout
        self.peak_mb = peak_mb


def _peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a running process, from /proc (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _stopped_run(cap: float) -> str:
    """Progress of a rollup run the bench stopped at its time cap; marks the run failed."""
    from kpis.models import RollupRun

    run = RollupRun.objects.order_by("-pk").first()
    if run is None or run.finished:
        return ""
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupRun.Status.FAILED, error=f"stopped by the benchmark after {cap:.0f} s"
    )
    return (
        f"{run.metrics_done} of {run.metrics_total} metrics done "
        f"({run.rows_written:,} figures), stopped in {run.current_metric}"
    )


def rollup(*, repeat: int, cap: float = 300) -> list[dict]:
    """The full rollup twice over: into an empty snapshot table (a new installation or
    history just imported), then `repeat` times over the figures that left (a manager's
    recompute, where unchanged figures cost no write). Both must meet the target."""
    try:
        from kpis.services.rollup import rollup_kpis  # noqa: F401
    except ImportError as exc:
        return [not_measured("rollup", "full rollup_kpis", str(exc), "≤ 60 s, ≤ 300 MB")]
    from django.conf import settings

    from crm.models import Conversation
    from kpis.models import KpiSnapshot
    from kpis.services.rollup import ROLLUP_WORK_MEM

    first = Conversation.objects.order_by("occurred_at").values_list("occurred_at", flat=True)[:1]
    since = timezone.localdate(first[0]) if first else timezone.localdate() - timedelta(days=1)
    until = timezone.localdate()
    figure = f"full rollup_kpis {since}…{until} (every metric, period, dimension)"
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {KpiSnapshot._meta.db_table}")
    rows, peaks = [], []
    for label, runs in (("into an empty table", 1), ("recompute over its figures", repeat)):
        times = []
        for _ in range(runs):
            try:
                answer = _child(["rollup-full", since.isoformat(), until.isoformat()], timeout=cap)
            except StoppedChild as stopped:
                rows += _stopped_rows(f"{figure}, {label}", stopped, cap)
                return rows + _incremental(repeat) + [_rollup_floor(since, until, repeat=3)]
            times.append(answer["seconds"])
            peaks.append(answer["peak_mb"])
        seconds = statistics.median(times)
        count = KpiSnapshot.objects.count()
        rows.append(
            row(
                "rollup",
                f"{figure}, {label}",
                f"{seconds:.1f} s (median of {runs}; {count:,} figures, "
                f"{answer['rows']:,} written)",
                "≤ 60 s",
                seconds <= 60,
                note=f"{settings.SILTA_ROLLUP_WORKERS} database connections side by side",
            )
        )
    rows.append(
        row(
            "rollup",
            "full rollup peak memory (max RSS of the process)",
            f"{max(peaks):.0f} MB (Django alone: {answer['baseline_mb']:.0f} MB)",
            "≤ 300 MB",
            max(peaks) <= 300,
            note="PostgreSQL's own memory is not counted: each rollup transaction may use "
            f"up to work_mem {ROLLUP_WORK_MEM} per hash table",
        )
    )
    rows += _incremental(repeat)
    rows.append(_rollup_floor(since, until, repeat=max(3, repeat)))
    return rows


def _stopped_rows(figure: str, stopped: StoppedChild, cap: float) -> list[dict]:
    progress = _stopped_run(cap)
    if stopped.peak_mb is not None:
        progress += f"; peak RSS {stopped.peak_mb:.0f} MB when stopped"
    rows = [
        row(
            "rollup",
            figure,
            f"> {cap:.0f} s (stopped at the bench's cap)",
            "≤ 60 s",
            False,
            note=progress,
        )
    ]
    if stopped.peak_mb is not None:
        rows.append(
            row(
                "rollup",
                "full rollup peak memory (max RSS of the process)",
                f"{stopped.peak_mb:.0f} MB when stopped at {cap:.0f} s (a lower bound)",
                "≤ 300 MB",
                False if stopped.peak_mb > 300 else None,
            )
        )
    return rows


def _incremental(repeat: int, cap: float = 300) -> list[dict]:
    figure = "nightly incremental rollup_kpis (last month → today)"
    try:
        answer = _child(["rollup-incremental", str(repeat)], timeout=cap)
    except StoppedChild as stopped:
        progress = _stopped_run(cap)
        output = stopped.stdout or ""
        done = [
            json.loads(line)["run_seconds"]
            for line in output.splitlines()
            if line.startswith('{"run_seconds"')
        ]
        value = f"> {cap:.0f} s for {repeat} runs (stopped)"
        if done:
            value = (
                f"{statistics.median(done):.1f} s (median of the {len(done)} run(s) "
                f"finished within the {cap:.0f} s cap)"
            )
        return [row("rollup", figure, value, "≤ 5 s", False, note=progress)]
    return [
        row(
            "rollup",
            figure,
            f"{answer['seconds']:.1f} s (median of {repeat}; peak {answer['peak_mb']:.0f} MB)",
            "≤ 5 s",
            answer["seconds"] <= 5,
        )
    ]


def _rollup_floor(since, until, *, repeat: int) -> dict:
    """conversations_logged, month × all: the rollup's own query vs one hand-written query."""
    from django.conf import settings

    from crm.models import Conversation
    from kpis.metrics import Window, registry
    from kpis.services.fresh import figures_of

    metric = registry.metrics.get("conversations_logged")
    if metric is None:
        return not_measured("rollup", "slice month/all", "metric conversations_logged missing")
    window = Window.covering("month", since, until)
    slice_time, figures = median_time(lambda: figures_of(metric, window, "all"), repeat)
    occurred = Conversation._meta.get_field("occurred_at").column
    sql = (
        f"SELECT (date_trunc('month', {occurred} AT TIME ZONE %s))::date, count(*) "
        f"FROM {Conversation._meta.db_table} WHERE {occurred} >= %s AND {occurred} < %s "
        "GROUP BY 1"
    )

    def floor_query():
        with connection.cursor() as cursor:
            cursor.execute(sql, [settings.TIME_ZONE, window.start_dt, window.end_dt])
            return cursor.fetchall()

    floor_time, floor_rows = median_time(floor_query, repeat)
    agree = sum(figures.values()) == sum(count for _, count in floor_rows)
    return row(
        "rollup",
        "slice conversations_logged × month × all",
        f"{slice_time * 1000:.0f} ms (median of {repeat})",
        "",
        None,
        f"hand-written GROUP BY: {floor_time * 1000:.0f} ms",
        f"{slice_time / floor_time:.2f}×",
        "" if agree else "figures differ from the floor query!",
    )


def child_rollup(kind: str, args: list[str]) -> dict:
    """Inside the child process: run the rollup, report time and peak memory."""
    import resource

    from kpis.services.rollup import rollup_kpis

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if kind == "rollup-full":
        from datetime import date

        since, until = date.fromisoformat(args[0]), date.fromisoformat(args[1])
        started = time.perf_counter()
        run = rollup_kpis(since=since, until=until)
        seconds = time.perf_counter() - started
    else:
        times = []
        for _ in range(int(args[0])):
            started = time.perf_counter()
            run = rollup_kpis()
            times.append(time.perf_counter() - started)
            # One line per run, so a parent that stops us at its cap still has the times.
            print(json.dumps({"run_seconds": times[-1]}), flush=True)
        seconds = statistics.median(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "rows": getattr(run, "rows_written", 0),
        "status": getattr(run, "status", ""),
    }


# --- HTTP scenarios -------------------------------------------------------------------


def capture(client, path: str, **extra) -> tuple[int, int, list[dict]]:
    """(status, query count, queries) of one in-process request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response.status_code, len(queries), list(queries.captured_queries)


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(line for (line,) in cursor.fetchall())


def slowest(queries: list[dict], count: int = 2) -> list[dict]:
    return sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:count]


def p95_row(scenario, figure, result, *, target_ms, floor=None) -> dict:
    met = result.errors == 0 and result.p95_ms <= target_ms
    note = f"{result.requests} requests, p50 {result.p50_ms:.0f} ms, {result.errors} errors"
    if result.error_examples:
        note += f"; e.g. {result.error_examples[0][:160]}"
    ratio = f"{result.p95_ms / floor.p95_ms:.1f}×" if floor and floor.p95_ms else ""
    floor_text = f"GET /api/notifications/ p95 {floor.p95_ms:.0f} ms" if floor else ""
    return row(
        scenario,
        figure,
        f"p95 {result.p95_ms:.0f} ms at {CLIENTS} clients",
        f"p95 ≤ {target_ms} ms",
        met,
        floor_text,
        ratio,
        note,
    )


def exists(port: int, path: str, headers: dict) -> tuple[bool, str]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status == 200:
        return True, ""
    return False, f"GET {path} answered {response.status} {body[:120]!r}"
