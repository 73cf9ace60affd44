"""Build benchmark: wall time and peak memory of `permanence-kg build`, run as a fresh process
each time (so start-up, imports and parsing count, as they do for a user).

Usage: python benchmarks/build.py [--runs N]. Prints a markdown table and writes it to
benchmarks/results/build.md."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import publish


def one_build(out: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one build in a child process."""
    script = (
        "import resource, sys, time; from pathlib import Path; t = time.perf_counter();"
        "from kg.build import build; build(Path(sys.argv[1]));"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(out)], check=True, capture_output=True, text=True
    )
    seconds, mib = done.stdout.split()
    return float(seconds), float(mib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        runs = [one_build(Path(tmp) / f"b{i}") for i in range(args.runs)]
        total = time.perf_counter() - started
    seconds = [s for s, _ in runs]
    memory = [m for _, m in runs]
    table = "\n".join(
        [
            "| measure | median | min | max | target |",
            "|---|---|---|---|---|",
            f"| build time in process (s) | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
            f"{max(seconds):.2f} | < 30 |",
            f"| peak memory (MiB) | {statistics.median(memory):.0f} | {min(memory):.0f} | "
            f"{max(memory):.0f} | |",
            f"| process wall time incl. start-up (s, mean of {args.runs}) | {total / args.runs:.2f} | | | |",
        ]
    )
    publish("build.md", table)


if __name__ == "__main__":
    main()
