"""Query benchmark: every library query with its defaults, on Oxigraph and rdflib, at 1x and 30x.

The 30x graph comes from benchmarks/scale.py (the five councils copied under new council ids: a
real graph 30 times the size). Each engine and scale is measured in a fresh process, so load time
and memory are its own: the graph is loaded from the built N-Quads, then every query runs through
`kg.queries.run` exactly as the CLI and the app run it (time limit, warm query process, row limit,
results copied back), first once and then again up to --repeats times while its total stays
under --budget seconds (at least twice). A run past --cap seconds is stopped by the runner's time
limit and the query is reported as "> cap".

Usage: python benchmarks/queries.py [--scales 1 30] [--engines oxigraph rdflib] [--repeats 7]
                                    [--cap 5] [--budget 2] [--queries NAME ...]
Prints a markdown table and writes it to benchmarks/results/queries.md.
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

from scale import scaled_copy

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
TARGET_1X_MS, TARGET_SCALED_MS, TARGET_LOAD_S = 50, 500, 2


def _status(field: str) -> float:
    """A memory figure of this process in MiB (Oxigraph's store lives outside Python's allocator)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(engine_name: str, data: str, names: list[str], repeats: int, cap: float, budget: float) -> dict:
    """In this (fresh) process: load the graph, then time each query through the runner."""
    from kg import queries
    from kg.errors import KGError

    before = _status("VmRSS")
    started = time.perf_counter()
    queries.graph(engine_name, data)  # the runner's copy, which its query process inherits
    load_s = time.perf_counter() - started
    loaded = _status("VmRSS") - before

    def once(run) -> float | None:
        started = time.perf_counter()
        try:
            run()
        except KGError as exc:
            if "time limit" in str(exc):
                return None
            raise
        return time.perf_counter() - started

    def overhead(timeout: float | None) -> float:
        def ask() -> None:
            queries.sparql("ASK { ?s a pk:Council }", data=data, engine=engine_name, timeout=timeout)

        ask()
        return statistics.median(once(ask) or 0 for _ in range(50)) * 1000

    timings: dict[str, list[float] | None] = {}
    for name in names:

        def run(name: str = name) -> None:
            queries.run(name, data=data, engine=engine_name, timeout=cap)

        samples: list[float] = []
        while len(samples) < repeats and (len(samples) < 2 or sum(samples) < budget * 1000):
            took = once(run)
            if took is None:
                samples = []
                break
            samples.append(took * 1000)
        timings[name] = samples or None
    return {
        "load_s": load_s,
        "load_mib": loaded,
        "peak_mib": _status("VmHWM"),
        "timings": timings,
        "overhead_ms": {"in-process": overhead(None), "warm query process": overhead(cap)},
    }


def _measure_in_fresh_process(args: argparse.Namespace, engine: str, data: Path, names: list[str]) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        engine,
        str(data),
        "--repeats",
        str(args.repeats),
        "--cap",
        str(args.cap),
        "--budget",
        str(args.budget),
        "--queries",
        *names,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"measuring {engine} on {data} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _cell(samples: list[float] | None, cap: float) -> str:
    if samples is None:
        return f"> {cap:g} s"
    return f"{statistics.median(samples):.1f} / {_percentile(samples, 0.95):.1f}"


def _ratio(fast: list[float] | None, slow: list[float] | None) -> str:
    if fast is None or slow is None:
        return "—"
    r = statistics.median(slow) / max(statistics.median(fast), 0.001)
    return f"{r:.1f}x" if r < 10 else f"{r:.0f}x"


def table(
    results: dict[tuple[str, int], dict],
    names: list[str],
    engine_names: list[str],
    scales: list[int],
    cap: float,
) -> str:
    header = ["query"]
    for scale in scales:
        header += [f"{e} {scale}x p50 / p95 (ms)" for e in engine_names]
        if engine_names == ["oxigraph", "rdflib"]:
            header.append(f"rdflib ÷ oxigraph {scale}x")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        row = [f"`{name}`"]
        for scale in scales:
            row += [_cell(results[(e, scale)]["timings"][name], cap) for e in engine_names]
            if engine_names == ["oxigraph", "rdflib"]:
                row.append(
                    _ratio(
                        results[("oxigraph", scale)]["timings"][name],
                        results[("rdflib", scale)]["timings"][name],
                    )
                )
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "| engine | scale | graph load from the built N-Quads (s) | memory added by loading (RSS, MiB) "
        "| peak memory of the process (MiB) | runner overhead per query: in-process / warm query "
        "process (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for (engine, scale), r in sorted(results.items(), key=lambda item: (item[0][1], item[0][0])):
        o = r["overhead_ms"]
        lines.append(
            f"| {engine} | {scale}x | {r['load_s']:.2f} | {r['load_mib']:.0f} | {r['peak_mib']:.0f} "
            f"| {o['in-process']:.2f} / {o['warm query process']:.2f} |"
        )
    lines += ["", *targets(results, names, scales, cap)]
    return "\n".join(lines) + "\n"


def targets(
    results: dict[tuple[str, int], dict], names: list[str], scales: list[int], cap: float
) -> list[str]:
    """Oxigraph against the targets: p50 < 50 ms at 1x, < 500 ms at larger scales, load < 2 s at 1x."""
    out = []
    for scale in scales:
        if ("oxigraph", scale) not in results:
            continue
        limit = TARGET_1X_MS if scale == 1 else TARGET_SCALED_MS
        timings = results[("oxigraph", scale)]["timings"]
        missed = [
            f"`{n}` ({'> %g s' % cap if timings[n] is None else '%.0f ms' % statistics.median(timings[n])})"
            for n in names
            if timings[n] is None or statistics.median(timings[n]) >= limit
        ]
        out.append(
            f"- oxigraph {scale}x, p50 under {limit} ms: {len(names) - len(missed)} of {len(names)} queries"
            + (f"; over: {', '.join(missed)}" if missed else "")
        )
    if ("oxigraph", 1) in results:
        load = results[("oxigraph", 1)]["load_s"]
        out.append(f"- oxigraph 1x graph load under {TARGET_LOAD_S} s: {load:.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default="build", help="built graph directory (1x)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 30])
    parser.add_argument("--engines", nargs="+", default=["oxigraph", "rdflib"])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cap", type=float, default=5.0, help="seconds; a run past this is stopped")
    parser.add_argument(
        "--budget", type=float, default=2.0, help="seconds of repeats per query (at least 2 runs)"
    )
    parser.add_argument("--queries", nargs="+", help="only these library queries")
    parser.add_argument("--measure", nargs=2, metavar=("ENGINE", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    from kg import queries

    names = args.queries or sorted(queries.library())
    if args.measure:
        engine, data = args.measure
        print(json.dumps(measure(engine, data, names, args.repeats, args.cap, args.budget)))
        return
    results: dict[tuple[str, int], dict] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            data = Path(args.data) if scale == 1 else scaled_copy(args.data, scale, Path(tmp) / f"x{scale}")
            for engine in args.engines:
                results[(engine, scale)] = _measure_in_fresh_process(args, engine, data, names)
                print(f"{engine} {scale}x measured ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    text = table(results, names, args.engines, args.scales, args.cap)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "queries.md").write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
