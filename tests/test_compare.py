"""Councils compared claim by claim: alignment measured on hand-labelled pairs, claims that never mix
kinds or subjects or chain, a council against itself, the claims graph as ours, and `compare`."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg import claims, queries
from kg.cli import cli
from kg.decide import NOTICE, compare
from kg.ontology import ontology
from kg.sources import load_sources

PAIRS = Path(__file__).parent / "fixtures" / "claim_pairs.yaml"
AGENT = "https://w3id.org/permanence-kg/id/agent/permanence-kg"


@pytest.fixture(scope="module")
def members(data_dir):
    """claim id -> its member rows, as the library query gives them."""
    grouped = defaultdict(list)
    for row in queries.run("claim-members", data=str(data_dir)).records():
        grouped[row["claim"]].append(row)
    return grouped


def _statement(extraction, side):
    council, kind, subject, fragment = side
    found = [
        st
        for st in extraction.statements
        if st.council == council
        and st.kind == kind
        and (st.subject or "") == subject
        and fragment in st.quote
    ]
    assert len(found) == 1, f"{side} picks out {len(found)} statements"
    return found[0]


def _alignment_counts(extraction, members) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of the aligner on the labelled pairs."""
    pairs = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))["pairs"]
    assert len(pairs) >= 80
    assert any(
        not p["same"] and p["a"][1] != p["b"][1] for p in pairs
    ), "needs advantage/disadvantage near-misses"
    assert any(
        not p["same"] and p["a"][2] != p["b"][2] for p in pairs
    ), "needs same-words-other-subject near-misses"
    claim_of = {
        (r["council"], r["kind"], r["subject"] or "", r["start"], r["end"]): c
        for c, rs in members.items()
        for r in rs
    }
    true_pos = false_pos = false_neg = 0
    for pair in pairs:
        a, b = (_statement(extraction, pair[side]) for side in ("a", "b"))
        assert a.key != b.key, f"{pair} picks out one statement twice"
        ca = claim_of[(a.council, a.kind, a.subject or "", a.start, a.end)]
        cb = claim_of[(b.council, b.kind, b.subject or "", b.start, b.end)]
        aligned = ca == cb
        true_pos += aligned and pair["same"]
        false_pos += aligned and not pair["same"]
        false_neg += pair["same"] and not aligned
    return true_pos, false_pos, false_neg


def test_alignment_meets_precision_and_recall_on_the_labelled_pairs(extraction, members):
    true_pos, false_pos, false_neg = _alignment_counts(extraction, members)
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert precision >= 0.95, f"precision {precision:.3f}"
    assert recall >= 0.9, f"recall {recall:.3f}"


def test_the_readme_states_the_measured_alignment(extraction, members):
    true_pos, false_pos, false_neg = _alignment_counts(extraction, members)
    pairs = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))["pairs"]
    same = sum(bool(p["same"]) for p in pairs)
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert f"{len(pairs)} pairs of statements labelled by hand" in readme
    assert f"{same} that say the same thing, {len(pairs) - same} that do not" in readme
    assert (
        f"**precision {true_pos / (true_pos + false_pos):.3f}** ({true_pos} of {true_pos + false_pos} "
        f"aligned pairs right), **recall {true_pos / (true_pos + false_neg):.3f}** "
        f"({true_pos} of {true_pos + false_neg})"
    ) in readme


def test_no_claim_mixes_kinds_or_subjects(data_dir):
    # Each member's own class and subject, read from the statement itself, not from the claim.
    rows = queries.sparql(
        """SELECT ?claim ?kind (GROUP_CONCAT(DISTINCT ?notation; separator="|") AS ?kinds)
                  (COUNT(DISTINCT COALESCE(?about, "none")) AS ?subjects) (SAMPLE(?claimAbout) AS ?cabout)
                  (SAMPLE(?about) AS ?mabout)
           WHERE { ?claim a pk:Claim ; pk:claimKind ?kind ; pk:hasMember ?s .
                   ?s a ?class . ?class skos:notation ?notation .
                   OPTIONAL { ?s pk:about ?about } OPTIONAL { ?claim pk:about ?claimAbout } }
           GROUP BY ?claim ?kind""",
        data=str(data_dir),
    ).records()
    assert rows
    for row in rows:
        assert row["kinds"] == row["kind"], row["claim"]
        assert row["subjects"] == 1, row["claim"]
        assert row["cabout"] == row["mabout"], row["claim"]


def test_an_advantage_never_aligns_with_a_disadvantage(members):
    for claim, rows in members.items():
        assert len({r["kind"] for r in rows}) == 1, claim


def test_a_claim_holds_two_statements_of_one_council_only_where_it_repeats_itself(extraction):
    onto = ontology()
    normalise = claims._Normaliser(onto)
    for claim in claims.align(extraction.statements, onto):
        by_council = defaultdict(list)
        for st in claim.members:
            by_council[st.council].append(st)
        for same in by_council.values():
            for i, a in enumerate(same):
                for b in same[i + 1 :]:
                    assert claims.similarity(a, b, normalise) >= claims.REPEAT_THRESHOLD, claim.id


def test_applicant_statements_with_different_conditions_are_different_claims(extraction):
    """Medway's consent route "Where the child is Looked After" and North Somerset's "where the child is in
    the care of a local authority" share most words, but their child's status differs, so no claim holds
    both (nor any two applicant statements stating one condition differently)."""
    onto = ontology()
    for claim in claims.align(extraction.statements, onto):
        if claim.kind not in ("applicant", "applicant-exclusion"):
            continue
        for i, a in enumerate(claim.members):
            for b in claim.members[i + 1 :]:
                assert not claims.conditions_differ(a, b), claim.id
    side = ("child-arrangements-order", "applicant")
    looked_after = [
        st
        for st in extraction.statements
        if (st.subject, st.kind) == side and ("childStatus", "looked-after") in st.concepts
    ]
    in_care = [
        st
        for st in extraction.statements
        if (st.subject, st.kind) == side and ("childStatus", "in-care") in st.concepts
    ]
    assert looked_after and in_care
    for a in looked_after:
        for b in in_care:
            assert claims.conditions_differ(a, b)
            assert claims.similarity(a, b, claims._Normaliser(onto)) < claims.THRESHOLD


def test_claims_do_not_chain(extraction):
    """Every pair within a claim is itself similar enough: no A~B~C claim without A~C."""
    onto = ontology()
    normalise = claims._Normaliser(onto)
    for claim in claims.align(extraction.statements, onto):
        for i, a in enumerate(claim.members):
            for b in claim.members[i + 1 :]:
                assert claims.similarity(a, b, normalise) >= claims.THRESHOLD, claim.id


def test_a_council_against_a_copy_of_itself_aligns_fully(extraction):
    onto = ontology()
    for council in ("medway", "north-somerset", "cumbria"):
        own = [st for st in extraction.statements if st.council == council]
        copies = [dataclasses.replace(st, council=f"{council}-copy") for st in own]
        aligned = claims.align(own + copies, onto)
        claim_of = {st.key: c for c in aligned for st in c.members}
        for st, copy in zip(own, copies):
            if st.kind in claims.ALIGNED_KINDS:
                assert claim_of[st.key] is claim_of[copy.key], st.key


def test_compare_a_council_with_itself_gives_only_claims_it_states(data_dir):
    result = compare(["medway", "medway"], data=str(data_dir))
    assert result.councils == ["medway"]
    assert result.claims and {c["status"] for c in result.claims} == {"all"}
    assert all(not c["silent"] for c in result.claims)


def test_north_somerset_and_medway_shared_list_items_align(data_dir, extraction):
    """Every list item the two councils word alike (bar case and punctuation) is one claim both state."""

    def key(st):
        return (
            st.kind,
            st.subject,
            " ".join("".join(ch for ch in st.text.lower() if ch.isalnum() or ch == " ").split()),
        )

    trade = [st for st in extraction.statements if st.kind in ("advantage", "disadvantage")]
    medway = {key(st) for st in trade if st.council == "medway"}
    shared = {key(st) for st in trade if st.council == "north-somerset"} & medway
    assert len(shared) >= 10
    result = compare(["north-somerset", "medway"], data=str(data_dir))
    both = {
        (c["kind"], c["subject"], key_text)
        for c in result.by_status("all")
        for key_text in {
            " ".join("".join(ch for ch in m["text"].lower() if ch.isalnum() or ch == " ").split())
            for m in c["members"]
        }
    }
    assert shared <= both


def test_claims_are_ours_and_in_their_own_graph(data_dir):
    rows = queries.sparql(
        """SELECT ?claim ?g ?who ?council WHERE {
             GRAPH ?g { ?claim a pk:Claim }
             OPTIONAL { ?claim prov:wasAttributedTo ?who }
             OPTIONAL { ?claim pk:council ?council } }""",
        data=str(data_dir),
    ).records()
    assert rows
    for row in rows:
        assert row["g"] == "https://w3id.org/permanence-kg/id/graph/claims"
        assert row["who"] == AGENT
        assert row["council"] is None


def test_compare_json_members_carry_quotes_at_their_offsets(data_dir):
    sources = load_sources()
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            "--councils",
            "north-somerset,medway,dorset",
            "--subject",
            "special-guardianship-order",
            "--format",
            "json",
            "--data",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed
    links = queries.run("app-option-orders", data=str(data_dir)).records()
    linked = {"special-guardianship-order"} | {
        r["option"] for r in links if r["order"] == "special-guardianship-order"
    }
    for claim in listed:
        assert {"claim", "kind", "subject", "members", "status", "stated_by", "silent"} <= set(claim)
        assert claim["notice"] == NOTICE
        # The order and the options it secures in law are asked about together.
        assert claim["subject"] in linked
        for m in claim["members"]:
            assert sources[m["council"]].text[m["start"] : m["end"]] == m["quote"]
        silent = {s["council"] for s in claim["silent"]}
        assert silent == {"north-somerset", "medway", "dorset"} - set(claim["stated_by"])
        assert (claim["status"] == "only") == (len(claim["stated_by"]) == 1)


def test_compare_table_shows_the_notice_and_silence(data_dir):
    result = CliRunner().invoke(
        cli, ["compare", "--councils", "medway,dorset", "--kind", "applicant", "--data", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    assert NOTICE in result.stdout
    assert "no statement extracted" in result.stdout


def test_compare_filters_by_kind_and_subject(data_dir):
    result = compare(
        ["medway", "north-somerset"], kind="disadvantage", subject="adoption", data=str(data_dir)
    )
    assert result.claims
    assert {(c["kind"], c["subject"]) for c in result.claims} == {("disadvantage", "adoption")}


def test_silence_says_why_and_agrees_with_the_councils_statements(data_dir, extraction):
    said = {(st.council, st.kind, st.subject or "") for st in extraction.statements}
    # A claim with no subject is silent only where the council has nothing of the kind at all.
    said |= {(st.council, st.kind, "") for st in extraction.statements}
    result = compare(["north-somerset", "medway", "dorset", "enfield", "cumbria"], data=str(data_dir))
    reasons = set()
    for claim in result.claims:
        for silent in claim["silent"]:
            spoke = (silent["council"], claim["kind"], claim["subject"] or "") in said
            # A council that says other things of this kind about this subject is never called silent
            # on the subject; one with nothing of the kind never said "other things".
            assert spoke == ("says other things" in silent["why"]), (claim["claim"], silent)
            reasons.add(silent["why"])
    assert reasons


def test_an_option_is_compared_with_the_orders_that_secure_it(data_dir):
    by_option = compare(["medway", "north-somerset"], subject="special-guardianship", data=str(data_dir))
    by_order = compare(["medway", "north-somerset"], subject="special-guardianship-order", data=str(data_dir))
    subjects = {c["subject"] for c in by_option.claims}
    assert subjects == {"special-guardianship", "special-guardianship-order"}
    # An order may secure several options (special guardianship, kinship): asking by the order
    # brings them all.
    assert {c["claim"] for c in by_option.claims} <= {c["claim"] for c in by_order.claims}
