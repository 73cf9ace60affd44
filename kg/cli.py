"""The permanence-kg command line: a thin layer over the library; user mistakes end in one line."""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from . import queries as query_library
from .errors import KGError
from .output import FORMATS, render

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
    if output is None:
        click.echo(text, nl=False)
        return
    partial = output.with_name(f".{output.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)


data_option = click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of the built graph (default: $PERMANENCE_KG_DATA or ./build).",
)


@click.group()
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
    result = query_library.run("statement-counts", data=str(data) if data else None)
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
    result = query_library.run(
        "statements", data=str(data) if data else None, council=council or "", kind=kind or ""
    )
    rows = [[row[result.columns.index(c)] for c in EXPORT_COLUMNS] for row in result.rows]
    for row in rows:
        row[4] = "|".join(sorted(filter(None, (row[4] or "").split("|"))))
    emit(render(EXPORT_COLUMNS, rows, fmt), output)


def main() -> None:  # pragma: no cover - console entry point
    cli(prog_name="permanence-kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli())
