"""Any SPARQL 1.1 store: the library run against a remote endpoint, and the graph pushed into a store.

``select`` sends a query over the SPARQL 1.1 Protocol and reads the SPARQL JSON results into the
same plain Python values the embedded engines give, so a library query answers the same rows
wherever the graph lives. A library query's parameters are written into the query text as RDF
terms serialized by Oxigraph (escaped literals, checked IRIs), never as raw user text: a remote
endpoint has no standard way to pre-bind a variable.

``push`` replaces every named graph of the build in a store through the SPARQL 1.1 Graph Store
Protocol. With an update endpoint it never leaves a half-updated store: each graph is uploaded under
a temporary name and one SPARQL Update request moves them all into place (stores that run an
update request as one transaction, as Oxigraph, Jena Fuseki and GraphDB do, apply all or none).
Without one, graphs are replaced one at a time and a failure reports exactly which graphs are new,
which are old and which one is in doubt.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import httpx
import pyoxigraph as ox

from .engines import Term, solution_rows
from .errors import KGError
from .store import nquads_path
from .vocab import SPARQL_PREFIXES

RESULTS_JSON = "application/sparql-results+json"
USER_AGENT = "permanence-kg"

# SPARQL tokens that can hold a "?_name" that is not a variable (comments, strings, IRIs), then
# prefixed names (so "pk:select" is not the keyword), variables, keywords and brackets.
_TOKEN = re.compile(
    r"""
    (?P<skip>\#[^\n]*
      |'''(?:[^'\\]|\\.|'(?!''))*'''
      |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n]|\\.)*'
      |"(?:[^"\\\n]|\\.)*"
      |<[^<>"{}|^`\\\x00-\x20]*>
      |[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
    |(?P<var>[?$][A-Za-z0-9_]+)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<open>[({])
    |(?P<close>[)}])
    """,
    re.X,
)


def _sparql_term(term: Term) -> str:
    """A parameter's value in SPARQL syntax, serialized by Oxigraph (which escapes and checks it)."""
    if term.iri:
        return str(ox.NamedNode(term.value))
    if term.datatype:
        return str(ox.Literal(term.value, datatype=ox.NamedNode(term.datatype)))
    return str(ox.Literal(term.value))


def bind(text: str, bindings: dict[str, Term]) -> str:
    """The query with each bound variable replaced by its value, as the embedded engines bind it.
    Where a bare value is not allowed it is wrapped: ``(value AS ?_x)`` in the outer SELECT's
    projection (so the columns stay the same) and ``(value)`` in GROUP BY and ORDER BY."""
    if not bindings:
        return text
    values = {name: _sparql_term(term) for name, term in bindings.items()}
    out: list[str] = []
    last = 0
    depth = 0
    projection: int | None = None  # the bracket depth of the SELECT whose projection we are in
    ordering: int | None = None  # the bracket depth of the GROUP BY / ORDER BY we are in
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        token = m.group()
        if kind == "word":
            upper = token.upper()
            if upper == "SELECT":
                projection, ordering = depth, None
            elif upper == "WHERE" and projection == depth:
                projection = None
            elif upper == "BY":
                ordering = depth
            elif upper in ("GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "VALUES") and ordering == depth:
                ordering = None
        elif kind == "open":
            if token == "{":
                projection = ordering = None
            depth += 1
        elif kind == "close":
            depth -= 1
            if token == "}":
                projection = ordering = None
        elif kind == "var" and token[1:] in values:
            value = values[token[1:]]
            out.append(text[last : m.start()])
            if projection == depth:
                # Only the outer SELECT shows the value; in a sub-SELECT the variable is dropped, since
                # "(value AS ?_x)" there would put ?_x in scope where another projection names it.
                out.append(f"({value} AS {token})" if depth == 0 else "")
            elif ordering == depth:
                out.append(f"({value})")
            else:
                out.append(value)
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def _client(timeout: float | None) -> httpx.Client:
    # The whole exchange is bounded, not only each read: a slow trickle cannot outlast the limit.
    return httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False)


def _check_url(url: str, what: str) -> None:
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise KGError(f"{what} '{url}' is not an http(s) URL (e.g. http://127.0.0.1:7878/query)")


def _answer_problem(response: httpx.Response) -> str:
    text = response.text.strip()
    first = text.splitlines()[0] if text else response.reason_phrase
    return first[:300]


def select(
    endpoint: str,
    text: str,
    bindings: dict[str, Term] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """The columns users see and at most ``limit + 1`` rows of a SELECT or ASK query run by a SPARQL
    endpoint."""
    _check_url(endpoint, "endpoint")
    query = SPARQL_PREFIXES + bind(text, bindings or {})
    try:
        with _client(timeout) as client:
            response = client.post(
                endpoint,
                data={"query": query},
                headers={"Accept": f"{RESULTS_JSON}, application/sparql-results+xml;q=0.5"},
            )
    except httpx.TimeoutException:
        raise KGError(
            f"query stopped: the endpoint {endpoint} did not answer within the {timeout:g} s time limit "
            "(raise it with --timeout, or timeout= in Python)"
        ) from None
    except httpx.HTTPError as exc:
        raise KGError(f"cannot reach the endpoint {endpoint}: {exc}") from None
    if response.status_code != 200:
        raise KGError(
            f"the endpoint {endpoint} refused the query ({response.status_code}): {_answer_problem(response)}"
        )
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    formats = {
        RESULTS_JSON: ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    }
    if media not in formats:
        raise KGError(f"the endpoint {endpoint} answered {media or 'no content type'}, not SPARQL results")
    try:
        results = ox.parse_query_results(response.content, format=formats[media])
    except (SyntaxError, ValueError) as exc:
        raise KGError(f"the endpoint {endpoint} sent unreadable results: {exc}") from None
    if isinstance(results, ox.QueryBoolean):
        return ["result"], [[bool(results)]]
    return solution_rows(results, limit)


# -- push ---------------------------------------------------------------------------------------


@dataclass
class PushReport:
    """What a push did, graph by graph: enough to say exactly what state the store is in."""

    store: str
    graphs: list[str]
    replaced: list[str] = field(default_factory=list)
    temporary: dict[str, str] = field(default_factory=dict)  # graph -> its temporary name
    triples: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"  {g} ({self.triples.get(g, 0)} triples)" for g in self.replaced]


def _graphs_in_build(data: str | Path | None) -> dict[str, bytes]:
    """Each named graph of the build as N-Triples, in a stable order."""
    path = nquads_path(data)
    if not path.is_file():
        raise KGError(f"no built graph at {path}: run `permanence-kg build` first (or pass --data DIR)")
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        with path.open("rb") as fh:
            for quad in ox.parse(fh, format=ox.RdfFormat.N_QUADS):
                if not isinstance(quad.graph_name, ox.NamedNode):
                    raise KGError(f"built graph {path} has triples outside a named graph (rebuild it)")
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    except SyntaxError as exc:
        raise KGError(f"built graph {path} is corrupt: {str(exc).splitlines()[0]} (rebuild it)") from None
    if not graphs:
        raise KGError(f"built graph {path} is empty (rebuild it)")
    return {
        g: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        for g, triples in sorted(graphs.items())
    }


def _put(client: httpx.Client, store: str, graph: str, body: bytes) -> None:
    response = client.put(
        store, params={"graph": graph}, content=body, headers={"Content-Type": "application/n-triples"}
    )
    if response.status_code not in (200, 201, 204):
        raise KGError(
            f"the store refused graph {graph} ({response.status_code}): {_answer_problem(response)}"
        )


def _delete(client: httpx.Client, store: str, graph: str) -> bool:
    try:
        response = client.delete(store, params={"graph": graph})
    except httpx.HTTPError:
        return False
    return response.status_code in (200, 204, 404)


def _exists(client: httpx.Client, store: str, graph: str) -> bool | None:
    """Whether the store holds a graph: True, False, or None when the store cannot say."""
    try:
        response = client.head(store, params={"graph": graph})
    except httpx.HTTPError:
        return None
    return {200: True, 404: False}.get(response.status_code)


def push(
    store: str,
    data: str | Path | None = None,
    update: str | None = None,
    timeout: float = 60.0,
    progress: Callable[[str], None] = lambda line: None,
) -> PushReport:
    """Replace every named graph of the build in a Graph Store Protocol service (see the module doc)."""
    _check_url(store, "store")
    if update is not None:
        _check_url(update, "update endpoint")
    bodies = _graphs_in_build(data)
    report = PushReport(store, list(bodies))
    report.triples = {g: body.count(b"\n") for g, body in bodies.items()}
    with _client(timeout) as client:
        if update is None:
            _push_in_place(client, report, bodies, progress)
        else:
            _push_then_swap(client, update, report, bodies, progress)
    return report


def _fault(exc: Exception) -> str:
    if isinstance(exc, KGError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _push_in_place(
    client: httpx.Client, report: PushReport, bodies: dict[str, bytes], progress: Callable[[str], None]
) -> None:
    for graph, body in bodies.items():
        try:
            _put(client, report.store, graph, body)
        except (httpx.HTTPError, KGError) as exc:
            done = report.replaced
            # A request that never reached the store, or that it refused, changed nothing.
            unsent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, KGError))
            left = report.graphs[len(done) + (0 if unsent else 1) :]
            if not done and unsent:
                state = "the store is UNCHANGED: no graph was replaced"
            else:
                state = (
                    "the store is HALF-UPDATED: "
                    f"replaced with this build: {', '.join(done) or 'none'}; "
                    + (
                        ""
                        if unsent
                        else f"in doubt (the store may hold the old graph, the new one or none): {graph}; "
                    )
                    + f"untouched (still as before the push): {', '.join(left) or 'none'}; "
                    "run push again to finish (or pass --update URL to make a push all-or-nothing)"
                )
            raise KGError(f"push stopped at graph {graph}: {_fault(exc)}", state) from None
        report.replaced.append(graph)
        progress(f"replaced {graph}")


def _push_then_swap(
    client: httpx.Client,
    update: str,
    report: PushReport,
    bodies: dict[str, bytes],
    progress: Callable[[str], None],
) -> None:
    token = uuid.uuid4().hex
    report.temporary = {g: f"urn:permanence-kg:push:{token}:{i}" for i, g in enumerate(bodies)}
    uploaded: list[str] = []
    for graph, body in bodies.items():
        try:
            _put(client, report.store, report.temporary[graph], body)
        except (httpx.HTTPError, KGError) as exc:
            leftovers = [report.temporary[g] for g in uploaded + [graph]]
            left = [t for t in leftovers if not _delete(client, report.store, t)]
            raise KGError(
                f"push stopped while uploading graph {graph}: {_fault(exc)}",
                "the store's graphs are UNCHANGED (nothing was moved into place); "
                + (
                    f"temporary graphs left behind, safe to drop: {', '.join(left)}"
                    if left
                    else "no temporary graph is left"
                ),
            ) from None
        uploaded.append(graph)
        progress(f"uploaded {graph} as {report.temporary[graph]}")
    moves = " ;\n".join(f"MOVE <{report.temporary[g]}> TO <{g}>" for g in bodies)
    try:
        response = client.post(update, data={"update": moves})
        if response.status_code not in (200, 204):
            raise KGError(
                f"the update endpoint refused the swap ({response.status_code}): {_answer_problem(response)}"
            )
    except (httpx.HTTPError, KGError) as exc:
        first = report.temporary[report.graphs[0]]
        still_there = _exists(client, report.store, first)
        if still_there is None:
            state = (
                "the store could not be asked whether the swap was applied: it holds either every graph as "
                "before the push (if the temporary graphs "
                f"{', '.join(report.temporary.values())} are still there) or every graph from this build"
            )
        elif still_there:
            state = (
                "the store's graphs are UNCHANGED; temporary graphs left behind, safe to drop: "
                + ", ".join(report.temporary.values())
            )
        else:
            report.replaced = list(report.graphs)
            return
        raise KGError(f"push stopped at the swap: {_fault(exc)}", state) from None
    report.replaced = list(report.graphs)
    progress(f"moved {len(report.graphs)} graphs into place in one update")
