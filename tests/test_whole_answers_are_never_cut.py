"""What needs a whole answer gets every row: the default row limit (10,000 rows, for a person
reading a result) must never cut quietly what the app draws, what decision support decides on or
what `stats` counts. At 30x, the size of every English council, the app's graph edges, its nodes and
the evidence spans decision support looks offsets up in are all over 10,000 rows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg import decide, engines, queries
from kg.query_process import visible

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def limits_asked(monkeypatch) -> list:
    """The row limit of every query run from now on, embedded or remote."""
    asked: list = []
    execute, remote = queries._execute, queries._remote

    def spy_execute(text, bindings, data, engine, timeout, limit, *rest, **kw):
        asked.append(limit)
        return execute(text, bindings, data, engine, timeout, limit, *rest, **kw)

    def spy_remote(text, bindings, endpoint, timeout, limit, *rest, **kw):
        asked.append(limit)
        return remote(text, bindings, endpoint, timeout, limit, *rest, **kw)

    monkeypatch.setattr(queries, "_execute", spy_execute)
    monkeypatch.setattr(queries, "_remote", spy_remote)
    return asked


def test_every_row_is_returned_when_no_limit_is_asked(doubled):
    count = queries.sparql(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . FILTER (isIRI(?o) && STRSTARTS(STR(?p), STR(pk:))) }",
        data=doubled,
    ).rows[0][0]
    assert count > queries.DEFAULT_LIMIT  # the case this file is about: a graph past the default
    shown = queries.run("app-graph-edges", data=doubled)
    assert shown.truncated and len(shown.rows) == queries.DEFAULT_LIMIT and "more were cut" in shown.note
    whole = queries.run("app-graph-edges", data=doubled, limit=None)
    assert not whole.truncated and whole.note == "" and len(whole.rows) > queries.DEFAULT_LIMIT
    assert whole.rows[: queries.DEFAULT_LIMIT] == shown.rows


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_no_limit_reads_every_row_and_a_limit_one_past_it(data_dir, engine):
    loaded = engines.load_engine(engine, str(data_dir))
    text = "SELECT ?n ?_bound WHERE { VALUES ?n { 1 2 3 4 5 } BIND (1 AS ?_bound) } ORDER BY ?n"
    assert loaded.select(text, {}, None) == (["n"], [[1], [2], [3], [4], [5]])
    assert loaded.select(text, {}, 2) == (["n"], [[1], [2], [3]])  # one past: a cut can be noticed
    assert visible(["n"], [[1], [2], [3]], 2) == (["n"], [[1], [2]], True)
    assert visible(["n"], [[1], [2]], None) == (["n"], [[1], [2]], False)


@pytest.mark.parametrize("limit", [0, -1, 2.5, True, "10"])
def test_a_row_limit_that_is_not_none_or_a_positive_whole_number_is_refused(data_dir, limit):
    with pytest.raises(queries.KGError, match="row limit must be"):
        queries.run("statement-counts", data=str(data_dir), limit=limit)


def test_decision_support_decides_on_every_row(data_dir, limits_asked):
    data = str(data_dir)
    decide.options(9, weights={"stability": 1}, data=data)
    decide.can_apply("special-guardianship-order", "relative", lived_with="14m", data=data)
    decide.routes("care-order", data=data)
    decide.compare(["medway", "enfield"], kind="advantage", data=data)
    assert limits_asked and set(limits_asked) == {None}, limits_asked


def test_stats_counts_every_row(data_dir, limits_asked):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["stats", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert limits_asked == [None]


def test_the_apps_own_tables_hold_every_row(data_dir, limits_asked):
    sys.path.insert(0, str(ROOT / "app"))
    import ui

    data = str(data_dir)
    built = Path(queries.nquads_path(data)).stat().st_mtime
    for table in (ui._nodes, ui._edges, ui._places, ui._labels):
        table.clear()
        table(data, built)
    ui._run.clear()
    ui._run("coverage-matrix", data, built, ())
    assert len(limits_asked) == 5 and set(limits_asked) == {None}, limits_asked
