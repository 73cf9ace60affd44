"""What the time limit's process costs per query, for the designs that can stop a query safely.

    python benchmarks/query_process.py [--data build] [--runs 200]

- ``server``: today's runner (kg.query_process): a query server started afresh (fork and exec),
  which forks a fresh child per query ahead of time; safe to call from a multi-threaded server.
- ``fork-warm``: the runner before it (commit 65912a0): a warm copy forked from the caller and
  reused; fast, but forking a multi-threaded caller can deadlock the copy, and it outlived its
  caller.
- ``spawn``: a fresh interpreter per query that loads the graph itself (multiprocessing "spawn").
- ``in-process``: no time limit at all (``timeout=None``), the floor.

Each figure is the wall time of a trivial ASK through the runner (p50 / p95 over ``--runs``
queries, one at a time, then the same from 8 threads at once).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

ASK = "ASK { ?s a pk:Council }"
OLD_RUNNER = "65912a0"


def _old_runner(directory: Path):
    """The runner of commit 65912a0, importable beside today's package."""
    text = subprocess.run(
        ["git", "show", f"{OLD_RUNNER}:kg/queries.py"],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = text.replace("from . import engines", "from kg import engines").replace("from .", "from kg.")
    (directory / "old_runner.py").write_text(text)
    sys.path.insert(0, str(directory))
    import old_runner  # type: ignore[import-not-found]

    return old_runner


def _spawn_ask(data: str) -> None:
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(_load_and_ask, (data,))


def _load_and_ask(data: str) -> list:
    from kg import queries

    return queries.sparql(ASK, data=data, timeout=None).rows


def _time(ask: Callable[[], object], runs: int) -> tuple[float, float]:
    ask()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        ask()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def _time_threads(ask: Callable[[], object], runs: int, threads: int = 8) -> tuple[float, float]:
    samples: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(runs // threads):
            started = time.perf_counter()
            ask()
            with lock:
                samples.append((time.perf_counter() - started) * 1000)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default="build")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    from kg import queries

    data = args.data
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = _old_runner(Path(tmp))
        designs: dict[str, Callable[[], object]] = {
            "server": lambda: queries.sparql(ASK, data=data),
            "fork-warm": lambda: old.sparql(ASK, data=data),
            "in-process": lambda: queries.sparql(ASK, data=data, timeout=None),
        }
        for name, ask in designs.items():
            one = _time(ask, args.runs)
            many = _time_threads(ask, args.runs)
            rows.append((name, *one, *many))
        spawn = _time(lambda: _spawn_ask(data), 5)
        rows.append(("spawn", *spawn, float("nan"), float("nan")))
    print("| design | one at a time p50 / p95 (ms) | 8 threads p50 / p95 (ms) |")
    print("|---|---|---|")
    for name, p50, p95, t50, t95 in rows:
        threads = "—" if t50 != t50 else f"{t50:.1f} / {t95:.1f}"
        print(f"| {name} | {p50:.1f} / {p95:.1f} | {threads} |")


if __name__ == "__main__":
    main()
