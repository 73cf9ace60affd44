"""SHACL: a real build conforms; a graph broken in each of several ways fails with a message naming
the node, the property and the problem."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.validate import ID, OANS, PKNS, graph_shacl_failures, shacl_failures, shape_count, short


def test_a_real_build_conforms(dataset_graph):
    assert graph_shacl_failures(dataset_graph) == []


def test_shacl_failures_reads_the_build_directory(data_dir):
    assert shacl_failures(data_dir) == []


def test_there_are_shapes_for_statements_evidence_and_terms():
    assert shape_count() > 50


def first(graph: Graph, cls: URIRef) -> URIRef:
    return sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))[0]


def replace(graph: Graph, subject, prop, value) -> None:
    graph.remove((subject, prop, None))
    if value is not None:
        graph.add((subject, prop, value))


@pytest.fixture(scope="module")
def broken(dataset_graph) -> tuple[dict[str, URIRef], list[str]]:
    """One copy of the build with a different defect in each of several nodes, validated once."""
    graph = Graph()
    graph += dataset_graph
    advantages = sorted(graph.subjects(RDF.type, PKNS.Advantage))
    nodes = {
        "no-evidence": advantages[0],
        "about-an-order": advantages[1],
        "wrong-scheme": advantages[2],
        "no-route": first(graph, PKNS.ApplicantStatement),
        "no-presentation": first(graph, PKNS.OptionPresentation),
        "no-date": first(graph, PKNS.DocumentDate),
        "order-without-statute": URIRef(f"{ID}order/care-order"),
        "class-without-definition": PKNS.Disadvantage,
    }
    replace(graph, nodes["no-evidence"], PKNS.hasEvidence, None)
    replace(graph, nodes["about-an-order"], PKNS.about, URIRef(f"{ID}order/care-order"))
    replace(graph, nodes["wrong-scheme"], PKNS.theme, URIRef(f"{ID}concept/route/with-leave"))
    replace(graph, nodes["no-route"], PKNS.route, None)
    replace(graph, nodes["no-presentation"], PKNS.presentation, None)
    replace(graph, nodes["no-date"], URIRef("http://purl.org/dc/terms/date"), None)
    replace(graph, nodes["order-without-statute"], PKNS.madeUnder, None)
    replace(graph, nodes["class-without-definition"], SKOS.definition, None)
    position = URIRef(str(graph.value(advantages[3], PKNS.hasEvidence)) + "/position")
    nodes["start-after-end"] = position
    replace(
        graph,
        position,
        OANS.start,
        Literal(10**7, datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")),
    )
    nodes["undeclared-property"] = advantages[4]
    graph.add((advantages[4], PKNS.colour, Literal("red")))
    return nodes, graph_shacl_failures(graph)


@pytest.mark.parametrize(
    "defect, expected",
    [
        ("no-evidence", "pk:hasEvidence: a statement needs exactly one pk:hasEvidence"),
        (
            "about-an-order",
            "pk:about: this kind of statement needs pk:about a permanence option (value ord:care-order)",
        ),
        (
            "wrong-scheme",
            "pk:theme/skos:inScheme: a pk:theme value must be a skos:Concept in the theme scheme",
        ),
        ("no-route", "pk:route: an applicant statement needs a pk:route"),
        ("no-presentation", "pk:presentation: an option statement needs exactly one pk:presentation"),
        ("no-date", "dcterms:date: a document date needs exactly one dcterms:date"),
        ("order-without-statute", "pk:madeUnder: a legal order needs pk:madeUnder"),
        ("class-without-definition", ": has no skos:definition"),
        ("start-after-end", "oa:start: a position selector needs exactly one oa:start"),
    ],
)
def test_each_defect_is_named(broken, defect, expected):
    nodes, failures = broken
    line = (
        f"{short(nodes[defect])} {expected}"
        if not expected.startswith(":")
        else short(nodes[defect]) + expected
    )
    assert any(f.startswith(line) for f in failures), "\n".join(failures)


def test_an_undeclared_property_is_named(broken):
    _, failures = broken
    assert "ontology: the graph uses pk:colour, which the ontology does not declare as a property" in failures


def test_nothing_else_fails(broken):
    """Each defect gives its own failures and no others: the shapes are precise."""
    nodes, failures = broken
    named = {short(n) for n in nodes.values()} | {"ontology"}
    assert all(f.split(" ", 1)[0].rstrip(":") in named for f in failures), "\n".join(failures)


def test_an_unlabelled_term_of_ours_fails_but_a_foreign_one_does_not(dataset_graph):
    graph = Graph()
    graph += dataset_graph
    graph.remove((PKNS.Advantage, RDFS.label, None))
    graph.remove((URIRef("http://www.w3.org/ns/prov#Entity"), RDFS.label, None))
    graph.add((URIRef("http://example.org/Foreign"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")))
    assert graph_shacl_failures(graph) == ["pk:Advantage: has no rdfs:label or skos:prefLabel"]
