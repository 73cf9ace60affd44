"""The build's coverage (kg/coverage.py) says exactly what the statements say: which councils have a
statement of each kind (about each subject), and how many statements each document gave. The
silence queries read it instead of every statement, so a wrong summary would be a wrong silence."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import engines
from kg.coverage import COVERAGE_GRAPH, coverage_quads
from kg.vocab import ID, RDF, XSD, council_graph, pk

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scale  # noqa: E402

STATEMENTS_COVERING = """
SELECT ?kind ?subject (GROUP_CONCAT(DISTINCT ?id; separator="|") AS ?ids) WHERE {
  ?s pk:council ?c ; a ?kind . ?c pk:councilId ?id .
  OPTIONAL { ?s pk:about ?subject }
} GROUP BY ?kind ?subject
"""
COVERAGE = """
SELECT ?kind ?subject ?ids WHERE {
  ?cov a pk:Coverage ; pk:coveredKind ?kind ; pk:coveringCouncilIds ?ids .
  OPTIONAL { ?cov pk:coveredSubject ?subject }
}
"""


def _rows(engine, text: str) -> set[tuple]:
    _, rows = engine.select(text, {}, None)
    return {tuple(row) for row in rows}


@pytest.fixture(scope="module")
def engine(data_dir):
    return engines.load_engine("oxigraph", str(data_dir))


def test_each_kind_and_subject_lists_the_councils_with_such_a_statement(engine):
    by_subject: dict[tuple, set[str]] = {}
    by_kind: dict[str, set[str]] = {}
    for kind, subject, ids in _rows(engine, STATEMENTS_COVERING):
        by_kind.setdefault(kind, set()).update(ids.split("|"))
        if subject is not None:
            by_subject[(kind, subject)] = set(ids.split("|"))
    expected = {(k, None, "|".join(sorted(v))) for k, v in by_kind.items()}
    expected |= {(k, s, "|".join(sorted(v))) for (k, s), v in by_subject.items()}
    assert _rows(engine, COVERAGE) == expected
    assert len(expected) > 50


def test_each_document_counts_the_statements_taken_from_it(engine):
    counted = _rows(engine, "SELECT ?c ?n WHERE { ?c pk:document ?d . ?d pk:statementCount ?n }")
    counts = _rows(
        engine,
        "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s pk:council ?c ; pk:hasEvidence ?e } GROUP BY ?c",
    )
    assert counted == counts
    assert len(counted) == 5


def test_each_document_counts_its_statements_of_each_kind(engine):
    tallied = _rows(
        engine,
        """SELECT ?c ?kind ?n WHERE {
             ?t a pk:StatementTally ; pk:tallyOf ?d ; pk:tallyKind ?kind ; pk:statementCount ?n .
             ?c pk:document ?d }""",
    )
    counts = _rows(
        engine, "SELECT ?c ?kind (COUNT(?s) AS ?n) WHERE { ?s pk:council ?c ; a ?kind } GROUP BY ?c ?kind"
    )
    assert tallied == counts
    assert len(tallied) > 50


def _statement(council: str, n: int, kind: str, subject: str | None = None) -> list[ox.Quad]:
    s = ox.NamedNode(f"{ID}statement/{council}/{n}")
    g = council_graph(council)
    quads = [
        ox.Quad(s, ox.NamedNode(RDF + "type"), pk(kind), g),
        ox.Quad(s, pk("council"), ox.NamedNode(f"{ID}council/{council}"), g),
        ox.Quad(s, pk("hasEvidence"), ox.NamedNode(f"{s.value}/evidence"), g),
    ]
    if subject:
        quads.append(ox.Quad(s, pk("about"), ox.NamedNode(f"{ID}option/{subject}"), g))
    return quads


def _council(council: str) -> list[ox.Quad]:
    c, g = ox.NamedNode(f"{ID}council/{council}"), ox.NamedNode(ID + "graph/ontology")
    return [
        ox.Quad(c, pk("councilId"), ox.Literal(council), g),
        ox.Quad(c, pk("document"), ox.NamedNode(f"{ID}document/{council}"), g),
    ]


def _covering(quads: list[ox.Quad]) -> dict[str, str]:
    return {
        str(q.subject)[1:-1].removeprefix(ID + "coverage/"): str(q.object)[1:-1]
        for q in quads
        if q.predicate == pk("coveringCouncilIds")
    }


def test_coverage_is_per_kind_and_per_kind_and_subject_with_ids_sorted():
    quads = _council("zeta") + _council("alpha")
    quads += _statement("zeta", 1, "Advantage", "adoption") + _statement("alpha", 1, "Advantage")
    quads += _statement("alpha", 2, "Timescale", "adoption")
    assert _covering(coverage_quads(quads)) == {
        "Advantage": "alpha|zeta",
        "Advantage/option/adoption": "zeta",
        "Timescale": "alpha",
        "Timescale/option/adoption": "alpha",
    }
    graphs = {q.graph_name for q in coverage_quads(quads) if str(q.subject).startswith(f"<{ID}coverage/")}
    assert graphs == {COVERAGE_GRAPH}


def test_a_repeated_triple_is_one_statement_and_the_count_is_in_the_councils_graph():
    quads = _council("alpha") + _statement("alpha", 1, "Advantage") * 2 + _statement("alpha", 2, "Advantage")
    counts = [q for q in coverage_quads(quads) if q.predicate == pk("statementCount")]
    assert sorted((str(q.subject), str(q.object), q.graph_name) for q in counts) == [
        (f"<{ID}document/alpha/tally/Advantage>", f'"2"^^<{XSD}integer>', council_graph("alpha")),
        (f"<{ID}document/alpha>", f'"2"^^<{XSD}integer>', council_graph("alpha")),
    ]


def test_a_scaled_copy_lists_the_copied_councils_beside_the_originals():
    quads = _council("alpha") + _statement("alpha", 1, "Advantage")
    quads += coverage_quads(quads)
    assert _covering(list(scale.scaled_quads(quads, 3))) == {"Advantage": "alpha|alpha-copy2|alpha-copy3"}
