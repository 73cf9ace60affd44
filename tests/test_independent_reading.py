"""Recall and precision of the graph's list statements against an independent reading of the sources.

tests/fixtures/independent_reading.yaml records, item by item, every listed advantage and
disadvantage of a permanence option, every applicant for a special guardianship or child
arrangements order and every applicant exclusion, as read from the five documents by hand before
looking at any extractor or build output. Each item carries a short verbatim fragment; a graph
statement matches an item when council, kind and subject agree and its quote contains the fragment
(whitespace collapsed, since the documents break lines and use non-breaking spaces inside items).

Items marked `form: prose` are claims found in running prose: a graph statement drawn from one is a
true reading (it counts for precision) but the graph is not required to have it (not in recall).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from kg.ontology import ontology
from kg.queries import run
from kg.sources import load_sources

FIXTURE = Path(__file__).parent / "fixtures" / "independent_reading.yaml"
KINDS = ("advantage", "disadvantage", "applicant", "applicant-exclusion")
OPTION_KINDS = {"advantage", "disadvantage"}
MIN_RECALL = 0.95

StatementKey = tuple[str, str, str, int, int]  # council, kind, subject, start, end


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["items"]


@pytest.fixture(scope="module")
def statements(data_dir: Path) -> dict[StatementKey, str]:
    """Every graph statement of the four kinds -> its quote (the export repeats a statement per side)."""
    found: dict[StatementKey, str] = {}
    for kind in KINDS:
        result = run("statements", data=str(data_dir), kind=kind)
        assert not result.truncated, f"the statements export of kind {kind} was cut short"
        col = {name: i for i, name in enumerate(result.columns)}
        for row in result.rows:
            key = (
                row[col["council"]],
                row[col["kind"]],
                row[col["subject"]],
                row[col["start"]],
                row[col["end"]],
            )
            found[key] = collapse(row[col["quote"]])
    return found


def matches(item: dict, statements: dict[StatementKey, str]) -> list[StatementKey]:
    fragment = collapse(item["quote"])
    return [
        key
        for key, quote in statements.items()
        if key[:3] == (item["council"], item["kind"], item["subject"]) and fragment in quote
    ]


def describe(item: dict) -> str:
    return f"{item['council']} {item['kind']} {item['subject']}: {item['quote']!r}"


def listed(items: list[dict]) -> list[dict]:
    return [item for item in items if item.get("form", "list") == "list"]


def test_fixture_items_are_well_formed(items):
    onto = ontology()
    councils = set(onto.councils)
    problems = []
    for item in items:
        if item["council"] not in councils:
            problems.append(f"unknown council in {describe(item)}")
        if item["kind"] not in KINDS:
            problems.append(f"kind outside {KINDS} in {describe(item)}")
        wanted, subjects = (
            ("option", onto.options) if item["kind"] in OPTION_KINDS else ("order", onto.orders)
        )
        if item["subject"] not in subjects:
            problems.append(f"subject is not a known {wanted}: {describe(item)}")
        if item.get("form", "list") not in ("list", "prose"):
            problems.append(f"form must be list or prose: {describe(item)}")
    assert not problems, "\n".join(problems)
    # Every council's document was read, and the lists it holds were recorded.
    per_council = Counter(item["council"] for item in listed(items))
    assert per_council["north-somerset"] > 0 and per_council["medway"] > 0 and per_council["dorset"] > 0


def test_every_fragment_is_verbatim_in_its_source(items):
    sources = load_sources()
    missing = [describe(item) for item in items if item["quote"] not in sources[item["council"]].text]
    assert not missing, "fragments not found verbatim in the source file:\n" + "\n".join(missing)


def test_fragments_are_unambiguous_within_their_subject(items):
    # Two items of one council, kind and subject with the same fragment could both match one statement.
    seen = Counter((i["council"], i["kind"], i["subject"], collapse(i["quote"])) for i in items)
    repeated = [key for key, n in seen.items() if n > 1]
    assert not repeated, f"repeated fragments: {repeated}"


@pytest.mark.parametrize("kind", KINDS)
def test_recall_of_listed_items(items, statements, kind):
    wanted = [item for item in listed(items) if item["kind"] == kind]
    assert wanted, f"the reading records no {kind} items"
    missing = [describe(item) for item in wanted if not matches(item, statements)]
    recall = 1 - len(missing) / len(wanted)
    assert recall >= MIN_RECALL, f"{kind} recall {recall:.3f} < {MIN_RECALL}; missing:\n" + "\n".join(missing)


def test_every_graph_statement_is_an_item_of_the_reading(items, statements):
    matched = {key for item in items for key in matches(item, statements)}
    unread = [
        f"{key[0]} {key[1]} {key[2]} [{key[3]}-{key[4]}]: {statements[key]!r}"
        for key in statements
        if key not in matched
    ]
    assert not unread, "graph statements that match no item of the independent reading:\n" + "\n".join(unread)


def test_no_graph_statement_merges_two_listed_items(items, statements):
    covering: dict[StatementKey, list[str]] = defaultdict(list)
    for item in listed(items):
        for key in matches(item, statements):
            covering[key].append(item["quote"])
    merged = {key: quotes for key, quotes in covering.items() if len(quotes) > 1}
    assert not merged, f"statements covering more than one listed item: {merged}"


def test_no_listed_item_is_split_across_statements(items, statements):
    split = {describe(item): hits for item in listed(items) if len(hits := matches(item, statements)) > 1}
    assert not split, f"listed items matched by more than one statement: {split}"
