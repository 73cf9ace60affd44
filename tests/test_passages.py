"""Every word of every document is in a passage: headings, paragraphs, list items and table cells,
each quoted verbatim at its offsets, in reading order, and linked from the statements inside them."""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.build import passage_iri, statement_iri
from kg.extract.passages import PASSAGE_TYPES, containing
from kg.validate import PKNS

NOISE = re.compile(r"\[(?:bookmark|image):[^\]]*\]|</?[a-zA-Z][^>]*>")
BULLET = re.compile(r"^[ \t\u00a0]*[·•\-–](?=[ \t\u00a0])", re.M)


def test_passages_are_verbatim_ordered_and_typed(extraction):
    for council, passages in extraction.passages.items():
        text = extraction.sources[council].text
        assert passages, council
        assert [p.position for p in passages] == list(range(1, len(passages) + 1))
        assert all(a.end <= b.start for a, b in zip(passages, passages[1:]))
        for p in passages:
            assert text[p.start : p.end] == p.quote and p.text
            assert p.type in PASSAGE_TYPES
            assert p.section == extraction.sources[council].section_at(p.start)


def test_every_word_of_every_document_is_in_a_passage(extraction):
    for council, source in extraction.sources.items():
        covered = bytearray(len(source.text))
        for p in extraction.passages[council]:
            covered[p.start : p.end] = b"\x01" * (p.end - p.start)
        for pattern in (NOISE, BULLET):
            for m in pattern.finditer(source.text):
                covered[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        outside = [
            m.group(0) for m in re.finditer(r"\S+", source.text) if not all(covered[m.start() : m.end()])
        ]
        assert outside == [], f"{council}: words in no passage: {outside[:10]}"


def test_each_kind_of_passage_is_found(extraction):
    found = {p.type for ps in extraction.passages.values() for p in ps}
    assert found == set(PASSAGE_TYPES)
    # North Somerset's Appendix 1 grid is a table; Medway's principles are list items.
    assert any(p.type == "table-cell" for p in extraction.passages["north-somerset"])
    assert any(p.type == "list-item" for p in extraction.passages["medway"])


def test_statements_link_to_the_passages_they_sit_in(extraction, dataset_graph):
    for st in extraction.statements:
        sits_in = containing(extraction.passages[st.council], st.start, st.end)
        assert sits_in, st.key
        linked = set(dataset_graph.objects(URIRef(statement_iri(st).value), PKNS.inPassage))
        assert linked == {URIRef(passage_iri(p).value) for p in sits_in}, st.key


def test_a_passage_knows_what_it_mentions(extraction):
    post_sgo = next(
        p for p in extraction.passages["enfield"] if p.text == "Post special guardianship support"
    )
    assert "special-guardianship" in post_sgo.mentions and "support" in post_sgo.topics
