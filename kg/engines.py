"""SPARQL engines behind the one query API: Oxigraph (default, chosen by measurement: see
benchmarks/queries.py) and rdflib. Both load the built N-Quads, query the union of the named
graphs, and bind parameters as typed RDF terms with their own mechanism."""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

import pyoxigraph as ox

from .errors import KGError
from .store import Checked, load_store, open_stored, stored_directory
from .vocab import SPARQL_PREFIXES

if TYPE_CHECKING:  # rdflib is imported when an rdflib graph or term is met: it takes most of start-up
    import rdflib

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"
_PREFIX_LINES = SPARQL_PREFIXES.count("\n")
_OX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)

Rows = tuple[list[str], list[list[Any]]]

# rdflib's SPARQL parser (pyparsing) breaks when two threads parse at once.
RDFLIB_PARSER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Term:
    """A parameter's value as an RDF term, the same for every engine: an IRI, a literal with an
    XSD datatype, or (datatype None) a plain string."""

    value: str
    datatype: str | None = None
    iri: bool = False


class Engine(Protocol):
    def select(self, text: str, bindings: dict[str, Term], limit: int | None = None) -> Rows:
        """The columns users see (shown_rows()) and at most ``limit + 1`` rows (one more than asked, so a cut
        can be noticed); ``bindings`` maps a variable name (without ``?``) to its value."""
        ...

    def prepare(self) -> None:
        """Called by a query process before its first query (see StoredOxigraphEngine)."""
        ...


def _more(limit: int | None) -> int | None:
    return None if limit is None else limit + 1


def syntax_error(line: int, column: int, message: str) -> KGError:
    line -= _PREFIX_LINES  # the standard prefixes are prepended to every query
    message = " ".join(message.split())
    # Oxigraph lists the character classes it would accept (['A' ..= 'Z' | ...]): the words and
    # punctuation before them are what a person can act on.
    if ", [" in message:
        message = message.split(", [", 1)[0] + ", …"
    return KGError(f"SPARQL syntax error at line {line}, column {column}: {message}")


def oxigraph_syntax_error(text: str) -> KGError | None:
    """Oxigraph's own account of a syntax error in ``text``, or None if Oxigraph reads it.

    rdflib's parser places an error at the start of the group it could not match (a missing object
    in line 3 is reported at the ``{`` on line 1); Oxigraph names the place itself. Preparing a query
    over an empty store only parses it: results are lazy and nothing is evaluated."""
    try:
        ox.Store().query(SPARQL_PREFIXES + text)
    except SyntaxError as exc:
        m = _OX_ERROR.match(str(exc))
        if m:
            return syntax_error(int(m.group(1)), int(m.group(2)), m.group(3))
    return None


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _integer(lexical: str) -> Any:
    try:
        return int(lexical)
    except ValueError:
        return lexical  # ill-formed: rdflib gives its lexical form too


def _float(lexical: str) -> Any:
    try:
        return float(lexical)
    except ValueError:
        return None  # ill-formed: read as rdflib reads it (_python)


_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# Literals converted directly, by datatype (most values: strings, IRIs as text, integers): going
# through an rdflib Literal cost more than the query itself for long results. A converter that
# returns None (an ill-formed value) leaves the literal to rdflib.
_DIRECT: dict[str, Callable[[str], Any]] = {
    _XSD + "string": str,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString": str,
    _XSD + "anyURI": str,
    _XSD + "boolean": _BOOLEANS.get,
    **{_XSD + t: _float for t in ("decimal", "double", "float")},
    **{
        _XSD + name: _integer
        for name in (
            "integer nonPositiveInteger negativeInteger nonNegativeInteger positiveInteger long int short "
            "byte unsignedLong unsignedInt unsignedShort unsignedByte"
        ).split()
    },
}


def _python(term: Any) -> Any:
    """A result value as plain Python, the same whichever engine produced it."""
    kind = type(term)
    if kind is ox.Literal:
        convert = _DIRECT.get(term.datatype.value)
        if convert is not None:
            value = convert(term.value)
            if value is not None:
                return value
        import rdflib

        term = rdflib.Literal(term.value, datatype=term.datatype.value)
    elif kind is ox.NamedNode or kind is ox.BlankNode:
        return term.value
    elif term is None:
        return None
    import rdflib

    if isinstance(term, rdflib.Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, (Decimal, float)):
            return float(value)
        return str(term)
    return str(term)


def shown_rows(names: list[str], solutions: Iterable[Any], limit: int | None) -> Rows:
    """The columns users see (not the "_" ones, which carry a query's bound parameters back) and at
    most ``limit + 1`` rows of them as plain Python, from any engine's solutions. Solutions stream:
    stopping at the limit, and leaving the parameters' columns alone, spares building values nobody
    will see."""
    keep = [i for i, name in enumerate(names) if not name.startswith("_")]
    rows = [[_python(row[i]) for i in keep] for row in islice(solutions, _more(limit))]
    return [names[i] for i in keep], rows


def solution_rows(solutions: ox.QuerySolutions, limit: int | None) -> Rows:
    """shown_rows() of Oxigraph's solutions (a local store's, or an endpoint's parsed)."""
    return shown_rows([v.value for v in solutions.variables], solutions, limit)


class OxigraphEngine:
    def __init__(self, data: str | Path | None = None) -> None:
        self.store = load_store(data)

    def prepare(self) -> None:
        pass

    @staticmethod
    def _term(term: Term) -> ox.NamedNode | ox.Literal:
        if term.iri:
            return ox.NamedNode(term.value)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)

    def select(self, text: str, bindings: dict[str, Term], limit: int | None = None) -> Rows:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): self._term(v) for k, v in bindings.items()
        }
        try:
            solutions = self.store.query(
                SPARQL_PREFIXES + text, use_default_graph_as_union=True, substitutions=subs
            )
        except SyntaxError as exc:
            m = _OX_ERROR.match(str(exc))
            if m:
                raise syntax_error(int(m.group(1)), int(m.group(2)), m.group(3)) from None
            raise KGError(f"SPARQL error: {str(exc).splitlines()[0]}") from None
        if isinstance(solutions, ox.QueryBoolean):
            return ["result"], [[bool(solutions)]]
        if not isinstance(solutions, ox.QuerySolutions):
            raise KGError("only SELECT and ASK queries are accepted (CONSTRUCT and DESCRIBE return graphs)")
        return solution_rows(solutions, limit)


class StoredOxigraphEngine(OxigraphEngine):
    """The build's on-disk store (kg.store.STORED), opened read-only by the process that queries
    it: opening it starts RocksDB threads, and the query server, which forks query processes, must
    stay single-threaded. A store that cannot be opened is reported by each query."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._problem: KGError | None = None
        self._opened = False

    def prepare(self) -> None:
        if not self._opened:
            self._opened = True
            try:
                self.store = open_stored(self.directory)
            except KGError as exc:
                self._problem = exc

    def select(self, text: str, bindings: dict[str, Term], limit: int | None = None) -> Rows:
        self.prepare()
        if self._problem is not None:
            raise self._problem
        return super().select(text, bindings, limit)


class RdflibEngine:
    def __init__(self, data: str | Path | None = None) -> None:
        import rdflib

        checked = Checked(data)
        self.dataset = rdflib.Dataset(default_union=True)
        try:
            with warnings.catch_warnings():
                # rdflib's own N-Quads parser still calls its deprecated Dataset.default_context.
                warnings.simplefilter("ignore", DeprecationWarning)
                self.dataset.parse(data=checked.reader.read(), format="nquads")
        except Exception as exc:  # rdflib raises parser-specific types
            checked.close()
            raise KGError(
                f"built graph {checked.shown} is corrupt: {str(exc).splitlines()[0]} (rebuild it)"
            ) from None
        checked.check(sum(1 for _ in self.dataset.quads((None, None, None, None))))

    def prepare(self) -> None:
        pass

    @staticmethod
    def _term(term: Term) -> rdflib.term.Identifier:
        import rdflib

        if term.iri:
            return rdflib.URIRef(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype) if term.datatype else None)

    def select(self, text: str, bindings: dict[str, Term], limit: int | None = None) -> Rows:
        from pyparsing import ParseException
        from rdflib.plugins.sparql import prepareQuery

        init = {k: self._term(v) for k, v in bindings.items()}
        try:
            with RDFLIB_PARSER_LOCK:
                query = prepareQuery(SPARQL_PREFIXES + text)
            result = self.dataset.query(query, initBindings=init)
            if result.type == "ASK":
                return ["result"], [[bool(result.askAnswer)]]
            if result.type != "SELECT":
                raise KGError(
                    "only SELECT and ASK queries are accepted (CONSTRUCT and DESCRIBE return graphs)"
                )
            return shown_rows([str(v) for v in result.vars or []], result, limit)
        except ParseException as exc:
            raise syntax_error(exc.lineno, exc.col, exc.msg) from None
        except (KGError, MemoryError):
            raise
        except Exception as exc:  # rdflib's evaluator raises its own internal errors
            raise KGError(f"rdflib could not evaluate the query: {type(exc).__name__}: {exc}") from None


# The Oxigraph engine reading the build's on-disk store where there is one (kg.queries chooses it
# for commands that run one query and exit); not a choice users make, so not in ENGINES.
STORED_OXIGRAPH = "oxigraph-stored"


def load_engine(engine: str, data: str | Path | None = None) -> Engine:
    if engine == STORED_OXIGRAPH:
        directory = stored_directory(data)
        return StoredOxigraphEngine(directory) if directory else OxigraphEngine(data)
    if engine == "oxigraph":
        return OxigraphEngine(data)
    if engine == "rdflib":
        return RdflibEngine(data)
    raise KGError(f"unknown engine '{engine}': expected one of {', '.join(ENGINES)}")
