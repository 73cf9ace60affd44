"""The Python API runs library and ad-hoc queries with typed, checked parameters, and keeps a warm
query process that survives a stopped query."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

from kg import queries, query_process
from kg.errors import KGError

FIXTURES = Path(__file__).parent / "fixtures" / "queries"


def fixture(name: str) -> queries.Query:
    return queries.parse_query_file(FIXTURES / f"{name}.rq")


def run_fixture(name: str, data_dir: Path, engine: str = "oxigraph", **params) -> queries.Result:
    query = fixture(name)
    return queries.execute(query.text, query.bindings(params), data=str(data_dir), engine=engine)


def test_run_returns_named_columns_and_rows_without_parameter_columns(data_dir):
    result = queries.run("who-can-apply", data=str(data_dir), council="dorset")
    assert result.columns and not any(c.startswith("_") for c in result.columns)
    assert len(result) == len(result.rows) > 0 and list(result) == result.rows
    assert {record["council"] for record in result.records()} == {"dorset"}


def test_sparql_answers_select_and_ask(data_dir):
    councils = queries.sparql(
        "SELECT ?id WHERE { ?c a pk:Council ; pk:councilId ?id } ORDER BY ?id", data=str(data_dir)
    )
    assert councils.rows == [["cumbria"], ["dorset"], ["enfield"], ["medway"], ["north-somerset"]]
    assert queries.sparql("ASK { council:medway a pk:Council }", data=str(data_dir)).rows == [[True]]


def test_graph_results_are_refused(data_dir):
    with pytest.raises(KGError, match="only SELECT and ASK queries are accepted"):
        queries.sparql("CONSTRUCT WHERE { ?s a pk:Council }", data=str(data_dir))


def test_parameters_are_read_from_the_query_with_their_types():
    params = {p.name: p for p in fixture("list-position").parameters}
    assert (params["position"].type, params["position"].var) == ("integer", "_position_integer")
    assert params["council"].type == "string" and params["council"].values()[0] == "cumbria"
    assert params["position"].usage == "position:integer"
    assert fixture("year-of").parameters[0].usage == "day:date=2024-03-31"


def test_an_integer_parameter_is_bound_as_an_integer(data_dir):
    second = run_fixture("list-position", data_dir, position=2)
    assert second.rows and {row[1] for row in second.rows} == {2}
    # The same value bound as a string matches nothing: the type is what makes it a number.
    query = fixture("list-position")
    as_text = queries.execute(
        query.text.replace("?_position_integer", "?_position"), {"_position": "2"}, data=str(data_dir)
    )
    assert as_text.rows == []
    assert len(run_fixture("list-position", data_dir).rows) > len(second.rows)  # empty means any


def test_a_decimal_and_a_date_parameter(data_dir):
    below = run_fixture("age-below", data_dir, below="4.5")
    assert below.rows and all(age < 4.5 for _, age in below.rows)
    assert len(run_fixture("age-below", data_dir).rows) > len(below.rows)
    assert run_fixture("year-of", data_dir).rows == [[2024]]
    assert run_fixture("year-of", data_dir, day="1999-12-31").rows == [[1999]]


def test_an_iri_parameter_takes_an_id_and_binds_the_iri(data_dir):
    result = run_fixture("about-option", data_dir, option="kinship")
    assert result.rows and {row[1] for row in result.rows} == {
        "https://w3id.org/permanence-kg/id/option/kinship"
    }
    medway = run_fixture(
        "about-option", data_dir, graph="https://w3id.org/permanence-kg/id/graph/council/medway", option=""
    )
    assert medway.rows and {row[2] for row in medway.rows} == {
        "https://w3id.org/permanence-kg/id/graph/council/medway"
    }


@pytest.mark.parametrize(
    "name, params, message",
    [
        (
            "list-position",
            {"position": "two"},
            "parameter position of query 'list-position' takes an integer",
        ),
        ("list-position", {"position": "2.5"}, "takes an integer"),
        ("age-below", {"below": "4 years"}, "parameter below of query 'age-below' takes a decimal"),
        ("year-of", {"day": "2024-02-30"}, "takes a date \\(YYYY-MM-DD"),
        (
            "about-option",
            {"option": "kinship-care"},
            "unknown option 'kinship-care' .* expected one of adoption, ",
        ),
        (
            "about-option",
            {"graph": "medway"},
            "parameter graph of query 'about-option' takes an absolute IRI",
        ),
        ("list-position", {"colour": "red"}, "has no parameter colour: it accepts position, council"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_what_is_accepted(data_dir, name, params, message):
    with pytest.raises(KGError, match=message):
        run_fixture(name, data_dir, **params)


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT ?_limit WHERE { }", "parameter ?_limit takes a reserved name"),
        ("SELECT ?_age ?_age_integer WHERE { }", "parameter age is written both ?_age and ?_age_integer"),
        ("SELECT ?x WHERE { ?x ?p ?_council }", "parameter ?_council must be in the SELECT projection"),
        (
            "#+ defaults:\n#+   - on: x\nSELECT ?_on WHERE { }",
            "quote the parameter name 'True' under #+ defaults",
        ),
    ],
)
def test_a_malformed_library_query_is_refused(tmp_path, text, message):
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KGError, match=re.escape(message)):
        queries.parse_query_file(path)


def test_limits_engine_and_data_are_checked(data_dir, tmp_path):
    with pytest.raises(KGError, match="row limit must be at least 1, not 0"):
        queries.run("statements", data=str(data_dir), limit=0)
    with pytest.raises(KGError, match="time limit must be positive, not -1 s"):
        queries.run("statements", data=str(data_dir), timeout=-1)
    with pytest.raises(KGError, match="unknown engine 'jena': expected one of oxigraph, rdflib"):
        queries.run("statements", data=str(data_dir), engine="jena")
    with pytest.raises(KGError, match="no built graph at .*: run `permanence-kg build` first"):
        queries.run("statements", data=str(tmp_path / "nothing-here"))


def test_no_time_limit_runs_in_this_process(data_dir):
    assert queries.run("statement-counts", data=str(data_dir), timeout=None).rows == (
        queries.run("statement-counts", data=str(data_dir)).rows
    )


def test_the_query_server_is_kept_and_outlives_a_stopped_query(data_dir):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a pk:Council }"
    assert queries.sparql(count, data=str(data_dir)).rows == [[5]]
    server = query_process.server().pid
    assert queries.sparql(count, data=str(data_dir)).rows == [[5]]
    assert query_process.server().pid == server  # one server, loaded once
    with pytest.raises(KGError, match="query stopped"):
        queries.sparql(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            data=str(data_dir),
            timeout=0.5,
        )
    assert queries.sparql(count, data=str(data_dir)).rows == [[5]]
    assert query_process.server().pid == server  # only the query's own process was killed


def test_queries_from_several_threads_at_once_each_get_their_own_answer(data_dir):
    answers: dict[str, list] = {}

    def ask(council: str) -> None:
        result = queries.run("statement-counts", data=str(data_dir), council=council)
        answers[council] = sorted({row[0] for row in result.rows})

    councils = ["cumbria", "dorset", "enfield", "medway", "north-somerset"]
    threads = [threading.Thread(target=ask, args=(c,)) for c in councils * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {c: [c] for c in councils}


def test_a_rebuilt_graph_is_read_afresh(data_dir, tmp_path):
    copy = tmp_path / "graph"
    shutil.copytree(data_dir, copy)
    (copy / "manifest.json").unlink()  # a hand-assembled graph: no build manifest to hold it to
    ask = "SELECT ?id WHERE { ?c a pk:Council ; pk:councilId ?id }"
    assert len(queries.sparql(ask, data=str(copy)).rows) == 5
    nq = copy / "permanence.nq"
    council = "https://w3id.org/permanence-kg/id/council/kent"
    with nq.open("a", encoding="utf-8") as fh:
        fh.write(f'<{council}> <https://w3id.org/permanence-kg/def#councilId> "kent" <urn:g> .\n')
        fh.write(
            f"<{council}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://w3id.org/permanence-kg/def#Council> <urn:g> .\n"
        )
    assert len(queries.sparql(ask, data=str(copy)).rows) == 6
