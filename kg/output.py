"""Rendering result rows the same way for every command (table, csv, tsv, json, md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from tabulate import tabulate

FORMATS = ("table", "csv", "tsv", "json", "md")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return buf.getvalue()
    table = tabulate(
        [["" if v is None else v for v in row] for row in rows],
        headers=list(columns),
        tablefmt="pipe" if fmt == "md" else "simple",
        disable_numparse=True,
    )
    return table + "\n"
