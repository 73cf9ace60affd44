"""The runner is read-only, binds parameters as terms, stops runaway queries and says why."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import queries, query_process
from kg.cli import cli
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
        "insert data { <a:a> <a:b> <a:c> }",
        "  \n\t DROP GRAPH <a:g>",
        "\ufeffDELETE WHERE { ?s ?p ?o }",
        "PREFIX x: # a comment inside the declaration\n <a:>\nDELETE WHERE { ?s ?p ?o }",
        "PREFIX x: <a:> # and\n# more\nINSERT { ?s x:y 1 } WHERE { ?s ?p ?o }",
        "CREATE GRAPH <a:g>",
        "COPY DEFAULT TO <a:g>",
        "with <a:g> delete { ?s ?p ?o } where { ?s ?p ?o }",
        "ADD <a:g> TO <a:h>",
        "MOVE <a:g> TO DEFAULT",
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


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _any(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"<http://a/s> <http://a/p> <http://a/o> .\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _any

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def listener():
    """A local HTTP server that answers anything; the test asserts it was never asked."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


REACHING_OUT = [
    ("SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT * WHERE { SERVICE SILENT <{url}/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("select * where { service\t\n  silent<{url}/sparql>{?s ?p ?o} }", "SERVICE is refused"),
    ("SELECT * WHERE { \\u0053ERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT * WHERE { SERV\\u0049CE <{url}/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    (
        'SELECT * WHERE {\n# a comment } "\n SERVICE # another\n <{url}/sparql> { ?s ?p ?o } }',
        "SERVICE is refused",
    ),
    ('SELECT * WHERE { BIND("x" AS ?x) SERVICE ?x { ?s ?p ?o } }', "SERVICE is refused"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}/s> { ?s ?q ?r } } } LIMIT 1", "SERVICE is refused"),
    ("SELECT * WHERE { FILTER EXISTS { SERVICE <{url}/s> { ?s ?q ?r } } }", "SERVICE is refused"),
    ("SELECT * FROM <{url}/x.nt> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
    ("SELECT * FROM NAMED <{url}/x.nt> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM and FROM NAMED are refused"),
    ("select * from\n<file:///etc/hostname> where { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
    ("ASK FROM <{url}/x.nt> { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
    (
        "SELECT * FROM <https://w3id.org/permanence-kg/id/graph/ontology> { ?s ?p ?o }",
        "FROM and FROM NAMED are refused",
    ),
    ("\ufeffSELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_no_query_reaches_beyond_the_graph(data_dir, engine, listener):
    url, requests = listener
    for template, message in REACHING_OUT:
        with pytest.raises(KGError, match=message):
            queries.sparql(template.replace("{url}", url), data=str(data_dir), engine=engine)
        # Without a time limit the query would run in this process: refused all the same.
        with pytest.raises(KGError, match=message):
            queries.sparql(template.replace("{url}", url), data=str(data_dir), engine=engine, timeout=None)
        with pytest.raises(KGError, match=message):
            queries.execute(template.replace("{url}", url), {}, data=str(data_dir), engine=engine)
    assert requests == []


def test_the_cli_sparql_command_reaches_nothing(data_dir, listener):
    url, requests = listener
    for template, message in REACHING_OUT:
        for engine in ("oxigraph", "rdflib"):
            result = CliRunner().invoke(
                cli,
                ["sparql", "-", "--data", str(data_dir), "--engine", engine],
                input=template.replace("{url}", url),
            )
            assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert requests == []


def test_refusing_from_names_the_graphs_there_are(data_dir):
    with pytest.raises(KGError, match=r"named graphs: .*/graph/council/medway>.*/graph/ontology>") as refused:
        queries.sparql("SELECT * FROM NAMED <urn:x> WHERE { GRAPH ?g { ?s ?p ?o } }", data=str(data_dir))
    assert "GRAPH <name>" in str(refused.value)


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


def test_library_queries_are_not_parsed_again_at_each_run(data_dir, monkeypatch):
    # The parse above stands for every run: a command's start-up is not spent re-parsing.
    def refuse(text):
        raise AssertionError("a library query was parsed again")

    monkeypatch.setattr(queries, "check_local", refuse)
    assert queries.run("statement-counts", data=str(data_dir)).rows
    with pytest.raises(AssertionError):
        queries.sparql("ASK { ?s ?p ?o }", data=str(data_dir))


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


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _peak_rss_while(run) -> tuple[float, BaseException | None]:
    """The largest resident size of any process under this one while ``run`` runs, in MiB."""
    outcome: list[BaseException | None] = [None]

    def target() -> None:
        try:
            run()
        except BaseException as exc:  # handed back to the test
            outcome[0] = exc

    thread = threading.Thread(target=target)
    thread.start()
    peak = 0.0
    while thread.is_alive():
        peak = max([peak, *(_rss_mib(p) for p in _descendants(os.getpid()))])
        time.sleep(0.02)
    thread.join()
    return peak, outcome[0]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_runaway_order_by_is_stopped_at_the_memory_cap(data_dir, engine):
    queries.sparql("ASK { ?s a pk:Council }", data=str(data_dir), engine=engine)  # the graph loaded
    peak, error = _peak_rss_while(
        lambda: queries.sparql(
            "SELECT ?a ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f",
            data=str(data_dir),
            engine=engine,
            limit=5,
            timeout=30,
        )
    )
    # Oxigraph fills the cap in seconds; rdflib's Python objects may fill it more slowly than the clock.
    stopped = "query stopped: memory limit of 512 MiB" if engine == "oxigraph" else "query stopped: "
    assert isinstance(error, KGError) and str(error).startswith(stopped)
    assert peak < 1024, f"a query process reached {peak:.0f} MiB"
    assert queries.sparql("ASK { ?s a pk:Council }", data=str(data_dir), engine=engine).rows == [[True]]


def test_rows_are_streamed_up_to_the_limit_in_little_memory(data_dir):
    peak, error = _peak_rss_while(
        lambda: queries.sparql(
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", data=str(data_dir), limit=5, timeout=10
        )
    )
    assert error is None and peak < 512


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_runaway_regex_is_stopped(data_dir, engine):
    started = time.monotonic()
    try:
        queries.sparql(
            "SELECT * WHERE { ?s ?p ?o . ?t ?q ?r "
            'FILTER REGEX(CONCAT(STR(?o), STR(?r), "!"), "^(.*a)+(.*)+$") }',
            data=str(data_dir),
            engine=engine,
            timeout=2,
        )
    except KGError as exc:
        assert str(exc).startswith("query stopped:")
    assert time.monotonic() - started < 8


def test_the_time_limit_holds_in_a_thread_that_is_not_the_main_one(data_dir):
    outcome: list[BaseException | None] = [None]

    def ask() -> None:
        try:
            queries.sparql(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                data=str(data_dir),
                timeout=1,
            )
        except BaseException as exc:  # handed back to the test
            outcome[0] = exc

    started = time.monotonic()
    thread = threading.Thread(target=ask)
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 5
    assert isinstance(outcome[0], KGError) and "ran longer than the 1 s time limit" in str(outcome[0])


def test_twenty_threads_asking_at_once_load_the_graph_once(data_dir, tmp_path):
    shutil.copytree(data_dir, tmp_path / "graph", symlinks=True)
    data = str(tmp_path / "graph")
    answers: list[int] = []

    def ask() -> None:
        answers.append(len(queries.run("statement-counts", data=data).rows))

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 20 and len(set(answers)) == 1
    # One load is about 100 MiB; loading once per thread was 1 GiB.
    server = query_process.server().pid
    assert _rss_mib(server) < 400
