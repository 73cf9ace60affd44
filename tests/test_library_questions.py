"""The twenty questions of the query library, each answered by a library query, with the answer
established by reading the five documents in kg/sources/. Variants with other councils, options,
orders or words show that each query answers a kind of question, not one instance of it.

Assertions are on sets of (council, value) pairs, never on row order or full text."""

from __future__ import annotations

import pytest

from kg import queries

ALL = {"north-somerset", "medway", "cumbria", "dorset", "enfield"}


@pytest.fixture
def ask(data_dir):
    def run(name: str, **params) -> list[dict]:
        result = queries.run(name, data=str(data_dir), **params)
        return [dict(zip(result.columns, row)) for row in result.rows]

    return run


def column(rows: list[dict], name: str) -> set:
    return {r[name] for r in rows}


def ids(value: str | None) -> set[str]:
    """A joined list of ids (a|b) as a set."""
    return set(filter(None, (value or "").split("|")))


# 1. Which councils give explicit lists of advantages and disadvantages of permanence options?
def test_q1_councils_with_advantage_and_disadvantage_lists(ask):
    rows = ask("councils-with-advantage-lists")
    assert column([r for r in rows if r["advantages"] and r["disadvantages"]], "council") == {
        "north-somerset",
        "medway",
    }
    # The others are silent on both, shown as rows.
    for kind in ("advantage", "disadvantage"):
        assert column(ask("councils-silent-on", kind=kind), "council") == {"cumbria", "dorset", "enfield"}
    # Variant: one option, with the list lengths as the documents give them.
    counts = {
        (r["council"], r["advantages"], r["disadvantages"])
        for r in ask("councils-with-advantage-lists", option="long-term-fostering")
    }
    assert counts == {("north-somerset", 3, 6), ("medway", 3, 5)}


# 2. For which options do North Somerset and Medway both give advantages and disadvantages lists?
def test_q2_options_both_north_somerset_and_medway_list(ask):
    rows = ask("options-with-lists-in-both", council="north-somerset", other_council="medway")
    assert column(rows, "option") == {
        "adoption",
        "special-guardianship",
        "child-arrangements",
        "long-term-fostering",
    }
    # Variant: a council with no lists shares none.
    assert ask("options-with-lists-in-both", council="north-somerset", other_council="dorset") == []
    # Variant: any other council; only Medway pairs with North Somerset.
    anyone = ask("options-with-lists-in-both", council="north-somerset", other_council="")
    assert column(anyone, "other_council") == {"medway"}


# 3. Which council lists "There is no right to an assessment of need" as a disadvantage of a CAO?
def test_q3_no_right_to_an_assessment_of_need(ask):
    rows = ask("keyword-search", keyword="There is no right to an assessment of need", kind="disadvantage")
    assert {(r["council"], r["subject"]) for r in rows} == {("medway", "child-arrangements")}
    # Case does not matter.
    shouted = ask("keyword-search", keyword="NO RIGHT TO AN ASSESSMENT OF NEED", kind="disadvantage")
    assert {(r["council"], r["subject"]) for r in shouted} == {("medway", "child-arrangements")}
    # Variant: another phrase, another option.
    rows = ask("keyword-search", keyword="stigma", kind="disadvantage")
    assert {(r["council"], r["subject"]) for r in rows} == {
        ("north-somerset", "long-term-fostering"),
        ("medway", "long-term-fostering"),
    }


# 4. Who may apply for a Special Guardianship Order according to Dorset?
def test_q4_who_may_apply_for_an_sgo_in_dorset(ask):
    rows = ask("who-can-apply", order="special-guardianship-order", council="dorset")
    applicants = [r for r in rows if r["kind"] == "applicant"]
    assert sorted(r["position"] for r in applicants) == [1, 2, 3, 4, 5, 6]
    by_position = {r["position"]: r for r in applicants}
    assert ids(by_position[1]["categories"]) == {"guardian"}
    assert "foster-carer" in ids(by_position[2]["categories"]) and (
        by_position[2]["lived_with"],
        by_position[2]["lived_with_unit"],
    ) == (1.0, "year")
    assert {"residence-order-holder", "cao-live-with-person"} <= ids(by_position[3]["categories"])
    assert ids(by_position[4]["categories"]) == {"long-residence-person"} and (
        by_position[4]["lived_with"],
        by_position[4]["lived_with_unit"],
    ) == (3.0, "year")
    assert ids(by_position[5]["consent_of"]) == {"local-authority"}
    assert ids(by_position[6]["consent_of"]) == {"all-with-pr"}
    exclusions = [r for r in rows if r["kind"] == "applicant-exclusion"]
    assert [(ids(r["categories"]), r["routes"]) for r in exclusions] == [({"parent"}, "excluded")]
    # Variant: Medway's applicants for a child arrangements order, including the child with leave.
    medway = ask("who-can-apply", order="child-arrangements-order", council="medway")
    assert len([r for r in medway if r["position"] is not None]) == 7
    assert any("child" in ids(r["categories"]) and r["routes"] == "with-leave" for r in medway)


# 5. Which councils say anyone, including the child, may apply for an SGO with the leave of the court?
def test_q5_anyone_including_the_child_with_leave(ask):
    rows = ask(
        "councils-stating-applicant", order="special-guardianship-order", category="child", route="with-leave"
    )
    assert column(rows, "council") == {"north-somerset", "medway"}
    # Variant: the same for a child arrangements order. Medway names the child; North Somerset's
    # "any person who is not automatically entitled ... may seek leave" (line 139) takes the child
    # in, as every leave route open to any person does (kg/curated/applicants.yaml).
    rows = ask(
        "councils-stating-applicant", order="child-arrangements-order", category="child", route="with-leave"
    )
    assert column(rows, "council") == {"medway", "north-somerset"}


# 6. Which councils state that a child's parents may not become the child's special guardians?
def test_q6_parents_may_not_become_special_guardians(ask):
    rows = ask(
        "councils-stating-applicant", order="special-guardianship-order", category="parent", route="excluded"
    )
    assert column(rows, "council") == {"north-somerset", "medway", "dorset"}
    # Variant: no council excludes parents from applying for a child arrangements order.
    assert (
        ask(
            "councils-stating-applicant",
            order="child-arrangements-order",
            category="parent",
            route="excluded",
        )
        == []
    )


# 7. What minimum period must a local authority foster carer have had the child living with them to
#    apply for an SGO, and which councils say so? (Dorset says "a foster carer": a divergence.)
def test_q7_foster_carer_residence_period(ask):
    local_authority = ask("residence-periods", order="special-guardianship-order", category="la-foster-carer")
    assert {
        (r["council"], r["lived_with"], r["unit"], r["immediately_preceding"]) for r in local_authority
    } == {
        ("north-somerset", 1.0, "year", True),
        ("medway", 1.0, "year", True),
    }
    any_foster_carer = ask("residence-periods", order="special-guardianship-order", category="foster-carer")
    assert {
        (r["council"], r["lived_with"], r["unit"], r["immediately_preceding"]) for r in any_foster_carer
    } == {("dorset", 1.0, "year", True)}
    divergence = ask("divergences", subject="special-guardianship-order")
    sides = {
        r["council"]
        for r in divergence
        if r["divergence"] == "sgo-foster-carer-not-qualified-as-local-authority"
    }
    assert sides == {"north-somerset", "medway", "dorset"}
    # Variant: three of the last five years, for a child arrangements order.
    long_residence = ask(
        "residence-periods", order="child-arrangements-order", category="long-residence-person"
    )
    assert {(r["council"], r["lived_with"], r["within"]) for r in long_residence} == {
        ("north-somerset", 3.0, 5.0),
        ("medway", 3.0, 5.0),
        ("dorset", 3.0, 5.0),
    }
    # Variant: a local authority foster carer and a child arrangements order; only North Somerset
    # says the year must immediately precede the application.
    cao = ask("residence-periods", order="child-arrangements-order", category="la-foster-carer")
    assert {(r["council"], r["lived_with"], bool(r["immediately_preceding"])) for r in cao} == {
        ("north-somerset", 1.0, True),
        ("medway", 1.0, False),
        ("dorset", 1.0, False),
    }


# 8. Which councils state that a Special Guardianship Order automatically discharges a Care Order?
def test_q8_sgo_discharges_a_care_order(ask):
    rows = ask("legal-effects", effect="discharges-care-order", subject="special-guardianship-order")
    assert column(rows, "council") == {"north-somerset", "medway", "dorset"}
    # Variant: the child arrangements order.
    rows = ask("legal-effects", effect="discharges-care-order", subject="child-arrangements-order")
    assert column(rows, "council") == {"medway"}
    # Law and councils side by side, each row saying which it is.
    both = ask("orders-discharging-care-order")
    law = {r["order"] for r in both if r["according_to"].startswith("law")}
    councils = {(r["order"], r["council"]) for r in both if r["according_to"] == "council statement"}
    assert law == {"special-guardianship-order", "child-arrangements-order", "adoption-order"}
    assert all(
        r["council"] is None and r["quote"] is None for r in both if r["according_to"].startswith("law")
    )
    assert councils == {
        ("special-guardianship-order", "north-somerset"),
        ("special-guardianship-order", "medway"),
        ("special-guardianship-order", "dorset"),
        ("child-arrangements-order", "medway"),
    }


# 9. Which council says a special guardian may exercise PR to the exclusion of all others with PR?
def test_q9_exclusive_parental_responsibility(ask):
    rows = ask("parental-responsibility", subject="special-guardianship-order", sharing="exclusive-exercise")
    assert column(rows, "council") == {"cumbria"}
    shared = ask(
        "parental-responsibility", subject="special-guardianship-order", sharing="shared-with-parents"
    )
    assert column(shared, "council") == {"north-somerset", "medway", "dorset"}
    # Variant: PR under a child arrangements order "shared more equally" than under special guardianship.
    more_equally = ask(
        "parental-responsibility", subject="child-arrangements-order", sharing="shared-more-equally"
    )
    assert column(more_equally, "council") == {"medway", "dorset"}


# 10. Under a Special Guardianship Order, which decisions still need the parents' consent?
def test_q10_decisions_needing_consent_under_an_sgo(ask):
    rows = ask("parental-responsibility", subject="special-guardianship-order")
    decisions = {(r["council"], d) for r in rows for d in ids(r["restricted_decisions"])}
    for council in ("north-somerset", "medway", "dorset"):
        assert {d for c, d in decisions if c == council} == {
            "change-of-name",
            "consent-to-adoption",
            "removal-from-uk",
            "fundamental-issues",
        }
    assert {d for c, d in decisions if c == "cumbria"} == {
        "change-of-name",
        "removal-from-uk",
        "consent-to-adoption",
    }
    assert not {c for c, _ in decisions} & {"enfield"}
    # Variant: what the holder of a child arrangements order may not do alone.
    cao = ask("parental-responsibility", subject="child-arrangements-order", decision="appoint-guardian")
    assert column(cao, "council") == {"north-somerset", "medway", "dorset"}
    assert all(
        ids(r["restricted_decisions"])
        == {"consent-to-adoption", "appoint-guardian", "change-of-name", "removal-from-uk"}
        for r in cao
    )


# 11. Which council's document says nothing about parental responsibility?
def test_q11_silent_on_parental_responsibility(ask):
    rows = ask("councils-silent-on", kind="parental-responsibility")
    assert column(rows, "council") == {"enfield"}
    assert ids(rows[0]["covered_by"]) == ALL - {"enfield"}
    # Variants: who lists no applicants at all; who says nothing on PR under a child arrangements order.
    assert column(ask("councils-silent-on", kind="applicant"), "council") == {"cumbria", "enfield"}
    cao = ask("councils-silent-on", kind="parental-responsibility", subject="child-arrangements-order")
    assert column(cao, "council") == {"cumbria", "enfield"}


# 12. Which legal orders does Cumbria list as available to support placement with connected carers?
def test_q12_cumbria_orders_for_connected_carers(ask):
    rows = ask("legal-orders-for-option", option="kinship", council="cumbria")
    assert column(rows, "order") == {
        "child-arrangements-order",
        "special-guardianship-order",
        "supervision-order",
        "adoption-order",
    }
    # Variants: other options.
    # Medway and Dorset: a child arrangements order "may be used to increase the degree of legal
    # permanence in ... a long-term fostering placement".
    assert column(ask("legal-orders-for-option", option="long-term-fostering"), "order") == {
        "care-order",
        "child-arrangements-order",
    }
    # Cumbria names a family assistance order for a child at home in prose only.
    assert column(ask("legal-orders-for-option", option="reunification"), "order") == {
        "supervision-order",
        "family-assistance-order",
    }


# 13. Which councils present a children's home / residential care as a permanence option?
def test_q13_residential_care_presented(ask):
    assert column(ask("councils-presenting-option", option="residential"), "council") == {
        "medway",
        "cumbria",
        "dorset",
    }
    matrix = {(r["council"], r["presentation"]) for r in ask("coverage-matrix", option="residential")}
    assert len(matrix) == 5
    assert {("north-somerset", "mentioned"), ("enfield", "absent")} <= matrix
    # Variant: private fostering.
    assert column(ask("councils-presenting-option", option="private-fostering"), "council") == {"cumbria"}


def test_coverage_matrix_has_a_cell_for_every_council_and_option(ask):
    rows = ask("coverage-matrix")
    options = column(rows, "option")
    assert len(options) >= 10
    assert sorted((r["council"], r["option"]) for r in rows) == sorted((c, o) for c in ALL for o in options)
    assert column(rows, "presentation") >= {"listed and section", "section", "listed", "mentioned", "absent"}


# 14. Which permanence options appear in the option lists or option sections of all five councils?
def test_q14_options_all_five_present(ask):
    assert column(ask("options-presented-by-all"), "option") == {
        "reunification",
        "kinship",
        "adoption",
        "special-guardianship",
        "long-term-fostering",
    }
    # Variant: merely named anywhere, the child arrangements order joins them.
    assert "child-arrangements" in column(ask("options-presented-by-all", presentation="mentioned"), "option")


# 15. Which councils require a permanence plan by the second looked after / child in care review?
def test_q15_permanence_plan_by_second_review(ask):
    rows = ask("timescales", topic="permanence-plan-due", milestone="second-review")
    assert column(rows, "council") == {"north-somerset", "medway", "cumbria", "dorset"}
    # Enfield requires a permanency planning meeting (not a plan) by the second review.
    meeting = ask("timescales", topic="ppm-due", milestone="second-review")
    assert column(meeting, "council") == {"enfield"}


# 16. How long may a connected person placement run under Regulation 24 temporary approval?
def test_q16_regulation_24_temporary_approval(ask):
    rows = ask("timescales", topic="temporary-approval")
    weeks = {(r["council"], r["value"], r["unit"]) for r in rows if r["value"] is not None}
    assert weeks == {("medway", 16.0, "week"), ("enfield", 16.0, "week"), ("enfield", 8.0, "week")}
    assert any("Regulation 25" in r["quote"] for r in rows if r["value"] == 8.0)


# 17. Below what ages do councils require parallel planning or a permanency planning meeting by a set review?
def test_q17_ages_for_parallel_planning_or_ppm(ask):
    found = set()
    for practice in ("parallel-planning", "permanency-planning-meeting"):
        rows = ask("age-guidance", direction="requires", practice=practice)
        found |= {(r["council"], r["age_below"], r["milestone"]) for r in rows if r["milestone"]}
    assert found == {
        ("medway", 14.0, "first-review"),
        ("cumbria", 2.0, "first-review"),
        ("cumbria", 10.0, "second-review"),
    }
    # Variant: by milestone.
    second = ask("age-guidance", direction="requires", milestone="second-review")
    assert {(r["council"], r["age_below"]) for r in second} == {("cumbria", 10.0)}


# 18. What age thresholds do councils tie to a preference for adoption?
def test_q18_age_thresholds_for_adoption(ask):
    rows = ask("age-guidance", subject="adoption", direction="favours")
    assert {(r["council"], r["age_below"]) for r in rows if r["age_below"] is not None} == {
        ("north-somerset", 4.0),
        ("cumbria", 2.0),
        ("cumbria", 7.0),
    }
    # Medway favours adoption for "younger children" without an age.
    assert ("medway", None) in {(r["council"], r["age_below"]) for r in rows}
    less = ask("age-guidance", subject="adoption", direction="less-likely")
    assert ("cumbria", 10.0) in {(r["council"], r["age_from"]) for r in less}
    ltf = ask("age-guidance", subject="long-term-fostering", direction="favours", council="cumbria")
    assert column(ltf, "age_from") == {10.0}


# 19. Which councils state that the Public Law Outline timescale is 26 weeks?
def test_q19_plo_26_weeks(ask):
    rows = ask("timescales", topic="plo-duration")
    assert {(r["council"], r["value"], r["unit"]) for r in rows} == {
        ("cumbria", 26.0, "week"),
        ("dorset", 26.0, "week"),
    }
    # Variant: when the first review is due.
    first = ask("timescales", topic="review-schedule", milestone="first-review")
    assert {(r["council"], r["value"], r["unit"]) for r in first} == {
        ("medway", 20.0, "working-day"),
        ("cumbria", 28.0, "day"),
    }


# 20. Which council documents state an issue or update date, which gives a review date, and is it past?
def test_q20_document_dates_and_overdue_review(ask):
    rows = ask("document-dates", today="2026-11-25")
    dated = {(r["council"], r["role"], r["date"]) for r in rows if r["date"]}
    assert dated == {
        ("north-somerset", "issued", "2023-03"),
        ("north-somerset", "review-due", "2025-10"),
        ("cumbria", "amended", "2016-02"),
        ("enfield", "updated", "2023-08"),
    }
    assert {r["council"] for r in rows if not r["date"]} == {"medway", "dorset"}
    assert {r["council"] for r in rows if r["overdue"]} == {"north-somerset"}
    # Not overdue during the month it is due, overdue the month after.
    assert not any(r["overdue"] for r in ask("document-dates", today="2025-10-31"))
    assert any(r["overdue"] for r in ask("document-dates", today="2025-11-01"))


def test_document_dates_agree_with_the_manifest(ask, extraction):
    stated = {(r["council"], r["role"], r["date"]) for r in ask("document-dates") if r["date"]}
    manifest = {
        (council, role, date)
        for council, source in extraction.sources.items()
        for role, date in source.dates.items()
    }
    assert stated == manifest


# Questions of the same kinds beyond the twenty.


def test_advantages_side_by_side_show_silence(ask):
    rows = ask("advantages-by-option", option="special-guardianship")
    counts = {
        (council, kind): len([r for r in rows if r["council"] == council and r["kind"] == kind])
        for council in ALL
        for kind in ("advantage", "disadvantage", "none listed")
    }
    assert counts[("north-somerset", "advantage")] == 5 and counts[("north-somerset", "disadvantage")] == 3
    assert counts[("medway", "advantage")] == 5 and counts[("medway", "disadvantage")] == 4
    assert {c for c in ALL if counts[(c, "none listed")] == 1} == {"cumbria", "dorset", "enfield"}


def test_what_one_council_says_that_no_other_does(ask):
    medway = {r["text"] for r in ask("unique-to-council", council="medway")}
    assert "There is no right to an assessment of need." in medway
    assert any(
        t.startswith("The Special Guardian or child have the right to request an assessment") for t in medway
    )
    # Near-equal wording elsewhere is not unique: "unsettling" vs "destabilising", "CAO" vs "Order".
    assert not any(
        t.startswith(("It maintains legal links", "Regular Looked After Reviews", "It is less secure"))
        for t in medway
    )
    north_somerset = {
        r["text"] for r in ask("unique-to-council", council="north-somerset", kind="disadvantage")
    }
    assert north_somerset == {
        "Post care and/or post 18 the carers have no legal responsibility towards the young person."
    }
    # Dorset's "a foster carer" differs from the others' "a local authority foster carer".
    dorset = ask("unique-to-council", council="dorset")
    assert any(t["text"].startswith("A foster carer with whom") for t in dorset)
    assert not any(t["text"] == "A Guardian" for t in dorset)


def test_what_a_council_is_silent_on_by_option(ask):
    rows = ask("silent-on-by-subject", council="", kind="advantage", subject="adoption")
    assert column(rows, "council") == {"cumbria", "dorset", "enfield"}
    assert all(ids(r["covered_by"]) == {"north-somerset", "medway"} for r in rows)
    enfield = {(r["kind"], r["subject"]) for r in ask("silent-on-by-subject", council="enfield")}
    assert ("parental-responsibility", "special-guardianship-order") in enfield
    assert ("option", "residential") in enfield


def test_theme_by_council_counts_show_zeros(ask):
    rows = ask("theme-council-counts")
    themes = column(rows, "theme")
    assert sorted((r["theme"], r["council"]) for r in rows) == sorted((t, c) for t in themes for c in ALL)
    assert all(
        r["advantages"] == 0 and r["disadvantages"] == 0
        for r in rows
        if r["council"] in {"cumbria", "dorset", "enfield"}
    )
    stigma = {
        (r["council"], r["advantages"], r["disadvantages"])
        for r in ask("theme-council-counts", theme="stigma", option="long-term-fostering")
    }
    assert ("north-somerset", 0, 1) in stigma and ("medway", 0, 1) in stigma


def test_whether_the_child_stays_looked_after(ask):
    rows = ask("looked-after-status")
    status = {(r["council"], r["subject"], r["stays_looked_after"]) for r in rows}
    assert {
        ("north-somerset", "special-guardianship", False),
        ("medway", "special-guardianship", False),
    } <= status
    assert {
        ("north-somerset", "long-term-fostering", True),
        ("medway", "long-term-fostering", True),
    } <= status
    assert ("dorset", "adoption-order", False) in status
    assert not {
        s
        for c, s, stays in status
        if stays and s in {"adoption", "special-guardianship", "child-arrangements"}
    }


def test_who_holds_pr_under_an_order_in_law(ask):
    sgo = ask("order-in-law", order="special-guardianship-order")
    assert len(sgo) == 1
    assert sgo[0]["statute"].endswith("ukpga/1989/41/section/14A")
    assert "special-guardian" in ids(sgo[0]["pr_holders"]) and "care-order" in ids(sgo[0]["discharges"])
    cao = ask("order-in-law", order="child-arrangements-order")
    assert {"consent-to-adoption", "appoint-guardian"} <= ids(cao[0]["holder_may_not"])
    statutes = {r["order"]: r for r in ask("orders-and-statutes")}
    assert statutes["residence-order"]["superseded_by"] == "child-arrangements-order"
    assert statutes["adoption-order"]["statute"].endswith("ukpga/2002/38/section/46")


def test_option_overview_gathers_every_kind_for_an_option(ask):
    rows = ask("option-overview", option="special-guardianship")
    kinds = column(rows, "kind")
    assert {
        "advantage",
        "disadvantage",
        "applicant",
        "parental-responsibility",
        "legal-effect",
        "legal-order",
    } <= kinds
    assert column([r for r in rows if r["kind"] == "legal-order"], "council") == {"cumbria"}


def test_evidence_for_a_statement_is_the_file_text_at_its_offsets(ask, extraction):
    found = ask("keyword-search", keyword="no right to an assessment of need", kind="disadvantage")[0]
    base = "https://w3id.org/permanence-kg/id/statement/medway/disadvantage/child-arrangements"
    iri = f"{base}/{found['start']}-{found['end']}"
    evidence = ask("evidence", statement=iri)
    assert len(evidence) == 1
    row = evidence[0]
    text = extraction.sources["medway"].text
    assert text[row["start"] : row["end"]] == row["quote"] == found["quote"]
    assert row["source_file"] == "medway.txt" and row["section"] == "Child Arrangement Order"


def test_named_organisations_and_their_roles(ask):
    rows = ask("named-organisations")
    assert ("enfield", "Adopt London North", "regional-adoption-agency") in {
        (r["council"], r["organisation"], r["role"]) for r in rows
    }
    assert column(ask("named-organisations", role="regional-adoption-agency"), "council") == {
        "dorset",
        "enfield",
    }
    assert not column(rows, "council") & {"north-somerset", "medway"}


def test_ontology_terms_are_defined(ask):
    rows = {r["term"]: r for r in ask("ontology-terms")}
    assert rows["Advantage"]["type"] == "Class" and rows["Advantage"]["definition"]
    assert rows["hasEvidence"]["type"] == "ObjectProperty"


def test_statement_counts_by_council_and_kind(ask):
    rows = ask("statement-counts")
    counts = {(r["council"], r["kind"]): r["statements"] for r in rows}
    assert counts[("north-somerset", "advantage")] == 6 + 5 + 6 + 3  # adoption, SGO, CAO, long-term fostering
    assert ("enfield", "parental-responsibility") not in counts
