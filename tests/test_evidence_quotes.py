"""The evidence rule, checked from the outside: every exported quote is the source file's text
at its offsets, read straight from the shipped sources rather than through the build."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.ontology import ontology

SOURCES = Path(__file__).resolve().parent.parent / "kg" / "sources"


def exported(data_dir: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["export", "statements", "--data", str(data_dir), *args])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_every_exported_quote_is_verbatim_at_its_offsets(data_dir):
    rows = exported(data_dir)
    assert len(rows) > 200
    texts = {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}
    bad = [r for r in rows if texts[r["source_file"]][int(r["start"]) : int(r["end"])] != r["quote"]]
    assert bad == []


def test_every_statement_names_its_section(data_dir):
    rows = exported(data_dir)
    assert all(r["section"] for r in rows)
    medway_sgo = [r for r in exported(data_dir, "--council", "medway", "--kind", "applicant")]
    assert {r["section"] for r in medway_sgo} == {"Special Guardianship Orders", "Child Arrangement Order"}


def test_every_council_fact_has_a_council_and_a_known_kind(extraction):
    # The kinds are the ontology's statement classes (their skos:notation): one place for them.
    kinds = set(ontology().kinds)
    assert {s.kind for s in extraction.statements} <= kinds
    assert all(s.council in extraction.sources for s in extraction.statements)
