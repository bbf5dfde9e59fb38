"""Write bench/RESULTS.md from the scenario rows and return the one-line summary."""

from __future__ import annotations

import time
from pathlib import Path

FINDINGS_MARKER = "<!-- findings: kept by hand below this line -->"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _verdict(met) -> str:
    if met is True:
        return "met"
    if met is False:
        return "**missed**"
    return ""


def write_results(
    path: Path, *, rows: list[dict], evidence: list, machine: dict, data: dict, elapsed: float
) -> str:
    short_machine = f"{machine['cores']} cores, {machine['memory']}"
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/run.py` (`make bench`) "
        f"in {elapsed / 60:.0f} min on commit `{machine['commit']}`. "
        "How to reproduce: [README.md](README.md).",
        "",
        "Data: " + ", ".join(f"{count:,} {label}" for label, count in data.items()) + ".",
        "",
        f"Machine: {machine['cores']} cores, {machine['memory']} RAM, {machine['postgres']}, "
        f"Python {machine['python']}, {machine['system']}; gunicorn {machine['workers']} sync "
        "workers, PostgreSQL, Redis and the load client on the same machine (loopback). "
        "`load` is the 1-minute load average when the figure was taken: other work on the "
        "machine shares the two cores.",
        "",
        "| scenario | figure | measured | target | verdict | floor compared with | ratio "
        "| machine | notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for item in rows:
        lines.append(
            "| "
            + " | ".join(
                _cell(value)
                for value in (
                    item["scenario"],
                    item["figure"],
                    item["value"],
                    item["target"],
                    _verdict(item["met"]),
                    item["floor"],
                    item["ratio"],
                    f"{short_machine}, load {item['load']:.1f}",
                    item["note"],
                )
            )
            + " |"
        )
    measured = [r for r in rows if r["met"] is not None]
    met = [r for r in measured if r["met"]]
    missing = [r for r in rows if str(r["value"]).startswith("not measured")]
    lines += ["", "## Query evidence (in-process, PostgreSQL EXPLAIN)", ""]
    if not evidence:
        lines.append("No query evidence was collected in this run.")
    for label, text in evidence:
        lines += [f"### {label}", "", "```", text.strip(), "```", ""]
    old_findings = _kept_findings(path)
    lines += ["", FINDINGS_MARKER, "", old_findings or "## Findings\n\n(none recorded yet)", ""]
    path.write_text("\n".join(lines))
    missed = ", ".join(f"{r['scenario']}: {r['figure']}" for r in measured if not r["met"])
    summary = f"bench: {len(met)}/{len(measured)} targets met"
    if missing:
        summary += f", {len(missing)} not measured"
    if missed:
        summary += f"; missed: {missed}"
    return summary + f" — details in {path.name}"


def _kept_findings(path: Path) -> str:
    """The hand-written findings section survives a rerun."""
    if not path.exists():
        return ""
    text = path.read_text()
    if FINDINGS_MARKER not in text:
        return ""
    return text.split(FINDINGS_MARKER, 1)[1].strip()
