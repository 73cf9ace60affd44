"""The runner is read-only, binds parameters as terms, stops runaway queries and says why."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg import queries
from kg.errors import KGError

FIXTURES = Path(__file__).parent / "fixtures" / "queries"

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


@pytest.mark.parametrize("attempt", INJECTIONS + ["2 } UNION { ?s ?p ?o", "<urn:x> } ; DROP ALL"])
def test_injection_in_a_typed_parameter_is_refused_as_the_wrong_type(data_dir, attempt):
    query = queries.parse_query_file(FIXTURES / "list-position.rq")
    with pytest.raises(KGError, match="takes an integer"):
        query.bindings({"position": attempt})
    iri = queries.parse_query_file(FIXTURES / "about-option.rq")
    with pytest.raises(KGError, match="takes an absolute IRI"):
        iri.bindings({"graph": attempt})


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


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SERVICE is refused: queries read the built graph only",
        ),
        (
            "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SERVICE is refused",
        ),
        ("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
        (
            "SELECT * FROM NAMED <http://127.0.0.1:9/x.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
            "FROM and FROM NAMED are refused",
        ),
    ],
)
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_queries_cannot_reach_beyond_the_graph(data_dir, engine, query, message):
    with pytest.raises(KGError, match=message):
        queries.sparql(query, data=str(data_dir), engine=engine)


def test_the_words_service_and_from_in_strings_and_names_are_fine(data_dir):
    result = queries.sparql(
        'SELECT ?service ?from WHERE { BIND ("SERVICE <http://x> { }" AS ?service) BIND ("from" AS ?from) }',
        data=str(data_dir),
    )
    assert result.rows == [["SERVICE <http://x> { }", "from"]]


def test_every_library_query_passes_the_checks_ad_hoc_queries_get():
    # The library skips them when it runs its own queries, so they must hold for every file.
    for query in queries.library().values():
        queries.check_read_only(query.text)
        queries.check_local(query.text)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_runaway_query_is_stopped_at_the_time_limit(data_dir, engine):
    started = time.monotonic()
    with pytest.raises(KGError, match="query stopped: it ran longer than the 1 s time limit"):
        queries.sparql(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            data=str(data_dir),
            engine=engine,
            timeout=1,
        )
    assert time.monotonic() - started < 5
    # The graph still answers after the stopped query.
    assert queries.sparql("ASK { ?s a pk:Council }", data=str(data_dir), engine=engine).rows == [[True]]


def test_row_limit_cuts_with_a_note(data_dir):
    result = queries.sparql("SELECT ?s WHERE { ?s ?p ?o }", data=str(data_dir), limit=3)
    assert len(result.rows) == 3 and result.truncated and "first 3 rows" in result.note
    assert "--limit" in result.note
    whole = queries.sparql("SELECT ?s WHERE { ?s a pk:Council }", data=str(data_dir), limit=5)
    assert len(whole.rows) == 5 and not whole.truncated and whole.note == ""


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_huge_result_is_cut_without_building_it(data_dir, engine):
    # Ten thousand million rows: only a streamed cut at the limit can answer within the time limit.
    result = queries.sparql(
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        data=str(data_dir),
        engine=engine,
        limit=10,
        timeout=5,
    )
    assert len(result.rows) == 10 and result.truncated


def test_unknown_query_and_parameter(data_dir):
    with pytest.raises(KGError, match="unknown query 'nope'"):
        queries.run("nope", data=str(data_dir))
    with pytest.raises(KGError, match="has no parameter colour: it accepts order, council"):
        queries.run("who-can-apply", data=str(data_dir), colour="red")
