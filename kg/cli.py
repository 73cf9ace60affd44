"""The permanence-kg command line: a thin layer over the library; user mistakes end in one line."""

from __future__ import annotations

import difflib
import functools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from . import queries as query_library
from .model import ALIGNED_KINDS
from .engines import DEFAULT_ENGINE, ENGINES
from .errors import KGError
from .output import FORMATS, render, write_output

EXPORT_COLUMNS = (
    "council",
    "kind",
    "subject",
    "subject_label",
    "concept",
    "text",
    "quote",
    "start",
    "end",
    "section",
    "source_file",
)
# Far above any real export (30x, every English council, is about 20,000 rows); past it the export
# fails rather than writing part of the rows.
EXPORT_ROW_CEILING = 50_000_000


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's KGError into click's one-line error, listing every problem."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KGError as exc:
            if len(exc.problems) > 1:
                for problem in exc.problems[:-1]:
                    click.echo(f"Error: {problem}", err=True)
            raise click.ClickException(exc.problems[-1] if exc.problems else str(exc)) from None

    return wrapper


def output_options(formats: tuple[str, ...] = FORMATS, default: str = "table") -> Callable[..., Any]:
    """The same output flags for every command that prints rows."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default,
            show_default=True,
            help="Output format.",
        )(fn)
        fn = click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to this file instead of standard output.",
        )(fn)
        return fn

    return decorator


def emit(text: str, output: Path | None) -> None:
    """Print the text, or write it to the output file whole or not at all (kg.output.write_output)."""
    if output is None:
        try:
            click.echo(text, nl=False)
            sys.stdout.flush()
        except OSError as exc:
            raise KGError(_stdout_failed(exc)) from None
        return
    write_output(output, text)


def _stdout_failed(exc: OSError) -> str:
    # Later writes and the flush at exit would fail the same way, each with a traceback.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return f"cannot write to standard output: {exc.strerror or exc}"


data_option = click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of the built graph (default: $PERMANENCE_KG_DATA, else ./build, else the build/ of "
    "the checkout the current directory is in or this package was installed from).",
)


def _use_endpoint(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    query_library.use_endpoint(value)
    # For this command only: a caller in the same process (tests, the app) is left as it was.
    ctx.call_on_close(lambda: query_library.use_endpoint(None))


# Every command that reads through kg.queries.run / sparql takes it (the decision-support ones too):
# it sets the library's endpoint once, so nothing below has to pass it on.
endpoint_option = click.option(
    "--endpoint",
    metavar="URL",
    envvar="PERMANENCE_KG_ENDPOINT",
    expose_value=False,
    callback=_use_endpoint,
    help="Query this SPARQL 1.1 endpoint instead of the built graph (e.g. http://127.0.0.1:7878/query; "
    "default: $PERMANENCE_KG_ENDPOINT). Its default graph must be the union of the named graphs.",
)


class _Commands(click.Group):
    """A mistyped command is answered with the nearest command names."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            if close:
                ctx.fail(f"No such command '{name}'. Did you mean {' or '.join(repr(c) for c in close)}?")
        return super().resolve_command(ctx, args)


@click.group(cls=_Commands)
@click.version_option(package_name="permanence-kg")
def cli() -> None:
    """An evidence-backed knowledge graph of five English councils' permanence guidance."""


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Directory to write permanence.trig, permanence.nq and permanence.jsonld to.",
)
@user_errors
def build(out: Path) -> None:
    """Build the graph from the sources, checking every quote against its file."""
    from .build import build as run_build

    started = time.perf_counter()
    extraction, written = run_build(out)
    elapsed = time.perf_counter() - started
    click.echo(
        f"{len(extraction.statements)} statements from {len(extraction.sources)} councils, "
        f"{len(extraction.divergences)} divergences, in {elapsed:.1f} s"
    )
    for path in written.values():
        click.echo(f"  {path}")


@cli.command()
@data_option
@output_options()
@user_errors
def stats(data: Path | None, fmt: str, output: Path | None) -> None:
    """Statements per council and kind."""
    result = query_library.run("statement-counts", data=str(data) if data else None, limit=None)
    emit(render(result.columns, result.rows, fmt), output)


@cli.group()
def export() -> None:
    """Export parts of the graph in stable tabular form."""


@export.command("statements")
@click.option("--council", help="Only this council (e.g. medway).")
@click.option("--kind", help="Only this kind of statement (e.g. advantage).")
@data_option
@output_options(formats=("csv", "json"), default="csv")
@user_errors
def export_statements(
    council: str | None, kind: str | None, data: Path | None, fmt: str, output: Path | None
) -> None:
    """Every council statement with its verbatim evidence.

    Columns: council, kind, subject, subject_label, concept, text, quote, start, end, section,
    source_file. `quote` is the text of `source_file` from `start` to `end`.
    """
    # An export is every row or an error: no time limit (it is the library's own query, not a
    # user's) and no row limit that could cut it quietly.
    result = query_library.run(
        "statements",
        data=str(data) if data else None,
        timeout=None,
        limit=EXPORT_ROW_CEILING,
        council=council or "",
        kind=kind or "",
    )
    if result.truncated:
        raise KGError(f"the export has more than {EXPORT_ROW_CEILING:,} rows: export one --council at a time")
    rows = [[row[result.columns.index(c)] for c in EXPORT_COLUMNS] for row in result.rows]
    for row in rows:
        row[4] = "|".join(sorted(filter(None, (row[4] or "").split("|"))))
    emit(render(EXPORT_COLUMNS, rows, fmt), output)


@cli.command()
@data_option
@click.option(
    "--skip-reasoner", is_flag=True, help="Skip the OWL consistency check (HermiT, which needs Java)."
)
@user_errors
def validate(data: Path | None, skip_reasoner: bool) -> None:
    """Check the ontology and the built graph: ontology QC, SHACL shapes, OWL consistency, quotes.

    Prints a line per failure and a summary line per check; exits non-zero if any check fails.
    """
    from .validate import run_checks

    failed = []
    for check in run_checks(data, skip_reasoner=skip_reasoner):
        for failure in check.failures:
            click.echo(f"{check.name}: {failure}")
        click.echo(check.summary)
        if check.failures:
            failed.append(f"{check.name} ({len(check.failures)})")
    if failed:
        raise KGError("validation failed: " + ", ".join(failed))


def _engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default=DEFAULT_ENGINE,
        show_default=True,
        help="SPARQL engine.",
    )(fn)
    fn = click.option(
        "--timeout",
        type=float,
        default=query_library.DEFAULT_TIMEOUT,
        show_default=True,
        help="Stop the query after this many seconds.",
    )(fn)
    fn = click.option(
        "--limit",
        type=int,
        default=query_library.DEFAULT_LIMIT,
        show_default=True,
        help="Return at most this many rows.",
    )(fn)
    fn = endpoint_option(fn)
    return data_option(fn)


MAX_PARAM_CHARS = 1000


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    """``--param KEY=VALUE`` options as a mapping: each key once, each value UTF-8 text of at most
    MAX_PARAM_CHARS characters (a longer one is named by its length, not echoed back)."""
    bindings: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            shown = item if len(item) <= 60 else item[:59] + "…"
            raise KGError(f"parameter '{shown}' is not KEY=VALUE (e.g. --param council=medway)")
        if key in bindings:
            raise KGError(f"parameter {key} is given twice: give each parameter once")
        if len(value) > MAX_PARAM_CHARS:
            raise KGError(
                f"parameter {key} is {len(value):,} characters long; a value is at most {MAX_PARAM_CHARS:,}"
            )
        try:
            (key + value).encode("utf-8")
        except UnicodeEncodeError:
            raise KGError(
                f"parameter {key.encode('utf-8', 'replace').decode()} is not valid UTF-8 text"
            ) from None
        bindings[key] = value
    return bindings


def _print_result(result: query_library.Result, fmt: str, output: Path | None) -> None:
    emit(render(result.columns, result.rows, fmt), output)
    if result.note:
        click.echo(f"note: {result.note}", err=True)


@cli.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the library's queries and their parameters.")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable)."
)
@_engine_options
@output_options()
@user_errors
def query(
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    engine: str,
    timeout: float,
    limit: int,
    data: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Run a library query by NAME, or list the library with --list."""
    if list_queries or not name:
        rows = [
            [
                q.name,
                q.summary,
                ", ".join(p.usage for p in q.parameters),
            ]
            for q in query_library.library().values()
        ]
        emit(render(["name", "summary", "parameters"], rows, fmt), output)
        return
    bindings = parse_params(params)
    with query_library.stored_graph():  # one answer, then exit: no loading the whole graph for it
        result = query_library.run(
            name, data=str(data) if data else None, engine=engine, timeout=timeout, limit=limit, **bindings
        )
    _print_result(result, fmt, output)


@cli.command()
@click.argument("source", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--query", "query_text", metavar="TEXT", help="The query itself, instead of SOURCE.")
@_engine_options
@output_options()
@user_errors
def sparql(
    source: Any,
    query_text: str | None,
    engine: str,
    timeout: float,
    limit: int,
    data: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Run an ad-hoc read-only SPARQL query from SOURCE (file or - for stdin) or --query.

    The standard prefixes (pk, opt, ord, council, concept, rdfs, skos, oa, ...) are predeclared."""
    if (source is None) == (query_text is None):
        raise KGError("give the query one way: a FILE, - for standard input, or --query TEXT")
    try:
        text = query_text if query_text is not None else source.read()
    except UnicodeDecodeError as exc:
        raise KGError(
            f"the query in {source.name} is not valid UTF-8 (byte {exc.start}): save it as UTF-8"
        ) from None
    with query_library.stored_graph():
        result = query_library.sparql(
            text, data=str(data) if data else None, engine=engine, timeout=timeout, limit=limit
        )
    _print_result(result, fmt, output)


@cli.command()
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7879, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout",
    type=float,
    default=query_library.DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop a query after this many seconds (503).",
)
@click.option(
    "--workers",
    type=int,
    default=2,
    show_default=True,
    help="Query processes for library queries, and as many again for ad-hoc SPARQL.",
)
@click.option(
    "--cache-mb",
    type=int,
    default=64,
    show_default=True,
    help="Keep answers up to this many MiB and give them again to the same request (0: no cache).",
)
@user_errors
def serve(data: Path | None, host: str, port: int, timeout: float, workers: int, cache_mb: int) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (/sparql) with the query library (/queries).

    Content negotiation: SPARQL results JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD for CONSTRUCT
    and DESCRIBE. Updates get 403, malformed queries 400, time-limit overruns 503."""
    from .server import serve as run_server

    def announce() -> None:
        click.echo(f"SPARQL endpoint: http://{host}:{port}/sparql  (library: /queries; Ctrl-C to stop)")

    run_server(
        data, host=host, port=port, timeout=timeout, workers=workers, announce=announce, cache_mb=cache_mb
    )


@cli.command()
@click.option(
    "--store",
    required=True,
    metavar="URL",
    help="The store's SPARQL 1.1 Graph Store Protocol service (e.g. http://127.0.0.1:7878/store).",
)
@click.option(
    "--update",
    metavar="URL",
    help="Its SPARQL 1.1 Update endpoint (e.g. http://127.0.0.1:7878/update): upload under temporary "
    "graph names, then move all into place in one update, so the store is never half-updated.",
)
@data_option
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Give up on a request after this many seconds.",
)
@user_errors
def push(store: str, update: str | None, data: Path | None, timeout: float) -> None:
    """Replace every named graph of the build in a triple store (SPARQL 1.1 Graph Store Protocol).

    Each graph is replaced whole. Without --update, graphs are replaced one by one and a failure
    says exactly which are new, which are old and which is in doubt."""
    from .remote import push as run_push

    report = run_push(
        store, data=str(data) if data else None, update=update, timeout=timeout, progress=click.echo
    )
    click.echo(f"pushed {len(report.replaced)} graphs to {store}:")
    for line in report.lines():
        click.echo(line)


def _with_notice(notice: str, tables: list[tuple[str, list[str], list[list[Any]]]], fmt: str) -> str:
    """Tables under the not-legal-advice notice, each with its heading (table and md formats)."""
    parts = [f"> {notice}\n" if fmt == "md" else f"{notice}\n"]
    for heading, columns, rows in tables:
        if heading:
            parts.append(f"\n{'### ' if fmt == 'md' else ''}{heading}\n\n")
        parts.append(render(columns, rows, fmt) if rows else "(none)\n")
    return "".join(parts)


@cli.command("compare")
@click.option(
    "--councils",
    required=True,
    metavar="A,B[,...]",
    help="Councils to compare, comma-separated (e.g. north-somerset,medway).",
)
@click.option(
    "--subject",
    metavar="OPTION_OR_ORDER",
    help="Only claims about this option or order, with the orders that secure the option in law (or the "
    "options the order secures).",
)
@click.option("--kind", metavar="KIND", help=f"Only claims of this kind: {', '.join(ALIGNED_KINDS)}.")
@data_option
@endpoint_option
@output_options(formats=("table", "json", "md"))
@user_errors
def compare_command(
    councils: str, subject: str | None, kind: str | None, data: Path | None, fmt: str, output: Path | None
) -> None:
    """Compare councils claim by claim: what all of them state, what only one states, where one is silent.

    A claim is a group of the councils' statements of one kind about one subject that say the same
    thing (aligned when the graph is built). Silence is reported as "no statement extracted": no
    statement of that council was aligned to the claim. JSON: a list of claims, each with claim,
    text, kind, subject, status (all / some / only), stated_by, silent and members (council, text,
    quote, start, end, section)."""
    from .decide import compare as run_compare
    from .decide.compare import table_rows

    with query_library.stored_graph():  # as can-apply: a few small queries, then exit
        result = run_compare(
            councils.split(","), subject=subject, kind=kind, data=str(data) if data else None
        )
    if fmt == "json":
        emit(json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n", output)
        return
    emit(_with_notice(result.notice, [("", *table_rows(result))], fmt), output)


@cli.command("options")
@click.option("--age", required=True, metavar="YEARS", help="The child's age in years (e.g. 9 or 1.5).")
@click.option(
    "--need",
    "needs",
    multiple=True,
    metavar="ID",
    help="A need of the child (an id of the need scheme, e.g. lifelong-belonging); repeatable.",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="THEME=W",
    help="Weigh a trade-off theme (e.g. stability=2); repeatable. Without weights there is no ordering.",
)
@click.option("--council", help="Only this council (default: every council).")
@data_option
@endpoint_option
@output_options(formats=("table", "json", "md"))
@user_errors
def options_command(
    age: str,
    needs: tuple[str, ...],
    weights: tuple[str, ...],
    council: str | None,
    data: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """What each council says about every permanence option for a child of --age years.

    Per option and council: advantages and disadvantages by theme, the age guidance that applies
    at this age (numeric bands applied exactly; guidance with no age given shown as such), the
    needs it suits, legal orders, parental responsibility, whether the child stays looked after,
    reviews and timescales, and where councils diverge. With --weight, an ordering whose every
    term is shown: weight x (advantage claims - disadvantage claims) per theme."""
    from .decide import options as run_options
    from .decide.options import detail_rows, ordering_rows, parse_weights

    try:
        years = float(age)
    except ValueError:
        raise KGError(f"age must be a number of years, 0 or more (e.g. 9 or 1.5), not '{age}'") from None
    result = run_options(
        years, needs=needs, weights=parse_weights(weights), council=council, data=str(data) if data else None
    )
    if fmt == "json":
        emit(json.dumps(result, ensure_ascii=False, indent=2) + "\n", output)
        return
    tables = []
    if result["ordering"]:
        tables.append((f"Ordering ({result['formula']})", *ordering_rows(result)))
    else:
        tables.append(("No ordering: weigh themes with --weight THEME=W to order the options.", [], []))
    tables.append((f"What councils say, for a child of {years:g}", *detail_rows(result)))
    emit(_with_notice(result["notice"], tables, fmt), output)


# Decision support (kg.decide): thin layers over the library, every output with its notice.


def _emit_decision(
    columns: list[str], rows: list[list[Any]], data: Any, fmt: str, output: Path | None
) -> None:
    from .decide import NOTICE

    if fmt == "json":
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
        return
    emit(f"{NOTICE}\n\n" + render(columns, rows, fmt), output)


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command("can-apply")
@click.option("--order", required=True, help="The order applied for (e.g. special-guardianship-order).")
@click.option(
    "--relationship",
    required=True,
    help="How the applicant stands to the child: parent, guardian, special-guardian, step-parent, relative, "
    "local-authority-foster-carer, other or child.",
)
@click.option(
    "--lived-with", metavar="DURATION", help="How long the child has lived with them, up to now: 8m, 14m, 3y."
)
@click.option(
    "--consent",
    "consents",
    multiple=True,
    metavar="WHO",
    help="Whose consent they have (repeatable): local-authority, everyone-with-pr, cao-holders.",
)
@click.option(
    "--child-in-care", is_flag=True, help="The child is in the care of a local authority (a care order)."
)
@click.option(
    "--looked-after",
    is_flag=True,
    help="The child is looked after without a care order (accommodated under section 20).",
)
@click.option(
    "--in-force",
    "in_force",
    multiple=True,
    metavar="ORDER",
    help="An order in force (repeatable), e.g. special-guardianship-order.",
)
@click.option("--council", help="Only this council (the law row is always shown).")
@data_option
@endpoint_option
@output_options(formats=("table", "json", "md"))
@user_errors
def can_apply_command(
    order: str,
    relationship: str,
    lived_with: str | None,
    consents: tuple[str, ...],
    child_in_care: bool,
    looked_after: bool,
    in_force: tuple[str, ...],
    council: str | None,
    data: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Who can apply for an ORDER: each council's answer (as-of-right, with-consent, with-leave,
    excluded or not-stated) with the statements that decide it, and our reading of the law (council:
    law, with its legislation.gov.uk citations)."""
    from .decide import can_apply

    # A few small queries, then exit: the on-disk store answers them sooner than the graph loads
    # (0.6-1.5 s against 6-8 s at 30x for can-apply, routes and compare). `options` reads most of
    # the graph, which is faster in memory (8.3 s against 9.6 s at 30x), so it loads it.
    with query_library.stored_graph():
        rows = can_apply(
            order,
            relationship,
            lived_with=lived_with,
            consent=consents,
            child_in_care=child_in_care,
            looked_after=looked_after,
            in_force=in_force,
            council=council,
            data=str(data) if data else None,
        )
    width = 90 if fmt == "table" else 10_000
    table = []
    for row in rows:
        evidence = [
            (
                f"{_clip(q['label'], width)} [{', '.join(q['citations'])}]"
                if row["ours"]
                else f"\"{_clip(q['quote'], width)}\" ({q['section']}, {q['start']}-{q['end']})"
            )
            + (f" — not met: {'; '.join(q['unmet'])}" if q.get("unmet") else "")
            for q in row["quotes"]
        ]
        table.append(
            [
                row["council"],
                row["answer"],
                ", ".join(row["disagrees_with"]),
                {True: "yes", False: "no", None: ""}[row["matches_law"]],
                "\n".join(evidence) if fmt == "table" else "<br>".join(evidence),
            ]
        )
    _emit_decision(
        ["council", "answer", "disagrees with", "as the law", "deciding words"], table, rows, fmt, output
    )


@cli.command("routes")
@click.option(
    "--from", "from_status", required=True, metavar="STATUS", help="Where the child is now, e.g. care-order."
)
@click.option(
    "--to", "to", metavar="STATUS", help="Only the routes to this status or order, e.g. adoption-order."
)
@data_option
@endpoint_option
@output_options(formats=("table", "json", "md"))
@user_errors
def routes_command(
    from_status: str, to: str | None, data: Path | None, fmt: str, output: Path | None
) -> None:
    """Routes out of care from a legal STATUS: every path to another status or order, each step with
    who may apply, whether leave is needed, our reading of the law (with legislation.gov.uk citations)
    and the councils' own words where they say it.

    Statuses: accommodated-s20, interim-care-order, care-order, placement-order,
    child-arrangements-order, special-guardianship-order, adoption-order, leaving-care."""
    from .decide import routes

    with query_library.stored_graph():  # as can-apply: a few small queries, then exit
        found = routes(from_status, to, data=str(data) if data else None)
    width = 90 if fmt == "table" else 10_000
    sep = "\n" if fmt == "table" else "<br>"
    table = []
    for n, path in enumerate(found["paths"], 1):
        for step in path["steps"]:
            evidence = [
                (
                    f"ours: {_clip(e['text'], width)} [{', '.join(e['citations'])}]"
                    if e["ours"]
                    else f"{e['according_to']}: \"{_clip(e['quote'], width)}\""
                    f" ({e['section']}, {e['start']}-{e['end']})"
                )
                for e in step["evidence"]
            ]
            table.append(
                [
                    n,
                    f"{step['from']} -> {step['to']}",
                    _clip(step["who_may_apply"], 60 if fmt == "table" else 10_000),
                    step["leave_needed"],
                    "yes" if step["discharges"] else "",
                    sep.join(evidence),
                ]
            )
    columns = ["path", "step", "who may apply", "leave needed", "discharges", "evidence"]
    _emit_decision(columns, table, found, fmt, output)


def main() -> None:  # pragma: no cover - console entry point
    code: Any = 0
    try:
        cli(prog_name="permanence-kg")
    except SystemExit as exc:
        code = exc.code
    except OSError as exc:  # standard output full, closed or gone while a command printed
        click.echo(f"Error: {_stdout_failed(exc)}", err=True)
        code = 1
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        click.echo(f"Error: {_stdout_failed(exc)}", err=True)
        code = 1
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
