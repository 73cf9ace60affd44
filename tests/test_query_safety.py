"""The runner is read-only, binds parameters as terms, stops runaway queries and says why."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import cli
from kg.errors import KGError

INJECTIONS = [
    'medway" } ; DROP ALL ; #',
    "x' || true || '",
    "} UNION { ?s ?p ?o }",
    '\\"; DELETE WHERE { ?s ?p ?o }',
]


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_injection_in_a_free_text_parameter_is_a_plain_literal(data_dir, attempt):
    result = queries.run("keyword-search", data=str(data_dir), keyword=attempt)
    assert result.rows == []
    assert len(queries.run("statements", data=str(data_dir)).rows) > 300  # nothing was dropped


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_injection_in_an_enumerated_parameter_is_refused_with_the_valid_values(data_dir, attempt):
    with pytest.raises(KGError, match="unknown council .* expected one of cumbria, dorset, enfield, medway"):
        queries.run("who-can-apply", data=str(data_dir), council=attempt)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a:a> <a:b> <a:c> }",
        "PREFIX x: <a:>\n# comment\nDELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.org/x>",
        "CLEAR DEFAULT",
    ],
)
def test_updates_are_refused(data_dir, update):
    with pytest.raises(KGError, match=r"SPARQL Update \(\w+\) is refused: the graph is read-only"):
        queries.sparql(update, data=str(data_dir))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_syntax_error_names_line_and_column(data_dir, engine):
    # The error is on line 3; Oxigraph reports where its parser gave up (the next token, line 4).
    with pytest.raises(KGError, match=r"SPARQL syntax error at line [34], column \d+: "):
        queries.sparql("SELECT *\nWHERE {\n  ?s ?p ?o . FILTER (?s = }\n}", data=str(data_dir), engine=engine)


def test_runaway_query_is_stopped_at_the_time_limit(data_dir):
    started = time.monotonic()
    with pytest.raises(KGError, match="query stopped: it ran longer than the 1 s time limit"):
        queries.sparql(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", data=str(data_dir), timeout=1
        )
    assert time.monotonic() - started < 5


def test_row_limit_cuts_with_a_note(data_dir):
    result = queries.sparql("SELECT ?s WHERE { ?s ?p ?o }", data=str(data_dir), limit=3)
    assert len(result.rows) == 3 and result.truncated and "first 3 rows" in result.note


def test_unknown_query_and_parameter(data_dir):
    with pytest.raises(KGError, match="unknown query 'nope'"):
        queries.run("nope", data=str(data_dir))
    with pytest.raises(KGError, match="has no parameter colour: it accepts order, council"):
        queries.run("who-can-apply", data=str(data_dir), colour="red")


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_cli_errors_are_one_line_without_traceback(data_dir):
    for args, expected in [
        (["query", "who-can-apply", "--data", str(data_dir), "-p", "council=kent"], "unknown council 'kent'"),
        (["query", "who-can-apply", "--data", str(data_dir), "-p", "council"], "is not KEY=VALUE"),
        (["sparql", "-", "--data", str(data_dir)], "SPARQL Update (DROP) is refused"),
    ]:
        result = invoke(*args, input="DROP ALL")
        assert result.exit_code == 1, result.output
        assert expected in result.output and "Traceback" not in result.output


def test_cli_query_list_and_formats(data_dir):
    listing = invoke("query", "--list", "--data", str(data_dir))
    assert listing.exit_code == 0 and "who-can-apply" in listing.output and "council" in listing.output
    md = invoke("query", "document-dates", "--data", str(data_dir), "--format", "md")
    assert md.output.startswith("| council")
    tsv = invoke(
        "sparql", "-", "--data", str(data_dir), "--format", "tsv", input="SELECT ?c WHERE { ?c a pk:Council }"
    )
    assert tsv.exit_code == 0 and len(tsv.output.strip().splitlines()) == 6
