"""The command line forgives typing: a mistyped command or query name is answered with the nearest
names, and `sparql` takes its query inline with --query as well as from a file or standard input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg import queries
from kg.cli import cli

COUNCILS = "SELECT ?id WHERE { ?c a pk:Council ; pk:councilId ?id } ORDER BY ?id"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_a_mistyped_command_names_the_nearest_one():
    result = invoke("qurey", "--list")
    assert result.exit_code == 2
    assert "No such command 'qurey'. Did you mean 'query'?" in result.output


def test_an_unknown_command_far_from_any_gets_no_guess():
    result = invoke("zzzzzz")
    assert result.exit_code == 2
    assert "Did you mean" not in result.output


def test_a_mistyped_query_name_names_the_nearest_query(data_dir):
    result = invoke("query", "who-can-aply", "--data", str(data_dir))
    assert result.exit_code != 0
    assert "did you mean who-can-apply?" in result.output
    assert "Traceback" not in result.output


def test_sparql_takes_the_query_inline(data_dir):
    result = invoke("sparql", "--query", COUNCILS, "--data", str(data_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    expected = queries.sparql(COUNCILS, data=str(data_dir))
    assert [row["id"] for row in json.loads(result.stdout)] == [row[0] for row in expected.rows]


def test_sparql_inline_and_from_standard_input_agree(data_dir):
    inline = invoke("sparql", "--query", COUNCILS, "--data", str(data_dir), "--format", "csv")
    piped = invoke("sparql", "-", "--data", str(data_dir), "--format", "csv", input=COUNCILS)
    assert inline.exit_code == piped.exit_code == 0
    assert inline.stdout == piped.stdout


def test_sparql_wants_exactly_one_query(data_dir, tmp_path):
    query_file = tmp_path / "q.rq"
    query_file.write_text(COUNCILS, encoding="utf-8")
    for args in ([], [str(query_file), "--query", COUNCILS]):
        result = invoke("sparql", *args, "--data", str(data_dir))
        assert result.exit_code != 0
        assert "give the query one way: a FILE, - for standard input, or --query TEXT" in result.output
