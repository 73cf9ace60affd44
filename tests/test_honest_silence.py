"""Queries that report silence say which silence it is, and never say a document's text is silent on
what it mentions.

A claim of not-in-text is checked here against the source file itself, with this test's own reading
of the topic's word list (from concepts.ttl) and of the option and order wordings (from the ontology)."""

from __future__ import annotations

import re

import pytest

from kg import queries
from kg.ontology import ontology

SILENCES = {"not-extracted", "not-in-text", "not-checked"}


@pytest.fixture(scope="module")
def ask(data_dir):
    def run(name: str, **params) -> list[dict]:
        return queries.run(name, data=str(data_dir), timeout=None, **params).records()

    return run


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text.replace("’", "'")).lower()


def uses_topic(text: str, topic: str) -> bool:
    words = ontology().topic_words[topic]
    # A word, or its plural or -ed/-ing form, never a longer word ("pr" is not "proceedings").
    return any(
        re.search(rf"\b{re.escape(w.lower().replace('’', chr(39)))}(?:s|es|d|ed|ing|ly)?\b", flat(text))
        for w in words
    )


def names(text: str, subject: str) -> bool:
    term = ontology().subject(subject)
    return any(
        re.search(r"\b" + r"[\s/\-]*'?".join(map(re.escape, re.findall(r"[a-z0-9]+", w.lower()))), flat(text))
        for w in term.wordings
    )


def test_support_is_not_called_absent_where_the_documents_speak_of_it(ask):
    rows = {r["council"]: r["silence"] for r in ask("councils-silent-on", kind="support")}
    # enfield.txt line 92 "Post special guardianship support"; Medway and North Somerset "Adopters may
    # be supported, including financially".
    for council in ("enfield", "medway", "north-somerset"):
        if council in rows:
            assert rows[council] == "not-extracted"
    by_subject = ask(
        "silent-on-by-subject", council="enfield", kind="support", subject="special-guardianship"
    )
    assert all(r["silence"] == "not-extracted" for r in by_subject)
    gaps = ask("app-council-statements", kind="support", subject="adoption")
    assert {r["council"]: r["silence"] for r in gaps if not r["statement"]}.get("medway", "") in {
        "",
        "not-extracted",
    }


def test_every_silence_row_says_which_silence_it_is(ask):
    for name in ("councils-silent-on", "silent-on-by-subject"):
        rows = ask(name, council="") if name == "silent-on-by-subject" else ask(name)
        assert rows and {r["silence"] for r in rows} <= SILENCES
    gaps = [r for r in ask("app-council-statements", kind="parental-responsibility") if not r["statement"]]
    assert all(r["silence"] in SILENCES for r in gaps)


def test_a_claim_that_the_text_never_mentions_it_holds_in_the_file(ask, extraction):
    claims = [r for r in ask("councils-silent-on") if r["silence"] == "not-in-text"]
    claims += [r for r in ask("silent-on-by-subject", council="") if r["silence"] == "not-in-text"]
    assert claims, "some council is silent somewhere in the text"
    for r in claims:
        text = extraction.sources[r["council"]].text
        topic_absent = not uses_topic(text, r["kind"])
        subject_absent = bool(r["subject"]) and not names(text, r["subject"])
        assert topic_absent or subject_absent, r


def test_where_the_text_mentions_it_the_row_says_so(ask, extraction):
    for r in ask("councils-silent-on"):
        if r["silence"] == "not-extracted":
            assert uses_topic(extraction.sources[r["council"]].text, r["kind"]), r


def test_passages_mentioning_lists_what_the_text_says(ask):
    rows = ask("passages-mentioning", council="enfield", kind="support", subject="special-guardianship")
    assert "Post special guardianship support" in {r["text"] for r in rows}


def test_absent_in_the_coverage_matrix_means_no_passage_names_the_option(ask, extraction):
    for r in ask("coverage-matrix"):
        named = names(extraction.sources[r["council"]].text, r["option"])
        if r["presentation"] == "absent":
            assert not r["named_in_text"] and not named, r
        else:
            assert r["named_in_text"], r
