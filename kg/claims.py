"""Claims: equivalent statements of different councils aligned at build time.

A claim is our modelling, never a council's: it groups statements of one kind about one subject
(option, order, or none) that say the same thing, and lives in its own named graph attributed to
the project. Councils' words stay on their statements; a claim only links them.

How statements are aligned:

- Only statements of the same kind and the same subject are ever compared, so an advantage never
  meets a disadvantage and the same words about two orders stay two claims.
- Similarity (0-100) is rapidfuzz's token-set ratio of the two texts after the documents' names
  for an order are reduced to the order's id (Medway's "CAO" is North Somerset's "Child
  Arrangements Order") and "looked after" to "in care"; where both statements carry structured
  facts (concepts such as route or applicant category, durations, ages), the Jaccard agreement of
  those facts counts for ``FACTS_WEIGHT`` of the score. Not more: many statements share one
  generic concept (an age guidance's "consider"), which alone must not make unlike words a claim.
- Two applicant statements that both state a condition on their route (the child's status, whose
  consent, an order in force, a residence period) and state it differently are never aligned, however
  alike their words: "in the care of a local authority" is not "Looked After" (a child accommodated
  under section 20 is the one but not the other), and ``can-apply`` answers them differently.
- Pairs at or above ``THRESHOLD`` become edges of a networkx graph; two statements of one council
  are joined only at ``REPEAT_THRESHOLD`` or above (the council repeats itself).
- Claims are grown greedily from the strongest edge down, and two groups merge only if every
  pair across them is an edge (complete linkage): a chain A~B~C never puts A and C in one claim
  unless A~C too, and no claim holds two different statements of one council.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

import pyoxigraph as ox
from rapidfuzz import fuzz

from .model import ALIGNED_KINDS, Duration, Statement
from .ontology import Ontology
from .vocab import ID, PROV, PROVENANCE_GRAPH, RDF, RDFS, XSD, pk

CLAIMS_GRAPH = ox.NamedNode(ID + "graph/claims")
AGENT = ox.NamedNode(ID + "agent/permanence-kg")
ACTIVITY = ox.NamedNode(ID + "activity/claim-alignment")
ACTIVITY_LABEL = (
    "Alignment of equivalent council statements into claims by text similarity and shared structured "
    "facts (ours)"
)

THRESHOLD = 70.0
REPEAT_THRESHOLD = 85.0
FACTS_WEIGHT = 0.3
# Structured values compared along with concepts; list position says nothing about meaning.
_FACT_VALUES = ("livedWithFor", "withinWindow", "endedWithin", "duration", "ageBelow", "ageFrom")
# Applicant conditions that, stated differently by two statements, make them different claims.
_APPLICANT_KINDS = ("applicant", "applicant-exclusion")
_CONDITION_CONCEPTS = ("childStatus", "consentOf", "orderInForce")
_CONDITION_VALUES = ("livedWithFor", "withinWindow", "endedWithin")
_SYNONYMS = ((re.compile(r"\blooked after\b"), "in care"), (re.compile(r"\bchild in care\b"), "in care"))


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str
    subject: str | None
    members: tuple[Statement, ...]
    # (statement key, statement key, similarity) for every aligned pair in the claim.
    pairs: tuple[tuple[str, str, float], ...]

    @property
    def text(self) -> str:
        return self.members[0].text


class _Normaliser:
    """Texts reduced for comparison: order names to the order's id, case and punctuation dropped."""

    def __init__(self, onto: Ontology) -> None:
        self.onto = onto

    @lru_cache(maxsize=None)
    def __call__(self, text: str) -> str:
        pieces, last = [], 0
        for start, end, term in self.onto.find("order", text):
            pieces += [text[last:start], f" {term.id.replace('-', '')} "]
            last = end
        pieces.append(text[last:])
        reduced = re.sub(r"[^a-z0-9]+", " ", "".join(pieces).lower()).strip()
        for pattern, replacement in _SYNONYMS:
            reduced = pattern.sub(replacement, reduced)
        return reduced


def _facts(st: Statement) -> frozenset[str]:
    facts = {f"{prop}={cid}" for prop, cid in st.concepts}
    for key in _FACT_VALUES:
        value = st.values.get(key)
        if isinstance(value, Duration):
            facts.add(f"{key}={_length(value)}")
        elif value is not None:
            facts.add(f"{key}={value}")
    # Every length of time the words state: "20 working days" and "28 days" are different claims.
    facts.update(f"states={_length(d)}" for d in getattr(st, "durations", ()))
    return frozenset(facts)


def _length(d: Duration) -> str:
    amount = (
        f"{d.minimum:g}-{d.maximum:g}" if d.minimum is not None and d.maximum is not None else f"{d.value:g}"
    )
    return f"{amount}{d.unit}"


def conditions_differ(a: Statement, b: Statement) -> bool:
    """Both applicant statements state one condition on their route, and state it differently."""
    if a.kind not in _APPLICANT_KINDS or b.kind not in _APPLICANT_KINDS:
        return False
    for prop in _CONDITION_CONCEPTS:
        in_a = {cid for p, cid in a.concepts if p == prop}
        in_b = {cid for p, cid in b.concepts if p == prop}
        if in_a and in_b and in_a != in_b:
            return True
    for key in _CONDITION_VALUES:
        va, vb = a.values.get(key), b.values.get(key)
        if isinstance(va, Duration) and isinstance(vb, Duration) and _length(va) != _length(vb):
            return True
    return False


def similarity(a: Statement, b: Statement, normalise: _Normaliser) -> float:
    """How nearly two statements of the same kind and subject say the same thing, 0-100 (0 for applicant
    statements whose conditions differ)."""
    if conditions_differ(a, b):
        return 0.0
    text = fuzz.token_set_ratio(normalise(a.text), normalise(b.text))
    fa, fb = _facts(a), _facts(b)
    if fa and fb:
        agreement = 100.0 * len(fa & fb) / len(fa | fb)
        return round((1 - FACTS_WEIGHT) * text + FACTS_WEIGHT * agreement, 1)
    return round(float(text), 1)


def _claim_id(kind: str, subject: str | None, first: Statement) -> str:
    return f"{kind}/{subject or 'none'}/{first.council}-{first.start}-{first.end}"


def align(statements: Iterable[Statement], onto: Ontology) -> list[Claim]:
    """Every statement of an aligned kind in exactly one claim (a claim of one where nothing matches)."""
    # Imported here: networkx takes a tenth of a second to import, and the CLI imports this module
    # for its list of kinds on every command.
    import networkx as nx

    normalise = _Normaliser(onto)
    groups: dict[tuple[str, str], list[Statement]] = {}
    for st in statements:
        if st.kind in ALIGNED_KINDS:
            groups.setdefault((st.kind, st.subject or ""), []).append(st)
    claims: list[Claim] = []
    for (kind, subject), members in sorted(groups.items()):
        members.sort(key=lambda s: s.key)
        graph = nx.Graph()
        graph.add_nodes_from(s.key for s in members)
        by_key = {s.key: s for s in members}
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                score = similarity(a, b, normalise)
                needed = REPEAT_THRESHOLD if a.council == b.council else THRESHOLD
                if score >= needed:
                    graph.add_edge(a.key, b.key, score=score)
        for component in sorted(nx.connected_components(graph), key=min):
            for group in _complete_linkage(graph.subgraph(component)):
                ordered = sorted((by_key[k] for k in group), key=lambda s: (s.council, s.start, s.end))
                pairs = tuple(
                    sorted(
                        (u, v, graph.edges[u, v]["score"]) if u < v else (v, u, graph.edges[u, v]["score"])
                        for u, v in graph.subgraph(group).edges
                    )
                )
                claims.append(
                    Claim(
                        _claim_id(kind, subject or None, ordered[0]),
                        kind,
                        subject or None,
                        tuple(ordered),
                        pairs,
                    )
                )
    return sorted(claims, key=lambda c: c.id)


def _complete_linkage(component: Any) -> list[set[str]]:
    """Greedy merging from the strongest edge down; groups merge only when fully connected."""
    group_of = {node: frozenset([node]) for node in component.nodes}
    edges = sorted(component.edges(data="score"), key=lambda e: (-e[2], min(e[0], e[1]), max(e[0], e[1])))
    for u, v, _ in edges:
        gu, gv = group_of[u], group_of[v]
        if gu is gv:
            continue
        if all(component.has_edge(x, y) for x in gu for y in gv):
            merged = gu | gv
            for node in merged:
                group_of[node] = merged
    return [set(g) for g in {id(g): g for g in group_of.values()}.values()]


def claim_quads(onto: Ontology, statements: Iterable[Statement]) -> list[ox.Quad]:
    """The claims graph, and the alignment activity in the provenance graph."""
    g = CLAIMS_GRAPH
    a = ox.NamedNode(RDF + "type")
    quads = [
        ox.Quad(ACTIVITY, a, ox.NamedNode(PROV + "Activity"), PROVENANCE_GRAPH),
        ox.Quad(
            ACTIVITY,
            ox.NamedNode(RDFS + "label"),
            ox.Literal(ACTIVITY_LABEL, language="en"),
            PROVENANCE_GRAPH,
        ),
        ox.Quad(ACTIVITY, ox.NamedNode(PROV + "wasAssociatedWith"), AGENT, PROVENANCE_GRAPH),
    ]
    for claim in align(statements, onto):
        node = ox.NamedNode(f"{ID}claim/{claim.id}")
        quads += [
            ox.Quad(node, a, pk("Claim"), g),
            ox.Quad(node, pk("claimKind"), ox.Literal(claim.kind), g),
            ox.Quad(node, ox.NamedNode(RDFS + "label"), ox.Literal(claim.text), g),
            ox.Quad(node, ox.NamedNode(PROV + "wasAttributedTo"), AGENT, g),
            ox.Quad(node, ox.NamedNode(PROV + "wasGeneratedBy"), ACTIVITY, g),
        ]
        if claim.subject:
            quads.append(ox.Quad(node, pk("about"), ox.NamedNode(onto.subject(claim.subject).iri), g))
        for st in claim.members:
            quads.append(ox.Quad(node, pk("hasMember"), ox.NamedNode(f"{ID}statement/{st.key}"), g))
        for i, (u, v, score) in enumerate(claim.pairs, 1):
            pair = ox.NamedNode(f"{node.value}/alignment/{i}")
            quads += [
                ox.Quad(node, pk("hasAlignment"), pair, g),
                ox.Quad(pair, a, pk("Alignment"), g),
                ox.Quad(pair, pk("alignedStatement"), ox.NamedNode(f"{ID}statement/{u}"), g),
                ox.Quad(pair, pk("alignedStatement"), ox.NamedNode(f"{ID}statement/{v}"), g),
                ox.Quad(
                    pair,
                    pk("similarity"),
                    ox.Literal(f"{score:.1f}", datatype=ox.NamedNode(XSD + "decimal")),
                    g,
                ),
            ]
    return quads
