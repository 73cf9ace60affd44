"""``permanence-kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

Routes: ``/sparql`` (GET, POST form-encoded, POST ``application/sparql-query``), ``/queries`` (the
library as JSON) and ``/queries/NAME?param=value`` (a library query with the CLI's typed, checked
parameters, grlc-style), and ``/`` (a page saying how to use it). Starlette on uvicorn does the HTTP.

Queries run in pre-started query processes that each hold the graph, never in the server process:
Oxigraph cannot be interrupted from Python, but a process can be killed, so a query past the time
limit is stopped (503) and its process replaced. Each process also enforces its own deadline (a
kernel timer whose default action ends it), has a memory cap, and ends within a second of the
server (a watchdog thread; the kernel timer if a query holds the interpreter). The processes come
from a fork server, so none is forked from the threaded server process.

Results are serialized by Oxigraph inside the query process, in the format the client asked for:
SPARQL results JSON, XML, CSV, TSV; Turtle, N-Triples or JSON-LD for CONSTRUCT and DESCRIBE. The
checks are the query runner's own (``kg.queries.check_read_only``, ``check_local``, a library
query's parameter checks); the runner's result rows are plain Python values, which cannot say
whether a value was an IRI or a literal, so the endpoint keeps Oxigraph's terms instead.

Answers are kept (up to ``--cache-mb``) and given again to the same request: the graph a server
loaded does not change while it runs. Library queries and ad-hoc queries have separate query
processes, so a flood of slow ad-hoc queries cannot hold up the library; a request that waits too
long for a free process gets 503 with Retry-After, and a client that disconnects has its query
stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import html
import multiprocessing
import os
import resource
import signal
import socket
import threading
import time
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import queries
from .engines import _OX_ERROR, Term, syntax_error
from .errors import KGError
from .store import nquads_path
from .vocab import PREFIXES, SPARQL_PREFIXES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_WORKERS = 2
MAX_REQUEST_BYTES = 64 * 1024
MEMORY_CAP_MB = 1024
DEFAULT_CACHE_MB = 64
STARTUP_SECONDS = 120.0

RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# What "*/*" (or no Accept header) gets; the first listed type of each family for "text/*" etc.
DEFAULT_MEDIA = {"results": "application/sparql-results+json", "graph": "text/turtle"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges by preference (RFC 9110 12.5.1); malformed ranges and q-values are skipped,
    so a broken header falls back to the defaults rather than failing the request."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int]] = []
    for position, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if media.count("/") != 1 or not all(media.split("/")):
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0.0 < q <= 1.0:
            ranges.append((media, q, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    # A header with no well-formed range is ignored, as RFC 9110 allows.
    return [(m, q) for m, q, _ in ranges] or [("*/*", 1.0)]


def negotiate(accept: list[tuple[str, float]], kind: str) -> str | None:
    """The media type to answer in for ``kind`` ("results" or "graph"), or None if none fits."""
    offered = list(RESULTS if kind == "results" else GRAPHS)
    for media, _ in accept:
        if media == "*/*":
            return DEFAULT_MEDIA[kind]
        if media.endswith("/*"):
            family = media[:-1]
            match = [m for m in offered if m.startswith(family)]
            if DEFAULT_MEDIA[kind].startswith(family):
                return DEFAULT_MEDIA[kind]
            if match:
                return match[0]
        elif media in offered:
            return media
    return None


def acceptable(accept: list[tuple[str, float]]) -> bool:
    return negotiate(accept, "results") is not None or negotiate(accept, "graph") is not None


# -- the query process --------------------------------------------------------------------------

Job = tuple[str, list[tuple[str, Term]], list[tuple[str, float]], float]
Answer = tuple[str, int, str, bytes]  # "ok"/"error", HTTP status, media type, body


def _ox_term(term: Term) -> ox.NamedNode | ox.Literal:
    if term.iri:
        return ox.NamedNode(term.value)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def _error(status: int, message: str) -> Answer:
    return "error", status, "text/plain; charset=utf-8", message.encode("utf-8")


def answer(store: ox.Store, job: Job) -> Answer:
    """Run one query and serialize its result in the negotiated format."""
    text, substitutions, accept, _ = job
    try:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _ox_term(t) for k, t in substitutions
        }
        result = store.query(SPARQL_PREFIXES + text, use_default_graph_as_union=True, substitutions=subs)
        kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
        media = negotiate(accept, kind)
        if media is None:
            offered = ", ".join(RESULTS if kind == "results" else GRAPHS)
            return _error(406, f"this query's result can be sent as {offered}; the Accept header allows none")
        if isinstance(result, ox.QueryTriples):
            body = result.serialize(format=GRAPHS[media])
        else:
            body = result.serialize(format=RESULTS[media])
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return "ok", 200, media + charset, body or b""
    except SyntaxError as exc:
        m = _OX_ERROR.match(str(exc))
        if m:
            return _error(400, str(syntax_error(int(m.group(1)), int(m.group(2)), m.group(3))))
        return _error(400, f"SPARQL error: {str(exc).splitlines()[0]}")
    except MemoryError:
        return _error(503, "query stopped: it needed more than the memory limit")
    except Exception as exc:  # an evaluation failure is reported, not hidden
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return _error(500, f"query failed: {type(exc).__name__}: {detail}")


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the process that made it ends (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def _cap_memory(megabytes: int) -> None:
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        limit = size + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _watch_server(server: int) -> None:
    """End this process soon after the server is gone, even while it loads the graph or answers.
    (Its parent is the fork server, which itself waits for its children, so PR_SET_PDEATHSIG
    alone would not do.)"""
    while True:
        time.sleep(0.5)
        try:
            os.kill(server, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass


def worker_main(conn: Any, data: str, memory_mb: int, server: int) -> None:
    """A query process: load the graph, then answer jobs until the server goes away."""
    _die_with_parent()
    threading.Thread(target=_watch_server, args=(server,), daemon=True).start()
    # A query that outlives its deadline is ended by the kernel (SIGALRM's default action), even if
    # the server that would kill it is gone.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    try:
        from .store import load_store

        store = load_store(data)
    except KGError as exc:
        conn.send(("failed", str(exc)))
        return
    _cap_memory(memory_mb)
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        signal.setitimer(signal.ITIMER_REAL, job[3] + 2.0)
        reply = answer(store, job)
        signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send(reply)


class Stopped(Exception):
    """The query ran past its time limit, or its client went away, and its process was killed."""


class QueryProcess:
    def __init__(self, context: Any, data: str, memory_mb: int) -> None:
        self.conn, child_end = context.Pipe()
        self.process = context.Process(
            target=worker_main, args=(child_end, data, memory_mb, os.getpid()), daemon=True
        )
        self.process.start()
        child_end.close()

    def wait_ready(self) -> None:
        if not self.conn.poll(STARTUP_SECONDS):
            self.stop()
            raise KGError(f"a query process did not load the graph within {STARTUP_SECONDS:g} s")
        status, message = self.conn.recv()
        if status != "ready":
            self.stop()
            raise KGError(message)

    async def ask(self, job: Job, timeout: float, gone: asyncio.Future[Any] | None) -> Answer:
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        fd = self.conn.fileno()

        def ready() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(fd, ready)
        try:
            self.conn.send(job)
            waiting = {readable} | ({gone} if gone is not None else set())
            done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if readable not in done:
                self.stop()
                raise Stopped("client gone" if done else "time limit")
        finally:
            loop.remove_reader(fd)
        return await asyncio.to_thread(self.conn.recv)  # EOFError if the process died

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class Lane:
    """A fixed set of query processes for one kind of request, handed out one request at a time."""

    def __init__(self, name: str, size: int, context: Any, data: str, memory_mb: int) -> None:
        self.name, self.size, self.context, self.data, self.memory_mb = name, size, context, data, memory_mb
        self.idle: asyncio.Queue[QueryProcess] = asyncio.Queue()

    def _new(self) -> QueryProcess:
        process = QueryProcess(self.context, self.data, self.memory_mb)
        process.wait_ready()
        return process

    async def start(self) -> None:
        for process in await asyncio.gather(*(asyncio.to_thread(self._new) for _ in range(self.size))):
            self.idle.put_nowait(process)

    async def run(self, job: Job, wait: float, gone: asyncio.Future[Any] | None) -> Answer:
        try:
            process = await asyncio.wait_for(self.idle.get(), wait)
        except asyncio.TimeoutError:
            return _error(503, f"busy: every {self.name} query process is in use; try again shortly")
        healthy = False
        try:
            reply = await process.ask(job, job[3], gone)
            healthy = True
            return reply
        except Stopped as exc:
            if str(exc) == "client gone":
                return _error(499, "client closed the connection")
            return _error(
                503,
                f"query stopped: it ran longer than the {job[3]:g} s time limit of this endpoint",
            )
        except (EOFError, OSError):
            process.stop()
            return _error(503, "query stopped: it needed more than the memory limit (or its process crashed)")
        finally:
            if healthy:
                self.idle.put_nowait(process)
            else:
                asyncio.get_running_loop().create_task(self._replace())

    async def _replace(self) -> None:
        self.idle.put_nowait(await asyncio.to_thread(self._new))

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().stop()


# -- the HTTP side ------------------------------------------------------------------------------


@dataclass
class Settings:
    data: str
    timeout: float = queries.DEFAULT_TIMEOUT
    workers: int = DEFAULT_WORKERS
    memory_mb: int = MEMORY_CAP_MB
    max_request_bytes: int = MAX_REQUEST_BYTES
    cache_mb: int = DEFAULT_CACHE_MB
    announce: Callable[[], None] | None = None


class TooLarge(Exception):
    pass


class AnswerCache:
    """Answers already given, by query, parameters and accepted formats, least recently used
    dropped first. The query processes load the graph once, at start, and never change it, so an
    answer stays right for the life of the server."""

    def __init__(self, megabytes: int) -> None:
        self.budget = megabytes * 1024 * 1024
        self.size = 0
        self.answers: OrderedDict[str, Answer] = OrderedDict()

    @staticmethod
    def key(job: Job) -> str:
        text, substitutions, accept, _ = job
        return repr((text, substitutions, accept))

    def get(self, job: Job) -> Answer | None:
        key = self.key(job)
        found = self.answers.get(key)
        if found is not None:
            self.answers.move_to_end(key)
        return found

    def put(self, job: Job, reply: Answer) -> None:
        if reply[0] != "ok" or len(reply[3]) > self.budget // 8:
            return
        key = self.key(job)
        if key in self.answers:
            return
        self.answers[key] = reply
        self.size += len(reply[3])
        while self.size > self.budget:
            _, dropped = self.answers.popitem(last=False)
            self.size -= len(dropped[3])


def _text(status: int, message: str, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _until_disconnected(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _respond(request: Request, lane: Lane, job: Job, wait: float, cache: AnswerCache) -> Response:
    reply = cache.get(job)
    if reply is None:
        watcher = asyncio.ensure_future(_until_disconnected(request))
        try:
            reply = await lane.run(job, wait, watcher)
        finally:
            watcher.cancel()
        cache.put(job, reply)
    status, code, media, body = reply
    headers = {"Retry-After": "1"} if code == 503 else None
    if status == "ok":
        return Response(body, status_code=code, media_type=media, headers={"Vary": "Accept"})
    return Response(body + b"\n", status_code=code, media_type=media, headers=headers)


def _query_text(request: Request, pairs: list[tuple[str, str]]) -> str | Response:
    """The query of a protocol request, or the response refusing it."""
    names = [k for k, _ in pairs]
    if "update" in names:
        return _text(403, "SPARQL Update is refused: this endpoint is read-only; send a query")
    if "default-graph-uri" in names or "named-graph-uri" in names:
        return _text(
            400,
            "default-graph-uri and named-graph-uri are refused: the default graph is the union of the "
            "named graphs; read one with GRAPH graph:council/medway { ... }",
        )
    texts = [v for k, v in pairs if k == "query"]
    if len(texts) != 1:
        return _text(
            400, "send exactly one query parameter (query=SELECT ...)" if texts else "no query given"
        )
    return texts[0]


def build_app(settings: Settings) -> Starlette:
    lanes: dict[str, Lane] = {}
    cache = AnswerCache(settings.cache_mb)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kg.server"])
        for name in ("library", "ad hoc"):
            lanes[name] = Lane(name, settings.workers, context, settings.data, settings.memory_mb)
        try:
            await asyncio.gather(*(lane.start() for lane in lanes.values()))
            if settings.announce is not None:
                settings.announce()
            yield
        finally:
            for lane in lanes.values():
                lane.close()

    async def home(request: Request) -> Response:
        return HTMLResponse(_home_page(request, settings))

    async def endpoint(request: Request) -> Response:
        try:
            if request.method == "GET":
                if len(request.url.query.encode("utf-8")) > settings.max_request_bytes:
                    raise TooLarge
                pairs = list(request.query_params.multi_items())
                if not pairs:
                    return HTMLResponse(_home_page(request, settings))
            else:
                media = _media_type(request)
                body = await _body(request, settings.max_request_bytes)
                if media == "application/sparql-update":
                    return _text(403, "SPARQL Update is refused: this endpoint is read-only; send a query")
                if media == "application/sparql-query":
                    pairs = [("query", body.decode("utf-8", errors="strict"))]
                    pairs += list(request.query_params.multi_items())
                elif media == "application/x-www-form-urlencoded":
                    pairs = urllib.parse.parse_qsl(
                        body.decode("ascii", errors="strict"), keep_blank_values=True, errors="strict"
                    )
                else:
                    return _text(
                        415,
                        "send the query as application/sparql-query or application/x-www-form-urlencoded "
                        f"(query=...), not {media or 'no content type'}",
                    )
        except TooLarge:
            return _text(413, f"request too large: at most {settings.max_request_bytes} bytes")
        except UnicodeDecodeError:
            return _text(400, "the request is not valid UTF-8")
        text = _query_text(request, pairs)
        if isinstance(text, Response):
            return text
        accept = parse_accept(request.headers.get("accept"))
        if not acceptable(accept):
            return _not_acceptable()
        try:
            queries.check_read_only(text)
        except KGError as exc:
            return _text(403, str(exc))
        try:
            await asyncio.to_thread(queries.check_local, text)
        except KGError as exc:
            return _text(400, str(exc))
        wait = min(settings.timeout, 5.0)
        return await _respond(request, lanes["ad hoc"], (text, [], accept, settings.timeout), wait, cache)

    async def library(request: Request) -> Response:
        return JSONResponse([_describe(q, request) for q in queries.library().values()])

    async def library_query(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in queries.library():
            return _text(404, f"no query '{name}': GET /queries lists the {len(queries.library())} queries")
        pairs = list(request.query_params.multi_items())
        given: dict[str, str] = {}
        for key, value in pairs:
            if key in given:
                return _text(400, f"parameter {key} is given more than once")
            given[key] = value
        query = queries.get(name)
        try:
            bindings = query.bindings(given)
        except KGError as exc:
            return _text(400, str(exc))
        accept = parse_accept(request.headers.get("accept"))
        if negotiate(accept, "results") is None:
            return _not_acceptable()
        job: Job = (query.text, sorted(bindings.items()), accept, settings.timeout)
        return await _respond(request, lanes["library"], job, settings.timeout, cache)

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/sparql", endpoint, methods=["GET", "POST"]),
        Route("/queries", library, methods=["GET"]),
        Route("/queries/{name}", library_query, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _not_acceptable() -> Response:
    offered = ", ".join([*RESULTS, *GRAPHS])
    return _text(406, f"the Accept header allows none of the formats this endpoint sends: {offered}")


def _describe(query: queries.Query, request: Request) -> dict[str, Any]:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "url": str(request.url_for("library_query", name=query.name)),
        "parameters": [
            {"name": p.name, "type": p.type, "default": p.default, "values": p.values()}
            for p in query.parameters
        ],
    }


def _home_page(request: Request, settings: Settings) -> str:
    base = str(request.base_url).rstrip("/")
    prefixes = "\n".join(f"PREFIX {p}: &lt;{html.escape(iri)}&gt;" for p, iri in PREFIXES.items())
    example = "SELECT ?council ?label WHERE { ?council a pk:Council ; rdfs:label ?label }"
    encoded = urllib.parse.quote(example)
    count = len(queries.library())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>permanence-kg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
pre,code{{background:#f4f4f4}}pre{{padding:.6rem;overflow-x:auto}}</style></head>
<body>
<h1>permanence-kg SPARQL endpoint</h1>
<p>A read-only <a href="https://www.w3.org/TR/sparql11-protocol/">SPARQL 1.1 Protocol</a> endpoint over
an evidence-backed knowledge graph of English councils' guidance on permanence for children in care.
Every fact attributed to a council carries its verbatim quote, character offsets and section.
It compares published guidance; it is not legal advice.</p>
<h2>Ask a query</h2>
<p><code>{html.escape(base)}/sparql</code> takes <code>GET ?query=...</code>, a form
<code>POST</code> (<code>query=...</code>) or a <code>POST</code> with
<code>Content-Type: application/sparql-query</code>. Choose the format with <code>Accept</code>:
SPARQL results JSON (default), XML, CSV or TSV; Turtle (default), N-Triples or JSON-LD for CONSTRUCT
and DESCRIBE.</p>
<pre>curl -H 'Accept: text/csv' '{html.escape(base)}/sparql?query={html.escape(encoded)}'</pre>
<p>The default graph is the union of the named graphs (one per council, plus ontology, provenance
and divergences). Updates are refused (403), as are SERVICE and FROM (400). A query stops after
{settings.timeout:g} s (503). These prefixes are predeclared:</p>
<pre>{prefixes}</pre>
<h2>The query library</h2>
<p><a href="{html.escape(base)}/queries">/queries</a> lists the {count} library queries with their
parameters (JSON); run one as <code>/queries/NAME?param=value</code>, e.g.
<a href="{html.escape(base)}/queries/who-can-apply?order=special-guardianship-order&amp;council=dorset"
>/queries/who-can-apply?order=special-guardianship-order&amp;council=dorset</a>.
Parameters are typed and checked as on the command line (<code>permanence-kg query --list</code>).</p>
</body></html>
"""


def check_data(data: str | Path | None) -> str:
    path = nquads_path(data)
    if not path.is_file():
        raise KGError(f"no built graph at {path}: run `permanence-kg build` first (or pass --data DIR)")
    return str(path)


def serve(
    data: str | Path | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = queries.DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    announce: Callable[[], None] | None = None,
    cache_mb: int = DEFAULT_CACHE_MB,
) -> None:
    """Run the endpoint until interrupted; ``announce()`` is called once the graph is loaded."""
    import uvicorn

    if not 0 < timeout < 86400:
        raise KGError(f"time limit must be between 0 and 86400 s, not {timeout:g}")
    if workers < 1:
        raise KGError(f"--workers must be at least 1, not {workers}")
    if cache_mb < 0:
        raise KGError(f"--cache-mb must be 0 (no cache) or more, not {cache_mb}")
    with contextlib.closing(socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise KGError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose another port with --port)"
            ) from None
    settings = Settings(
        check_data(data), timeout=timeout, workers=workers, announce=announce, cache_mb=cache_mb
    )
    config = uvicorn.Config(
        build_app(settings),
        host=host,
        port=port,
        log_level="warning",
        # Room for a GET query up to the request limit, so a larger one gets our 413, not a 400.
        h11_max_incomplete_event_size=settings.max_request_bytes + 16 * 1024,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise KGError(f"could not serve on {host}:{port} (is the port in use? choose another with --port)")
