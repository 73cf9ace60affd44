"""The library gives the original five councils the same answers whatever the size of the graph:
a query rewritten for speed at national scale (benchmarks/scale.py copies the councils under new
ids) must not change a row about the five."""

from __future__ import annotations

import pytest

from kg import queries

# Answers that are, by their question, about the set of councils, so the copies rightly change
# them: what no other council says (every copy says the same), which options every council
# presents (counted over all councils), and the app's whole-graph views.
ABOUT_ALL_COUNCILS = {
    "unique-to-council": "what no other council says: every copy says the same",
    "options-presented-by-all": "counts the councils presenting each option",
    "app-graph-edges": "every edge of the graph",
    "app-graph-nodes": "every node of the graph",
}


def _is_copy(value: object) -> bool:
    return isinstance(value, str) and ("-copy" in value or "(copy " in value)


def about_the_five(rows: list[list]) -> list[list]:
    """Rows that name no copy, with copies taken out of joined lists ("medway|medway-copy2")."""
    kept = []
    for row in rows:
        row = [
            "|".join(p for p in v.split("|") if not _is_copy(p)) if isinstance(v, str) and "|" in v else v
            for v in row
        ]
        if not any(_is_copy(v) for v in row):
            kept.append(row)
    return kept


@pytest.mark.parametrize("name", sorted(set(queries.library()) - set(ABOUT_ALL_COUNCILS)))
def test_the_five_councils_get_the_same_rows_at_twice_the_size(data_dir, doubled, name):
    one = queries.run(name, data=str(data_dir), timeout=None, limit=10**9)
    two = queries.run(name, data=doubled, timeout=None, limit=10**9)
    assert one.columns == two.columns
    # As multisets: rows that tie on a query's ORDER BY may come in another order in a larger graph.
    assert sorted(map(repr, about_the_five(one.rows))) == sorted(map(repr, about_the_five(two.rows)))


def test_unique_to_council_matches_a_statement_across_councils(data_dir, doubled):
    """The one query left out above: at twice the size every statement has a copy that says the
    same, so nothing is unique; at 1x some statements are."""
    assert queries.run("unique-to-council", data=str(data_dir), timeout=None).rows
    assert about_the_five(queries.run("unique-to-council", data=doubled, timeout=None).rows) == []
