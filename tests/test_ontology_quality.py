"""Ontology QC: the real ontology passes; each kind of defect is caught and named; the law as modelled."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.validate import ID, PKNS, graph_qc_failures, ontology_graph, ontology_qc_failures

LEG = "http://www.legislation.gov.uk/id/"


def opt(local: str) -> URIRef:
    return URIRef(f"{ID}option/{local}")


def ord_(local: str) -> URIRef:
    return URIRef(f"{ID}order/{local}")


def concept(scheme: str, local: str) -> URIRef:
    return URIRef(f"{ID}concept/{scheme}/{local}")


def statute(path: str) -> URIRef:
    return URIRef(LEG + path)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


def altered(ontology: Graph, remove=(), add=()) -> Graph:
    graph = Graph()
    graph += ontology
    for triple in remove:
        graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return graph


def test_the_real_ontology_passes_qc():
    assert ontology_qc_failures() == []


def test_every_term_kind_is_checked(ontology):
    """QC is only meaningful if it sees the terms: classes, properties, concepts, options, orders."""
    for cls in (PKNS.PermanenceOption, PKNS.LegalOrder, PKNS.NamedOrganisation, SKOS.Concept):
        assert len(set(ontology.subjects(RDF.type, cls))) >= 5, cls


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            {"remove": [(PKNS.Advantage, SKOS.definition, None)]},
            "pk:Advantage: missing definition (skos:definition)",
        ),
        (
            {"remove": [(opt("adoption"), RDFS.label, None)]},
            "opt:adoption: missing label (rdfs:label or skos:prefLabel)",
        ),
        (
            {
                "remove": [(opt("kinship"), RDFS.label, None)],
                "add": [(opt("kinship"), RDFS.label, Literal("Adoption", lang="en"))],
            },
            "duplicate label 'adoption' in pk:PermanenceOption: opt:adoption, opt:kinship",
        ),
        (
            {"add": [(opt("kinship"), SKOS.altLabel, Literal("Long-term fostering", lang="en"))]},
            "wording 'long term fostering' names more than one pk:PermanenceOption: "
            "opt:kinship, opt:long-term-fostering",
        ),
        (
            {"add": [(ord_("care-order"), PKNS.discharges, ord_("carer-order"))]},
            "ord:carer-order: used as a value but never declared (no rdf:type in the ontology)",
        ),
        (
            {"add": [(ord_("care-order"), PKNS.dischargez, ord_("supervision-order"))]},
            "pk:dischargez: used as a property but never declared (no rdf:type in the ontology)",
        ),
        (
            {
                "remove": [(ord_("care-order"), PKNS.localId, None)],
                "add": [(ord_("care-order"), PKNS.localId, Literal("care"))],
            },
            "ord:care-order: pk:localId 'care' is not the IRI's last segment",
        ),
        (
            {"add": [(PKNS.Advantage, RDFS.label, Literal("benefit", lang="en"))]},
            "pk:Advantage: 2 rdfs:label values in language en (expected one)",
        ),
    ],
    ids=[
        "missing-definition",
        "missing-label",
        "duplicate-label",
        "ambiguous-wording",
        "dangling-individual",
        "undeclared-property",
        "local-id-mismatch",
        "two-labels",
    ],
)
def test_qc_names_each_defect(ontology, change, expected):
    failures = graph_qc_failures(altered(ontology, change.get("remove", ()), change.get("add", ())))
    assert expected in failures, failures


# Our modelling of the law: each fact below is checked against the statute section it cites.
@pytest.mark.parametrize(
    "order, made_under",
    [
        ("special-guardianship-order", "ukpga/1989/41/section/14A"),
        ("child-arrangements-order", "ukpga/1989/41/section/8"),
        ("care-order", "ukpga/1989/41/section/31"),
        ("supervision-order", "ukpga/1989/41/section/31"),
        ("interim-care-order", "ukpga/1989/41/section/38"),
        ("placement-order", "ukpga/2002/38/section/21"),
        ("adoption-order", "ukpga/2002/38/section/46"),
    ],
)
def test_orders_are_made_under_their_statute(ontology, order, made_under):
    assert (ord_(order), PKNS.madeUnder, statute(made_under)) in ontology


def test_every_order_has_a_statute(ontology):
    orders = set(ontology.subjects(RDF.type, PKNS.LegalOrder))
    assert orders and all(ontology.value(o, PKNS.madeUnder) is not None for o in orders)


def law(ontology: Graph, order: str, prop: URIRef) -> set[str]:
    return {str(v).rsplit("/", 1)[-1] for v in ontology.objects(ord_(order), prop)}


def test_special_guardianship_pr_follows_s14c(ontology):
    # s.14C(1): PR exercisable to the exclusion of others, parents keep theirs; (3)-(4): no new surname,
    # no removal from the UK beyond three months; (2)(b): parents keep their rights as to adoption.
    assert law(ontology, "special-guardianship-order", PKNS.confersPROn) == {"special-guardian"}
    assert law(ontology, "special-guardianship-order", PKNS.prSharingInLaw) == {
        "exclusive-exercise",
        "shared-with-parents",
    }
    assert law(ontology, "special-guardianship-order", PKNS.holderMayNot) == {
        "change-of-name",
        "removal-from-uk",
        "consent-to-adoption",
    }
    assert "14C" in law(ontology, "special-guardianship-order", PKNS.lawSource)
    assert law(ontology, "special-guardianship-order", PKNS.discharges) >= {"care-order"}


def test_child_arrangements_pr_follows_s12_and_s13(ontology):
    # s.12(2): PR while the order is in force; s.12(3): no consent to adoption, no appointing a guardian;
    # s.13(1): no new surname or removal from the UK without consent or leave.
    assert law(ontology, "child-arrangements-order", PKNS.confersPROn) == {"cao-live-with-person"}
    assert "while-order-in-force" in law(ontology, "child-arrangements-order", PKNS.prSharingInLaw)
    assert law(ontology, "child-arrangements-order", PKNS.holderMayNot) == {
        "consent-to-adoption",
        "appoint-guardian",
        "change-of-name",
        "removal-from-uk",
    }
    assert {"12", "13"} <= law(ontology, "child-arrangements-order", PKNS.lawSource)


def test_care_order_pr_follows_s33(ontology):
    # s.33(3): the local authority has PR, shared with the parents; s.33(6)-(7): what it may not do.
    assert law(ontology, "care-order", PKNS.confersPROn) == {"local-authority"}
    assert law(ontology, "care-order", PKNS.prSharingInLaw) == {"shared-with-parents"}
    assert law(ontology, "care-order", PKNS.holderMayNot) == {
        "consent-to-adoption",
        "appoint-guardian",
        "change-of-name",
        "removal-from-uk",
    }
    assert "33" in law(ontology, "care-order", PKNS.lawSource)


def test_adoption_order_follows_aca_s46(ontology):
    # s.46(1)-(2): PR to the adopters alone; everyone else's, and every 1989 Act order, extinguished.
    assert law(ontology, "adoption-order", PKNS.confersPROn) == {"adopter"}
    assert law(ontology, "adoption-order", PKNS.prSharingInLaw) == {"sole"}
    assert law(ontology, "adoption-order", PKNS.discharges) >= {"care-order", "special-guardianship-order"}
    assert "46" in law(ontology, "adoption-order", PKNS.lawSource)


def test_supervision_order_gives_no_pr(ontology):
    assert law(ontology, "supervision-order", PKNS.confersPROn) == set()


def test_law_values_come_from_the_right_schemes(ontology):
    for prop, scheme in (
        (PKNS.confersPROn, "pr"),
        (PKNS.prSharingInLaw, "pr"),
        (PKNS.holderMayNot, "decision"),
    ):
        values = set(ontology.objects(None, prop))
        assert values, prop
        for value in values:
            assert (value, SKOS.inScheme, URIRef(f"{ID}concept/{scheme}")) in ontology, value
