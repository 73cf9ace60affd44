"""Decision-support benchmark: how long each `kg.decide` command takes to answer (target < 1 s).

Two measures per case, each in fresh processes so nothing is shared with an earlier case:
- the first call in a process (graph load and query process start included, as for the app's first
  request), then the median and 95th percentile of the next RUNS calls (warm, as for the app);
- the wall time of the `permanence-kg` command itself, start-up and imports included (mean of 3).

Usage: python benchmarks/decide.py [--runs N] [--data DIR]. Prints a markdown table and writes it
to benchmarks/results/decide.md. Add a case to CASES to measure another command.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from report import publish

TARGET_S = 1.0

# (command line after `permanence-kg`, Python call in kg.decide as (function, kwargs))
SGO, CAO = "special-guardianship-order", "child-arrangements-order"
CASES: list[tuple[list[str], tuple[str, dict]]] = [
    (
        [
            "can-apply",
            "--order",
            SGO,
            "--relationship",
            "local-authority-foster-carer",
            "--lived-with",
            "14m",
        ],
        ("can_apply", dict(order=SGO, relationship="local-authority-foster-carer", lived_with="14m")),
    ),
    (
        ["can-apply", "--order", CAO, "--relationship", "relative", "--lived-with", "8m"]
        + ["--consent", "local-authority", "--child-in-care"],
        (
            "can_apply",
            dict(
                order=CAO,
                relationship="relative",
                lived_with="8m",
                consent=["local-authority"],
                child_in_care=True,
            ),
        ),
    ),
    (["routes", "--from", "care-order"], ("routes", dict(from_status="care-order"))),
    (
        ["routes", "--from", "accommodated-s20", "--to", "adoption-order"],
        ("routes", dict(from_status="accommodated-s20", to="adoption-order")),
    ),
    (
        ["compare", "--councils", "north-somerset,medway"],
        ("compare", dict(councils=["north-somerset", "medway"])),
    ),
    (
        ["compare", "--councils", "north-somerset,medway,dorset,cumbria,enfield", "--kind", "applicant"],
        (
            "compare",
            dict(councils=["north-somerset", "medway", "dorset", "cumbria", "enfield"], kind="applicant"),
        ),
    ),
    (["options", "--age", "9"], ("options", dict(age=9))),
    (
        ["options", "--age", "1", "--weight", "stability=2", "--weight", "birth-family-links=1"],
        ("options", dict(age=1, weights={"stability": 2, "birth-family-links": 1})),
    ),
]


def in_process(call: tuple[str, dict], runs: int, data: str | None) -> tuple[float, list[float]]:
    """Seconds of the first call in a fresh process, and of the next `runs` calls."""
    name, kwargs = call
    script = (
        "import json, sys, time\n"
        "import kg.decide as d\n"
        "name, kwargs, runs, data = json.loads(sys.argv[1])\n"
        "times = []\n"
        "for _ in range(runs + 1):\n"
        "    t = time.perf_counter()\n"
        "    getattr(d, name)(**kwargs, data=data)\n"
        "    times.append(time.perf_counter() - t)\n"
        "print(json.dumps(times))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps([name, kwargs, runs, data])],
        check=True,
        capture_output=True,
        text=True,
    )
    times = json.loads(done.stdout)
    return times[0], times[1:]


def command_wall(args: list[str], data: str | None, repeat: int = 3) -> float:
    exe = shutil.which("permanence-kg") or str(Path(sys.executable).with_name("permanence-kg"))
    extra = ["--data", data] if data else []
    started = time.perf_counter()
    for _ in range(repeat):
        subprocess.run([exe, *args, *extra], check=True, capture_output=True)
    return (time.perf_counter() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data", default=None, help="Directory of the built graph (default: ./build).")
    args = parser.parse_args()
    lines = [
        "| command | first call (ms) | warm p50 / p95 (ms) | `permanence-kg` wall time incl. start-up (s) "
        f"| under {TARGET_S:g} s |",
        "|---|---|---|---|---|",
    ]
    for argv, call in CASES:
        first, warm = in_process(call, args.runs, args.data)
        wall = command_wall(argv, args.data)
        p95 = statistics.quantiles(warm, n=20)[-1] if len(warm) >= 2 else warm[0]
        ok = "yes" if max(first, wall) < TARGET_S else "no"
        lines.append(
            f"| `{' '.join(argv)}` | {first * 1000:.0f} | {statistics.median(warm) * 1000:.1f} / "
            f"{p95 * 1000:.1f} | {wall:.2f} | {ok} |"
        )
    # The machine is shared: the load says how far the figures are from an idle machine's.
    lines.append("")
    lines.append(
        f"Load average (1, 5, 15 min) after the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    table = "\n".join(lines)
    publish("decide.md", table)


if __name__ == "__main__":
    main()
