"""The ontology as the build and extractors see it: ids, labels and the wordings documents use.

The Turtle files in ``ontology/`` are the single source of truth; nothing here repeats them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .errors import KGError
from .sources import council_ids
from .vocab import ONTOLOGY_GRAPH, SPARQL_PREFIXES, council_iri

# ontology/ at the top level; kg/ontology links to it so an installed wheel carries the ontology.
ONTOLOGY_DIR = Path(str(resources.files("kg") / "ontology"))
ONTOLOGY_FILES = ("permanence.ttl", "individuals.ttl", "concepts.ttl", "organisations.ttl")


def ontology_quads(directory: Path = ONTOLOGY_DIR) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    problems = []
    # The parser names blank nodes at random; number them in file order so builds are byte-identical.
    names: dict[str, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term.value, ox.BlankNode(f"b{len(names)}"))
        return term

    for name in ONTOLOGY_FILES:
        path = directory / name
        try:
            with path.open("rb") as fh:
                quads.extend(
                    ox.Quad(stable(q.subject), q.predicate, stable(q.object), ONTOLOGY_GRAPH)
                    for q in ox.parse(fh, format=ox.RdfFormat.TURTLE)
                )
        except FileNotFoundError:
            problems.append(f"ontology file missing: {path}")
        except SyntaxError as exc:
            problems.append(f"ontology file {path} is not valid Turtle: {exc}")
    if problems:
        raise KGError(*problems)
    return quads


@dataclass(frozen=True)
class Term:
    """An option, order, organisation or concept: its IRI, id, label and the wordings that name it."""

    iri: str
    id: str
    label: str
    wordings: tuple[str, ...]


def _wording_pattern(wording: str) -> str:
    """A regex for a wording tolerant of the documents' noise: any spacing, hyphen or slash
    between words, either apostrophe, and a plural 's'."""
    words = re.findall(r"[A-Za-z0-9]+", wording.replace("’", "'"))
    body = r"[\s\u00a0\-/]*(?:'|’)?".join(re.escape(w) for w in words)
    return rf"\b{body}s?\b"


class Ontology:
    def __init__(self, directory: Path = ONTOLOGY_DIR) -> None:
        self.store = ox.Store()
        self.store.extend(ontology_quads(directory))

    def _select(self, query: str) -> list[list[str]]:
        rows = self.store.query(SPARQL_PREFIXES + query, default_graph=ONTOLOGY_GRAPH)
        assert isinstance(rows, ox.QuerySolutions)
        return [[term.value if term is not None else "" for term in row] for row in rows]

    def _terms(self, cls: str) -> dict[str, Term]:
        rows = self._select(f"""SELECT ?s ?id ?label (GROUP_CONCAT(?w; separator="\\u0001") AS ?ws) WHERE {{
                ?s a {cls} ; pk:localId ?id ; rdfs:label ?label .
                OPTIONAL {{ ?s skos:altLabel|skos:hiddenLabel|rdfs:label ?w }}
            }} GROUP BY ?s ?id ?label ORDER BY ?id""")
        return {
            r[1]: Term(r[0], r[1], r[2], tuple(sorted(set(filter(None, r[3].split("\u0001")))))) for r in rows
        }

    @cached_property
    def options(self) -> dict[str, Term]:
        return self._terms("pk:PermanenceOption")

    @cached_property
    def orders(self) -> dict[str, Term]:
        return self._terms("pk:LegalOrder")

    @cached_property
    def organisations(self) -> dict[str, Term]:
        return self._terms("pk:NamedOrganisation")

    @cached_property
    def councils(self) -> dict[str, str]:
        """council id -> IRI, for every council of the source manifest (the one list of councils)."""
        return {cid: council_iri(cid) for cid in council_ids()}

    @cached_property
    def described_councils(self) -> dict[str, str]:
        """council id -> label, for the councils individuals.ttl describes (checked against the manifest)."""
        return dict(
            (r[0], r[1])
            for r in self._select(
                "SELECT ?id ?label WHERE { ?c a pk:Council ; pk:councilId ?id ; rdfs:label ?label }"
            )
        )

    @cached_property
    def secured_by(self) -> dict[str, tuple[str, ...]]:
        """option id -> the ids of the orders that secure it in law (pk:securedBy, our modelling)."""
        links: dict[str, list[str]] = {}
        for option, order in self._select(
            "SELECT ?o ?d WHERE { ?x pk:securedBy ?y . ?x pk:localId ?o . ?y pk:localId ?d }"
        ):
            links.setdefault(option, []).append(order)
        return {o: tuple(sorted(ds)) for o, ds in sorted(links.items())}

    def linked_subjects(self, sid: str) -> list[str]:
        """The option or order and those the option-order link joins it to: the orders securing an
        option, or the options an order secures."""
        if sid in self.options:
            return [sid, *self.secured_by.get(sid, ())]
        return [sid, *(o for o, orders in self.secured_by.items() if sid in orders)]

    @cached_property
    def topic_words(self) -> dict[str, tuple[str, ...]]:
        """topic id (a statement kind's notation) -> the words that show a passage speaks of it."""
        words: dict[str, list[str]] = {}
        for topic, word in self._select(
            'SELECT ?id ?w WHERE { ?t skos:inScheme/pk:localId "topic" ; pk:localId ?id ; pk:topicWord ?w }'
        ):
            words.setdefault(topic, []).append(word)
        return {t: tuple(sorted(ws)) for t, ws in sorted(words.items())}

    @cached_property
    def concepts(self) -> dict[str, dict[str, str]]:
        """scheme id -> concept id -> IRI."""
        schemes: dict[str, dict[str, str]] = {}
        for concept, cid, scheme in self._select(
            "SELECT ?c ?id ?scheme WHERE "
            "{ ?c a skos:Concept ; pk:localId ?id ; skos:inScheme/pk:localId ?scheme }"
        ):
            schemes.setdefault(scheme, {})[cid] = concept
        return schemes

    @cached_property
    def kinds(self) -> dict[str, str]:
        """statement kind id (skos:notation) -> class IRI."""
        return dict(
            (r[1], r[0])
            for r in self._select("SELECT ?c ?n WHERE { ?c rdfs:subClassOf pk:Statement ; skos:notation ?n }")
        )

    def concept(self, scheme: str, cid: str) -> str:
        try:
            return self.concepts[scheme][cid]
        except KeyError:
            known = ", ".join(sorted(self.concepts.get(scheme, {}))) or "(no such scheme)"
            raise KGError(f"unknown {scheme} concept '{cid}': expected one of {known}") from None

    def subject(self, sid: str) -> Term:
        term = self.options.get(sid) or self.orders.get(sid)
        if term is None:
            raise KGError(
                f"unknown option or order '{sid}': expected one of "
                + ", ".join(sorted(self.options) + sorted(self.orders))
            )
        return term

    @cached_property
    def _matchers(self) -> dict[str, list[tuple[re.Pattern[str], Term]]]:
        def build(terms: dict[str, Term]) -> list[tuple[re.Pattern[str], Term]]:
            pairs = [(w, t) for t in terms.values() for w in t.wordings]
            # Longest wording first, so "Special Guardianship Order" wins over "Special Guardianship".
            pairs.sort(key=lambda p: (-len(p[0]), p[1].id))
            return [(re.compile(_wording_pattern(w), re.IGNORECASE), t) for w, t in pairs]

        return {
            "option": build(self.options),
            "order": build(self.orders),
            "organisation": build(self.organisations),
        }

    def find(self, kind: str, text: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping mentions of options, orders or organisations in text, in order."""
        taken: list[tuple[int, int, Term]] = []
        for pattern, term in self._matchers[kind]:
            for m in pattern.finditer(text):
                if not any(m.start() < e and s < m.end() for s, e, _ in taken):
                    taken.append((m.start(), m.end(), term))
        return sorted(taken, key=lambda x: x[0])

    def starts_with(self, kind: str, text: str) -> Term | None:
        """The option or order a heading-like text begins with, if any."""
        for pattern, term in self._matchers[kind]:
            m = pattern.match(text)
            if m:
                return term
        return None


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    return Ontology()
