"""The SPARQL query library and the one way to run queries against the graph.

A library query is a ``queries/NAME.rq`` file with grlc-style decorators (``#+ summary:``,
``#+ description:``, ``#+ tags:``, ``#+ defaults:``, ``#+ enumerate:``) and parameters written as
``?_name``. Parameters are bound as RDF terms through the engine's own binding mechanism, never
pasted into the query text. Every parameter is projected by the query (Oxigraph substitutes
projected variables only) and always bound: an empty string means "any".

A parameter's type follows grlc: ``?_name`` (or ``?_name_string``) is a plain string,
``?_name_integer``, ``?_name_decimal`` and ``?_name_date`` are XSD-typed literals, and
``?_name_iri`` is an IRI. Users pass the value under ``name``; an empty value is still bound as
``""``, so ``FILTER(?_age_integer = "" || ?age < ?_age_integer)`` reads "any" the same way.
An enumerated IRI parameter (``?_option_iri``) takes the short id users know (``kinship``) and
binds the entity's IRI.

Running a query: ``run(name, **params)`` for a library query, ``sparql(text)`` for an ad-hoc one.
Both are read-only, refuse SERVICE and FROM (decided on the parsed query), stop at a time limit
and a memory cap, and cut at a row limit. With a time limit the query runs in a child of the query
server (kg.query_process): a process started afresh that holds the loaded graph, so a query can be
killed, and dies with its caller, without ever forking a multi-threaded process.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import functools
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pyoxigraph as ox
import yaml

from . import engines, query_process
from .engines import Term
from .errors import KGError
from .model import TIME_UNITS
from .store import nquads_path
from .vocab import PK, SPARQL_PREFIXES, XSD

if TYPE_CHECKING:
    from .ontology import Ontology

# queries/ at the top level; kg/library links to it so an installed wheel carries the library.
QUERIES_DIR = Path(__file__).resolve().parent / "library"
_PARAM = re.compile(r"\?_([A-Za-z][A-Za-z0-9_]*)")

# grlc's ?_name_type suffixes: the XSD lexical forms a value must have (XML Schema part 2).
_LEXICAL = {
    "integer": r"[+-]?[0-9]+",
    "decimal": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)",
    "date": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}",
}
TYPES = ("string", *_LEXICAL, "iri")
# run()'s own keyword arguments cannot also be query parameters.
RESERVED = ("name", "data", "engine", "timeout", "limit", "endpoint")


def _ids(terms: dict[str, Any]) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else v.iri) for k, v in sorted(terms.items())}


def _allowed_values() -> dict[str, Callable[[], dict[str, str]]]:
    """Parameter name -> its valid ids and their IRIs, for parameters listed under ``#+ enumerate:``."""
    # The ontology is read when a parameter's values are first asked for, not for every query.
    return {
        "council": lambda: _ids(ontology().councils),
        "kind": lambda: _ids({**ontology().kinds, "divergence": PK + "Divergence"}),
        "option": lambda: _ids(ontology().options),
        "order": lambda: _ids(ontology().orders),
        "subject": lambda: {**_ids(ontology().options), **_ids(ontology().orders)},
        "theme": lambda: _ids(ontology().concepts["theme"]),
        "unit": lambda: {unit: unit for unit in TIME_UNITS},
        # Concept-valued parameters are checked against their SKOS scheme, so a typo is an error
        # rather than an empty answer.
        **{
            name: functools.partial(lambda scheme: _ids(ontology().concepts[scheme]), scheme)
            for name, scheme in {
                "category": "applicant",
                "route": "route",
                "effect": "effect",
                "topic": "timescale",
                "milestone": "milestone",
                "practice": "practice",
                "direction": "direction",
                "sharing": "pr",
                "decision": "decision",
                "role": "organisation-role",
                "presentation": "presentation",
                "need": "need",
            }.items()
        },
    }


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str = ""
    enumerated: bool = False
    type: str = "string"
    variable: str = ""  # the query's variable without "?": "_age_integer"; "_" + name if not given

    @property
    def var(self) -> str:
        return self.variable or f"_{self.name}"

    @property
    def usage(self) -> str:
        """How ``query --list`` shows it: ``age:integer=4``, ``council``."""
        typed = self.name if self.type == "string" else f"{self.name}:{self.type}"
        return f"{typed}={self.default}" if self.default else typed

    def _known(self) -> dict[str, str]:
        # "other_council" is checked as a council: the last word of the name says what it holds.
        known = _allowed_values()
        lookup = known.get(self.name) or known.get(self.name.rsplit("_", 1)[-1])
        return lookup() if (self.enumerated and lookup) else {}

    def values(self) -> list[str]:
        return list(self._known())

    @property
    def holds(self) -> str:
        """What the parameter holds, by the last word of its name: "other_option" holds an option."""
        return self.name.rsplit("_", 1)[-1]

    def resolve(self, value: str, query: str) -> tuple[str, str]:
        """An option given where an order is expected (or an order where an option is) is taken
        through the option-order link (pk:securedBy) when that names one; returns the value to use
        and a note saying what was done ("" when nothing was)."""
        if not self.enumerated or self.holds not in ("option", "order") or value == "":
            return value, ""
        onto = ontology()
        other = onto.orders if self.holds == "option" else onto.options
        if value not in other:
            return value, ""
        if self.holds == "order":
            candidates = list(onto.secured_by.get(value, ()))
            same_name = f"{value}-order"
        else:
            candidates = [o for o, orders in onto.secured_by.items() if value in orders]
            same_name = value.removesuffix("-order")
        # Several candidates: the one of the same name ("adoption" and "adoption-order") is meant.
        chosen = candidates[0] if len(candidates) == 1 else (same_name if same_name in candidates else "")
        given_as = "an order" if self.holds == "option" else "an option"
        if not chosen:
            accepted = ", ".join(candidates) if candidates else ", ".join(self.values())
            raise KGError(
                f"{self.name} '{value}' of query '{query}' is {given_as}, not an {self.holds}, and the "
                f"option-order link does not name one {self.holds} for it: give one of {accepted}"
            )
        return (
            chosen,
            f"{self.name} '{value}' is {given_as}: taken as the {self.holds} '{chosen}' (option-order link)",
        )

    def term(self, value: str, query: str) -> Term:
        if value == "":
            return Term("")  # "any", whatever the type
        value, _ = self.resolve(value, query)
        known = self._known()
        if known and value not in known:
            raise KGError(
                f"unknown {self.name} '{value}' for query '{query}': expected one of {', '.join(known)}"
            )
        if self.type == "iri":
            iri = known.get(value, value)
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise KGError(
                    f"parameter {self.name} of query '{query}' takes an absolute IRI "
                    f"(e.g. https://w3id.org/permanence-kg/id/...), not '{value}'"
                ) from None
            return Term(iri, iri=True)
        if self.type in _LEXICAL:
            valid = re.fullmatch(_LEXICAL[self.type], value) is not None
            if valid and self.type == "date":
                valid = _is_date(value)
            if not valid:
                expected = {
                    "integer": "an integer (e.g. 4",
                    "decimal": "a decimal (e.g. 2.5",
                    "date": "a date (YYYY-MM-DD, e.g. 2024-03-31",
                }[self.type]
                raise KGError(
                    f"parameter {self.name} of query '{query}' takes {expected}, "
                    f"xsd:{self.type}), not '{value}'"
                )
            return Term(value, XSD + self.type)
        return Term(value)


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str = field(repr=False)
    # ?_subject_linked, ?_keyword_search and the like: set from the parameter they extend (see
    # DERIVED), never by users.
    linked: tuple[Parameter, ...] = ()

    def bindings(self, given: dict[str, Any]) -> dict[str, Term]:
        """The query's variables bound to the given values (defaults for the rest), each checked."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            accepted = ", ".join(known) or "none"
            raise KGError(f"query '{self.name}' has no parameter {', '.join(unknown)}: it accepts {accepted}")
        values: dict[str, Term] = {}
        for name, param in known.items():
            value = given.get(name)
            values[param.var] = param.term(param.default if value is None else str(value), self.name)
        for param in self.linked:
            base, derive = _derived(param.name)
            values[param.var] = Term(derive(str(values[known[base].var].value)))
        return values

    def notes(self, given: dict[str, Any]) -> list[str]:
        """What the runner did with the given values: an option taken for an order, or the other
        way round, and the linked ids a subject also matches."""
        notes = []
        for param in self.parameters:
            value = str(given.get(param.name) or "")
            _, note = param.resolve(value, self.name)
            if note:
                notes.append(note)
        for param in self.linked:
            base = param.name.removesuffix(LINKED)
            if not param.name.endswith(LINKED):
                continue
            value = str(given.get(base) or "")
            also = _linked_ids(value).strip("|").split("|")[1:] if value else []
            if also:
                notes.append(f"{base} '{value}' also matches {', '.join(also)} (option-order link)")
        return notes


LINKED = "_linked"


def _linked_ids(value: str) -> str:
    """ "|special-guardianship|special-guardianship-order|": the id and those the option-order link
    joins it to, so a query can test CONTAINS(?_subject_linked, CONCAT("|", ?subject, "|"))."""
    if value == "":
        return ""
    return "|" + "|".join(ontology().linked_subjects(value)) + "|"


# The ontology and the passage reader are imported when a parameter needs them, not at every
# command's start-up (most commands never read them).
def ontology() -> Ontology:
    from .ontology import ontology

    return ontology()


def search_form(value: str) -> str:
    from .extract.passages import search_form

    return search_form(value)


def _folded(value: str) -> str:
    """The search form with every quote and dash as "_", to compare with a text folded the same way
    by one REPLACE (a statement's text keeps the document's curly quotes and dashes)."""
    return re.sub("['\"-]", "_", search_form(value))


# A parameter ?_<base><suffix> is computed from ?_<base>: done here once, not per row in SPARQL.
DERIVED: dict[str, Callable[[str], str]] = {
    LINKED: _linked_ids,
    "_search": search_form,  # the keyword as passages' texts are written, lower case
    "_folded": _folded,
}


def _derived(name: str) -> tuple[str, Callable[[str], str]]:
    suffix = next(s for s in DERIVED if name.endswith(s))
    return name.removesuffix(suffix), DERIVED[suffix]


def _split_type(variable: str) -> tuple[str, str]:
    """``age_integer`` -> (``age``, ``integer``); a name without a type suffix is a string."""
    base, _, suffix = variable.rpartition("_")
    return (base, suffix) if base and suffix in TYPES else (variable, "string")


def parse_query_file(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] for line in text.splitlines() if line.startswith("#+ "))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise KGError(f"query {path.name} has a malformed #+ header: {str(exc).splitlines()[0]}") from None
    defaults: dict[str, str] = {}
    for item in meta.get("defaults") or []:
        for key, value in item.items():
            if not isinstance(key, str):  # YAML 1.1 reads on/off/yes/no as booleans
                raise KGError(f"query {path.name}: quote the parameter name '{key}' under #+ defaults:")
            defaults[key] = "" if value is None else str(value)
    enumerated = set(meta.get("enumerate") or [])
    parameters: dict[str, Parameter] = {}
    for variable in dict.fromkeys(_PARAM.findall(text)):
        if not re.search(rf"SELECT[^{{]*\?_{variable}\b", text, re.S | re.I):
            raise KGError(f"query {path.name}: parameter ?_{variable} must be in the SELECT projection")
        name, kind = _split_type(variable)
        if name in RESERVED:
            raise KGError(
                f"query {path.name}: parameter ?_{variable} takes a reserved name ({', '.join(RESERVED)})"
            )
        if name in parameters:
            raise KGError(
                f"query {path.name}: parameter {name} is written both "
                f"?{parameters[name].var} and ?_{variable}"
            )
        parameters[name] = Parameter(name, defaults.get(name, ""), name in enumerated, kind, f"_{variable}")
    linked = tuple(
        p
        for name, p in parameters.items()
        if any(name.endswith(suffix) and name.removesuffix(suffix) in parameters for suffix in DERIVED)
    )
    return Query(
        name=path.stem,
        path=path,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(meta.get("tags") or ()),
        parameters=tuple(p for p in parameters.values() if p not in linked),
        text=text,
        linked=linked,
    )


@lru_cache(maxsize=1)
def library(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


@lru_cache(maxsize=None)
def _one(name: str) -> Query | None:
    """A library query read on its own: a command running one query need not parse all of them."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        return None
    path = QUERIES_DIR / f"{name}.rq"
    return parse_query_file(path) if path.is_file() else None


def get(name: str) -> Query:
    if library.cache_info().currsize == 0:
        query = _one(name)
        if query is not None:
            return query
    queries = library()
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise KGError(
            f"unknown query '{name}': {hint}"
            f"run `permanence-kg query --list` to see the {len(queries)} queries"
        )
    return queries[name]


DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 10_000  # rows shown to a person; None asks for every row (see _check_limit)
DEFAULT_MEMORY_MB = 512  # what one query may add to the loaded graph's process
MAX_TIMEOUT = 3600.0
MAX_MEMORY_MB = 65536
MAX_QUERY_CHARS = 200_000  # the parser's work grows with the text; no real query comes near

# An update form at the start of the request, after any PREFIX/BASE declarations and comments.
# Neither engine is ever handed an update (both are called through their query functions); this
# only turns the engine's syntax error into a message that says what happened.
_UPDATE = re.compile(
    r"^(?:\s|#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:|<[^>]*>|BASE\b)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.I,
)


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    # What the runner did with the parameters (an order taken for an option, linked ids matched).
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        cut = (
            f"showing the first {len(self.rows)} rows; more were cut "
            "(raise the row limit: --limit, or limit= in Python)"
            if self.truncated
            else ""
        )
        return "; ".join(filter(None, [*self.notes, cut]))

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def check_read_only(text: str) -> None:
    m = _UPDATE.match(text.lstrip("\ufeff"))
    if m:
        raise KGError(
            f"SPARQL Update ({m.group(1).upper()}) is refused: the graph is read-only; "
            "send a SELECT or ASK query"
        )


def _forms(node: Any) -> Iterator[str]:
    """The names of the grammar rules in an rdflib parse tree (ServiceGraphPattern, ...)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        children: Any = node.values()
    elif isinstance(node, (ParseResults, list, tuple)):
        children = node
    else:
        return
    for child in children:
        yield from _forms(child)


class DatasetRefused(KGError):
    """FROM or FROM NAMED in a query: execute() adds the names of the graph's named graphs."""


# rdflib's update grammar rule names, as users write them.
_UPDATE_WORDS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


@lru_cache(maxsize=512)
def check_local(text: str) -> None:
    """Refuse, on the parsed query, whatever would reach beyond the built graph: SERVICE calls
    another endpoint over the network, and FROM / FROM NAMED make rdflib fetch a URL or read a file
    (and Oxigraph answer from an empty or the wrong graph). Parsing, not a keyword search, so
    comments, strings, odd whitespace and \\u escapes cannot hide either; text the parser does not
    accept as a query is refused, as an update if it parses as one."""
    if len(text) > MAX_QUERY_CHARS:
        raise KGError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise KGError("the query is not valid UTF-8 text") from None
    text = text.lstrip("\ufeff")
    # rdflib's parser is imported here, not with the module: commands that run no query start faster.
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser as rdflib_parser

    try:
        with engines.RDFLIB_PARSER_LOCK:
            tree = rdflib_parser.parseQuery(SPARQL_PREFIXES + text)
    except ParseException as exc:
        try:
            with engines.RDFLIB_PARSER_LOCK:
                update = rdflib_parser.parseUpdate(SPARQL_PREFIXES + text)
        except Exception:
            raise (
                engines.oxigraph_syntax_error(text) or engines.syntax_error(exc.lineno, exc.col, exc.msg)
            ) from None
        requests = [getattr(r, "name", "") for r in update.request] or ["update"]
        word = _UPDATE_WORDS.get(requests[0], requests[0].upper())
        raise KGError(
            f"SPARQL Update ({word}) is refused: the graph is read-only; send a SELECT or ASK query"
        ) from None
    except RecursionError:
        raise KGError("the query is nested too deeply to be read") from None
    forms = set(_forms(tree))
    if "ServiceGraphPattern" in forms:
        raise KGError("SERVICE is refused: queries read the built graph only, never another endpoint")
    if "DatasetClause" in forms:
        raise DatasetRefused(
            "FROM and FROM NAMED are refused: queries read the built graph only, and its default "
            "graph is already the union of its named graphs; read one with GRAPH <name> { ... }"
        )


# Graphs loaded in this process, for queries run without a time limit (the query server loads its
# own): by engine, location and file version, so a rebuilt graph is loaded afresh on its next query.
GraphKey = query_process.GraphKey
_graphs: dict[GraphKey, engines.Engine] = {}
_graphs_lock = threading.Lock()


# Set by commands that run one query and exit (the CLI's query and sparql): they read the build's
# on-disk store, opened in milliseconds, rather than load the N-Quads into memory for one answer.
_read_stored = False


@contextlib.contextmanager
def stored_graph() -> Iterator[None]:
    """Within it, queries on the default engine read the build's on-disk store (kg.store.STORED)
    when the build has one; outside it they load the N-Quads into memory, as long-running callers
    (the app, serve) want: queries there run several times faster."""
    global _read_stored
    before, _read_stored = _read_stored, True
    try:
        yield
    finally:
        _read_stored = before


def _graph_key(engine: str, data: str | None) -> GraphKey:
    if engine not in engines.ENGINES:
        raise KGError(f"unknown engine '{engine}': expected one of {', '.join(engines.ENGINES)}")
    if engine == "oxigraph" and _read_stored:
        engine = engines.STORED_OXIGRAPH
    path = nquads_path(data)
    try:
        resolved = path.resolve(strict=True)  # the build's current generation, fixed for this query
        stat = resolved.stat()
    except (OSError, RuntimeError):
        raise KGError(
            f"no built graph at {path}: run `permanence-kg build` first (or pass --data DIR)"
        ) from None
    return engine, str(path), str(resolved), stat.st_mtime_ns, stat.st_size


def graph(engine: str = engines.DEFAULT_ENGINE, data: str | None = None) -> engines.Engine:
    """The graph loaded in this process, loading it on first use (and again after a rebuild)."""
    return _load(_graph_key(engine, data))


def preload(engine: str = engines.DEFAULT_ENGINE, data: str | None = None) -> None:
    """Have the query server load the graph now, so the first query does not wait for it."""
    query_process.preload(_graph_key(engine, data))


def _load(key: GraphKey) -> engines.Engine:
    with _graphs_lock:  # one load, however many threads ask at once
        if key not in _graphs:
            for stale in [k for k in _graphs if k[:2] == key[:2]]:
                del _graphs[stale]
            _graphs[key] = engines.load_engine(key[0], key[2])
        return _graphs[key]


def _named_graphs(key: GraphKey) -> str:
    """The graph's named graphs, for the message refusing FROM (best effort)."""
    try:
        status, payload = query_process.run(
            key, ("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g", {}, 100), 10, DEFAULT_MEMORY_MB
        )
    except (query_process.Stopped, query_process.Died, KGError):
        return ""
    if status != "ok":
        return ""
    names = [f"<{iri}>" for (iri,) in payload[1]]
    return "named graphs: " + ", ".join(names) if names else "the graph has no named graphs"


def _number(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise KGError(f"{what} must be a number, not '{str(value)[:40]}'") from None
    return number


def _check_limit(limit: int | None) -> None:
    # A caller that needs the whole answer (the app's own tables, decision support) asks for every
    # row: a default limit would cut it quietly once the graph is large enough.
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise KGError(f"row limit must be a whole number (or None for every row), not '{str(limit)[:40]}'")
    if limit < 1:
        raise KGError(f"row limit must be at least 1, not {limit}")


def execute(
    text: str,
    bindings: dict[str, Term | str] | None = None,
    data: str | None = None,
    engine: str = engines.DEFAULT_ENGINE,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
    memory: int = DEFAULT_MEMORY_MB,
) -> Result:
    """Run a read-only query with variables (names without ``?``) bound to terms.

    The query runs in a child of the query server (kg.query_process), stopped at ``timeout``
    seconds and ``memory`` MiB. ``timeout=None`` runs it in this process with neither limit: for
    trusted queries only. ``limit`` rows at most (the result says whether more were cut);
    ``limit=None`` for every row. Every query is checked: it is read-only and reaches nothing beyond
    the graph."""
    return _execute(text, bindings, data, engine, timeout, limit, memory, parse=True)


def _execute(
    text: str,
    bindings: dict[str, Term | str] | None,
    data: str | None,
    engine: str,
    timeout: float | None,
    limit: int | None,
    memory: int,
    parse: bool,
) -> Result:
    """``parse=False`` is for the shipped library's own texts only (see run())."""
    check_read_only(text)
    key = _graph_key(engine, data)
    # One query on the on-disk store, from a process with one thread (a CLI command): the query
    # runs in a fork of this process, with the same limits, rather than in a query server's child.
    forked = key[0] == engines.STORED_OXIGRAPH and query_process.single_threaded()
    if timeout is not None:
        if not forked:
            query_process.server()  # started now, it imports and loads while this process parses
        timeout = _number(timeout, "time limit")
        if timeout <= 0:
            raise KGError(f"time limit must be positive, not {timeout:g} s")
        if not timeout <= MAX_TIMEOUT:  # also nan and inf
            raise KGError(f"time limit must be a number of seconds up to {MAX_TIMEOUT:g}, not {timeout:g}")
    _check_limit(limit)
    if isinstance(memory, bool) or not isinstance(memory, int) or not (16 <= memory <= MAX_MEMORY_MB):
        raise KGError(f"memory limit must be a whole number of MiB from 16 to {MAX_MEMORY_MB}, not {memory}")
    try:
        if parse:
            check_local(text)
    except DatasetRefused as exc:
        graphs = _named_graphs(key)
        raise KGError(f"{exc}" + (f" ({graphs})" if graphs else "")) from None
    terms = {k: (v if isinstance(v, Term) else Term(str(v))) for k, v in (bindings or {}).items()}
    for variable, term in terms.items():
        try:
            term.value.encode("utf-8")
        except UnicodeEncodeError:
            raise KGError(f"parameter {variable.lstrip('_')} is not valid UTF-8 text") from None
    job: query_process.Job = (text.lstrip("\ufeff"), terms, limit)
    if timeout is None:
        status, payload = query_process.answer(_load(key), job)
    else:
        try:
            if forked:
                status, payload = query_process.run_forked(_load(key), job, timeout, memory)
            else:
                status, payload = query_process.run(key, job, timeout, memory)
        except query_process.Stopped:
            raise KGError(
                f"query stopped: it ran longer than the {timeout:g} s time limit "
                "(raise it with --timeout, or timeout= in Python)"
            ) from None
        except query_process.Died:
            status = "memory"
    if status == "memory":
        raise KGError(
            f"query stopped: memory limit of {memory} MiB reached (narrow the query: ORDER BY, "
            "DISTINCT and GROUP BY hold every row they read)"
        )
    if status == "error":
        raise KGError(*payload)
    columns, rows, truncated = payload
    return Result(columns, rows, truncated)


# A SPARQL 1.1 endpoint that run() and sparql() send queries to instead of the built graph, when
# they are not given one: set once by the CLI's --endpoint, so every command that reads through
# run() (the decision-support ones included) follows it without passing it down.
_default_endpoint: str | None = None


def use_endpoint(url: str | None) -> None:
    """Send later queries to this SPARQL endpoint (``None``: back to the built graph)."""
    global _default_endpoint
    _default_endpoint = url or None


def current_endpoint() -> str | None:
    return _default_endpoint


def _remote(
    text: str, bindings: dict[str, Term], endpoint: str, timeout: float | None, limit: int | None, check: bool
) -> Result:
    """The same checks as execute(), then the query sent to a SPARQL endpoint (kg.remote)."""
    from . import remote

    check_read_only(text)
    if check:
        check_local(text)
    _check_limit(limit)
    columns, rows = remote.select(endpoint, text, bindings, timeout, limit)
    return Result(*query_process.visible(columns, rows, limit))


def run(
    name: str,
    data: str | None = None,
    engine: str = engines.DEFAULT_ENGINE,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
    endpoint: str | None = None,
    **params: Any,
) -> Result:
    """Run a library query with its parameters (unknown or invalid ones are refused), on the built
    graph, or on ``endpoint`` (or the one set by use_endpoint()) when there is one."""
    query = get(name)
    bindings = query.bindings(params)
    target = endpoint or _default_endpoint
    if target:
        result = _remote(query.text, bindings, target, timeout, limit, check=False)
    else:
        # The library's own texts are checked on their parsed form by the test suite
        # (test_every_library_query_passes_the_checks_ad_hoc_queries_get), not again at each run:
        # rdflib's parser takes 50-400 ms a query, most of a command's start-up. Parameters are
        # bound as terms, so no value a user gives can change what the text asks.
        result = _execute(
            query.text, dict(bindings), data, engine, timeout, limit, DEFAULT_MEMORY_MB, parse=False
        )
    result.notes = query.notes(params) + result.notes
    return result


def sparql(
    text: str,
    data: str | None = None,
    engine: str = engines.DEFAULT_ENGINE,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
    endpoint: str | None = None,
) -> Result:
    """Run an ad-hoc read-only SPARQL query (the standard prefixes are predeclared), on the built
    graph or on a SPARQL endpoint as run() does."""
    target = endpoint or _default_endpoint
    if target:
        return _remote(text, {}, target, timeout, limit, check=True)
    return execute(text, {}, data, engine, timeout, limit)
