"""The twenty questions of the query library, each answered by a library query, with the answer
established by reading the five documents. Variants with other parameters show the queries answer
the kind of question, not one instance of it."""

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


def test_q1_councils_with_advantage_and_disadvantage_lists(ask):
    rows = ask("councils-with-advantage-lists")
    assert column([r for r in rows if r["advantages"] and r["disadvantages"]], "council") == {"north-somerset", "medway"}


def test_q2_options_both_north_somerset_and_medway_list(ask):
    rows = ask("options-with-lists-in-both", council="north-somerset", other_council="medway")
    assert column(rows, "option") == {"adoption", "special-guardianship", "child-arrangements", "long-term-fostering"}
    # Variant: a council with no lists shares none.
    assert ask("options-with-lists-in-both", council="north-somerset", other_council="dorset") == []


def test_q3_no_right_to_an_assessment_of_need(ask):
    rows = ask("keyword-search", keyword="There is no right to an assessment of need", kind="disadvantage")
    assert {(r["council"], r["subject"]) for r in rows} == {("medway", "child-arrangements")}
    # Variant: another phrase, another option.
    rows = ask("keyword-search", keyword="stigma", kind="disadvantage")
    assert {(r["council"], r["subject"]) for r in rows} == {
        ("north-somerset", "long-term-fostering"),
        ("medway", "long-term-fostering"),
    }


def test_q4_who_may_apply_for_an_sgo_in_dorset(ask):
    rows = [r for r in ask("who-can-apply", order="special-guardianship-order", council="dorset") if r["kind"] == "applicant"]
    assert len(rows) == 6
    categories = [set(r["categories"].split("|")) for r in rows]
    assert {"guardian"} in categories
    assert any("foster-carer" in c for c in categories)
    assert any("long-residence-person" in c for c in categories)
    assert any({"residence-order-holder", "cao-live-with-person"} <= c for c in categories)
    consent = {r["consent_of"] for r in rows if r["consent_of"]}
    assert {"local-authority", "all-with-pr"} <= {c for v in consent for c in v.split("|")}
    exclusions = [r for r in ask("who-can-apply", order="special-guardianship-order", council="dorset") if r["kind"] != "applicant"]
    assert len(exclusions) == 1 and exclusions[0]["routes"] == "excluded"


def test_q5_anyone_including_the_child_with_leave(ask):
    rows = ask("councils-stating-applicant", order="special-guardianship-order", category="child", route="with-leave")
    assert column(rows, "council") == {"north-somerset", "medway"}
    # Variant: the same for a child arrangements order.
    rows = ask("councils-stating-applicant", order="child-arrangements-order", category="child", route="with-leave")
    assert column(rows, "council") == {"medway"}


def test_q6_parents_may_not_become_special_guardians(ask):
    rows = ask("councils-stating-applicant", order="special-guardianship-order", category="parent", route="excluded")
    assert column(rows, "council") == {"north-somerset", "medway", "dorset"}


def test_q7_foster_carer_residence_period(ask):
    rows = ask("residence-periods", order="special-guardianship-order")
    foster = [r for r in rows if "foster-carer" in r["categories"]]
    assert {(r["council"], r["lived_with"], r["unit"], r["immediately_preceding"]) for r in foster} == {
        ("north-somerset", 1.0, "year", True),
        ("medway", 1.0, "year", True),
        ("dorset", 1.0, "year", True),
    }
    local_authority = ask("residence-periods", order="special-guardianship-order", category="la-foster-carer")
    assert column(local_authority, "council") == {"north-somerset", "medway"}
    # Variant: three of the last five years, for a child arrangements order.
    long_residence = ask("residence-periods", order="child-arrangements-order", category="long-residence-person")
    assert column(long_residence, "lived_with") == {3.0}
    assert column(long_residence, "council") == {"north-somerset", "medway", "dorset"}


def test_q8_sgo_discharges_a_care_order(ask):
    rows = ask("legal-effects", effect="discharges-care-order", subject="special-guardianship-order")
    assert column(rows, "council") == {"north-somerset", "medway", "dorset"}
    # Variant: the child arrangements order.
    rows = ask("legal-effects", effect="discharges-care-order", subject="child-arrangements-order")
    assert column(rows, "council") == {"medway"}


def test_q9_exclusive_parental_responsibility(ask):
    rows = ask("parental-responsibility", subject="special-guardianship-order", sharing="exclusive-exercise")
    assert column(rows, "council") == {"cumbria"}
    shared = ask("parental-responsibility", subject="special-guardianship-order", sharing="shared-with-parents")
    assert column(shared, "council") == {"north-somerset", "medway", "dorset"}


def test_q10_decisions_needing_consent_under_an_sgo(ask):
    rows = ask("parental-responsibility", subject="special-guardianship-order")
    decisions = {
        (r["council"], d) for r in rows for d in (r["restricted_decisions"] or "").split("|") if d
    }
    for council in ("north-somerset", "medway", "dorset"):
        assert {d for c, d in decisions if c == council} == {
            "change-of-name", "consent-to-adoption", "removal-from-uk", "fundamental-issues"
        }
    assert {d for c, d in decisions if c == "cumbria"} == {"change-of-name", "removal-from-uk", "consent-to-adoption"}


def test_q11_silent_on_parental_responsibility(ask):
    rows = ask("councils-silent-on", kind="parental-responsibility")
    assert column(rows, "council") == {"enfield"}


def test_q12_cumbria_orders_for_connected_carers(ask):
    rows = ask("legal-orders-for-option", option="kinship", council="cumbria")
    assert column(rows, "order") == {
        "child-arrangements-order", "special-guardianship-order", "supervision-order", "adoption-order"
    }
    # Variant: another option.
    assert column(ask("legal-orders-for-option", option="long-term-fostering"), "order") == {"care-order"}


def test_q13_residential_care_presented(ask):
    assert column(ask("councils-presenting-option", option="residential"), "council") == {"medway", "cumbria", "dorset"}
    matrix = ask("coverage-matrix", option="residential")
    assert {(r["council"], r["presentation"]) for r in matrix} >= {("north-somerset", "mentioned"), ("enfield", "absent")}
    # Variant: private fostering.
    assert column(ask("councils-presenting-option", option="private-fostering"), "council") == {"cumbria"}


def test_q14_options_all_five_present(ask):
    assert column(ask("options-presented-by-all"), "option") == {
        "reunification", "kinship", "adoption", "special-guardianship", "long-term-fostering"
    }


def test_q15_permanence_plan_by_second_review(ask):
    rows = ask("timescales", topic="permanence-plan-due", milestone="second-review")
    assert column(rows, "council") == {"north-somerset", "medway", "cumbria", "dorset"}


def test_q16_regulation_24_temporary_approval(ask):
    rows = ask("timescales", topic="temporary-approval")
    weeks = {(r["council"], r["value"], r["unit"]) for r in rows if r["value"] is not None}
    assert ("medway", 16.0, "week") in weeks and ("enfield", 16.0, "week") in weeks
    assert ("enfield", 8.0, "week") in weeks  # Regulation 25 extension


def test_q17_ages_for_parallel_planning_or_ppm(ask):
    rows = ask("age-guidance", direction="requires", practice="permanency-planning-meeting")
    assert {(r["council"], r["age_below"], r["milestone"]) for r in rows} == {
        ("medway", 14.0, "first-review"),
        ("cumbria", 2.0, "first-review"),
        ("cumbria", 10.0, "second-review"),
    }


def test_q18_age_thresholds_for_adoption(ask):
    rows = ask("age-guidance", subject="adoption", direction="favours")
    assert {(r["council"], r["age_below"]) for r in rows if r["age_below"] is not None} == {
        ("north-somerset", 4.0),
        ("cumbria", 2.0),
        ("cumbria", 7.0),
    }
    less = ask("age-guidance", subject="adoption", direction="less-likely")
    assert ("cumbria", 10.0) in {(r["council"], r["age_from"]) for r in less}
    ltf = ask("age-guidance", subject="long-term-fostering", direction="favours", council="cumbria")
    assert column(ltf, "age_from") == {10.0}


def test_q19_plo_26_weeks(ask):
    rows = ask("timescales", topic="plo-duration")
    assert {(r["council"], r["value"], r["unit"]) for r in rows} == {("cumbria", 26.0, "week"), ("dorset", 26.0, "week")}


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
    before = ask("document-dates", today="2025-09-30")
    assert not any(r["overdue"] for r in before)


def test_document_dates_agree_with_the_manifest(ask, extraction):
    stated = {(r["council"], r["role"], r["date"]) for r in ask("document-dates") if r["date"]}
    manifest = {
        (council, role, date) for council, source in extraction.sources.items() for role, date in source.dates.items()
    }
    assert stated == manifest
