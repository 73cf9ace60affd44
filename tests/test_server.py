"""`permanence-kg serve`: the SPARQL 1.1 Protocol endpoint and the query library by name, tried as
a real server on a loopback port (uvicorn, query processes and all)."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any, Iterator

import httpx
import pyoxigraph as ox
import pytest

from kg import queries
from kg.engines import _python
from kg.vocab import ID
from live_servers import LiveServer, serve

TIME_LIMIT = 2.0
COUNCILS = "SELECT ?council ?label WHERE { ?council a pk:Council ; rdfs:label ?label } ORDER BY ?council"
TRIPLES = "CONSTRUCT { ?c a pk:Council ; rdfs:label ?l } WHERE { ?c a pk:Council ; rdfs:label ?l }"
# Never finishes on this graph: a three-way cross product, counted.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[LiveServer]:
    live = serve(data_dir, "--timeout", str(TIME_LIMIT), "--workers", "1").start()
    yield live
    live.stop()


def ask(server: LiveServer, query: str, accept: str | None = None, **kw: Any) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(server.url + "/sparql", params={"query": query}, headers=headers, timeout=30, **kw)


def fresh(query: str) -> str:
    """The query made unlike any asked before, so the server cannot answer it from its cache."""
    return f"{query}\n# {uuid.uuid4()}"


def rows_of(response: httpx.Response) -> list[list[Any]]:
    fmt = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }[response.headers["content-type"].split(";")[0]]
    results = ox.parse_query_results(response.content, format=fmt)
    names = [v.value for v in results.variables]
    return [[row[n] for n in names] for row in results]


def test_select_by_get_and_both_posts_gives_the_graphs_terms(server: LiveServer, data_dir: Path) -> None:
    by_get = ask(server, COUNCILS)
    by_form = httpx.post(server.url + "/sparql", data={"query": COUNCILS}, timeout=30)
    by_body = httpx.post(
        server.url + "/sparql",
        content=COUNCILS.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert by_get.content == by_form.content == by_body.content
    bindings = json.loads(by_get.content)["results"]["bindings"]
    assert bindings and all(
        b["council"]["type"] == "uri" and b["label"]["type"] == "literal" for b in bindings
    )
    embedded = queries.sparql(COUNCILS, data=str(data_dir))
    assert [[_python(t) for t in row] for row in rows_of(by_get)] == embedded.rows


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+xml", "text/tab-separated-values", "text/csv", "application/json"]
)
def test_results_in_every_format_hold_the_same_rows(server: LiveServer, accept: str) -> None:
    reference = rows_of(ask(server, COUNCILS))
    response = ask(server, COUNCILS, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    if accept == "text/csv":  # CSV drops the kind of term; compare the values
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[1:] == [[t.value for t in row] for row in reference]
    elif accept == "application/json":
        assert len(json.loads(response.content)["results"]["bindings"]) == len(reference)
    else:
        assert rows_of(response) == reference


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_and_describe_in_every_graph_format(server: LiveServer, accept: str, fmt: Any) -> None:
    reference = set(
        ox.parse(ask(server, TRIPLES, "application/n-triples").content, format=ox.RdfFormat.N_TRIPLES)
    )
    assert reference
    response = ask(server, TRIPLES, accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert set(ox.parse(response.content, format=fmt)) == reference
    described = ask(server, "DESCRIBE council:medway", accept)
    assert described.status_code == 200
    medway = ox.NamedNode(ID + "council/medway")
    assert any(t.subject == medway for t in ox.parse(described.content, format=fmt))


def test_default_formats_and_bad_accept_headers(server: LiveServer) -> None:
    assert ask(server, TRIPLES).headers["content-type"].startswith("text/turtle")
    assert ask(server, COUNCILS, "text/*").headers["content-type"].startswith("text/csv")
    # A malformed header is ignored (RFC 9110 allows it): the default format.
    for broken in (";;;", "q=0.5", "text/csv;q=abc", "/", "*/*;q=2"):
        response = ask(server, COUNCILS, broken)
        assert response.status_code == 200, broken
    # A well-formed header that allows nothing we send: 406 naming what we do send.
    refused = ask(server, COUNCILS, "application/pdf")
    assert refused.status_code == 406 and "application/sparql-results+json" in refused.text
    graph_as_table = ask(server, TRIPLES, "text/csv")
    assert graph_as_table.status_code == 406 and "text/turtle" in graph_as_table.text


@pytest.mark.parametrize(
    "how",
    [
        {"data": {"update": "DROP ALL"}},
        {"data": {"query": "DROP ALL"}},
        {"data": {"query": "  insert data { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }"}},
        {"content": b"CLEAR DEFAULT", "headers": {"Content-Type": "application/sparql-update"}},
        {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-query"}},
    ],
)
def test_updates_are_refused_with_403_and_change_nothing(server: LiveServer, how: dict[str, Any]) -> None:
    before = ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").content
    response = httpx.post(server.url + "/sparql", timeout=30, **how)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").content == before


def test_malformed_query_gets_400_with_line_and_column(server: LiveServer) -> None:
    response = ask(server, "SELECT ?s\nWHERE { ?s ?p }")
    assert response.status_code == 400
    assert "line 2, column" in response.text


@pytest.mark.parametrize(
    "query,params",
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", {}),
        ("SELECT * FROM <http://127.0.0.1:9/data> WHERE { ?s ?p ?o }", {}),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": "http://127.0.0.1:9/data"}),
    ],
)
def test_service_and_foreign_datasets_are_refused_with_400(
    server: LiveServer, query: str, params: dict[str, str]
) -> None:
    response = httpx.get(server.url + "/sparql", params={"query": query, **params}, timeout=30)
    assert response.status_code == 400
    assert "refused" in response.text


def test_oversized_requests_get_413(server: LiveServer) -> None:
    padding = "#" + "x" * 70_000 + "\n"
    posted = httpx.post(server.url + "/sparql", data={"query": padding + COUNCILS}, timeout=30)
    assert posted.status_code == 413
    direct = httpx.post(
        server.url + "/sparql",
        content=(padding + COUNCILS).encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert direct.status_code == 413
    # Longer than HTTP clients here will build: sent by hand.
    sock = raw_request(server, "/sparql?query=" + urllib.parse.quote("#" + "x" * 66_000 + "\n" + COUNCILS))
    with sock:
        assert sock.recv(64).startswith(b"HTTP/1.1 413")


def test_time_limit_overrun_gets_503_and_the_endpoint_goes_on(server: LiveServer) -> None:
    started = time.monotonic()
    response = ask(server, RUNAWAY)
    assert response.status_code == 503
    assert "time limit" in response.text
    assert time.monotonic() - started < TIME_LIMIT + 5
    deadline = time.monotonic() + 30  # the stopped query process is being replaced
    while (status := ask(server, fresh(COUNCILS)).status_code) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200


def test_a_flood_of_slow_queries_does_not_stop_the_endpoint_answering_others(server: LiveServer) -> None:
    flood: list[int] = []

    def slow() -> None:
        try:
            flood.append(ask(server, RUNAWAY).status_code)
        except httpx.HTTPError:
            flood.append(-1)

    threads = [threading.Thread(target=slow) for _ in range(12)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    try:
        for path in ("/", "/queries", "/queries/statement-counts", "/queries/who-can-apply?council=dorset"):
            started = time.monotonic()
            response = httpx.get(server.url + path, timeout=30)
            assert response.status_code == 200, path
            assert time.monotonic() - started < 3.0, path
        started = time.monotonic()
        adhoc = ask(server, fresh(COUNCILS))
        # An ad-hoc query waits for a free query process for a bounded time, then is told to retry.
        assert adhoc.status_code in (200, 503)
        assert time.monotonic() - started < TIME_LIMIT + 5
        if adhoc.status_code == 503:
            assert adhoc.headers.get("retry-after")
    finally:
        for thread in threads:
            thread.join(60)
    assert len(flood) == 12 and set(flood) <= {503}
    deadline = time.monotonic() + 30
    while (status := ask(server, fresh(COUNCILS)).status_code) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200


def raw_request(server: LiveServer, path: str) -> socket.socket:
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/csv\r\n\r\n".encode())
    return sock


def test_a_client_disconnecting_mid_response_harms_no_one(server: LiveServer) -> None:
    for _ in range(5):
        sock = raw_request(server, "/queries/statements")
        assert sock.recv(64).startswith(b"HTTP/1.1 200")
        sock.close()
    # A client that gives up on a slow query has the query stopped: with one query process, the
    # next query is answered well before the time limit would have freed it.
    sock = raw_request(server, "/sparql?query=" + urllib.parse.quote(RUNAWAY))
    time.sleep(0.3)
    sock.close()
    time.sleep(0.3)
    started = time.monotonic()
    while (response := ask(server, fresh(COUNCILS))).status_code != 200 and time.monotonic() < started + 30:
        time.sleep(0.2)
    assert response.status_code == 200
    assert len(httpx.get(server.url + "/queries/statements", timeout=30).text) > 1000


def test_a_repeated_request_gets_the_same_answer(server: LiveServer) -> None:
    query = fresh(COUNCILS)
    first, second = ask(server, query, "text/csv"), ask(server, query, "text/csv")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert (
        ask(server, query, "application/sparql-results+xml")
        .headers["content-type"]
        .startswith("application/sparql-results+xml")
    )


def test_library_list_has_every_query_with_typed_parameters(server: LiveServer) -> None:
    listed = {q["name"]: q for q in httpx.get(server.url + "/queries", timeout=30).json()}
    assert set(listed) == set(queries.library())
    for name, query in queries.library().items():
        entry = listed[name]
        assert entry["summary"] == query.summary
        assert [p["name"] for p in entry["parameters"]] == [p.name for p in query.parameters]
        assert [p["type"] for p in entry["parameters"]] == [p.type for p in query.parameters]
        assert entry["url"].endswith(f"/queries/{name}")
    who = {p["name"]: p for p in listed["who-can-apply"]["parameters"]}
    assert "dorset" in who["council"]["values"]


def _normalised(rows: list[list[Any]]) -> list[str]:
    def value(v: Any) -> Any:
        if isinstance(v, str):
            for sep in ("|", ", ", " / "):
                if sep in v:
                    return sorted(v.split(sep))
        return v

    return sorted(repr([value(v) for v in row]) for row in rows)


@pytest.mark.parametrize(
    "name,params",
    [
        ("who-can-apply", {"order": "special-guardianship-order", "council": "dorset"}),
        ("councils-stating-applicant", {"category": "parent", "route": "excluded"}),
        ("statement-counts", {}),
        ("keyword-search", {"keyword": "assessment of need"}),
    ],
)
def test_library_query_by_name_answers_as_the_cli_does(
    server: LiveServer, data_dir: Path, name: str, params: dict[str, str]
) -> None:
    response = httpx.get(f"{server.url}/queries/{name}", params=params, timeout=30)
    assert response.status_code == 200
    results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in results.variables]
    keep = [n for n in names if not n.startswith("_")]
    rows = [[_python(row[n]) for n in keep] for row in results]
    embedded = queries.run(name, data=str(data_dir), **params)
    assert keep == embedded.columns
    assert _normalised(rows) == _normalised(embedded.rows)


@pytest.mark.parametrize(
    "path,status,words",
    [
        ("/queries/no-such-query", 404, "GET /queries"),
        ("/queries/who-can-apply?council=kent", 400, "dorset"),
        ("/queries/who-can-apply?colour=red", 400, "accepts"),
        ("/queries/who-can-apply?council=dorset&council=medway", 400, "more than once"),
        ("/queries/councils-stating-applicant?category=uncle", 400, "expected one of"),
    ],
)
def test_library_parameters_are_checked_as_on_the_command_line(
    server: LiveServer, path: str, status: int, words: str
) -> None:
    response = httpx.get(server.url + path, timeout=30)
    assert response.status_code == status
    assert words in response.text


@pytest.mark.parametrize(
    "keyword",
    [
        '") } } DELETE WHERE { ?s ?p ?o } #',
        "' . ?s ?p ?o } UNION { ?s ?p ?o",
        '\\" ) ) } SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } #',
        "x\n} INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_injection_through_a_library_parameter_is_only_text(server: LiveServer, keyword: str) -> None:
    before = ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").content
    response = httpx.get(server.url + "/queries/keyword-search", params={"keyword": keyword}, timeout=30)
    assert response.status_code == 200
    bindings = json.loads(response.content)["results"]["bindings"]
    assert bindings == [] or all(keyword.lower() in b["text"]["value"].lower() for b in bindings)
    assert ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").content == before


def test_home_page_says_how_to_query_with_no_external_assets(server: LiveServer) -> None:
    response = httpx.get(server.url + "/", timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "/sparql" in page and "/queries" in page and "read-only" in page
    for asset in ("<script", "<link", "<img", "@import", "url("):
        assert asset not in page


def test_serve_refuses_a_busy_port_or_a_missing_graph_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--data", str(data_dir), "--port", str(port)])
    assert result.exit_code == 1 and "--port" in result.output and "Traceback" not in result.output
    missing = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path)])
    assert missing.exit_code == 1 and "permanence-kg build" in missing.output


def _query_processes() -> set[int]:
    """The endpoint's fork server and query processes (their command line names kg.server)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"multiprocessing.forkserver" in command and b"kg.server" in command:
                found.add(int(entry.name))
    return found


def test_killing_the_server_leaves_no_query_process(data_dir: Path) -> None:
    before = _query_processes()
    live = serve(data_dir, "--timeout", str(TIME_LIMIT), "--workers", "1").start()
    try:
        busy = threading.Thread(target=lambda: _swallow(lambda: ask(live, fresh(RUNAWAY))))
        busy.start()
        time.sleep(0.5)
        ours = _query_processes() - before
        assert ours  # the fork server and the query processes
        assert live.process is not None
        live.kill()  # SIGKILL: no shutdown code runs
        deadline = time.monotonic() + TIME_LIMIT + 5
        while (ours & _query_processes()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not ours & _query_processes()
        busy.join(30)
    finally:
        live.stop()


def _swallow(call: Any) -> None:
    try:
        call()
    except httpx.HTTPError:
        pass
