"""`permanence-kg validate`: exit codes, per-check summaries, failures named, input errors in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import validate
from kg.cli import cli
from kg.sources import SOURCES_DIR
from kg.validate import quote_failures

needs_java = pytest.mark.skipif(
    validate.java_executable() is None, reason="Java is not installed: the HermiT reasoner needs it"
)


def run(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


@pytest.fixture
def copied_build(data_dir: Path, tmp_path: Path) -> Path:
    """A copy of the session's build that a test may tamper with."""
    copy = tmp_path / "build"
    shutil.copytree(data_dir, copy)
    return copy


@needs_java
def test_a_real_build_passes_every_check(data_dir):
    result = run("--data", str(data_dir))
    assert result.exit_code == 0, result.output
    summaries = result.output.splitlines()
    assert [line.split(":")[0] for line in summaries] == ["ontology QC", "SHACL", "OWL consistency", "quotes"]
    assert all(": pass (" in line for line in summaries), result.output


def test_skip_reasoner_says_so(data_dir):
    result = run("--data", str(data_dir), "--skip-reasoner")
    assert result.exit_code == 0, result.output
    assert "OWL consistency: skipped (--skip-reasoner)" in result.output.splitlines()


def test_a_tampered_quote_fails_naming_the_statement(copied_build):
    nq = copied_build / "permanence.nq"
    lines = nq.read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(
        i
        for i, line in enumerate(lines)
        if "<http://www.w3.org/ns/oa#exact>" in line and "/id/statement/" in line.split(" ", 1)[0]
    )
    statement = lines[target].split(" ", 1)[0].strip("<>").removesuffix("/evidence/quote")
    head, quote, tail = lines[target].split('"', 2)
    lines[target] = f'{head}"{quote[:-1]}X"{tail}'
    nq.write_text("".join(lines), encoding="utf-8")

    result = run("--data", str(copied_build), "--skip-reasoner")
    assert result.exit_code == 1
    short = "stmt:" + statement.split("/id/statement/", 1)[1]
    failures = [line for line in result.output.splitlines() if line.startswith("quotes: stmt:")]
    assert len(failures) == 1 and failures[0].startswith(f"quotes: {short}: quote is not the text of ")
    assert "quotes: FAIL, 1 failure(s)" in result.output
    assert result.output.rstrip().endswith("Error: validation failed: quotes (1)")


def test_a_tampered_passage_fails_naming_the_passage(copied_build):
    nq = copied_build / "permanence.nq"
    lines = nq.read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(
        i
        for i, line in enumerate(lines)
        if "<http://www.w3.org/ns/oa#exact>" in line and "/id/passage/" in line.split(" ", 1)[0]
    )
    head, quote, tail = lines[target].split('"', 2)
    lines[target] = f'{head}"{quote[:-1]}X"{tail}'
    nq.write_text("".join(lines), encoding="utf-8")

    result = run("--data", str(copied_build), "--skip-reasoner")
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("quotes: ")]
    assert any("passage" in line and "quote is not the text of " in line for line in failures), failures


def test_a_changed_source_file_is_named_by_its_digest(data_dir, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    (sources / "medway.txt").write_bytes((sources / "medway.txt").read_bytes() + b" ")
    failures = quote_failures(data_dir, sources_dir=sources)
    assert len(failures) == 1
    assert failures[0].startswith("doc:medway: ") and "has SHA-256" in failures[0]


def test_the_real_sources_match_every_quote(data_dir):
    assert quote_failures(data_dir) == []


def test_a_missing_build_is_a_one_line_error(tmp_path):
    result = run("--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: no built graph at {tmp_path / 'nowhere' / 'permanence.nq'}: run `permanence-kg build` "
        "first (or pass --data DIR)"
    ]


def test_a_corrupt_build_is_a_one_line_error(copied_build):
    (copied_build / "permanence.nq").write_text("<not n-quads\n", encoding="utf-8")
    result = run("--data", str(copied_build))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"Error: built graph {copied_build / 'permanence.nq'} is corrupt"
    )
    assert lines[0].endswith("(rebuild it)")
