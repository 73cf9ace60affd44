"""Any SPARQL 1.1 store: the graph pushed into a real Oxigraph server, then the whole library run
against it (and against `permanence-kg serve`) with `--endpoint`, every result compared with the
embedded run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import cli
from live_servers import LiveServer, free_port, oxigraph, serve


@pytest.fixture(scope="module")
def store(data_dir: Path) -> Iterator[LiveServer]:
    live = oxigraph().start()
    result = CliRunner().invoke(
        cli,
        ["push", "--store", live.url + "/store", "--update", live.url + "/update", "--data", str(data_dir)],
    )
    assert result.exit_code == 0, result.output
    yield live
    live.stop()


@pytest.fixture(scope="module")
def endpoint_server(data_dir: Path) -> Iterator[LiveServer]:
    live = serve(data_dir).start()
    yield live
    live.stop()


@pytest.fixture(autouse=True)
def back_to_the_built_graph() -> Iterator[None]:
    yield
    queries.use_endpoint(None)


def normalised(rows: list[list[Any]]) -> list[str]:
    """Rows as sorted strings; a joined list (a|b, "a, b", a / b) compared as a set of its parts,
    since the order GROUP_CONCAT joins values in is up to the store."""
    return sorted(
        repr([sorted(re.split(r"\||, | / ", v)) if isinstance(v, str) else v for v in row]) for row in rows
    )


def variants() -> list[tuple[str, dict[str, str]]]:
    """Every library query with its defaults, and once with each known value of each of its
    checked parameters (the others left at their defaults)."""
    cases: list[tuple[str, dict[str, str]]] = []
    for name, query in sorted(queries.library().items()):
        cases.append((name, {}))
        for param in query.parameters:
            cases += [(name, {param.name: value}) for value in param.values()[:2]]
    return cases


_embedded: dict[str, queries.Result] = {}


def assert_same_everywhere(data_dir: Path, endpoint: str, cases: list[tuple[str, dict[str, str]]]) -> None:
    differing = []
    for name, params in cases:
        key = repr((name, sorted(params.items())))
        if key not in _embedded:
            _embedded[key] = queries.run(name, data=str(data_dir), **params)
        embedded = _embedded[key]
        remote = queries.run(name, endpoint=endpoint, **params)
        if remote.columns != embedded.columns or normalised(remote.rows) != normalised(embedded.rows):
            differing.append(f"{name} {params}: {len(remote.rows)} rows remotely, {len(embedded.rows)} here")
    assert not differing, "\n".join(differing)


def test_whole_library_on_oxigraph_server_matches_the_embedded_run(store: LiveServer, data_dir: Path) -> None:
    assert_same_everywhere(data_dir, store.url + "/query", variants())


def test_whole_library_through_serve_matches_the_embedded_run(
    endpoint_server: LiveServer, data_dir: Path
) -> None:
    assert_same_everywhere(
        data_dir, endpoint_server.url + "/sparql", [(name, {}) for name in queries.library()]
    )


def test_cli_query_and_sparql_with_endpoint_print_what_they_print_locally(
    store: LiveServer, data_dir: Path
) -> None:
    runner = CliRunner()
    for args in (
        ["query", "statement-counts", "--format", "csv"],
        ["query", "councils-silent-on", "--param", "kind=advantage", "--format", "json"],
    ):
        local = runner.invoke(cli, [*args, "--data", str(data_dir)])
        remote = runner.invoke(cli, [*args, "--endpoint", store.url + "/query"])
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())
    text = "SELECT ?c ?label WHERE { ?c a pk:Council ; rdfs:label ?label } ORDER BY ?c"
    local = runner.invoke(cli, ["sparql", "-", "--data", str(data_dir)], input=text)
    remote = runner.invoke(cli, ["sparql", "-", "--endpoint", store.url + "/query"], input=text)
    assert remote.exit_code == 0 and remote.output == local.output
    # The option is per command: the next command without it reads the built graph again.
    assert queries.current_endpoint() is None


def test_endpoint_from_the_environment(store: LiveServer) -> None:
    result = CliRunner().invoke(
        cli,
        ["query", "statement-counts", "--data", "/nonexistent"],
        env={"PERMANENCE_KG_ENDPOINT": store.url + "/query"},
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "text,words",
    [
        ("DROP ALL", "read-only"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", "FROM"),
    ],
)
def test_refused_queries_are_never_sent(store: LiveServer, text: str, words: str) -> None:
    before = queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=store.url + "/query").rows
    result = CliRunner().invoke(cli, ["sparql", "-", "--endpoint", store.url + "/query"], input=text)
    assert result.exit_code != 0 and words in result.output and "Traceback" not in result.output
    after = queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=store.url + "/query").rows
    assert before == after


def test_injection_through_a_library_parameter_reaches_the_store_as_text(store: LiveServer) -> None:
    endpoint = store.url + "/query"
    before = queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=endpoint).rows
    for keyword in (
        '") } } DROP ALL ; SELECT * { #',
        "'\\\" } UNION { ?s ?p ?o",
        "x\n}\nINSERT DATA {<a:a> <a:a> 1}",
    ):
        result = queries.run("keyword-search", endpoint=endpoint, keyword=keyword)
        assert all(keyword.lower() in str(row).lower() for row in result.rows)
    assert queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=endpoint).rows == before


def test_unreachable_or_slow_endpoints_fail_in_one_line() -> None:
    runner = CliRunner()
    down = runner.invoke(
        cli, ["query", "statement-counts", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql"]
    )
    assert down.exit_code == 1 and "cannot reach the endpoint" in down.output
    assert len(down.output.strip().splitlines()) == 1
    bad = runner.invoke(cli, ["query", "statement-counts", "--endpoint", "ftp://example.invalid/"])
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.output


def test_time_limit_applies_to_a_remote_query(store: LiveServer) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = CliRunner().invoke(
        cli, ["sparql", "-", "--endpoint", store.url + "/query", "--timeout", "1"], input=runaway
    )
    assert result.exit_code == 1 and "time limit" in result.output
