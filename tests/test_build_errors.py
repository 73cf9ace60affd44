"""A build that cannot keep the evidence rule stops with one line per problem and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.extract.curated as curated
import kg.sources as sources
from kg.cli import cli

SOURCES = Path(sources.__file__).resolve().parent / "sources"


@pytest.fixture
def copied_sources(tmp_path, monkeypatch):
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    monkeypatch.setattr(sources, "SOURCES_DIR", target)
    return target


@pytest.fixture
def copied_curated(tmp_path, monkeypatch):
    target = tmp_path / "curated"
    shutil.copytree(curated.CURATED_DIR, target)
    monkeypatch.setattr(curated, "CURATED_DIR", target)
    return target


def run_build(out: Path):
    return CliRunner().invoke(cli, ["build", "--out", str(out)])


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or [p.name for p in out.iterdir()] == ["keep.txt"]


def test_missing_source_is_named(copied_sources, tmp_path):
    (copied_sources / "dorset.txt").unlink()
    result = run_build(tmp_path / "out")
    assert result.exit_code == 1
    assert "source file missing for dorset" in result.output
    assert "Traceback" not in result.output
    assert_nothing_written(tmp_path / "out")


def test_altered_sources_are_all_named(copied_sources, tmp_path):
    for name in ("medway.txt", "enfield.txt"):
        with (copied_sources / name).open("a", encoding="utf-8") as fh:
            fh.write("edited")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")
    result = run_build(out)
    assert result.exit_code == 1
    assert "medway.txt has changed" in result.output and "enfield.txt has changed" in result.output
    assert_nothing_written(out)


def test_curated_quote_not_found(copied_curated, tmp_path):
    (copied_curated / "zz-test.yaml").write_text(
        "- council: medway\n  kind: timescale\n  quote: This sentence is in no document.\n"
    )
    result = run_build(tmp_path / "out")
    assert result.exit_code == 1
    assert "zz-test.yaml entry 1: curated quote not found in medway.txt" in result.output
    assert_nothing_written(tmp_path / "out")


def test_curated_quote_ambiguous(copied_curated, tmp_path):
    (copied_curated / "zz-test.yaml").write_text(
        "- council: north-somerset\n  kind: timescale\n  quote: Parental Responsibility\n"
    )
    result = run_build(tmp_path / "out")
    assert result.exit_code == 1
    assert "occurs" in result.output and "add section: or lengthen it" in result.output


def test_curated_entry_with_unknown_concept_lists_what_is_accepted(copied_curated, tmp_path):
    (copied_curated / "zz-test.yaml").write_text(
        "- council: medway\n  kind: timescale\n  quote: within 16 weeks\n"
        "  concepts: {timescaleTopic: [soon]}\n"
    )
    result = run_build(tmp_path / "out")
    assert result.exit_code == 1
    assert "unknown timescale concept 'soon': expected one of" in result.output


def test_every_problem_is_reported_not_just_the_first(copied_curated, tmp_path):
    (copied_curated / "zz-test.yaml").write_text(
        "- council: medway\n  kind: timescale\n  quote: Not in the text one.\n"
        "- council: nowhere\n  kind: timescale\n  quote: x\n"
    )
    result = run_build(tmp_path / "out")
    assert "entry 1: curated quote not found" in result.output
    assert "entry 2: unknown council 'nowhere'" in result.output
