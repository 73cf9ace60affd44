"""A synthetic graph N times the size of the built one, for measuring queries at scale.

Each of the five councils is copied N - 1 times under a new council id (``medway-copy2``, ...):
its whole named graph (statements, evidence, durations, passages) with every council, statement,
passage and document IRI rewritten, plus the descriptions of the council and of its document
(type, id, label, file) from the ontology and provenance graphs. Each copy has a document of its
own, as every real council does, with the same text and file. Ontology, law, claims and
divergences are not copied: they describe the law and the five real councils. The build's
coverage (which councils say something of each kind) lists the copies beside their originals.
The result is a real graph with N times as many council statements, not the same triples
repeated (a repeated triple would be stored once).

Usage: python benchmarks/scale.py FACTOR [--data build] [--out DIR] [--stored]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kg.coverage import COVERING_COUNCIL_IDS, SEPARATOR
from kg.store import MANIFEST, MANIFEST_VERSION, NQUADS, STORED, nquads_path, write_stored
from kg.vocab import ID, PK

COUNCIL = ID + "council/"
STATEMENT = ID + "statement/"
# IRIs minted per council ("statement/medway/...", "document/medway"): each copy gets its own.
PER_COUNCIL = [ID + kind + "/" for kind in ("statement", "passage", "document")]
PASSAGE = ID + "passage/"
DOCUMENT = ID + "document/"
COUNCIL_GRAPH = ID + "graph/council/"
COUNCIL_ID = ox.NamedNode(PK + "councilId")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _renamer(council: str, copy: str):
    renamed = {
        COUNCIL + council: COUNCIL + copy,
        COUNCIL_GRAPH + council: COUNCIL_GRAPH + copy,
        DOCUMENT + council: DOCUMENT + copy,
    }

    def rename(term):
        if isinstance(term, ox.NamedNode):
            if term.value in renamed:
                return ox.NamedNode(renamed[term.value])
            for base in PER_COUNCIL:
                if term.value == base + council or term.value.startswith(f"{base}{council}/"):
                    return ox.NamedNode(f"{base}{copy}{term.value[len(base) + len(council):]}")
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(f"{term.value}-{copy}")
        return term

    return rename


def scaled_quads(quads: list[ox.Quad], factor: int) -> Iterator[ox.Quad]:
    """The quads, then ``factor - 1`` renamed copies of every council, one at a time (300x is
    ten million quads: streamed, never held in a list)."""
    graphs: dict[str, list[ox.Quad]] = {}
    about: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(COUNCIL_GRAPH):
            graphs.setdefault(graph.value[len(COUNCIL_GRAPH) :], []).append(quad)
        elif isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(COUNCIL):
            about.setdefault(quad.subject.value[len(COUNCIL) :], []).append(quad)
        elif isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(DOCUMENT):
            about.setdefault(quad.subject.value[len(DOCUMENT) :].split("/")[0], []).append(quad)
    for quad in quads:
        if quad.predicate == COVERING_COUNCIL_IDS and isinstance(quad.object, ox.Literal):
            # The build's coverage lists the councils that say something; their copies say it too.
            ids = quad.object.value.split(SEPARATOR)
            ids += [f"{i}-copy{k}" for i in ids if i in graphs for k in range(2, factor + 1)]
            quad = ox.Quad(
                quad.subject, quad.predicate, ox.Literal(SEPARATOR.join(sorted(ids))), quad.graph_name
            )
        yield quad
    for k in range(2, factor + 1):
        for council in sorted(graphs):
            copy = f"{council}-copy{k}"
            rename = _renamer(council, copy)
            for q in graphs[council] + about.get(council, []):
                obj = rename(q.object)
                if q.predicate == COUNCIL_ID:
                    obj = ox.Literal(copy)
                elif q.predicate == LABEL and isinstance(obj, ox.Literal):
                    obj = ox.Literal(f"{obj.value} (copy {k})", language=obj.language)
                yield ox.Quad(rename(q.subject), q.predicate, obj, rename(q.graph_name))


def scaled_copy(data: str | Path | None, factor: int, target: Path, stored: bool = False) -> Path:
    """Write the graph at ``factor`` times its size to ``target/permanence.nq`` with a build
    manifest, and (``stored``) the build's on-disk store beside it; return ``target``."""
    with nquads_path(data).open("rb") as fh:
        quads = list(ox.parse(fh, format=ox.RdfFormat.N_QUADS))
    target.mkdir(parents=True, exist_ok=True)
    out = target / NQUADS
    with out.open("wb") as fh:
        ox.serialize(scaled_quads(quads, factor), fh, format=ox.RdfFormat.N_QUADS)
    digest = hashlib.sha256()
    with out.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    # As a build writes it (kg.build.manifest), less what a copy does not need: loading checks the
    # hash and size (a quad count is optional).
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "files": {NQUADS: {"sha256": digest.hexdigest(), "bytes": out.stat().st_size}},
    }
    if stored:
        shutil.rmtree(target / STORED, ignore_errors=True)
        write_stored(target / STORED, out)
        manifest["stored"] = {"directory": STORED, "pyoxigraph": ox.__version__}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("factor", type=int)
    parser.add_argument("--data", default="build", help="built graph directory")
    parser.add_argument("--out", type=Path, help="output directory (default: build-x<FACTOR>)")
    parser.add_argument("--stored", action="store_true", help="also write the on-disk store")
    args = parser.parse_args()
    target = scaled_copy(args.data, args.factor, args.out or Path(f"build-x{args.factor}"), args.stored)
    print(target / "permanence.nq")


if __name__ == "__main__":
    main()
