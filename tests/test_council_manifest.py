"""kg/sources/manifest.yaml is the one list of councils: the graph's councils come from it, carry its
GSS codes as linked statistical geographies, and a council added there alone builds or fails with one
clear line."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, Literal, URIRef

from kg.build import build
from kg.errors import KGError
from kg.sources import MANIFEST, SOURCES_DIR
from kg.validate import PKNS
from kg.vocab import ID, STATISTICAL_GEOGRAPHY

MANIFEST_COUNCILS = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["councils"]
NEW_DOCUMENT = """Testshire Permanence Guidance

1. Options for Permanence
Special guardianship and adoption are both considered for every child who cannot return home.
"""


def council(cid: str) -> URIRef:
    return URIRef(f"{ID}council/{cid}")


def test_every_council_in_the_graph_is_in_the_manifest_with_its_gss_code(dataset_graph):
    in_graph = {
        str(dataset_graph.value(c, PKNS.councilId)) for c in dataset_graph.subjects(RDF.type, PKNS.Council)
    }
    assert in_graph == set(MANIFEST_COUNCILS)
    for cid, entry in MANIFEST_COUNCILS.items():
        assert dataset_graph.value(council(cid), PKNS.gssCode) == Literal(entry["gss"])
        assert dataset_graph.value(council(cid), PKNS.statisticalGeography) == URIRef(
            STATISTICAL_GEOGRAPHY + entry["gss"]
        )


def test_cumbrias_successors_carry_their_own_gss_codes_as_our_annotation(dataset_graph):
    successors = list(dataset_graph.objects(council("cumbria"), PKNS.succeededBy))
    assert len(successors) == 2
    for org in successors:
        code = dataset_graph.value(org, PKNS.gssCode)
        assert code is not None and str(code).startswith("E06")
        assert dataset_graph.value(org, PKNS.statisticalGeography) == URIRef(
            STATISTICAL_GEOGRAPHY + str(code)
        )
        assert dataset_graph.value(org, URIRef("http://www.w3.org/ns/prov#wasAttributedTo")) is not None


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, target)
    return target


def edit_manifest(directory: Path, change) -> None:
    path = directory / "manifest.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["councils"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_council_added_to_the_manifest_alone_is_built(sources_copy, tmp_path):
    (sources_copy / "testshire.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    digest = hashlib.sha256(NEW_DOCUMENT.encode("utf-8")).hexdigest()
    entry = {
        "name": "Testshire Council",
        "gss": "E06000999",
        "file": "testshire.txt",
        "sha256": digest,
        "title": "Testshire Permanence Guidance",
        "dates": {},
        "headings": r"^\d+\. +[A-Z][^.\n]*$",
    }
    edit_manifest(sources_copy, lambda councils: councils.update({"testshire": entry}))
    extraction, written = build(tmp_path / "out", sources_dir=sources_copy)
    assert "testshire" in extraction.sources
    assert {p.type for p in extraction.passages["testshire"]} >= {"heading", "paragraph"}
    nquads = written["permanence.nq"].read_text(encoding="utf-8")
    assert f'<{ID}council/testshire> <https://w3id.org/permanence-kg/def#gssCode> "E06000999"' in nquads
    assert '"Testshire Council"@en' in nquads


def test_a_manifest_entry_without_a_gss_code_is_one_clear_line(sources_copy, tmp_path):
    edit_manifest(sources_copy, lambda councils: councils["dorset"].pop("gss"))
    with pytest.raises(KGError) as err:
        build(tmp_path / "out", sources_dir=sources_copy)
    assert err.value.problems == [
        "manifest entry 'dorset' lacks gss (every council needs name, gss, file, sha256, title, headings)"
    ]
    assert not (tmp_path / "out" / "permanence.nq").exists()


def test_a_council_the_ontology_describes_but_the_manifest_does_not_list_is_named(sources_copy, tmp_path):
    edit_manifest(sources_copy, lambda councils: councils.pop("enfield"))
    with pytest.raises(KGError) as err:
        build(tmp_path / "out", sources_dir=sources_copy)
    assert any("individuals.ttl describes council 'enfield'" in p for p in err.value.problems)
    assert all("\n" not in p and "KeyError" not in p for p in err.value.problems)


def test_a_council_named_differently_in_the_ontology_is_named(sources_copy, tmp_path):
    edit_manifest(sources_copy, lambda councils: councils["medway"].update({"name": "Medway Borough"}))
    with pytest.raises(KGError) as err:
        build(tmp_path / "out", sources_dir=sources_copy)
    assert any("'Medway Borough'" in p and "'Medway Council'" in p for p in err.value.problems)
