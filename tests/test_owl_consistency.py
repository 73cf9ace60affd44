"""OWL consistency: HermiT finds the ontology and the built statements consistent, and catches
modelling errors the axioms rule out (disjoint kinds, domains, 'only' restrictions)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg import validate
from kg.errors import KGError
from kg.validate import graph_reasoner_failures, ontology_graph, owl_consistency_failures, reasoning_graph

needs_java = pytest.mark.skipif(
    validate.java_executable() is None, reason="Java is not installed: the HermiT reasoner needs it"
)

PREFIXES = """
@prefix pk: <https://w3id.org/permanence-kg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ord: <https://w3id.org/permanence-kg/id/order/> .
@prefix opt: <https://w3id.org/permanence-kg/id/option/> .
@prefix concept: <https://w3id.org/permanence-kg/id/concept/> .
"""


# Slashes are not allowed in Turtle's prefixed names, so statement and concept IRIs are written out.
STMT = "https://w3id.org/permanence-kg/id/statement/test/"
THEME = "https://w3id.org/permanence-kg/id/concept/theme/"


def with_fragment(turtle: str) -> Graph:
    graph = ontology_graph()
    graph.parse(data=PREFIXES + turtle, format="turtle")
    return reasoning_graph(graph)


@needs_java
def test_the_ontology_with_the_built_statements_is_consistent(dataset_graph):
    assert owl_consistency_failures(dataset_graph) == []


@needs_java
def test_an_advantage_about_an_order_is_inconsistent():
    failures = graph_reasoner_failures(
        with_fragment(f"<{STMT}advantage/x/1-2> a pk:Advantage ; pk:about ord:care-order .")
    )
    assert failures == [
        "inconsistent (HermiT): ord:care-order is both pk:LegalOrder (asserted) and pk:PermanenceOption "
        "(pk:about of stmt:test/advantage/x/1-2, a pk:Advantage), which are disjoint"
    ]


@needs_java
def test_a_theme_on_a_support_statement_is_inconsistent():
    failures = graph_reasoner_failures(
        with_fragment(f"<{STMT}support/x/1-2> a pk:SupportStatement ; pk:theme <{THEME}contact> .")
    )
    assert len(failures) == 1
    assert failures[0].startswith(
        "inconsistent (HermiT): stmt:test/support/x/1-2 is both pk:SupportStatement"
    )
    assert "pk:TradeOff (domain of pk:theme)" in failures[0]


@needs_java
def test_a_class_under_two_disjoint_kinds_is_unsatisfiable():
    failures = graph_reasoner_failures(
        with_fragment("pk:Oddity a owl:Class ; rdfs:subClassOf pk:Advantage, pk:Disadvantage .")
    )
    assert failures == ["class pk:Oddity is unsatisfiable (no individual could ever belong to it)"]


def test_without_java_the_reasoner_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr(validate, "java_executable", lambda: None)
    with pytest.raises(KGError, match="Java not found.*--skip-reasoner"):
        graph_reasoner_failures(ontology_graph())


def test_values_outside_the_owl2_datatype_map_are_left_to_shacl():
    """HermiT refuses xsd:date (pk:abolishedOn); the reasoning graph leaves those values out."""

    def datatypes(graph: Graph) -> set:
        return {getattr(o, "datatype", None) for o in graph.objects()} | set(graph.objects(None, RDFS.range))

    xsd_date = URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert xsd_date in datatypes(ontology_graph())
    assert xsd_date not in datatypes(reasoning_graph(ontology_graph()))
