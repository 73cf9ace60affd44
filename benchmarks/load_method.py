"""Load-method benchmark: how the in-memory Oxigraph store is filled changes how fast it answers.

`Store.bulk_load` and `Store.load` (one transaction) give the same quads, but in memory the store
that bulk_load fills is larger and its queries slower, and by how much varies from one process to
the next. So each method is measured in several fresh processes (--processes), each loading the
graph as kg.store does (through the hashing reader that checks it against its manifest), then
running the named library queries with their defaults on the store itself (--runs each, after one
untimed run), without the runner around them: what differs is the store, not the runner.

Usage: python benchmarks/load_method.py [--scale 30] [--data build] [--processes 3] [--runs 7]
                                        [--queries NAME ...]
Prints a markdown table and writes it to benchmarks/results/load_method.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from queries import status_mib
from report import publish
from scale import scaled_copy

METHODS = ("bulk_load", "load")
# The queries nearest issue 9's 100 ms goal at 30x when this was measured, and two cheaper ones.
QUERIES = [
    "option-overview",
    "applicant-conditions",
    "durations",
    "age-guidance",
    "needs-for-option",
    "who-can-apply",
    "coverage-matrix",
    "support-for-option",
]


def one_process(method: str, data: str, names: list[str], runs: int) -> dict:
    """In this process: fill a store with ``method``, then time each query on it."""
    import pyoxigraph as ox

    from kg import queries
    from kg.engines import OxigraphEngine
    from kg.store import Checked
    from kg.vocab import SPARQL_PREFIXES

    before = status_mib("VmRSS")
    started = time.perf_counter()
    checked = Checked(data)
    store = ox.Store()
    getattr(store, method)(input=checked.reader, format=ox.RdfFormat.N_QUADS)
    checked.check(len(store))
    loaded = time.perf_counter() - started
    memory = status_mib("VmRSS") - before
    peak = status_mib("VmHWM")
    times = {}
    for name in names:
        query = queries.get(name)
        subs = {ox.Variable(k): OxigraphEngine._term(v) for k, v in query.bindings({}).items()}
        text = SPARQL_PREFIXES + query.text

        def once() -> float:
            started = time.perf_counter()
            list(store.query(text, use_default_graph_as_union=True, substitutions=subs))
            return (time.perf_counter() - started) * 1000

        once()
        times[name] = statistics.median(once() for _ in range(runs))
    return {"load": loaded, "memory": memory, "peak": peak, "times": times}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=30)
    parser.add_argument("--data", default="build", help="built graph directory (1x)")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--queries", nargs="+", default=QUERIES)
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_process(args.one[0], args.one[1], args.queries, args.runs)))
        return
    found: dict[str, list[dict]] = {m: [] for m in METHODS}
    with tempfile.TemporaryDirectory() as tmp:
        data = str(scaled_copy(args.data, args.scale, Path(tmp) / f"x{args.scale}"))
        for _ in range(args.processes):
            for method in METHODS:  # alternately, so a slow spell of the machine falls on both
                command = [sys.executable, __file__, "--one", method, data, "--runs", str(args.runs)]
                done = subprocess.run(
                    [*command, "--queries", *args.queries], capture_output=True, text=True, check=True
                )
                found[method].append(json.loads(done.stdout))
    lines = [
        f"| at {args.scale}x, each of {args.processes} processes | "
        + " | ".join(f"`{m}`" for m in METHODS)
        + " |",
        "|---|" + "---|" * len(METHODS),
    ]

    def row(label: str, values: Any, spec: str = ",.0f") -> None:
        lines.append(
            f"| {label} | "
            + " | ".join(" / ".join(format(values(r), spec) for r in found[m]) for m in METHODS)
            + " |"
        )

    row("graph load (s)", lambda r: r["load"], ".2f")
    row("memory added by loading (MiB)", lambda r: r["memory"])
    row("peak memory of the process (MiB)", lambda r: r["peak"])
    for name in args.queries:
        row(f"`{name}` p50 (ms)", lambda r, name=name: r["times"][name])
    table = "\n".join(lines)
    publish("load_method.md", table)


if __name__ == "__main__":
    sys.exit(main())
