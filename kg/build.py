"""Build the dataset: extract statements, check every quote, write TriG, N-Quads and JSON-LD.

Output is byte-identical for the same sources: identifiers come from offsets, blank nodes are
numbered in file order, and quads are written sorted. The three files and a manifest are written
as a new generation and switched to in one atomic step (kg.store.publish), so a failed or killed
build leaves the previous build whole and readable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from . import __version__, store
from .claims import claim_quads
from .coverage import coverage_quads
from .errors import KGError
from .extract import curated, durations, grid, passages, structured
from .extract.passages import Passage
from .match_keys import match_key_quads
from .model import CONCEPT_PROPERTIES, Duration, Statement
from .ontology import Ontology, ontology, ontology_quads
from .sources import Source, load_sources
from .vocab import (
    DCTERMS,
    ID,
    OA,
    ONTOLOGY_GRAPH,
    OWL,
    PREFIXES,
    PROV,
    PROVENANCE_GRAPH,
    RDF,
    RDFS,
    SKOS,
    STATISTICAL_GEOGRAPHY,
    TIME,
    XSD,
    council_graph,
    council_iri,
    pk,
)

DIVERGENCE_GRAPH = ox.NamedNode(ID + "graph/divergences")
DEFAULT_OUT = Path("build")
OUTPUT_FILES = {
    "permanence.trig": ox.RdfFormat.TRIG,
    "permanence.nq": ox.RdfFormat.N_QUADS,
    "permanence.jsonld": ox.RdfFormat.JSON_LD,
}
EXTRACTION_ACTIVITIES = {
    "list": "Extraction of enumerated list items after a recognised lead-in",
    "inline-list": "Extraction of options from an in-sentence list of permanence options",
    "heading": "Extraction of options from section headings",
    "mention": "Detection of options mentioned only in passing",
    "pattern": "Extraction of sentences matching a fixed pattern",
    "grid": "Extraction of the cells of a needs-to-option grid",
    "curated": "Curation by hand of a fact stated in running prose, quote located by the build",
    "passages": "Division of each document into headings, paragraphs, list items and table cells",
}


def _lit(value: Any, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


def _a(cls: str) -> tuple[ox.NamedNode, ox.NamedNode]:
    return ox.NamedNode(RDF + "type"), ox.NamedNode(cls)


def doc_iri(council: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}document/{council}")


def statement_iri(st: Statement) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}statement/{st.key}")


@dataclass
class Extraction:
    sources: dict[str, Source]
    statements: list[Statement]
    divergences: list[dict[str, Any]]
    # council id -> its document's passages in reading order
    passages: dict[str, list[Passage]] = field(default_factory=dict)


def extract(
    onto: Ontology | None = None,
    sources: dict[str, Source] | None = None,
    curated_dir: Path | None = None,
) -> Extraction:
    onto = onto or ontology()
    sources = sources if sources is not None else load_sources()
    found: list[Statement] = []
    problems: list[str] = council_problems(onto, sources)
    for source in sources.values():
        for extractor in (*structured.EXTRACTORS, grid.needs_grid):
            try:
                found.extend(extractor(onto, source))
            except ValueError as exc:
                problems.append(str(exc))
    try:
        found.extend(curated.curated_statements(onto, sources, curated_dir))
    except KGError as exc:
        problems.extend(exc.problems)
    if problems:
        raise KGError(*problems)
    statements = _merge(found)
    for st in statements:
        st.durations = durations.durations(st)
    check_quotes(statements, sources)
    divergences = resolve_divergences(onto, sources, statements, curated_dir)
    document_passages = {council: passages.passages(onto, source) for council, source in sources.items()}
    return Extraction(sources, statements, divergences, document_passages)


def _merge(statements: list[Statement]) -> list[Statement]:
    """One statement per key: the same span saying the same kind of thing about the same subject
    (a heading that is also in a list, say) is one statement with the concepts of both."""
    merged: dict[str, Statement] = {}
    for st in statements:
        if st.key in merged:
            keep = merged[st.key]
            for prop, cid in st.concepts:
                keep.add(prop, cid)
            keep.values = {**st.values, **keep.values}
        else:
            merged[st.key] = st
    return sorted(merged.values(), key=lambda s: (s.council, s.start, s.end, s.kind, s.subject or ""))


def check_quotes(statements: Iterable[Statement], sources: dict[str, Source]) -> None:
    """The evidence rule: every quote is the source's text at its offsets."""
    failures = []
    for st in statements:
        text = sources[st.council].text
        if not (0 <= st.start < st.end <= len(text)) or text[st.start : st.end] != st.quote:
            failures.append(
                f"quote of {st.key} is not the text of {sources[st.council].file} at {st.start}-{st.end}"
            )
    if failures:
        raise KGError(*failures)


def resolve_divergences(
    onto: Ontology, sources: dict[str, Source], statements: list[Statement], curated_dir: Path | None = None
) -> list[dict[str, Any]]:
    path = (curated_dir or curated.CURATED_DIR) / "divergences.yaml"
    if not path.exists():
        return []
    entries = curated.read_yaml(path, "divergences file") or []
    if not isinstance(entries, list):
        raise KGError(f"divergences file {path} must be a list of entries")
    by_council: dict[str, list[Statement]] = {}
    for st in statements:
        by_council.setdefault(st.council, []).append(st)
    problems, resolved, seen = [], [], set()
    for i, entry in enumerate(entries, 1):
        where = f"divergences.yaml entry {i}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: an entry must be a mapping")
            continue
        missing = {"id", "label", "description", "sides"} - set(entry)
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
            continue
        if entry["id"] in seen:
            problems.append(f"{where}: duplicate id '{entry['id']}'")
        seen.add(entry["id"])
        sides = []
        for side in entry["sides"] if isinstance(entry["sides"], list) else [None]:
            if not isinstance(side, dict) or not all(
                isinstance(side.get(k), str) for k in ("council", "quote")
            ):
                problems.append(f"{where}: each side needs a council and a quote, as text")
                continue
            try:
                if side["council"] not in sources:
                    raise KGError(f"unknown council '{side['council']}'")
                loc = curated.locate(sources[side["council"]], side["quote"], side.get("section"))
            except KGError as exc:
                problems.extend(f"{where}: {p}" for p in exc.problems)
                continue
            covering = [
                s
                for s in by_council.get(side["council"], [])
                if s.start <= loc.start
                and loc.end <= s.end
                and (not side.get("kind") or s.kind == side["kind"])
            ]
            if not covering:
                problems.append(f"{where}: no {side['council']} statement covers \"{side['quote'][:60]}\"")
                continue
            sides.append(min(covering, key=lambda s: (s.end - s.start, s.kind)))
        subject = entry.get("subject")
        if subject:
            try:
                onto.subject(subject)
            except KGError as exc:
                problems.extend(f"{where}: {p}" for p in exc.problems)
        resolved.append({**entry, "statements": sides})
    if problems:
        raise KGError(*problems)
    return resolved


def unit_iri(unit: str) -> ox.NamedNode:
    # OWL-Time has no working day; ours is pk:unitWorkingDay.
    if unit == "working-day":
        return pk("unitWorkingDay")
    return ox.NamedNode(f"{TIME}unit{unit.capitalize()}")


def _duration_quads(node: ox.NamedNode, d: Duration, g: ox.NamedNode) -> list[ox.Quad]:
    quads = [
        ox.Quad(node, *_a(TIME + "Duration"), g),
        ox.Quad(node, ox.NamedNode(TIME + "unitType"), unit_iri(d.unit), g),
    ]
    if d.value is not None:
        numeric = _lit(f"{d.value:g}", "decimal")
        quads.append(ox.Quad(node, ox.NamedNode(TIME + "numericDuration"), numeric, g))
    return quads


def _stated_duration_quads(onto: Ontology, node: ox.NamedNode, d: Duration, g: ox.NamedNode) -> list[ox.Quad]:
    quads = _duration_quads(node, d, g) + [
        ox.Quad(node, *_a(PREFIXES["pk"] + "StatedDuration"), g),
        ox.Quad(node, pk("durationText"), _lit(d.text), g),
    ]
    if d.minimum is not None and d.maximum is not None:
        quads.append(ox.Quad(node, pk("minimum"), _lit(f"{d.minimum:g}", "decimal"), g))
        quads.append(ox.Quad(node, pk("maximum"), _lit(f"{d.maximum:g}", "decimal"), g))
    for q in d.qualifiers:
        qualifier = ox.NamedNode(onto.concept("duration-qualifier", q))
        quads.append(ox.Quad(node, pk("durationQualifier"), qualifier, g))
    return quads


def annotation_quads(
    node: ox.NamedNode, source: Source, quote: str, start: int, end: int, section: str, g: ox.NamedNode
) -> list[ox.Quad]:
    """``node`` as a W3C Web Annotation specific resource on the source document: the quoted words
    with 32 characters either side (TextQuoteSelector) and their offsets (TextPositionSelector), so
    a quote can be found again even if offsets drift, and checked against the file if they do not."""
    qsel = ox.NamedNode(node.value + "/quote")
    psel = ox.NamedNode(node.value + "/position")
    return [
        ox.Quad(node, *_a(OA + "SpecificResource"), g),
        ox.Quad(node, ox.NamedNode(OA + "hasSource"), doc_iri(source.council), g),
        ox.Quad(node, ox.NamedNode(OA + "hasSelector"), qsel, g),
        ox.Quad(node, ox.NamedNode(OA + "hasSelector"), psel, g),
        ox.Quad(node, pk("section"), _lit(section), g),
        ox.Quad(qsel, *_a(OA + "TextQuoteSelector"), g),
        ox.Quad(qsel, ox.NamedNode(OA + "exact"), _lit(quote), g),
        ox.Quad(qsel, ox.NamedNode(OA + "prefix"), _lit(source.text[max(0, start - 32) : start]), g),
        ox.Quad(qsel, ox.NamedNode(OA + "suffix"), _lit(source.text[end : end + 32]), g),
        ox.Quad(psel, *_a(OA + "TextPositionSelector"), g),
        ox.Quad(psel, ox.NamedNode(OA + "start"), _lit(start, "nonNegativeInteger"), g),
        ox.Quad(psel, ox.NamedNode(OA + "end"), _lit(end, "nonNegativeInteger"), g),
    ]


def statement_quads(onto: Ontology, st: Statement, source: Source) -> list[ox.Quad]:
    g = council_graph(st.council)
    s = statement_iri(st)
    ev = ox.NamedNode(s.value + "/evidence")
    doc = doc_iri(st.council)
    quads = [
        ox.Quad(s, *_a(onto.kinds[st.kind]), g),
        ox.Quad(s, pk("council"), ox.NamedNode(council_iri(st.council)), g),
        ox.Quad(s, pk("normalisedText"), _lit(st.text), g),
        ox.Quad(s, pk("hasEvidence"), ev, g),
        ox.Quad(s, ox.NamedNode(PROV + "wasDerivedFrom"), doc, g),
        ox.Quad(ev, *_a(PREFIXES["pk"] + "Evidence"), g),
        *annotation_quads(ev, source, st.quote, st.start, st.end, st.section, g),
    ]
    if st.subject:
        quads.append(ox.Quad(s, pk("about"), ox.NamedNode(onto.subject(st.subject).iri), g))
    for prop, cid in st.concepts:
        scheme = CONCEPT_PROPERTIES[prop]
        if scheme == "order":
            target = onto.orders[cid].iri
        elif scheme == "organisation":
            target = onto.organisations[cid].iri
        else:
            target = onto.concept(scheme, cid)
        quads.append(ox.Quad(s, pk(prop), ox.NamedNode(target), g))
    for key, value in sorted(st.values.items()):
        if isinstance(value, Duration):
            node = ox.NamedNode(f"{s.value}/{key}")
            quads.append(ox.Quad(s, pk(key), node, g))
            quads.extend(_duration_quads(node, value, g))
        elif key == "date":
            quads.append(ox.Quad(s, ox.NamedNode(DCTERMS + "date"), _lit(value, "gYearMonth"), g))
        elif key == "listPosition":
            quads.append(ox.Quad(s, pk(key), _lit(value, "integer"), g))
        elif key == "immediatelyPreceding":
            quads.append(ox.Quad(s, pk(key), _lit(str(bool(value)).lower(), "boolean"), g))
        elif key == "ageGroup":
            quads.append(ox.Quad(s, pk(key), _lit(value), g))
        else:
            quads.append(ox.Quad(s, pk(key), _lit(value, "decimal"), g))
    for n, d in enumerate(st.durations, 1):
        node = ox.NamedNode(f"{s.value}/stated-duration/{n}")
        quads.append(ox.Quad(s, pk("statesDuration"), node, g))
        quads.extend(_stated_duration_quads(onto, node, d, g))
    activity = "curated" if st.origin.startswith("curated") else st.origin
    quads.append(
        ox.Quad(
            s,
            ox.NamedNode(PROV + "wasGeneratedBy"),
            ox.NamedNode(f"{ID}activity/{activity}"),
            PROVENANCE_GRAPH,
        )
    )
    return quads


def provenance_quads(onto: Ontology, sources: dict[str, Source]) -> list[ox.Quad]:
    g = PROVENANCE_GRAPH
    agent = ox.NamedNode(ID + "agent/permanence-kg")
    quads = []
    for name, label in EXTRACTION_ACTIVITIES.items():
        act = ox.NamedNode(f"{ID}activity/{name}")
        quads += [
            ox.Quad(act, *_a(PROV + "Activity"), g),
            ox.Quad(act, ox.NamedNode(RDFS + "label"), ox.Literal(label, language="en"), g),
            ox.Quad(act, ox.NamedNode(PROV + "wasAssociatedWith"), agent, g),
        ]
    quads.append(
        ox.Quad(agent, ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo"), _lit(__version__), g)
    )
    for source in sources.values():
        doc = doc_iri(source.council)
        council = ox.NamedNode(council_iri(source.council))
        quads += [
            ox.Quad(doc, *_a(PREFIXES["pk"] + "GuidanceDocument"), g),
            ox.Quad(doc, ox.NamedNode(DCTERMS + "title"), _lit(source.title), g),
            ox.Quad(doc, ox.NamedNode(DCTERMS + "publisher"), council, g),
            ox.Quad(doc, pk("sha256"), _lit(source.sha256), g),
            ox.Quad(doc, pk("fileName"), _lit(source.file), g),
            ox.Quad(council, pk("document"), doc, g),
        ]
    return quads


def council_quads(onto: Ontology, sources: dict[str, Source]) -> list[ox.Quad]:
    """The councils, made from the source manifest (the one list of councils). A council that
    individuals.ttl describes keeps its label and definition there, checked against the manifest;
    any other gets them from its manifest entry."""
    g = ONTOLOGY_GRAPH
    described = onto.described_councils
    problems = council_problems(onto, sources)
    quads = []
    for source in sources.values():
        council = ox.NamedNode(council_iri(source.council))
        geography = ox.NamedNode(STATISTICAL_GEOGRAPHY + source.gss)
        quads += [
            ox.Quad(council, pk("gssCode"), _lit(source.gss), g),
            ox.Quad(council, pk("statisticalGeography"), geography, g),
        ]
        if source.council not in described:
            quads += [
                ox.Quad(council, *_a(PREFIXES["pk"] + "Council"), g),
                ox.Quad(council, *_a(OWL + "NamedIndividual"), g),
                ox.Quad(council, pk("councilId"), _lit(source.council), g),
                ox.Quad(council, ox.NamedNode(RDFS + "label"), ox.Literal(source.name, language="en"), g),
                ox.Quad(
                    council,
                    ox.NamedNode(SKOS + "definition"),
                    ox.Literal(
                        f"{source.name}, whose document '{source.title}' is a source of the graph.",
                        language="en",
                    ),
                    g,
                ),
            ]
    if problems:
        raise KGError(*problems)
    return quads


def council_problems(onto: Ontology, sources: dict[str, Source]) -> list[str]:
    """Where individuals.ttl and the source manifest disagree on the councils, one line each."""
    described = onto.described_councils
    problems = [
        f"ontology/individuals.ttl describes council '{cid}', which kg/sources/manifest.yaml does not list"
        for cid in sorted(set(described) - set(sources))
    ]
    problems += [
        f"council '{cid}' is named '{source.name}' in kg/sources/manifest.yaml but "
        f"'{described[cid]}' in ontology/individuals.ttl"
        for cid, source in sources.items()
        if cid in described and described[cid] != source.name
    ]
    return problems


def passage_iri(p: Passage) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}passage/{p.key}")


def passage_quads(onto: Ontology, p: Passage, source: Source) -> list[ox.Quad]:
    """A passage as a W3C Web Annotation specific resource, with the same selectors as evidence."""
    g = council_graph(p.council)
    node = passage_iri(p)
    quads = [
        ox.Quad(node, *_a(PREFIXES["pk"] + "Passage"), g),
        *annotation_quads(node, source, p.quote, p.start, p.end, p.section, g),
        ox.Quad(node, pk("passageText"), _lit(p.text), g),
        ox.Quad(node, pk("passagePosition"), _lit(p.position, "integer"), g),
        ox.Quad(node, pk("passageType"), _lit(p.type), g),
    ]
    for sid in p.mentions:
        quads.append(ox.Quad(node, pk("mentions"), ox.NamedNode(onto.subject(sid).iri), g))
    for topic in p.topics:
        quads.append(ox.Quad(node, pk("mentionsTopic"), ox.NamedNode(onto.concept("topic", topic)), g))
    quads.append(
        ox.Quad(
            node,
            ox.NamedNode(PROV + "wasGeneratedBy"),
            ox.NamedNode(f"{ID}activity/passages"),
            PROVENANCE_GRAPH,
        )
    )
    return quads


def document_mention_quads(onto: Ontology, council: str, document_passages: list[Passage]) -> list[ox.Quad]:
    """What any passage of the document mentions, on the document: silence queries ask this once a
    row instead of searching every passage."""
    g, doc = council_graph(council), doc_iri(council)
    subjects = sorted({sid for p in document_passages for sid in p.mentions})
    topics = sorted({t for p in document_passages for t in p.topics})
    return [ox.Quad(doc, pk("mentions"), ox.NamedNode(onto.subject(sid).iri), g) for sid in subjects] + [
        ox.Quad(doc, pk("mentionsTopic"), ox.NamedNode(onto.concept("topic", t)), g) for t in topics
    ]


def statement_passage_quads(st: Statement, document_passages: list[Passage]) -> list[ox.Quad]:
    g = council_graph(st.council)
    return [
        ox.Quad(statement_iri(st), pk("inPassage"), passage_iri(p), g)
        for p in passages.containing(document_passages, st.start, st.end)
    ]


def divergence_quads(onto: Ontology, divergences: list[dict[str, Any]]) -> list[ox.Quad]:
    g = DIVERGENCE_GRAPH
    quads = []
    for d in divergences:
        node = ox.NamedNode(f"{ID}divergence/{d['id']}")
        quads += [
            ox.Quad(node, *_a(PREFIXES["pk"] + "Divergence"), g),
            ox.Quad(node, pk("localId"), _lit(d["id"]), g),
            ox.Quad(node, ox.NamedNode(RDFS + "label"), ox.Literal(d["label"], language="en"), g),
            ox.Quad(
                node, ox.NamedNode(DCTERMS + "description"), ox.Literal(d["description"], language="en"), g
            ),
            ox.Quad(
                node, ox.NamedNode(PROV + "wasAttributedTo"), ox.NamedNode(ID + "agent/permanence-kg"), g
            ),
        ]
        if d.get("subject"):
            quads.append(ox.Quad(node, pk("about"), ox.NamedNode(onto.subject(d["subject"]).iri), g))
        for st in d["statements"]:
            quads.append(ox.Quad(node, pk("hasSide"), statement_iri(st), g))
        law = d.get("law") or {}
        if law.get("says"):
            quads.append(ox.Quad(node, pk("lawSays"), ox.Literal(law["says"], language="en"), g))
        for cited in law.get("cites", []):
            quads.append(
                ox.Quad(node, pk("lawCited"), ox.NamedNode("http://www.legislation.gov.uk/id/" + cited), g)
            )
    return quads


def dataset_quads(extraction: Extraction, onto: Ontology | None = None) -> list[ox.Quad]:
    onto = onto or ontology()
    quads = list(ontology_quads())
    quads += provenance_quads(onto, extraction.sources)
    quads += council_quads(onto, extraction.sources)
    for st in extraction.statements:
        quads += statement_quads(onto, st, extraction.sources[st.council])
        quads += statement_passage_quads(st, extraction.passages.get(st.council, []))
    for council, document_passages in extraction.passages.items():
        for p in document_passages:
            quads += passage_quads(onto, p, extraction.sources[council])
        quads += document_mention_quads(onto, council, document_passages)
    quads += divergence_quads(onto, extraction.divergences)
    quads += claim_quads(onto, extraction.statements)
    quads += match_key_quads(quads)
    quads += coverage_quads(quads)
    unique = {str(q): q for q in quads}
    return [unique[k] for k in sorted(unique, key=_sort_key)]


def _sort_key(nquad: str) -> tuple[str, str]:
    # Group by graph (the last term) so TriG writes one block per graph.
    graph = nquad.rsplit(" ", 1)[-1] if nquad.endswith(">") else ""
    return graph, nquad


def serialise(quads: list[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    if fmt == ox.RdfFormat.TRIG:
        data = ox.serialize(quads, format=fmt, prefixes=dict(PREFIXES))
    else:
        data = ox.serialize(quads, format=fmt)
    assert data is not None  # no output file given, so serialize returns the bytes
    return data if data.endswith(b"\n") else data + b"\n"


def manifest(
    quads: list[ox.Quad], files: dict[str, bytes], sources: dict[str, Source] | None = None
) -> bytes:
    """The build manifest: what was written (SHA-256, size and quad count of each file), from what
    (each source file's SHA-256) and by which version. The query side checks it on load.

    Readers ignore keys they do not know, so a later build may add entries (an on-disk store, say)
    under ``files`` or beside it without raising ``manifest_version``."""
    graphs: dict[str, int] = {}
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        graphs[name] = graphs.get(name, 0) + 1
    content = {
        "manifest_version": store.MANIFEST_VERSION,
        "generator": {"name": "permanence-kg", "version": __version__},
        "quads": len(quads),
        "graphs": dict(sorted(graphs.items())),
        "files": {
            name: {
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "quads": len(quads),
                "media_type": OUTPUT_FILES[name].media_type,
            }
            for name, data in files.items()
        },
        "sources": {s.file: s.sha256 for s in (sources or {}).values()},
        # The on-disk store holds the same quads; readers use it only if this pyoxigraph wrote it.
        "stored": {"directory": store.STORED, "quads": len(quads), "pyoxigraph": ox.__version__},
    }
    return (json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_outputs(
    quads: list[ox.Quad], out: Path, sources: dict[str, Source] | None = None
) -> dict[str, Path]:
    """Write all formats and the manifest as a new generation and switch to it in one step
    (kg.store.publish): a failure or a kill at any point leaves ``out`` as it was."""
    files = {name: serialise(quads, fmt) for name, fmt in OUTPUT_FILES.items()}
    files[store.MANIFEST] = manifest(quads, files, sources)
    try:
        written = store.publish(
            out, files, {store.STORED: lambda path: store.write_stored(path, path.parent / store.NQUADS)}
        )
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = exc.filename or out
        raise KGError(f"cannot write the build to {out}: {reason} ({where}); nothing was changed") from None
    return {name: written[name] for name in OUTPUT_FILES}


def build(
    out: Path = DEFAULT_OUT, sources_dir: Path | None = None, curated_dir: Path | None = None
) -> tuple[Extraction, dict[str, Path]]:
    """Extract, check and write the dataset; raises KGError, writing nothing, on any failure."""
    onto = ontology()
    extraction = extract(onto, load_sources(sources_dir), curated_dir)
    quads = dataset_quads(extraction, onto)
    return extraction, write_outputs(quads, out, extraction.sources)
