"""A small threaded HTTP load client for loopback benchmarks (http.client, bounded)."""

from __future__ import annotations

import http.client
import itertools
import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# (method, path, body or None, headers)
Request = tuple[str, str, dict | None, dict]


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p95_ms(self) -> float:
        return self.percentile(0.95) * 1000

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def summary(self) -> str:
        return (
            f"{self.requests} requests, p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"{self.rps:.1f} req/s, {self.errors} errors"
        )


def send(conn: http.client.HTTPConnection, request: Request) -> tuple[int, bytes]:
    method, path, body, headers = request
    payload = None
    headers = dict(headers)
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.getheader("Connection", "").lower() == "close":
        conn.close()
    return response.status, data


def run_load(
    *,
    port: int,
    make_request: Callable[[int, int], Request],
    clients: int = 8,
    max_requests: int = 200,
    max_seconds: float = 20.0,
    expect: tuple[int, ...] = (200,),
    warmup: int = 0,
) -> LoadResult:
    """`clients` threads send requests until `max_requests` in all or `max_seconds` pass.

    `make_request(client_index, sequence_number)` gives each request; only statuses in
    `expect` count as successes.
    """
    result = LoadResult()
    lock = threading.Lock()
    sequence = itertools.count()
    if warmup:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for number in range(warmup):
            send(conn, make_request(0, -1 - number))
        conn.close()
    started = time.perf_counter()
    deadline = started + max_seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            number = next(sequence)
            if number >= max_requests:
                break
            request = make_request(index, number)
            begin = time.perf_counter()
            try:
                status, data = send(conn, request)
                problem = None if status in expect else f"{status}: {data[:200]!r}"
            except (OSError, http.client.HTTPException) as exc:
                status, problem = 0, repr(exc)
                conn.close()
            took = time.perf_counter() - begin
            with lock:
                result.latencies.append(took)
                result.statuses[status] += 1
                if problem:
                    result.errors += 1
                    if len(result.error_examples) < 3:
                        result.error_examples.append(f"{request[0]} {request[1]} -> {problem}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result
