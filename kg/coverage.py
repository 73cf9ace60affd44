"""Coverage: which councils say something of each kind (about each option or order), worked out once
at build time.

The silence queries (``councils-silent-on``, ``silent-on-by-subject``) ask, for every kind of
statement and every subject, which councils have no statement of it. Asked of the statements, that
is a pass over every statement of every council for every answer: about 0.2 s at the scale of every
English council. Here

- each kind, and each kind with a subject some council speaks of, gets a ``pk:Coverage`` node in
  the coverage graph, whose ``pk:coveringCouncilIds`` lists the ids of the councils with at least
  one such statement (sorted, ``|``-separated), so a council is tested with one string match; and
- each council's document gets ``pk:statementCount``, the number of statements extracted from it,
  and a ``pk:StatementTally`` per kind with the number of that kind.

Our modelling, never a council's words: the coverage graph is attributed to the project, and a
document's counts sit in its council's graph only so that a copy of the council carries them
(``benchmarks/scale.py``, which also adds the copies to the lists).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

from .vocab import ID, PROV, RDF, XSD, council_graph, pk

COVERAGE_GRAPH = ox.NamedNode(ID + "graph/coverage")
COVERING_COUNCIL_IDS = pk("coveringCouncilIds")
SEPARATOR = "|"
_AGENT = ox.NamedNode(ID + "agent/permanence-kg")
_TYPE = ox.NamedNode(RDF + "type")
_COUNCIL = pk("council")
_COUNCIL_ID = pk("councilId")
_DOCUMENT = pk("document")
_ABOUT = pk("about")
_EVIDENCE = pk("hasEvidence")
_INTEGER = ox.NamedNode(XSD + "integer")


def coverage_iri(kind: ox.NamedNode, subject: ox.NamedNode | None) -> ox.NamedNode:
    """``coverage/Advantage`` for a kind, ``coverage/Advantage/option/adoption`` with a subject."""
    name = f"{ID}coverage/{kind.value.rsplit('#', 1)[-1]}"
    return ox.NamedNode(name if subject is None else f"{name}/{subject.value.removeprefix(ID)}")


def coverage_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The coverage graph and the documents' statement counts for the statements (subjects with a
    ``pk:council``) in ``quads``; deterministic for the same quads."""
    councils: dict[ox.NamedNode, ox.NamedNode] = {}
    kinds: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    subjects: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    # A set, as the build's quads may repeat a triple: the count is of distinct statements.
    evidence: dict[ox.NamedNode, set[object]] = defaultdict(set)
    council_ids: dict[ox.NamedNode, str] = {}
    documents: dict[ox.NamedNode, ox.NamedNode] = {}
    for q in quads:
        s, p, o = q.subject, q.predicate, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == _COUNCIL and isinstance(o, ox.NamedNode):
            councils[s] = o
        elif p == _TYPE and isinstance(o, ox.NamedNode):
            kinds[s].add(o)
        elif p == _ABOUT and isinstance(o, ox.NamedNode):
            subjects[s].add(o)
        elif p == _EVIDENCE:
            evidence[s].add(o)
        elif p == _COUNCIL_ID and isinstance(o, ox.Literal):
            council_ids[s] = o.value
        elif p == _DOCUMENT and isinstance(o, ox.NamedNode):
            documents[s] = o
    covered: dict[tuple[ox.NamedNode, ox.NamedNode | None], set[str]] = defaultdict(set)
    counts: dict[ox.NamedNode, int] = defaultdict(int)
    tallies: dict[tuple[ox.NamedNode, ox.NamedNode], int] = defaultdict(int)
    for statement, council in councils.items():
        counts[council] += len(evidence[statement])
        if council not in council_ids:
            continue
        for kind in kinds[statement]:
            tallies[(council, kind)] += 1
            for subject in (None, *subjects[statement]):
                covered[(kind, subject)].add(council_ids[council])
    out = []
    for (kind, subject), ids in covered.items():
        node = coverage_iri(kind, subject)
        out += [
            ox.Quad(node, _TYPE, pk("Coverage"), COVERAGE_GRAPH),
            ox.Quad(node, pk("coveredKind"), kind, COVERAGE_GRAPH),
            ox.Quad(node, COVERING_COUNCIL_IDS, ox.Literal(SEPARATOR.join(sorted(ids))), COVERAGE_GRAPH),
            ox.Quad(node, ox.NamedNode(PROV + "wasAttributedTo"), _AGENT, COVERAGE_GRAPH),
        ]
        if subject is not None:
            out.append(ox.Quad(node, pk("coveredSubject"), subject, COVERAGE_GRAPH))
    for council, n in counts.items():
        if council in documents and council in council_ids:
            count = ox.Literal(str(n), datatype=_INTEGER)
            out.append(
                ox.Quad(documents[council], pk("statementCount"), count, council_graph(council_ids[council]))
            )
    for (council, kind), n in tallies.items():
        if council not in documents:
            continue
        document, graph = documents[council], council_graph(council_ids[council])
        tally = ox.NamedNode(f"{document.value}/tally/{kind.value.rsplit('#', 1)[-1]}")
        out += [
            ox.Quad(tally, _TYPE, pk("StatementTally"), graph),
            ox.Quad(tally, pk("tallyOf"), document, graph),
            ox.Quad(tally, pk("tallyKind"), kind, graph),
            ox.Quad(tally, pk("statementCount"), ox.Literal(str(n), datatype=_INTEGER), graph),
        ]
    return out
