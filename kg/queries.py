"""The SPARQL query library and the one way to run queries against the graph.

A library query is a ``queries/NAME.rq`` file with grlc-style decorators (``#+ summary:``,
``#+ description:``, ``#+ tags:``, ``#+ defaults:``, ``#+ enumerate:``) and parameters written as
``?_name``. Parameters are bound as typed RDF terms through the engine's own binding mechanism,
never pasted into the query text. Every parameter is projected by the query (Oxigraph substitutes
projected variables only) and always bound: an empty string means "any".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox
import yaml

from .errors import KGError
from .ontology import ontology
from .store import load_store
from .vocab import SPARQL_PREFIXES

# queries/ at the top level; kg/library links to it so an installed wheel carries the library.
QUERIES_DIR = Path(__file__).resolve().parent / "library"
_PARAM = re.compile(r"\?_([A-Za-z][A-Za-z0-9_]*)")


def _allowed_values() -> dict[str, Callable[[], list[str]]]:
    """Parameter name -> its valid values, for parameters listed under ``#+ enumerate:``."""
    onto = ontology()
    return {
        "council": lambda: sorted(onto.councils),
        "kind": lambda: sorted([*onto.kinds, "divergence"]),
        "option": lambda: sorted(onto.options),
        "order": lambda: sorted(onto.orders),
        "subject": lambda: sorted(onto.options) + sorted(onto.orders),
        "theme": lambda: sorted(onto.concepts["theme"]),
    }


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str = ""
    enumerated: bool = False

    def values(self) -> list[str]:
        # "other_council" is checked as a council: the last word of the name says what it holds.
        known = _allowed_values()
        lookup = known.get(self.name) or known.get(self.name.rsplit("_", 1)[-1])
        return lookup() if (self.enumerated and lookup) else []


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str = field(repr=False)

    def bindings(self, given: dict[str, Any]) -> dict[str, str]:
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            accepted = ", ".join(known) or "none"
            raise KGError(f"query '{self.name}' has no parameter {', '.join(unknown)}: it accepts {accepted}")
        values: dict[str, str] = {}
        for name, param in known.items():
            value = str(given.get(name, param.default) if given.get(name) is not None else param.default)
            allowed = param.values()
            if value and allowed and value not in allowed:
                raise KGError(
                    f"unknown {name} '{value}' for query '{self.name}': expected one of {', '.join(allowed)}"
                )
            values[name] = value
        return values


def parse_query_file(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] for line in text.splitlines() if line.startswith("#+ "))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise KGError(f"query {path.name} has a malformed #+ header: {str(exc).splitlines()[0]}") from None
    defaults: dict[str, str] = {}
    for item in meta.get("defaults") or []:
        defaults.update({k: "" if v is None else str(v) for k, v in item.items()})
    enumerated = set(meta.get("enumerate") or [])
    names = list(dict.fromkeys(_PARAM.findall(text)))
    for name in names:
        if not re.search(rf"SELECT[^{{]*\?_{name}\b", text, re.S | re.I):
            raise KGError(f"query {path.name}: parameter ?_{name} must be in the SELECT projection")
    return Query(
        name=path.stem,
        path=path,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(meta.get("tags") or ()),
        parameters=tuple(Parameter(n, defaults.get(n, ""), n in enumerated) for n in names),
        text=text,
    )


@lru_cache(maxsize=1)
def library(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def get(name: str) -> Query:
    queries = library()
    if name not in queries:
        raise KGError(
            f"unknown query '{name}': run `permanence-kg query --list` to see the {len(queries)} queries"
        )
    return queries[name]


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Any]]


def _value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int", "#long")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def _execute(store: ox.Store, text: str, substitutions: dict[str, str]) -> Result:
    subs = {ox.Variable(f"_{k}"): ox.Literal(v) for k, v in substitutions.items()}
    try:
        solutions = store.query(SPARQL_PREFIXES + text, use_default_graph_as_union=True, substitutions=subs)
    except SyntaxError as exc:
        raise KGError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from None
    if isinstance(solutions, bool):
        return Result(["result"], [[solutions]])
    if not isinstance(solutions, ox.QuerySolutions):
        raise KGError(
            "only SELECT and ASK queries return rows; CONSTRUCT and DESCRIBE are not supported here"
        )
    names = [v.value for v in solutions.variables]
    keep = [i for i, n in enumerate(names) if not n.startswith("_")]
    rows = [[_value(row[i]) for i in keep] for row in solutions]
    return Result([names[i] for i in keep], rows)


@lru_cache(maxsize=4)
def _store(data: str | None) -> ox.Store:
    return load_store(data)


def run(name: str, data: str | None = None, **params: Any) -> Result:
    query = get(name)
    return _execute(_store(data), query.text, query.bindings(params))


def sparql(text: str, data: str | None = None) -> Result:
    return _execute(_store(data), text, {})
