"""Load on the SPARQL endpoints: concurrent clients running the query library, on loopback.

For each scale (1x is the built graph, 30x the copy benchmarks/scale.py makes), servers are
started on free 127.0.0.1 ports: `permanence-kg serve` (library queries by name, GET
/queries/NAME), once with its answer cache (after the warm-up it answers every request) and once
without it (every request runs its query); and the Oxigraph server (`oxigraph serve`, in memory,
the build pushed into it with `permanence-kg push`; each library query sent as SPARQL with its
default parameters bound, as `--endpoint` sends it). Then CLIENTS clients each send REQUESTS
library queries (all but the app's own app-* helper queries), one at a time, each client starting
at a different query and going round them. Every server is stopped at the end, and every request
has a time limit, so the run ends by itself.

Printed and written to benchmarks/results/load.md: requests, errors (any answer but 200, or no
answer), throughput, and latency p50 / p95 / p99 per server and scale. Target: 0 errors; p95 under
200 ms at 1x.

Usage: python benchmarks/load.py [--scales 1 30] [--clients 20] [--requests 50] [--data build]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from report import RESULTS  # noqa: E402
from scale import scaled_copy  # noqa: E402

from kg import queries, remote  # noqa: E402
from kg.store import nquads_path  # noqa: E402
from kg.vocab import SPARQL_PREFIXES  # noqa: E402

REQUEST_TIMEOUT = 60.0
STARTUP_SECONDS = 180.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], probe: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"{command[0]} exited: {process.stderr.read().decode()[-1000:] if process.stderr else ''}"
            )
        try:
            if httpx.get(probe, timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{command} did not start within {STARTUP_SECONDS:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(15)


@dataclass
class Outcome:
    target: str
    scale: int
    latencies: list[float]
    errors: int
    wall: float
    error_kinds: dict[str, int]

    def row(self) -> list[str]:
        ms = sorted(x * 1000 for x in self.latencies) or [float("nan")]

        def pct(p: float) -> str:
            return f"{ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))]:.1f}"

        total = len(self.latencies) + self.errors
        return [
            self.target,
            f"{self.scale}x",
            str(total),
            str(self.errors),
            f"{total / self.wall:.1f}",
            f"{statistics.median(ms):.1f}",
            pct(95),
            pct(99),
            f"{max(ms):.0f}",
        ]


Request = tuple[str, str, dict[str, str] | None]  # method, url, form data


async def client(requests: list[Request], latencies: list[float], errors: dict[str, int]) -> None:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        for method, url, form in requests:
            started = time.perf_counter()
            try:
                response = await http.request(
                    method, url, data=form, headers={"Accept": "application/sparql-results+json"}
                )
                await response.aread()
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                    continue
                kind = f"HTTP {response.status_code}: {response.text.strip()[:80]}"
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            errors[kind] = errors.get(kind, 0) + 1


def plan(
    make: Callable[[str], Request], names: list[str], clients: int, per_client: int
) -> list[list[Request]]:
    return [[make(names[(c * 7 + k) % len(names)]) for k in range(per_client)] for c in range(clients)]


async def load(plans: list[list[Request]]) -> tuple[list[float], dict[str, int], float]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    started = time.perf_counter()
    await asyncio.gather(*(client(p, latencies, errors) for p in plans))
    return latencies, errors, time.perf_counter() - started


def report(outcome: Outcome) -> None:
    print(" | ".join(outcome.row()), flush=True)
    for kind, count in sorted(outcome.error_kinds.items()):
        print(f"    {count} x {kind}", flush=True)


def run_scale(data: Path, scale: int, clients: int, per_client: int, timeout: float) -> list[Outcome]:
    # The app's own helper queries (app-*) dump whole tables for its pages (every edge of the graph,
    # every evidence span: 3 MB at 1x, 30 times that at 30x); they are not questions a client asks.
    names = sorted(n for n in queries.library() if not n.startswith("app-"))
    outcomes = []
    for label, cache in (("permanence-kg serve", "64"), ("permanence-kg serve, no answer cache", "0")):
        port = free_port()
        command = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--data", str(data)]
        command += ["--port", str(port), "--timeout", str(timeout), "--cache-mb", cache]
        serve = start(command, f"http://127.0.0.1:{port}/queries")
        try:
            base = f"http://127.0.0.1:{port}"
            plans = plan(lambda n: ("GET", f"{base}/queries/{n}", None), names, clients, per_client)
            asyncio.run(load(plans[:2]))  # warm-up: every library query answered once, not timed
            latencies, errors, wall = asyncio.run(load(plans))
            outcomes.append(Outcome(label, scale, latencies, sum(errors.values()), wall, errors))
            report(outcomes[-1])
        finally:
            stop(serve)
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    store = start(
        [
            binary,
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(int(timeout)),
        ],
        f"http://127.0.0.1:{port}/query?query=ASK%7B%7D",
    )
    try:
        base = f"http://127.0.0.1:{port}"
        remote.push(base + "/store", data, update=base + "/update", timeout=600)
        texts = {
            n: SPARQL_PREFIXES + remote.bind(queries.get(n).text, queries.get(n).bindings({})) for n in names
        }
        plans = plan(lambda n: ("POST", f"{base}/query", {"query": texts[n]}), names, clients, per_client)
        asyncio.run(load(plans[:2]))
        latencies, errors, wall = asyncio.run(load(plans))
        outcomes.append(Outcome("Oxigraph server", scale, latencies, sum(errors.values()), wall, errors))
        report(outcomes[-1])
    finally:
        stop(store)
    return outcomes


COLUMNS = [
    "server",
    "scale",
    "requests",
    "errors",
    "throughput (req/s)",
    "p50 (ms)",
    "p95 (ms)",
    "p99 (ms)",
    "max (ms)",
]


def table(outcomes: list[Outcome]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(o.row()) + " |" for o in outcomes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 30])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="library queries per client")
    parser.add_argument("--data", default="build", help="built graph directory")
    parser.add_argument("--timeout", type=float, default=30.0, help="each server's query time limit (s)")
    parser.add_argument("--out", type=Path, default=RESULTS / "load.md")
    args = parser.parse_args()
    if not nquads_path(args.data).is_file():
        raise SystemExit(f"no built graph in {args.data}: run `permanence-kg build` first")
    outcomes: list[Outcome] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        for scale in args.scales:
            data = Path(args.data) if scale == 1 else scaled_copy(args.data, scale, Path(tmp) / f"x{scale}")
            outcomes += run_scale(data, scale, args.clients, args.requests, args.timeout)
    load_after = os.getloadavg()[0]
    text = (
        f"{args.clients} concurrent clients x {args.requests} library queries each (default parameters), "
        f"loopback, time limit {args.timeout:g} s per query; {os.cpu_count()} cores, load average "
        f"{load_before:.1f} before and {load_after:.1f} after (clients and servers share the cores).\n\n"
        + table(outcomes)
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
