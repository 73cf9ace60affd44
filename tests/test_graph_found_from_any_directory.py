"""The built graph is found from any directory of the checkout, and a command run before any build
says in one line what to run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import store
from kg.cli import cli

# One invocation of every command that reads the graph, with the arguments it needs.
READING_COMMANDS = [
    ["query", "advantages-by-option"],
    ["sparql", "--query", "ASK { ?s ?p ?o }"],
    ["stats"],
    ["export", "statements"],
    ["can-apply", "--order", "special-guardianship-order", "--relationship", "parent"],
    ["options", "--age", "9"],
    ["compare", "--councils", "medway,dorset"],
    ["routes", "--from", "care-order"],
]

A_QUAD = '<urn:x:s> <urn:x:p> "o" <urn:x:g> .\n'


def project(root: Path) -> Path:
    """A checkout of this project (its pyproject.toml) with a nested directory to run from."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{store.PROJECT_NAME}"\n', encoding="utf-8")
    nested = root / "docs" / "deep"
    nested.mkdir(parents=True)
    return nested


@pytest.fixture(autouse=True)
def no_data_variable(monkeypatch):
    monkeypatch.delenv(store.DATA_ENV, raising=False)
    monkeypatch.delenv("PERMANENCE_KG_ENDPOINT", raising=False)


def test_from_a_nested_directory_the_checkouts_build_is_used(tmp_path, monkeypatch):
    nested = project(tmp_path / "checkout")
    (tmp_path / "checkout" / "build").mkdir()
    (tmp_path / "checkout" / "build" / store.NQUADS).write_text(A_QUAD, encoding="utf-8")
    monkeypatch.chdir(nested)
    assert store.data_dir() == tmp_path / "checkout" / "build"
    result = CliRunner().invoke(cli, ["sparql", "--query", "ASK { ?s <urn:x:p> ?o }", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "true" in result.output.lower()


def test_a_build_directory_with_a_graph_is_found_without_a_pyproject(tmp_path, monkeypatch):
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / store.NQUADS).write_text(A_QUAD, encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert store.data_dir() == tmp_path / "build"


def test_outside_any_checkout_the_installed_checkouts_build_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checkout = Path(store.__file__).resolve().parent.parent
    assert store.data_dir() == checkout / "build"


def test_data_and_the_environment_come_first(tmp_path, monkeypatch):
    nested = project(tmp_path / "checkout")
    monkeypatch.chdir(nested)
    assert store.data_dir(tmp_path / "mine") == tmp_path / "mine"
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "theirs"))
    assert store.data_dir() == tmp_path / "theirs"


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_before_any_build_each_command_says_what_to_run(command, tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path / "checkout"))
    result = CliRunner().invoke(cli, command)
    assert result.exit_code != 0
    expected = tmp_path / "checkout" / "build" / store.NQUADS
    lines = result.output.strip().splitlines()
    assert lines == [
        f"Error: no built graph at {expected}: run `permanence-kg build` first (or pass --data DIR)"
    ], result.output
