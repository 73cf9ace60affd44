"""Quotes read off the documents' structure are whole: they start where a sentence or item starts,
end where it ends, and carry no export noise such as a Word bookmark."""

from __future__ import annotations

import re

STRUCTURED = ("list", "inline-list", "heading", "mention", "pattern", "grid")
BLANK = " \t\u00a0"


def structured(extraction):
    return [s for s in extraction.statements if s.origin in STRUCTURED]


def test_no_quote_starts_with_export_noise(extraction):
    noisy = [s.key for s in extraction.statements if re.match(r"\s*\[(?:bookmark|image):", s.quote)]
    assert noisy == []


def test_medway_adoption_disadvantage_is_quoted_without_its_bookmark(extraction):
    # medway.txt: "· [bookmark: long_term_fost]There is no review process."
    item = [
        s
        for s in extraction.statements
        if s.council == "medway" and s.kind == "disadvantage" and s.subject == "adoption"
    ][-1]
    assert item.quote == "There is no review process."


def test_sentences_start_at_a_sentence_start_and_run_to_its_end(extraction):
    for s in structured(extraction):
        if s.origin not in ("mention", "pattern"):
            continue
        text = extraction.sources[s.council].text
        line_start = text.rfind("\n", 0, s.start) + 1
        before = text[line_start : s.start].strip(BLANK + "·•-")
        assert before == "" or before[-1] in ".!?:;", f"{s.key} starts mid-sentence after {before[-30:]!r}"
        line_end = text.find("\n", s.end)
        after = text[s.end : len(text) if line_end < 0 else line_end].strip(BLANK)
        assert after == "" or s.quote.rstrip()[-1] in ".!?;:", f"{s.key} is cut before {after[:30]!r}"


def test_list_items_run_to_the_end_of_their_lines(extraction):
    for s in structured(extraction):
        if s.origin != "list":
            continue
        text = extraction.sources[s.council].text
        line_end = text.find("\n", s.end)
        rest = text[s.end : len(text) if line_end < 0 else line_end]
        # An item ends at its line's end, or where a glued item or an exclusion sentence begins.
        assert rest.strip(BLANK) == "" or re.match(r"\s*(?:e\.g\.\s+Anyone|The parents)", rest), s.key
