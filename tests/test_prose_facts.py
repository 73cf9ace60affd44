"""Prose facts: whole sentences, text that adds nothing to the quote, age guidance that keeps the
document's own age words, and the defects found when the graph was tried as a new user would."""

from __future__ import annotations

import re

import pytest

from kg import queries
from kg.extract.curated import load_entries
from kg.model import normalise


def rows(data_dir, name: str, **params) -> list[dict]:
    result = queries.run(name, data=str(data_dir), **params)
    return [dict(zip(result.columns, row)) for row in result.rows]


def curated(extraction):
    # Applicant prose (applicants.yaml) is read with its conditions elsewhere (tests of applicant conditions).
    return [
        st
        for st in extraction.statements
        if st.origin.startswith("curated") and st.origin != "curated:applicants.yaml"
    ]


def test_text_we_write_adds_nothing_that_is_not_in_the_quote(extraction):
    """Our reading copy is the quote cleaned of noise; a hand-written text may only leave words out."""
    for st in curated(extraction):
        quote_words = set(re.findall(r"[a-z0-9]+", normalise(st.quote).lower()))
        added = set(re.findall(r"[a-z0-9]+", st.text.lower())) - quote_words
        assert not added, f"{st.key}: text adds {sorted(added)}"


def test_cumbria_primary_school_age_is_not_given_a_number(extraction):
    [st] = [s for s in extraction.statements if s.kind == "age-guidance" and "primary school age" in s.quote]
    assert "11" not in st.text
    assert "ageBelow" not in st.values and "ageFrom" not in st.values
    assert st.values["ageGroup"] == "a child of primary school age or younger"


def test_curated_quotes_start_at_a_sentence_or_item(extraction):
    for st in curated(extraction):
        text = extraction.sources[st.council].text
        before = text[: st.start].rstrip(" \t\u00a0")
        assert (
            not before
            or before[-1] in '\n.;:?!\u201d"\u00b7-•)]'
            or re.search(r"\b[a-z]\)$", before)
            or st.quote[0].isupper()
        ), f"{st.key} starts mid-sentence: ...{text[st.start - 30 : st.start]!r}|{st.quote[:40]!r}"
        assert not st.quote.lstrip().startswith("[bookmark"), st.key


def test_no_quote_leaves_that_person_without_its_antecedent(extraction):
    for st in extraction.statements:
        if "that person" in st.quote:
            assert st.quote.index("that person") > st.quote.find("person is named"), st.key


def test_curated_quotes_end_at_a_sentence_or_item(extraction):
    # A document date is the date as printed, not a sentence.
    for st in (s for s in curated(extraction) if s.kind != "document-date"):
        text = extraction.sources[st.council].text
        after = text[st.end : st.end + 3]
        assert st.quote.rstrip()[-1] in '.;:!?)\u201d"' or re.match(
            r"[ \t\u00a0]*(\n|$)", after
        ), f"{st.key} is cut before its sentence ends: {st.quote[-30:]!r}|{after!r}"


def test_age_guidance_carries_the_documents_age_words(data_dir, extraction):
    """The age words are the quote's own, or its paragraph's where the sentence says "they"."""

    def collapse(s: str) -> str:
        return " ".join(s.replace("\u2019", "'").split()).lower()

    for r in rows(data_dir, "age-guidance"):
        assert r["age_group"], r["text"]
        text = extraction.sources[r["council"]].text
        start = text.index(r["quote"])
        paragraph = text[text.rfind("\n", 0, start) + 1 : start + len(r["quote"])]
        assert collapse(r["age_group"]) in collapse(paragraph), r["quote"]


def test_guidance_without_a_number_has_no_bounds(data_dir):
    older = [r for r in rows(data_dir, "age-guidance") if r["age_group"].lower() == "older children"]
    assert older and all(r["age_from"] is None and r["age_below"] is None for r in older)


def test_enfield_has_age_guidance(data_dir):
    assert rows(data_dir, "age-guidance", council="enfield")


@pytest.mark.parametrize(
    "subject", ["long-term-fostering", "adoption", "special-guardianship", "child-arrangements"]
)
def test_list_items_about_who_holds_pr_are_pr_statements(data_dir, subject):
    councils = {r["council"] for r in rows(data_dir, "parental-responsibility", subject=subject)}
    assert {"north-somerset", "medway"} <= councils


def test_long_term_fostering_lack_of_pr_for_carers(data_dir):
    found = rows(
        data_dir, "parental-responsibility", subject="long-term-fostering", sharing="none-for-carers"
    )
    assert {r["council"] for r in found} == {"north-somerset", "medway"}


def test_needs_in_running_text_and_the_grid_have_need_concepts(data_dir):
    found = rows(data_dir, "needs-for-option")
    assert all(r["needs"] for r in found)
    assert {"north-somerset", "medway", "cumbria", "dorset", "enfield"} <= {r["council"] for r in found}
    grid = rows(data_dir, "needs-for-option", council="north-somerset", need="wish-to-be-adopted")
    assert [r["option"] for r in grid] == ["adoption"]


def test_support_is_found_for_every_council(data_dir):
    found = rows(data_dir, "support-for-option")
    assert {r["council"] for r in found} == {"north-somerset", "medway", "cumbria", "dorset", "enfield"}
    enfield = {
        r["text"]
        for r in rows(data_dir, "support-for-option", council="enfield", option="special-guardianship")
    }
    assert "Post special guardianship support" in enfield


def test_cumbrias_family_assistance_order_is_named(data_dir):
    found = rows(data_dir, "legal-orders-for-option", option="reunification", council="cumbria")
    assert "family-assistance-order" in {r["order"] for r in found}


@pytest.mark.parametrize(
    "kind, council, words",
    [
        (
            "statistic",
            "cumbria",
            "over two thirds of the special guardianship arrangements are kinship placements",
        ),
        ("definition", "north-somerset", "A relative is a child's grandparent"),
        ("definition", "cumbria", "A private fostering arrangement is a private arrangement"),
        ("process-rule", "cumbria", "Family finding should begin as soon as adoption is under consideration"),
        (
            "process-rule",
            "enfield",
            "Formal family finding cannot begin until a Placement Order has been granted",
        ),
        ("timescale", "enfield", "during the PLO process at least by the review stage"),
        ("timescale", "cumbria", "following the four month review"),
        ("timescale", "dorset", "By the time of the second Child in Care Review the QARO must be satisfied"),
    ],
)
def test_prose_facts_of_the_new_kinds_are_present(extraction, kind, council, words):
    assert any(
        st.kind == kind and st.council == council and words in " ".join(st.quote.split())
        for st in extraction.statements
    )


@pytest.mark.parametrize(
    "divergence, councils",
    [
        ("care-order-and-cao-which-ends-which", {"medway", "north-somerset"}),
        ("when-family-finding-may-begin", {"enfield", "cumbria"}),
        ("first-review-deadline", {"medway", "cumbria"}),
        ("temporary-approval-extension", {"medway", "enfield"}),
        ("sgo-discharge-change-of-circumstances", {"dorset", "north-somerset", "medway"}),
        ("age-adoption-is-favoured", {"north-somerset", "cumbria", "medway"}),
        ("when-the-permanency-planning-meeting-is-due", {"medway", "cumbria", "enfield", "dorset"}),
        ("residential-care-as-permanence", {"cumbria", "medway", "dorset"}),
        ("plo-26-weeks-as-maximum", {"dorset", "cumbria"}),
        ("adoption-certificate-parents", {"dorset", "north-somerset", "medway", "cumbria"}),
        ("private-fostering-temporary-or-permanent", {"medway", "cumbria"}),
        ("ethnicity-religion-in-matching", {"cumbria", "medway", "north-somerset"}),
    ],
)
def test_new_divergences_have_both_sides(extraction, divergence, councils):
    [d] = [d for d in extraction.divergences if d["id"] == divergence]
    assert {st.council for st in d["statements"]} == councils


def test_every_curated_entry_names_a_kind_the_ontology_knows(extraction):
    kinds = {st.kind for st in curated(extraction)}
    assert {"process-rule", "statistic", "definition", "support", "need-to-option"} <= kinds
    assert len(load_entries()) >= len(curated(extraction)) // 2


def test_divergence_descriptions_leave_our_reading_of_the_law_to_the_law_field(extraction):
    for d in extraction.divergences:
        words = d["description"].lower()
        assert not any(w in words for w in ("in law", "partly true", "which has no")), d["id"]
