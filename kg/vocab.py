"""IRIs of the permanence-kg vocabulary and identifiers, in one place."""

from __future__ import annotations

import pyoxigraph as ox

BASE = "https://w3id.org/permanence-kg/"
PK = BASE + "def#"
ID = BASE + "id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
TIME = "http://www.w3.org/2006/time#"

PREFIXES = {
    "pk": PK,
    "opt": ID + "option/",
    "ord": ID + "order/",
    "council": ID + "council/",
    "concept": ID + "concept/",
    "stmt": ID + "statement/",
    "org": ID + "organisation/",
    "doc": ID + "document/",
    "graph": ID + "graph/",
    "div": ID + "divergence/",
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "oa": OA,
    "time": TIME,
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

ONTOLOGY_GRAPH = ox.NamedNode(ID + "graph/ontology")
PROVENANCE_GRAPH = ox.NamedNode(ID + "graph/provenance")


def council_iri(council: str) -> str:
    return f"{ID}council/{council}"


STATISTICAL_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"


def council_graph(council: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}graph/council/{council}")


def pk(local: str) -> ox.NamedNode:
    return ox.NamedNode(PK + local)


def iri(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


def ns(base: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(base + local)


def local_id(node: ox.NamedNode | str) -> str:
    """The last path segment of an identifier IRI: the id users type."""
    value = node.value if isinstance(node, ox.NamedNode) else node
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
