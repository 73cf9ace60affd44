"""Where every benchmark keeps its table: benchmarks/results/ (not committed: the README quotes the
runs it reports)."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def publish(name: str, table: str) -> Path:
    """Print a benchmark's markdown table and keep it as benchmarks/results/NAME."""
    table = table.rstrip("\n")
    print(table)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(table + "\n", encoding="utf-8")
    return path
