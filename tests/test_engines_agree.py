"""Oxigraph (the default) and rdflib give the same answers: every library query with its defaults,
typed parameters, and the Python types of values."""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg import queries
from kg.engines import _python

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
# rdflib is tens of times slower; a generous limit keeps a slow query from failing as a stop.
RDFLIB_TIMEOUT = 60


def comparable(rows: list[list]) -> list[str]:
    """Rows as sorted, type-revealing strings; a joined list (a|b, "a, b", a / b) compared as a
    set, since the order GROUP_CONCAT joins values in is up to the engine."""

    def value(v):
        if isinstance(v, str):
            for sep in ("|", ", ", " / "):
                if sep in v:
                    return sorted(v.split(sep))
        return v

    return sorted(repr([value(v) for v in row]) for row in rows)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_every_library_query_runs_with_its_defaults_and_both_engines_agree(data_dir, name):
    oxigraph = queries.run(name, data=str(data_dir))
    assert oxigraph.columns and not any(c.startswith("_") for c in oxigraph.columns)
    rdflib = queries.run(name, data=str(data_dir), engine="rdflib", timeout=RDFLIB_TIMEOUT)
    assert rdflib.columns == oxigraph.columns
    assert comparable(rdflib.rows) == comparable(oxigraph.rows)


@pytest.mark.parametrize(
    "name, params",
    [
        ("list-position", {"position": "2"}),
        ("list-position", {"position": "", "council": "medway"}),
        ("age-below", {"below": "4.5"}),
        ("year-of", {}),
        ("about-option", {"option": "special-guardianship"}),
        ("about-option", {"option": "", "graph": "https://w3id.org/permanence-kg/id/graph/council/dorset"}),
    ],
)
def test_typed_parameters_bind_alike_on_both_engines(data_dir, name, params):
    query = queries.parse_query_file(FIXTURES / f"{name}.rq")
    results = [
        queries.execute(
            query.text, query.bindings(params), data=str(data_dir), engine=engine, timeout=RDFLIB_TIMEOUT
        )
        for engine in ("oxigraph", "rdflib")
    ]
    assert results[0].rows and comparable(results[0].rows) == comparable(results[1].rows)


def test_values_come_back_as_the_same_python_types(data_dir):
    text = """SELECT ?integer ?decimal ?double ?boolean ?string ?tagged ?month ?iri ?unbound WHERE {
        BIND (7 AS ?integer) BIND (2.5 AS ?decimal) BIND (1e0 AS ?double) BIND (true AS ?boolean)
        BIND ("x" AS ?string) BIND ("y"@en AS ?tagged) BIND ("2024-03"^^xsd:gYearMonth AS ?month)
        BIND (council:medway AS ?iri)
        OPTIONAL { council:medway pk:noSuchProperty ?unbound }
    }"""
    oxigraph, rdflib = (
        queries.sparql(text, data=str(data_dir), engine=e).rows for e in ("oxigraph", "rdflib")
    )
    assert (
        oxigraph
        == rdflib
        == [
            [7, 2.5, 1.0, True, "x", "y", "2024-03", "https://w3id.org/permanence-kg/id/council/medway", None]
        ]
    )
    assert [type(v) for v in oxigraph[0]] == [type(v) for v in rdflib[0]]


@pytest.mark.parametrize(
    "lexical, datatype",
    [
        ("true", "boolean"),
        ("0", "boolean"),
        ("maybe", "boolean"),
        ("-0.50", "decimal"),
        ("x", "decimal"),
        ("INF", "double"),
        ("1e3", "float"),
    ],
)
def test_booleans_and_numbers_read_directly_as_rdflib_reads_them(lexical, datatype):
    iri = "http://www.w3.org/2001/XMLSchema#" + datatype
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns of the ill-formed ones
        expected = _python(rdflib.Literal(lexical, datatype=iri))
    got = _python(ox.Literal(lexical, datatype=ox.NamedNode(iri)))
    assert (got, type(got)) == (expected, type(expected))
