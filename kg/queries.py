"""The SPARQL query library and the one way to run queries against the graph.

A library query is a ``queries/NAME.rq`` file with grlc-style decorators (``#+ summary:``,
``#+ description:``, ``#+ tags:``, ``#+ defaults:``, ``#+ enumerate:``) and parameters written as
``?_name``. Parameters are bound as typed RDF terms through the engine's own binding mechanism,
never pasted into the query text. Every parameter is projected by the query (Oxigraph substitutes
projected variables only) and always bound: an empty string means "any".
"""

from __future__ import annotations

import functools
import multiprocessing
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from . import engines
from .errors import KGError
from .ontology import ontology

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
        # Concept-valued parameters are checked against their SKOS scheme, so a typo is an error
        # rather than an empty answer.
        **{
            name: functools.partial(lambda scheme: sorted(onto.concepts[scheme]), scheme)
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
            }.items()
        },
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


DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 10_000

# An update form at the start of the request, after any PREFIX/BASE declarations and comments.
_UPDATE = re.compile(
    r"^(?:\s|#[^\n]*\n|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.I,
)


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False

    @property
    def note(self) -> str:
        return (
            f"showing the first {len(self.rows)} rows; more were cut (raise the row limit)"
            if self.truncated
            else ""
        )


def check_read_only(text: str) -> None:
    m = _UPDATE.match(text)
    if m:
        raise KGError(
            f"SPARQL Update ({m.group(1).upper()}) is refused: the graph is read-only; "
            "send a SELECT or ASK query"
        )


@lru_cache(maxsize=4)
def _engine(engine: str, data: str | None) -> engines.Engine:
    return engines.load_engine(engine, data)


def _select(engine: str, data: str | None, text: str, bindings: dict[str, str], limit: int) -> Result:
    columns, rows = _engine(engine, data).select(text, bindings)
    keep = [i for i, c in enumerate(columns) if not c.startswith("_")]
    rows = [[row[i] for i in keep] for row in rows[: limit + 1]]
    return Result([columns[i] for i in keep], rows[:limit], truncated=len(rows) > limit)


def _child(send: Any, job: tuple) -> None:
    try:
        send.send(("ok", _select(*job)))
    except KGError as exc:
        send.send(("error", exc.problems))
    except Exception as exc:  # an engine failure is reported, not hidden
        send.send(
            ("error", [f"query failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"])
        )
    finally:
        send.close()


def execute(
    text: str,
    bindings: dict[str, str] | None = None,
    data: str | None = None,
    engine: str = engines.DEFAULT_ENGINE,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int = DEFAULT_LIMIT,
) -> Result:
    """Run a read-only query. With a timeout the query runs in a forked copy of this process
    (which shares the loaded graph), killed at the deadline: neither engine can be interrupted
    from Python, and a thread cannot be stopped."""
    check_read_only(text)
    if limit < 1:
        raise KGError(f"row limit must be at least 1, not {limit}")
    _engine(engine, data)  # load in the parent, so children inherit it and load errors surface here
    job = (engine, data, text, bindings or {}, limit)
    if timeout is None:
        return _select(*job)
    if timeout <= 0:
        raise KGError(f"time limit must be positive, not {timeout:g} s")
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, job), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise KGError(
                f"query stopped: it ran longer than the {timeout:g} s time limit (raise it with --timeout)"
            )
        status, payload = receive.recv()
    except EOFError:
        raise KGError("query failed: the query process ended without an answer") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if status == "error":
        raise KGError(*payload)
    return payload


def run(
    name: str,
    data: str | None = None,
    engine: str = engines.DEFAULT_ENGINE,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int = DEFAULT_LIMIT,
    **params: Any,
) -> Result:
    """Run a library query with its parameters (unknown or invalid ones are refused)."""
    query = get(name)
    return execute(query.text, query.bindings(params), data, engine, timeout, limit)


def sparql(
    text: str,
    data: str | None = None,
    engine: str = engines.DEFAULT_ENGINE,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int = DEFAULT_LIMIT,
) -> Result:
    """Run an ad-hoc read-only SPARQL query (the standard prefixes are predeclared)."""
    return execute(text, {}, data, engine, timeout, limit)
