"""keyword-search searches the documents themselves: a phrase sampled from any section of any document
finds its council, and no rows means the words are in no document.

The phrases are drawn from the source files by this test's own reading (lines split at tabs, export
noise removed), not from the graph's passages, and compared with the files' text normalised here."""

from __future__ import annotations

import random
import re

import pytest

from kg import queries

NOISE = re.compile(r"\[(?:bookmark|image):[^\]]*\]|</?[a-zA-Z][^>]*>")
MARKER = re.compile(r"^(?:[·•\-–]|[a-z]\)|[ivxIVX]+\.|\d+(?:\.\d+)*\.?)$")
PHRASES_PER_SECTION = 4


def canonical(text: str) -> str:
    """How a reader's phrase and the document are compared: case, spacing, quotes and dashes aside."""
    text = NOISE.sub(" ", text)
    text = re.sub(r"(?<=\w)\?(?=\s)", " -", text)
    text = re.sub("[‘’‛′`]", "'", text)
    text = re.sub("[“”]", '"', text)
    text = re.sub("[‐‑‒–—―]", "-", text)
    return re.sub(r"[\s\u00a0]+", " ", text).strip().lower()


def sections(source) -> list[tuple[str, str]]:
    """(heading, text) of each section, the text before the first heading included."""
    starts = [0] + [h.start for h in source.headings] + [len(source.text)]
    return [(source.section_at(a), source.text[a:b]) for a, b in zip(starts, starts[1:]) if a < b]


def sample_phrases(extraction) -> list[tuple[str, str, str]]:
    """(council, section, phrase): a few phrases of 3 to 6 words from each section, the same every run."""
    found = []
    for council, source in sorted(extraction.sources.items()):
        rng = random.Random(council)
        for heading, text in sections(source):
            segments = [canonical(seg) for line in text.split("\n") for seg in line.split("\t")]
            words = [seg.split(" ") for seg in segments]
            words = [[w for i, w in enumerate(ws) if not (i == 0 and MARKER.match(w))] for ws in words]
            candidates = [ws for ws in words if len(ws) >= 3]
            for _ in range(PHRASES_PER_SECTION if candidates else 0):
                ws = rng.choice(candidates)
                n = min(len(ws), rng.randint(3, 6))
                i = rng.randint(0, len(ws) - n)
                found.append((council, heading, " ".join(ws[i : i + n])))
    return found


@pytest.fixture(scope="module")
def search(data_dir):
    def run(keyword: str, **params) -> list[dict]:
        return queries.run(
            "keyword-search", data=str(data_dir), timeout=None, keyword=keyword, **params
        ).records()

    return run


def test_a_phrase_from_every_section_of_every_document_finds_its_council(extraction, search):
    phrases = sample_phrases(extraction)
    assert len(phrases) >= 500
    assert {c for c, _, _ in phrases} == set(extraction.sources)
    texts = {c: canonical(s.text) for c, s in extraction.sources.items()}
    missed = []
    for council, heading, phrase in phrases:
        rows = search(phrase)
        councils = {r["council"] for r in rows}
        if council not in councils:
            missed.append(f"{council} / {heading}: {phrase!r}")
        # Every council found has the words; no council with the words in a line is left out.
        assert all(phrase in texts[c] for c in councils), phrase
    assert missed == []


def test_the_sample_covers_every_section(extraction):
    phrases = sample_phrases(extraction)
    for council, source in extraction.sources.items():
        with_words = {h for h, text in sections(source) if len(canonical(text).split()) >= 3}
        assert with_words <= {h for c, h, _ in phrases if c == council}


def test_spacing_quotes_dashes_and_case_do_not_matter(search):
    for keyword in (
        "Post special guardianship support",
        "POST   SPECIAL GUARDIANSHIP SUPPORT",
        "post\u00a0special guardianship support",
    ):
        assert {r["council"] for r in search(keyword)} == {"enfield"}
    # A curly apostrophe in the document, typed straight or curly.
    assert {r["council"] for r in search("Children's Services Vision")} >= {"north-somerset"}
    assert {r["council"] for r in search("Children’s Services Vision")} >= {"north-somerset"}
    # North Somerset's export wrote a dash as '?': "at least three years? this period".
    for keyword in ("three years? this period", "three years - this period", "three years – this period"):
        assert "north-somerset" in {r["council"] for r in search(keyword)}


def test_a_phrase_wrapped_across_lines_is_found(search):
    # north-somerset.txt: "... with respect\nto the child, as a person with whom the child is to live;"
    assert "north-somerset" in {r["council"] for r in search("with respect to the child, as a person")}
    # "... between siblings within the\nPermanence Plan wherever possible"
    assert "north-somerset" in {r["council"] for r in search("siblings within the Permanence Plan")}


def test_rows_say_whether_they_are_statements_or_passages(search, extraction):
    rows = search("There is no right to an assessment of need")
    assert {(r["council"], r["found_in"]) for r in rows} == {("medway", "statement"), ("medway", "passage")}
    passage = next(r for r in rows if r["found_in"] == "passage")
    assert passage["kind"] in {"heading", "paragraph", "list-item", "table-cell"}
    text = extraction.sources["medway"].text
    assert text[passage["start"] : passage["end"]] == passage["quote"]
    assert passage["item"].startswith("https://w3id.org/permanence-kg/id/passage/medway/")


def test_no_rows_means_the_words_are_in_no_document(search, extraction):
    texts = [canonical(s.text) for s in extraction.sources.values()]
    for keyword in ("special guardianship support allowance for hamsters", "twenty-seven working fortnights"):
        assert not any(keyword in t for t in texts)
        assert search(keyword) == []


def test_a_council_filter_finds_only_that_councils_words(search):
    assert {r["council"] for r in search("Post special guardianship support", council="medway")} == set()
    assert {
        r["council"] for r in search("Adopters may be supported, including financially", council="medway")
    } == {"medway"}


def test_kind_or_subject_limits_the_search_to_statements(search):
    rows = search("stigma", kind="disadvantage")
    assert rows and {r["found_in"] for r in rows} == {"statement"}
