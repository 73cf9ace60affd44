"""Match keys: which statements say nearly the same thing, worked out once at build time.

``unique-to-council`` asks for statements no other council says nearly the same. Comparing every
pair of statements in the query grows with the square of the graph; here each statement gets

- ``pk:matchKey``: a digest of everything "nearly the same" looks at (its classes, subjects, text
  reduced to lower-case letters and digits, and its applicant categories, routes and consents), so
  statements with equal keys match exactly the same statements; and
- ``pk:matchesKey``: the keys of every statement it nearly matches (itself included), whatever
  the council.

A statement is then unique to its council when no statement of another council ``pk:matchesKey``
its key: one lookup per statement. A statement matches itself (and its copies) unless it has no
class or nothing to compare. Nearly the same means what the query said before (two
statements share a class and either a subject or, both, none, and their reduced texts share their
first 24 characters or one contains the other; or they share a class and a subject and name the
same applicant categories, routes and consents). The relation is not transitive, so no single key
could stand for it. The keys depend only on the statements' content, never on their IRIs or
council, so a copy of a council (benchmarks/scale.py) matches what the original matches.

Our modelling, never a council's words: the triples sit beside the statement in its council's
graph only so that the statement and its keys travel together.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import pyoxigraph as ox

from .vocab import RDF, pk

MATCH_KEY = pk("matchKey")
MATCHES_KEY = pk("matchesKey")
PREFIX_LENGTH = 24
_TYPE = ox.NamedNode(RDF + "type")
_ABOUT = pk("about")
_TEXT = pk("normalisedText")
_APPLICANT_FACTS = (pk("applicantCategory"), pk("route"), pk("consentOf"))
_NOT_LETTER_OR_DIGIT = re.compile(r"[^A-Za-z0-9]+")


@dataclass
class _Features:
    classes: set[str] = field(default_factory=set)
    subjects: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    facts: set[tuple[str, str]] = field(default_factory=set)

    def signature(self) -> tuple:
        return (
            tuple(sorted(self.classes)),
            tuple(sorted(self.subjects)),
            tuple(sorted(self.texts)),
            tuple(sorted(self.facts)),
        )


def reduced(text: str) -> str:
    """The text as compared: lower-case letters and digits only."""
    return _NOT_LETTER_OR_DIGIT.sub("", text).lower()


def _same_words(a: str, b: str) -> bool:
    return a[:PREFIX_LENGTH] == b[:PREFIX_LENGTH] or a in b or b in a


def _nearly_the_same(s: tuple, t: tuple) -> bool:
    classes_s, subjects_s, texts_s, facts_s = s
    classes_t, subjects_t, texts_t, facts_t = t
    if not set(classes_s) & set(classes_t):
        return False
    shared_subject = bool(set(subjects_s) & set(subjects_t))
    if (shared_subject or (not subjects_s and not subjects_t)) and any(
        _same_words(a, b) for a in texts_s for b in texts_t
    ):
        return True
    if not shared_subject:
        return False
    # The same applicant: every named value of each is named by the other under the same property.
    shared = {x for p, x in set(facts_s) & set(facts_t)}
    return bool(shared) and len(shared) == len({x for _, x in facts_s}) == len({x for _, x in facts_t})


def _key(signature: tuple) -> str:
    return hashlib.sha256(repr(signature).encode("utf-8")).hexdigest()[:20]


def match_key_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    """``pk:matchKey`` and ``pk:matchesKey`` for every statement (a subject with a normalised text)
    in ``quads``, each in the graph of the statement's text; deterministic for the same quads."""
    features: dict[ox.NamedNode, _Features] = defaultdict(_Features)
    graphs: dict[ox.NamedNode, set] = defaultdict(set)
    for q in quads:
        s = q.subject
        if not isinstance(s, ox.NamedNode):
            continue
        if q.predicate == _TEXT and isinstance(q.object, ox.Literal):
            features[s].texts.add(reduced(q.object.value))
            graphs[s].add(q.graph_name)
        elif q.predicate == _TYPE:
            features[s].classes.add(str(q.object))
        elif q.predicate == _ABOUT:
            features[s].subjects.add(str(q.object))
        elif q.predicate in _APPLICANT_FACTS:
            features[s].facts.add((q.predicate.value, str(q.object)))
    statements = [s for s in features if s in graphs]
    signatures = {s: features[s].signature() for s in statements}
    # Only signatures sharing a class and a subject (or, both, no subject) can match: compare
    # within those groups, so the build compares few pairs.
    groups: dict[tuple[str, str], set[tuple]] = defaultdict(set)
    for sig in set(signatures.values()):
        for cls in sig[0]:
            for subject in sig[1] or ("",):
                groups[(cls, subject)].add(sig)
    matches: dict[tuple, set[str]] = {
        sig: {_key(sig)} if _nearly_the_same(sig, sig) else set() for sig in set(signatures.values())
    }
    for members in groups.values():
        for a, b in combinations(sorted(members), 2):
            if _key(b) not in matches[a] and _nearly_the_same(a, b):
                matches[a].add(_key(b))
                matches[b].add(_key(a))
    out = []
    for s in statements:
        sig = signatures[s]
        for graph in graphs[s]:
            out.append(ox.Quad(s, MATCH_KEY, ox.Literal(_key(sig)), graph))
            out += [ox.Quad(s, MATCHES_KEY, ox.Literal(k), graph) for k in sorted(matches[sig])]
    return out
