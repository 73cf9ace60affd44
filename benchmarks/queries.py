"""Query benchmark: every library query with its defaults, on Oxigraph and rdflib, at 1x and 30x.

The 30x graph is made by copying the five councils' statements under new council ids (a real graph
30 times the size, not a repetition of the same triples). Queries run in-process without the time
limit's fork, so the numbers are the engines' own; the fork adds about 6 ms per query.

Usage: python benchmarks/queries.py [--scales 1 30] [--repeats 7] [--cap 5]
Prints a markdown table and writes it to benchmarks/results/queries.md. rdflib queries slower than
the cap on their first run are not repeated and are reported as "> cap".
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg import queries
from kg.engines import load_engine
from kg.errors import KGError

RESULTS = Path(__file__).resolve().parent / "results"
COUNCIL_GRAPH = re.compile(r"<https://w3id\.org/permanence-kg/id/graph/council/([a-z-]+)> \.$")


def scaled_copy(source: Path, factor: int, target: Path) -> Path:
    """N-Quads with each council's graph copied ``factor - 1`` more times under new council ids."""
    lines = source.read_text(encoding="utf-8").splitlines()
    out = list(lines)
    councils = sorted({m.group(1) for line in lines if (m := COUNCIL_GRAPH.search(line))})
    for k in range(2, factor + 1):
        for council in councils:
            copy = f"{council}-copy{k}"
            for line in lines:
                if line.endswith(f"/graph/council/{council}> ."):
                    out.append(
                        line.replace(f"/id/council/{council}>", f"/id/council/{copy}>")
                        .replace(f"/id/statement/{council}/", f"/id/statement/{copy}/")
                        .replace(f"/graph/council/{council}>", f"/graph/council/{copy}>")
                    )
            iri = f"<https://w3id.org/permanence-kg/id/council/{copy}>"
            graph = "<https://w3id.org/permanence-kg/id/graph/ontology>"
            out += [
                f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                f"<https://w3id.org/permanence-kg/def#Council> {graph} .",
                f'{iri} <https://w3id.org/permanence-kg/def#councilId> "{copy}" {graph} .',
                f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{copy}" {graph} .',
            ]
    target.mkdir(parents=True, exist_ok=True)
    (target / "permanence.nq").write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def rss_mib() -> float:
    """Resident memory of this process (Oxigraph's store lives outside Python's allocator)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def time_query(
    engine_name: str, data: str, name: str, repeats: int, cap: float
) -> tuple[float, float] | None:
    query = queries.get(name)
    bindings = query.bindings({})
    # A first run under the time limit (in a killable child) keeps a runaway query from stalling
    # the benchmark; the timed runs are in-process.
    try:
        queries.execute(query.text, bindings, data, engine_name, timeout=cap)
    except KGError:
        return None
    engine = queries._engine(engine_name, data)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        engine.select(query.text, bindings)
        samples.append(time.perf_counter() - started)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default="build", help="built graph directory (1x)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 30])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--cap",
        type=float,
        default=5.0,
        help="seconds; queries slower than this on their first run are not repeated",
    )
    parser.add_argument("--engines", nargs="+", default=["oxigraph", "rdflib"])
    args = parser.parse_args()
    names = sorted(queries.library())
    timings: dict[tuple[str, int], dict[str, tuple[float, float] | None]] = {}
    loads: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            data = (
                Path(args.data)
                if scale == 1
                else scaled_copy(Path(args.data) / "permanence.nq", scale, Path(tmp) / f"x{scale}")
            )
            for engine_name in args.engines:
                before = rss_mib()
                started = time.perf_counter()
                engine = load_engine(engine_name, data)
                load_s = time.perf_counter() - started
                peak = rss_mib() - before
                del engine  # measured the load; queries use the runner's cached engine
                loads.append(f"| {engine_name} | {scale}x | {load_s:.2f} | {peak:.0f} |")
                cap = args.cap
                timings[(engine_name, scale)] = {
                    n: time_query(engine_name, str(data), n, args.repeats, cap) for n in names
                }
                print(f"{engine_name} {scale}x done", file=sys.stderr)

    def cell(t: tuple[float, float] | None) -> str:
        return f"> {args.cap:g} s" if t is None else f"{t[0]:.1f} / {t[1]:.1f}"

    header = ["query"]
    for scale in args.scales:
        header += [f"{e} {scale}x p50 / p95 (ms)" for e in args.engines]
        if len(args.engines) == 2:
            header.append(f"rdflib ÷ oxigraph {scale}x")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for n in names:
        row = [f"`{n}`"]
        for scale in args.scales:
            row += [cell(timings[(e, scale)][n]) for e in args.engines]
            if len(args.engines) == 2:
                ox_t, rdf_t = timings[("oxigraph", scale)][n], timings[("rdflib", scale)][n]
                row.append("—" if ox_t is None or rdf_t is None else f"{rdf_t[0] / max(ox_t[0], 0.01):.0f}x")
        lines.append("| " + " | ".join(row) + " |")
    table = "\n".join(
        lines
        + [
            "",
            "| engine | scale | graph load (s) | memory added by loading (RSS, MiB) |",
            "|---|---|---|---|",
        ]
        + loads
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "queries.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
