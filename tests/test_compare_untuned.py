"""compare on North Somerset and Medway, checked against pairs read from the two documents by hand.

The pairs below were picked by an independent checker from the advantage, disadvantage and applicant
lists of the two documents (north-somerset.txt lines 87-96, 104-124, 139-178; medway.txt lines 63-85,
94-113, 117-126, 132-140), not from tests/fixtures/claim_pairs.yaml. Each is found in the source by its
words, so the test knows nothing of the tool's offsets. The near-misses share words but differ in kind
or subject.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli

SOURCES = Path(__file__).resolve().parents[1] / "kg" / "sources"
PAIR = ("north-somerset", "medway")

# (kind, subject, North Somerset words, Medway words): the same list item in both documents.
SHARED_ITEMS = [
    (
        "advantage",
        "special-guardianship",
        "The carers have Parental Responsibility and clear authority",
        None,
    ),
    ("advantage", "special-guardianship", "There is added legal security to the Order in that leave", None),
    (
        "advantage",
        "special-guardianship",
        "It maintains legal links to the birth family:",
        "It maintains legal links to the birth family;",
    ),
    (
        "advantage",
        "special-guardianship",
        "The child will no longer be in care and there need be no social worker involvement",
        "The child will no longer be in care and will not require social work involvement",
    ),
    ("disadvantage", "special-guardianship", "The Order only lasts until the child is 18", None),
    (
        "disadvantage",
        "special-guardianship",
        "As the child is not a legal member of the family, if difficulties",
        None,
    ),
    (
        "disadvantage",
        "special-guardianship",
        "Although there are restrictions on applications to discharge",
        None,
    ),
    (
        "advantage",
        "child-arrangements",
        "It gives Parental Responsibility to the carer whilst maintaining",
        None,
    ),
    (
        "advantage",
        "child-arrangements",
        "The child will no longer be Looked After and there need be no social",
        None,
    ),
    ("advantage", "child-arrangements", "There is no review process:", "There is no review process;"),
    ("advantage", "child-arrangements", "The child will not be Looked After and so less stigma", None),
    (
        "advantage",
        "child-arrangements",
        "Any contact is likely to be agreed and if considered necessary",
        None,
    ),
    ("disadvantage", "child-arrangements", "It is less secure than Adoption or Special Guardianship", None),
    ("disadvantage", "child-arrangements", "There is no formal continuing support to the family", None),
    (
        "disadvantage",
        "child-arrangements",
        "There is no professional review of the arrangements",
        "There is no professional reviewing of the arrangements",
    ),
    ("advantage", "long-term-fostering", "The local authority retains a role in negotiating", None),
    (
        "advantage",
        "long-term-fostering",
        "There is continuing social work support to the child and foster",
        None,
    ),
    ("advantage", "long-term-fostering", "It maintains legal links to the birth family who can still", None),
    ("disadvantage", "long-term-fostering", "Lack of Parental Responsibility for the carers", None),
    ("disadvantage", "long-term-fostering", "Continuing social work involvement", None),
    (
        "disadvantage",
        "long-term-fostering",
        "Regular Looked After Reviews, which may be regarded as destabilising",
        "Regular Looked After Reviews, which could possibly be regarded as unsettling",
    ),
    ("disadvantage", "long-term-fostering", "Stigma attached to the child due to being in care", None),
    (
        "disadvantage",
        "long-term-fostering",
        "The child is not a legal member of the family. If difficulties",
        None,
    ),
    ("advantage", "adoption", "Parental Responsibility is held exclusively by the carers", None),
    ("advantage", "adoption", "The child is no longer in Care", "The child is no longer Looked After;"),
    ("advantage", "adoption", "No future legal challenge to overturn the Adoption Order", None),
    (
        "advantage",
        "adoption",
        "Decisions about continuing contact will usually be made by the new parents",
        None,
    ),
    (
        "advantage",
        "adoption",
        "The child is a permanent family member into adulthood",
        "The child is a permanent family member.",
    ),
    ("disadvantage", "adoption", "It involves a complete and permanent legal separation", None),
    # who may apply for special guardianship (NS 104-110, Medway 64-70) and a CAO (NS 139-153, Medway 94-102)
    ("applicant", "special-guardianship-order", "a) Any guardian of the child", "Any guardian of the child;"),
    (
        "applicant",
        "special-guardianship-order",
        "A local authority foster carer with whom the child has lived for one",
        None,
    ),
    (
        "applicant",
        "special-guardianship-order",
        "Anyone with whom the child has lived for 3 out of the last 5 years",
        None,
    ),
    (
        "applicant",
        "special-guardianship-order",
        "Where the child is subject of a Care Order, any person who has",
        None,
    ),
    (
        "applicant",
        "special-guardianship-order",
        "Anyone who has the consent of all those with Parental Responsibility",
        None,
    ),
    (
        "applicant",
        "special-guardianship-order",
        "Anyone, including the child, who has the leave of the court",
        None,
    ),
    (
        "applicant-exclusion",
        "special-guardianship-order",
        "The parents of a child may not become the child's special",
        None,
    ),
    ("applicant", "child-arrangements-order", "Any parent (whether or not", "A parent or guardian;"),
    ("applicant", "child-arrangements-order", "Any party to a marriage", "A party to a marriage"),
    (
        "applicant",
        "child-arrangements-order",
        "for a period of at least three years",
        "A person with whom the child has lived for 3 years.",
    ),
    (
        "applicant",
        "child-arrangements-order",
        "Who has the consent of each of the persons in named in a Child Arrangements Order",
        "Where a CAO  is already in force, a person who has the consent",
    ),
    (
        "applicant",
        "child-arrangements-order",
        "In any other case, has the consent of everyone with parental responsibility",
        "In any other case, a person who has the consent of all those",
    ),
    (
        "applicant",
        "child-arrangements-order",
        "A local authority foster parent is entitled to apply",
        "A local authority foster carer with whom the child has lived for 1 year",
    ),
    (
        "applicant",
        "child-arrangements-order",
        "any person who is not automatically entitled to apply",
        "Anyone else who wishes to apply, including the child",
    ),
    (
        "disadvantage",
        "adoption",
        "There is no review process.",
        "[bookmark: long_term_fost]There is no review process.",
    ),
]

# (council, words, council, words): share words but one is an advantage and the other a disadvantage, or
# they are about two different options; they must never sit in one claim.
NEAR_MISSES = [
    # CAO advantage against adoption disadvantage, the same five words
    (
        "north-somerset",
        "There is no review process:",
        "medway",
        "[bookmark: long_term_fost]There is no review process.",
    ),
    ("medway", "There is no review process;", "north-somerset", "b) There is no review process."),
    # special guardianship advantage (leave to discharge) against its own disadvantage (discharge possible)
    (
        "medway",
        "There is added legal security to the Order in that leave",
        "north-somerset",
        "Although there are restrictions on applications to discharge",
    ),
    # the same idea about special guardianship and about long-term fostering
    (
        "north-somerset",
        "As the child is not a legal member of the family, if difficulties",
        "medway",
        "The child is not a legal member of the family. If difficulties",
    ),
    (
        "north-somerset",
        "It maintains legal links to the birth family:",
        "medway",
        "It maintains legal links to the birth family who can still",
    ),
    # CAO against adoption: "no longer Looked After"
    (
        "north-somerset",
        "The child will no longer be Looked After and there need be no social",
        "medway",
        "The child is no longer Looked After;",
    ),
    # North Somerset's education item under adoption and under special guardianship, word for word
    (
        "north-somerset",
        "f) As a previously Looked After Child",
        "north-somerset",
        "e) As a previously Looked After Child",
    ),
]

LEAD_IN = re.compile(
    r"^\s*(?P<option>Adoption|Special Guardianship|A Child Arrangements Order|A CAO|Long-term fostering)\b.*"
    r"has the following (?P<kind>advantages|disadvantages)",
    re.M,
)
OPTION_OF_LEAD_IN = {
    "Adoption": "adoption",
    "Special Guardianship": "special-guardianship",
    "A Child Arrangements Order": "child-arrangements",
    "A CAO": "child-arrangements",
    "Long-term fostering": "long-term-fostering",
}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    manifest = yaml.safe_load((SOURCES / "manifest.yaml").read_text(encoding="utf-8"))
    return {c: (SOURCES / e["file"]).read_bytes().decode("utf-8") for c, e in manifest["councils"].items()}


def _compare(data_dir: Path, councils: str, *options: str) -> list[dict]:
    result = CliRunner().invoke(
        cli, ["compare", "--councils", councils, *options, "--data", str(data_dir), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _offset(texts: dict[str, str], council: str, words: str) -> int:
    """The offset of the last character of `words`, so item letters and markup before it do not matter."""
    text = texts[council]
    start = text.find(words)
    assert start >= 0 and text.find(words, start + 1) < 0, f"{words!r} is not found once in {council}"
    return start + len(words) - 1


def _claims_holding(claims: list[dict], council: str, offset: int) -> list[dict]:
    return [
        claim
        for claim in claims
        if any(m["council"] == council and m["start"] <= offset < m["end"] for m in claim["members"])
    ]


@pytest.fixture(scope="module")
def pair_claims(data_dir) -> list[dict]:
    return _compare(data_dir, ",".join(PAIR))


@pytest.mark.parametrize(
    "kind,subject,ns_words,medway_words", SHARED_ITEMS, ids=[s[2][:40] for s in SHARED_ITEMS]
)
def test_a_shared_list_item_is_one_claim_both_councils_state(
    data_dir, texts, pair_claims, kind, subject, ns_words, medway_words
):
    ns_at = _offset(texts, "north-somerset", ns_words)
    medway_at = _offset(texts, "medway", medway_words or ns_words)
    # the same answer with the claims filtered to the item's kind and subject, as a user would ask
    filtered = _compare(data_dir, ",".join(PAIR), "--kind", kind, "--subject", subject)
    for claims in (pair_claims, filtered):
        # a statement may also be of a second kind (an advantage about parental responsibility)
        holding = [c for c in _claims_holding(claims, "north-somerset", ns_at) if c["kind"] == kind]
        assert len(holding) == 1, f"North Somerset's {ns_words!r} is in {len(holding)} {kind} claims"
        claim = holding[0]
        assert (claim["kind"], claim["subject"], claim["status"]) == (kind, subject, "all")
        assert claim in _claims_holding(
            claims, "medway", medway_at
        ), f"{ns_words!r} is not aligned with Medway's"


@pytest.mark.parametrize(
    "a_council,a_words,b_council,b_words", NEAR_MISSES, ids=[m[1][:40] for m in NEAR_MISSES]
)
def test_near_misses_never_share_a_claim(texts, pair_claims, a_council, a_words, b_council, b_words):
    a_claims = _claims_holding(pair_claims, a_council, _offset(texts, a_council, a_words))
    b_claims = _claims_holding(pair_claims, b_council, _offset(texts, b_council, b_words))
    assert a_claims and b_claims
    assert not [claim for claim in a_claims if claim in b_claims]


def test_every_list_claim_has_the_kind_and_option_its_members_are_listed_under(texts, pair_claims):
    """The kind and option of each member are read from the document's own lead-in line above it."""
    checked = 0
    for claim in pair_claims:
        if claim["kind"] not in ("advantage", "disadvantage"):
            continue
        for member in claim["members"]:
            lead_ins = [m for m in LEAD_IN.finditer(texts[member["council"]]) if m.start() < member["start"]]
            assert lead_ins, member
            lead_in = lead_ins[-1]
            assert claim["kind"] == lead_in["kind"][:-1], (claim["claim"], member["quote"], lead_in.group(0))
            assert claim["subject"] == OPTION_OF_LEAD_IN[lead_in["option"]], (
                member["quote"],
                lead_in.group(0),
            )
            checked += 1
    assert checked >= 2 * len([item for item in SHARED_ITEMS if item[0] in ("advantage", "disadvantage")])


def test_every_member_quote_is_the_source_text_at_its_offsets(texts, pair_claims):
    for claim in pair_claims:
        assert len({m["council"] for m in claim["members"]}) == len(claim["members"]), claim["claim"]
        for member in claim["members"]:
            assert texts[member["council"]][member["start"] : member["end"]] == member["quote"]


@pytest.mark.parametrize("council", PAIR)
def test_a_council_compared_with_itself_aligns_fully(data_dir, pair_claims, council):
    alone = _compare(data_dir, f"{council},{council}")
    assert alone and all(claim["status"] == "all" and not claim["silent"] for claim in alone)

    def stated(claims: list[dict]) -> set[tuple[int, int]]:
        return {
            (m["start"], m["end"]) for claim in claims for m in claim["members"] if m["council"] == council
        }

    # comparing with another council neither drops nor adds any of this council's statements
    assert stated(alone) == stated(pair_claims)
