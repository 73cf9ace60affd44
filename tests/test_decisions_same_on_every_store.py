"""Decision support gives the same answer whichever store holds the graph: the graph loaded into
memory (`options`, the app, `serve`) or the build's on-disk store (`can-apply`, `routes` and `compare`,
which answer once and exit). Library rows that tie on a query's ORDER BY come in the store's own order,
so `options` puts every list of quotes in document order itself."""

from __future__ import annotations

import json

import pytest

from kg import decide, queries
from kg.decide.options import _in_document_order


@pytest.fixture(scope="module")
def doubled_with_store(scaled) -> str:
    return scaled(2, stored=True)


DECISIONS = {
    "options": lambda data: decide.options(9, weights={"stability": 1}, data=data),
    "can-apply": lambda data: decide.can_apply(
        "special-guardianship-order", "relative", lived_with="14m", child_in_care=True, data=data
    ),
    "routes": lambda data: decide.routes("care-order", data=data),
    "compare": lambda data: decide.compare(["north-somerset", "medway-copy2"], data=data).as_json(),
}


@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_a_decision_is_the_same_from_the_on_disk_store_and_from_memory(doubled_with_store, name):
    in_memory = DECISIONS[name](doubled_with_store)
    with queries.stored_graph():
        on_disk = DECISIONS[name](doubled_with_store)
    assert json.dumps(on_disk, sort_keys=True) == json.dumps(in_memory, sort_keys=True)


def test_quotes_are_put_in_document_order_and_ties_broken_by_what_they_say():
    late = {"quote": "b", "start": 40, "end": 50, "order": "placement-order"}
    tie_a = {"quote": "a", "start": 10, "end": 20, "order": "care-order"}
    tie_b = {"quote": "a", "start": 10, "end": 20, "order": "placement-order"}
    unplaced = {"quote": "c", "start": None, "end": None}
    nested = {"x": {"applies": [late, unplaced, tie_b, tie_a]}, "ids": ["sole", "ends-for-la"]}
    assert _in_document_order(nested) == {
        "x": {"applies": [tie_a, tie_b, late, unplaced]},
        "ids": ["sole", "ends-for-la"],
    }
    by_council = [
        {"quote": "q", "council": "medway", "start": 1},
        {"quote": "q", "council": "enfield", "start": 9},
    ]
    assert [i["council"] for i in _in_document_order(by_council)] == ["enfield", "medway"]
