"""What another council says nearly the same is worked out at build time (kg/match_keys.py), and
`unique-to-council` answers from those keys exactly as comparing every pair of statements would."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import queries
from kg.match_keys import MATCH_KEY, MATCHES_KEY, match_key_quads
from kg.vocab import RDF, pk

# The definition of "nearly the same" written as a comparison of every pair of statements (the
# query's text before the keys): the reference the keys must agree with.
PAIRWISE = """
SELECT ?council ?kind ?subject ?text ?quote ?section WHERE {
  ?s a ?class ; pk:council/pk:councilId ?council ; pk:normalisedText ?text ; pk:hasEvidence ?ev .
  ?class skos:notation ?kind .
  FILTER (?kind IN ("advantage", "disadvantage", "applicant", "support", "timescale", "legal-effect"))
  ?ev pk:section ?section ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?s pk:about/pk:localId ?subject }
  MINUS {
    SELECT DISTINCT ?s WHERE {
      {
        { SELECT ?s ?class ?a ?c ?key WHERE {
            ?s a ?class ; pk:about ?a ; pk:council ?c ; pk:normalisedText ?x .
            BIND (LCASE(REPLACE(?x, "[^A-Za-z0-9]+", "")) AS ?key) } }
        { SELECT ?t ?class ?a ?tc ?tkey WHERE {
            ?t a ?class ; pk:about ?a ; pk:council ?tc ; pk:normalisedText ?y .
            BIND (LCASE(REPLACE(?y, "[^A-Za-z0-9]+", "")) AS ?tkey) } }
      } UNION {
        { SELECT ?s ?class ?c ?key WHERE {
            ?s a ?class ; pk:council ?c ; pk:normalisedText ?x . FILTER NOT EXISTS { ?s pk:about ?a }
            BIND (LCASE(REPLACE(?x, "[^A-Za-z0-9]+", "")) AS ?key) } }
        { SELECT ?t ?class ?tc ?tkey WHERE {
            ?t a ?class ; pk:council ?tc ; pk:normalisedText ?y . FILTER NOT EXISTS { ?t pk:about ?b }
            BIND (LCASE(REPLACE(?y, "[^A-Za-z0-9]+", "")) AS ?tkey) } }
      }
      FILTER (?c != ?tc)
      FILTER (SUBSTR(?key, 1, 24) = SUBSTR(?tkey, 1, 24) || CONTAINS(?key, ?tkey) || CONTAINS(?tkey, ?key))
    }
  }
  MINUS {
    SELECT DISTINCT ?s WHERE {
      {
        SELECT ?s ?t (COUNT(DISTINCT ?x) AS ?shared) WHERE {
          VALUES ?p { pk:applicantCategory pk:route pk:consentOf }
          ?s ?p ?x ; a ?class ; pk:about ?a ; pk:council ?c .
          ?t ?p ?x ; a ?class ; pk:about ?a ; pk:council ?tc .
          FILTER (?c != ?tc)
        }
        GROUP BY ?s ?t
      }
      { SELECT ?s (COUNT(DISTINCT ?x) AS ?own) WHERE {
          VALUES ?p { pk:applicantCategory pk:route pk:consentOf } ?s ?p ?x } GROUP BY ?s }
      { SELECT ?t (COUNT(DISTINCT ?y) AS ?other) WHERE {
          VALUES ?q { pk:applicantCategory pk:route pk:consentOf } ?t ?q ?y } GROUP BY ?t }
      FILTER (?shared = ?own && ?shared = ?other)
    }
  }
}
"""

KEYED = PAIRWISE[: PAIRWISE.index("  MINUS {")] + (
    "  FILTER NOT EXISTS { ?s pk:council ?c ; pk:matchKey ?key . "
    "?t pk:matchesKey ?key ; pk:council ?tc . FILTER (?tc != ?c) }\n}\n"
)


def _rows(text: str, data_dir) -> list[str]:
    return sorted(map(repr, queries.sparql(text, data=str(data_dir), timeout=None, limit=10**7).rows))


def test_the_keys_find_exactly_the_statements_no_pair_matches(data_dir):
    pairwise = _rows(PAIRWISE, data_dir)
    assert pairwise, "some statements of these kinds are unique to their council"
    assert _rows(KEYED, data_dir) == pairwise


def test_the_library_query_answers_from_the_keys(data_dir):
    text = queries.get("unique-to-council").text
    assert "MINUS" not in text and "pk:matchesKey" in text


def _statement(name: str, council: str, text: str, about: str | None = "option/a") -> list[ox.Quad]:
    s = ox.NamedNode(f"http://example.org/{name}")
    quads = [
        ox.Quad(s, ox.NamedNode(RDF + "type"), pk("Advantage")),
        ox.Quad(s, pk("council"), ox.NamedNode(f"http://example.org/{council}")),
        ox.Quad(s, pk("normalisedText"), ox.Literal(text)),
    ]
    if about:
        quads.append(ox.Quad(s, pk("about"), ox.NamedNode(f"http://example.org/{about}")))
    return quads


def _keys(quads: list[ox.Quad]) -> tuple[dict[str, str], dict[str, set[str]]]:
    own: dict[str, str] = {}
    matched: dict[str, set[str]] = {}
    for q in match_key_quads(quads):
        name = q.subject.value.rsplit("/", 1)[-1]
        if q.predicate == MATCH_KEY:
            own[name] = q.object.value
        elif q.predicate == MATCHES_KEY:
            matched.setdefault(name, set()).add(q.object.value)
    return own, matched


@pytest.mark.parametrize(
    "first, second, same",
    [
        (
            "The child is a permanent family member",
            "The child is a permanent family member into adulthood",
            True,
        ),
        ("It gives the child security.", "it gives the child SECURITY", True),
        ("The child is no longer Looked After", "The child is no longer in Care", False),
    ],
)
def test_nearly_the_same_words_share_a_key(first, second, same):
    own, matched = _keys(_statement("s", "one", first) + _statement("t", "two", second))
    assert (own["s"] in matched["t"]) is same and (own["t"] in matched["s"]) is same


def test_nearness_is_not_passed_along_a_chain():
    """b contains a and c, but a and c share neither opening nor containment: a and c do not match."""
    a = "Long term stability for the child"
    b = "Long term stability for the child and the carers together as a family"
    c = "the carers together as a family"
    own, matched = _keys(_statement("a", "one", a) + _statement("b", "two", b) + _statement("c", "three", c))
    assert own["b"] in matched["a"] and own["b"] in matched["c"]
    assert own["c"] not in matched["a"] and own["a"] not in matched["c"]


def test_the_same_words_about_different_subjects_do_not_match():
    own, matched = _keys(
        _statement("s", "one", "It is permanent", "option/a")
        + _statement("t", "two", "It is permanent", "option/b")
    )
    assert own["t"] not in matched["s"]
    no_subject = _keys(
        _statement("u", "one", "It is permanent", None) + _statement("v", "two", "It is permanent", None)
    )
    assert no_subject[0]["v"] in no_subject[1]["u"]
