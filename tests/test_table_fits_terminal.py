"""Table output fits the terminal: long columns are wrapped to its width, nothing is cut, and
output that is not a terminal (a pipe, a file, another format) is left unwrapped."""

from __future__ import annotations

from kg import queries
from kg.output import render


def test_a_wide_table_is_wrapped_to_the_width_without_losing_words(data_dir):
    result = queries.run("keyword-search", data=str(data_dir))
    rows = [[r[result.columns.index("council")], r[result.columns.index("quote")]] for r in result.rows]
    table = render(["council", "quote"], rows, "table", width=60)
    assert max(len(line) for line in table.splitlines()) <= 60
    # Read back without the layout: each row's quote is all there, in order.
    shown = "".join(table.split())
    for council, quote in rows:
        assert council + "".join(quote.split()) in shown


def test_a_narrow_table_is_left_as_it_is(data_dir):
    result = queries.run("statement-counts", data=str(data_dir))
    assert render(result.columns, result.rows, "table", width=200) == render(
        result.columns, result.rows, "table"
    )


def test_other_formats_are_never_wrapped(data_dir):
    result = queries.run("keyword-search", data=str(data_dir))
    for fmt in ("csv", "tsv", "json", "md"):
        assert render(result.columns, result.rows, fmt, width=40) == render(result.columns, result.rows, fmt)
