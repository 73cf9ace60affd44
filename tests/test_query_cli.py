"""`permanence-kg query` and `permanence-kg sparql`: the library's listing, parameters, the five
output formats, standard input, and one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import cli

COUNCILS = "SELECT ?id ?label WHERE { ?c a pk:Council ; pk:councilId ?id ; rdfs:label ?label } ORDER BY ?id"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_query_list_shows_name_summary_and_parameters(data_dir):
    result = invoke("query", "--list", "--data", str(data_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    listed = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(listed) == set(queries.library())
    for name, query in queries.library().items():
        assert listed[name]["summary"] == query.summary
        assert listed[name]["parameters"] == ", ".join(p.usage for p in query.parameters)
    assert "order=special-guardianship-order, council" == listed["who-can-apply"]["parameters"]


def test_query_with_parameters_gives_the_same_rows_as_the_python_api(data_dir):
    result = invoke(
        "query",
        "who-can-apply",
        "--data",
        str(data_dir),
        "--param",
        "council=dorset",
        "-p",
        "order=",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    # The command reads the build's on-disk store, as the API does within stored_graph() (from
    # memory a |-joined list may come in another order: tests/test_stored_graph.py).
    with queries.stored_graph():
        expected = queries.run("who-can-apply", data=str(data_dir), council="dorset", order="")
    assert json.loads(result.stdout) == expected.records()


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_every_output_format_carries_every_row(data_dir, fmt):
    result = invoke("sparql", "-", "--data", str(data_dir), "--format", fmt, input=COUNCILS)
    assert result.exit_code == 0, result.output
    out = result.stdout
    ids = ["cumbria", "dorset", "enfield", "medway", "north-somerset"]
    if fmt == "json":
        assert [row["id"] for row in json.loads(out)] == ids
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0] == ["id", "label"] and [r[0] for r in rows[1:]] == ids
    elif fmt == "md":
        lines = out.splitlines()
        assert lines[0].startswith("| id") and lines[1].startswith("|:--") and len(lines) == 7
    else:
        lines = out.splitlines()
        assert lines[0].split() == ["id", "label"] and [line.split()[0] for line in lines[2:]] == ids


def test_sparql_reads_a_file_and_writes_to_output(data_dir, tmp_path):
    source = tmp_path / "councils.rq"
    source.write_text(COUNCILS, encoding="utf-8")
    target = tmp_path / "councils.csv"
    result = invoke("sparql", str(source), "--data", str(data_dir), "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith("cumbria,")


def test_both_engines_from_the_command_line(data_dir):
    outputs = [
        invoke(
            "sparql", "-", "--data", str(data_dir), "--engine", engine, "--format", "json", input=COUNCILS
        ).stdout
        for engine in ("oxigraph", "rdflib")
    ]
    assert outputs[0] == outputs[1] and len(json.loads(outputs[0])) == 5


def test_a_cut_result_says_so_on_standard_error(data_dir):
    result = invoke("sparql", "-", "--data", str(data_dir), "--limit", "2", "--format", "csv", input=COUNCILS)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3
    assert "note: showing the first 2 rows; more were cut" in result.stderr


def test_a_runaway_query_is_stopped_with_a_message(data_dir):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = invoke("sparql", "-", "--data", str(data_dir), "--timeout", "1", input=runaway)
    assert result.exit_code == 1
    assert (
        "Error: query stopped: it ran longer than the 1 s time limit (raise it with --timeout"
        in result.stderr
    )


@pytest.mark.parametrize(
    "args, stdin, expected",
    [
        (["query", "nope"], None, "unknown query 'nope': run `permanence-kg query --list`"),
        (
            ["query", "who-can-apply", "-p", "council=kent"],
            None,
            "unknown council 'kent' for query 'who-can-apply'",
        ),
        (["query", "who-can-apply", "-p", "council"], None, "parameter 'council' is not KEY=VALUE"),
        (
            ["query", "who-can-apply", "-p", "colour=red"],
            None,
            "has no parameter colour: it accepts order, council",
        ),
        (["sparql", "-"], "DROP ALL", "SPARQL Update (DROP) is refused"),
        (["sparql", "-"], "SELECT * WHERE {\n  ?s ?p\n}", "SPARQL syntax error at line 3, column "),
        (["sparql", "-", "--timeout", "0"], "ASK {}", "time limit must be positive, not 0 s"),
    ],
)
def test_mistakes_end_in_one_line_without_a_traceback(data_dir, args, stdin, expected):
    result = invoke(*args, "--data", str(data_dir), input=stdin)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
