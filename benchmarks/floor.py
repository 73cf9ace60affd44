"""Floor benchmark: how fast could a library query be at all, given how many rows it returns?

For each query named (by default the whole-table answers and text scans that miss 100 ms at 30x),
on a graph N times the size of the build (benchmarks/scale.py, 30x by default), three queries run
alternately in one process, each row converted to Python as the runner does (kg.engines):

- the library query with its defaults;
- the cheapest query with the same number of rows and columns and the same ORDER BY: one triple
  pattern cut to that many rows, every column a constant (so the sort has nothing to compare);
- the same with the sort keys bound to the pattern's real terms, so the sort does real work;
- for a search (``keyword-search``), whose answer is small but which must read every text, one
  pass over the texts instead.

If the floor is over the goal, no rewriting of the query can meet it on this engine and machine:
only answering less (fewer rows) or a different store can.

Usage: python benchmarks/floor.py [--scale 30] [--data build] [--runs 5] [--queries NAME ...]
Prints a markdown table and writes it to benchmarks/results/floor.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from report import publish
from scale import scaled_copy

from kg import engines, queries

WHOLE_TABLES = [
    "statements",
    "claim-matrix",
    "app-graph-edges",
    "app-evidence-spans",
    "app-graph-nodes",
    "passages-mentioning",
    "keyword-search",
]
# Where the answer is small but every text must be read, the floor is one pass over the texts.
SCANS = {
    "keyword-search": """SELECT ?text WHERE {
        { ?item pk:normalisedText ?text } UNION { ?item oa:exact ?text } UNION { ?item pk:passageText ?text }
        FILTER (CONTAINS(LCASE(?text), "assessment of need")) }""",
}
# The library's own ORDER BY clauses: variables, each maybe inside DESC( ) or ASC( ).
_ORDER_BY = re.compile(r"ORDER BY\s+(.*?)\s*$", re.S)
_VARIABLE = re.compile(r"\?\w+")


def sort_keys(text: str) -> list[str]:
    found = _ORDER_BY.search(text)
    return _VARIABLE.findall(found.group(1)) if found else []


def floor_queries(columns: int, rows: int, keys: list[str]) -> dict[str, str]:
    """The two floor queries for an answer of ``rows`` x ``columns`` sorted on ``keys``."""
    names = keys + [f"?column{i}" for i in range(len(keys), columns)]
    order = f"ORDER BY {' '.join(keys)}" if keys else ""
    constants = " ".join(f'BIND ("x" AS {v})' for v in names)
    real = " ".join(f"BIND ({term} AS {v})" for term, v in zip(("?s", "?p", "?o"), keys)) + " ".join(
        f' BIND ("x" AS {v})' for v in names[min(len(keys), 3) :]
    )
    cut = f"{{ SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {rows} }}"
    return {
        "floor": f"SELECT {' '.join(names)} WHERE {{ {cut} {constants} }} {order}",
        "floor, real sort keys": f"SELECT {' '.join(names)} WHERE {{ {cut} {real} }} {order}",
    }


def measure(engine: engines.Engine, name: str, runs: int) -> dict:
    query = queries.get(name)
    bindings = query.bindings({})
    columns, rows = engine.select(query.text, dict(bindings), None)
    texts = {"query": query.text, **floor_queries(len(columns), len(rows), sort_keys(query.text))}
    if name in SCANS:
        texts["floor"] = texts["floor, real sort keys"] = SCANS[name]
    times: dict[str, list[float]] = {label: [] for label in texts}
    for _ in range(runs):
        for label, text in texts.items():
            started = time.perf_counter()
            engine.select(text, dict(bindings) if label == "query" else {}, None)
            times[label].append((time.perf_counter() - started) * 1000)
    return {
        "rows": len(rows),
        "columns": len([c for c in columns if not c.startswith("_")]),
        **{label: statistics.median(t) for label, t in times.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=30)
    parser.add_argument("--data", default="build", help="built graph directory (1x)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", nargs="+", default=WHOLE_TABLES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = scaled_copy(args.data, args.scale, Path(tmp) / f"x{args.scale}")
        engine = engines.load_engine("oxigraph", str(data))
        results = {name: measure(engine, name, args.runs) for name in args.queries}
    lines = [
        f"| query | rows × columns at {args.scale}x | p50 (ms) | floor p50 (ms) | "
        "floor with real sort keys, p50 (ms) |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| `{name}` | {r['rows']:,} × {r['columns']} | {r['query']:,.0f} | {r['floor']:,.0f} | "
            f"{r['floor, real sort keys']:,.0f} |"
        )
    table = "\n".join(lines)
    publish("floor.md", table)


if __name__ == "__main__":
    sys.exit(main())
