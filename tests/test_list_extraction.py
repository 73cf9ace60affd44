"""Every list item the documents give is one statement: none missed, none merged, none split.

The expected counts are from reading the documents (see the comments for where each list is)."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.build import Extraction


def counts(extraction: Extraction, kind: str) -> Counter[tuple[str, str | None]]:
    return Counter(
        (s.council, s.subject) for s in extraction.statements if s.kind == kind and s.origin == "list"
    )


@pytest.mark.parametrize(
    "council, option, advantages, disadvantages",
    [
        # North Somerset 3.3, 3.5, 3.6, 3.7: items a) to f)
        ("north-somerset", "adoption", 6, 2),
        ("north-somerset", "special-guardianship", 5, 3),
        ("north-somerset", "child-arrangements", 6, 3),
        ("north-somerset", "long-term-fostering", 3, 6),
        # Medway: bullets under "... has the following advantages as a Permanence Plan:"
        ("medway", "special-guardianship", 5, 4),
        ("medway", "child-arrangements", 5, 4),
        ("medway", "long-term-fostering", 3, 5),
        ("medway", "adoption", 5, 2),
    ],
)
def test_each_advantage_and_disadvantage_list_is_complete(
    extraction, council, option, advantages, disadvantages
):
    assert counts(extraction, "advantage")[(council, option)] == advantages
    assert counts(extraction, "disadvantage")[(council, option)] == disadvantages


def test_only_north_somerset_and_medway_give_advantage_lists(extraction):
    councils = {s.council for s in extraction.statements if s.kind in ("advantage", "disadvantage")}
    assert councils == {"north-somerset", "medway"}


@pytest.mark.parametrize(
    "council, order, items",
    [
        # a)-f) plus "e.g. Anyone, including the child, who has the leave of the court" (a lost "g)")
        ("north-somerset", "special-guardianship-order", 7),
        # four as-of-right items, five "Any person:" consent items, foster parent, relative
        ("north-somerset", "child-arrangements-order", 11),
        ("medway", "special-guardianship-order", 7),
        ("medway", "child-arrangements-order", 7),
        ("dorset", "special-guardianship-order", 6),
        ("dorset", "child-arrangements-order", 4),
    ],
)
def test_each_applicant_list_is_complete(extraction, council, order, items):
    assert counts(extraction, "applicant")[(council, order)] == items


def test_glued_leave_of_court_item_is_split_from_the_consent_item(extraction):
    ns = [s for s in extraction.statements if s.council == "north-somerset" and s.kind == "applicant"]
    texts = [s.text for s in ns if s.subject == "special-guardianship-order"]
    assert texts[-2] == "Anyone who has the consent of all those with Parental Responsibility for the child"
    assert texts[-1] == "Anyone, including the child, who has the leave of the court to apply."
    assert "may not become" not in " ".join(texts)


def test_lead_in_item_is_folded_into_its_children(extraction):
    children = [
        s
        for s in extraction.statements
        if s.council == "north-somerset" and s.kind == "applicant" and s.text.startswith("Any person: ")
    ]
    assert len(children) == 5
    assert all(s.concept_ids("route") for s in children)


def test_applicant_items_carry_category_route_and_residence_period(extraction):
    applicants = [s for s in extraction.statements if s.kind == "applicant"]
    assert all(s.concept_ids("applicantCategory") and s.concept_ids("route") for s in applicants)
    foster = [s for s in applicants if s.subject == "special-guardianship-order" and "foster carer" in s.text]
    assert {s.council for s in foster} == {"north-somerset", "medway", "dorset"}
    assert all(
        s.values["livedWithFor"].value == 1 and s.values["livedWithFor"].unit == "year" for s in foster
    )
    assert all(s.values["immediatelyPreceding"] for s in foster)
    assert {s.council for s in foster if "la-foster-carer" in s.concept_ids("applicantCategory")} == {
        "north-somerset",
        "medway",
    }


def test_exclusions_are_separate_statements(extraction):
    excluded = [s for s in extraction.statements if s.kind == "applicant-exclusion" and s.origin == "pattern"]
    assert {(s.council, s.subject) for s in excluded} == {
        ("north-somerset", "special-guardianship-order"),
        ("medway", "special-guardianship-order"),
        ("dorset", "special-guardianship-order"),
    }
    assert all(
        s.concept_ids("applicantCategory") == ["parent"] and s.concept_ids("route") == ["excluded"]
        for s in excluded
    )


def test_every_advantage_and_disadvantage_has_a_theme(extraction):
    items = [s for s in extraction.statements if s.kind in ("advantage", "disadvantage")]
    assert items and all(s.concept_ids("theme") for s in items)


def test_cumbria_legal_orders_per_option(extraction):
    orders = {}
    for s in extraction.statements:
        # Orders named in running prose are curated facts; this test is about the lists.
        if s.council == "cumbria" and s.kind == "legal-order" and s.origin == "list":
            orders.setdefault(s.subject, []).extend(s.concept_ids("legalOrder"))
    assert orders == {
        "reunification": ["supervision-order"],
        "kinship": [
            "child-arrangements-order",
            "special-guardianship-order",
            "supervision-order",
            "adoption-order",
        ],
        "adoption": ["adoption-order"],
        "special-guardianship": ["supervision-order", "section-8-order"],
        "long-term-fostering": ["care-order"],
        "leaving-care": ["care-order"],
    }


def test_cumbria_support_lists(extraction):
    assert counts(extraction, "support") == Counter(
        {
            ("cumbria", "reunification"): 2,
            ("cumbria", "adoption"): 2,
            ("cumbria", "special-guardianship"): 2,
            ("cumbria", "long-term-fostering"): 5,
            ("cumbria", "leaving-care"): 2,
        }
    )


def test_north_somerset_grid_has_four_rows_for_each_column(extraction):
    # Needs stated in running prose are curated; this test is about the Appendix 1 grid.
    grid = [s for s in extraction.statements if s.kind == "need-to-option" and s.origin == "grid"]
    per_option = Counter(s.subject for s in grid)
    # The first column is headed "Child Arrangements / Special Guardianship Orders": both options.
    assert per_option == Counter(
        {"child-arrangements": 4, "special-guardianship": 4, "adoption": 4, "long-term-fostering": 4}
    )
    broken_cell = [s for s in grid if s.subject == "long-term-fostering"][-1]
    assert (
        broken_cell.text
        == "Birth parents are able and willing to exercise a degree of parental responsibility."
    )


def test_option_presentation(extraction):
    listed = {
        (s.council, s.subject)
        for s in extraction.statements
        if s.kind == "option" and {"listed", "in-sentence", "section"} & set(s.concept_ids("presentation"))
    }
    residential = {c for c, o in listed if o == "residential"}
    assert residential == {"medway", "cumbria", "dorset"}
    everywhere = {
        o
        for o in {o for _, o in listed}
        if all((c, o) in listed for c in ("north-somerset", "medway", "cumbria", "dorset", "enfield"))
    }
    assert everywhere == {
        "reunification",
        "kinship",
        "adoption",
        "special-guardianship",
        "long-term-fostering",
    }


def presentations(extraction: Extraction, council: str, option: str) -> set[str]:
    return {
        p
        for s in extraction.statements
        if s.kind == "option" and s.council == council and s.subject == option
        for p in s.concept_ids("presentation")
    }


def test_a_formal_list_of_options_is_told_apart_from_a_sentence_naming_options(extraction):
    # Dorset's list of six (section 7) has no kinship item; its introduction names "placement with
    # extended family or friends" in a sentence.
    assert presentations(extraction, "dorset", "kinship") == {"in-sentence"}
    assert "listed" in presentations(extraction, "dorset", "adoption")
    # Enfield gives no formal list: its options are named in sentences ("permanence options include").
    enfield = {
        p for s in extraction.statements if s.council == "enfield" for p in s.concept_ids("presentation")
    }
    assert "in-sentence" in enfield and "listed" not in enfield
    # Every in-sentence statement comes from an in-sentence list, every listed one from a formal list.
    for s in extraction.statements:
        if "in-sentence" in s.concept_ids("presentation"):
            assert s.origin == "inline-list"
        if "listed" in s.concept_ids("presentation"):
            assert s.origin == "list"


def test_medway_long_term_fostering_lists_sit_under_their_own_heading(extraction):
    # medway.txt line 115: "Long-term Fostering" followed by a no-break space.
    items = [
        s
        for s in extraction.statements
        if s.council == "medway"
        and s.subject == "long-term-fostering"
        and s.kind in ("advantage", "disadvantage")
    ]
    assert len(items) == 8
    assert {s.section for s in items} == {"Long-term Fostering"}
