"""Checks of the ontology and of a built dataset, each independent of the build's own code path.

Every check returns a list of human-readable failures; an empty list is a pass. Problems with the
inputs themselves (no build, a corrupt file, no Java for the reasoner) raise KGError instead.

- ``shacl_failures``: the SHACL shapes in ontology/shapes.ttl over the built dataset, all graphs as one.
- ``ontology_qc_failures``: a small ROBOT-report-like check of the ontology files.
- ``owl_consistency_failures``: HermiT (through owlready2) on the ontology, and on the statements'
  types and links when given a dataset.
- ``quote_failures``: every evidence quote re-read from the source file at its offsets.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, Namespace

from .errors import KGError
from .ontology import ONTOLOGY_DIR, ONTOLOGY_FILES
from .sources import SOURCES_DIR
from .store import nquads_path
from .vocab import BASE, ID, OA, PK, PREFIXES

SHAPES_FILE = "shapes.ttl"
PKNS = Namespace(PK)
OANS = Namespace(OA)
SH = Namespace("http://www.w3.org/ns/shacl#")
JAVA_CANDIDATES = ("/usr/bin/java",)
# XSD datatypes in the OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps).
OWL2_DATATYPES = frozenset(
    XSD[name]
    for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int "
        "short byte unsignedLong unsignedInt unsignedShort unsignedByte double float string "
        "normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI "
        "dateTime dateTimeStamp"
    ).split()
)

# The kinds of ontology term that must carry a label and a definition.
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
    PKNS.PermanenceOption,
    PKNS.LegalOrder,
    PKNS.NamedOrganisation,
    PKNS.Council,
)
# Individuals whose labels and wordings extraction matches on: a wording shared by two of them is ambiguous.
MATCHED_TYPES = (PKNS.PermanenceOption, PKNS.LegalOrder, PKNS.NamedOrganisation)
WORDING_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)


def short(term: object) -> str:
    """An IRI in the project's prefixed form where one fits (stmt:medway/…, pk:Advantage)."""
    if isinstance(term, URIRef):
        value = str(term)
        if value == PK.rstrip("#"):
            return "ontology"
        # Longest namespace first, so the most specific prefix names the IRI.
        for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
            if value.startswith(ns) and len(value) > len(ns):
                return f"{prefix}:{value[len(ns):]}"
        return f"<{value}>"
    if isinstance(term, Literal):
        return repr(str(term))
    return str(term)


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def load_dataset(dataset_path: Path | str | None = None) -> Graph:
    """The built dataset's named graphs read as one graph (the union), as the queries see it."""
    nq = nquads_path(dataset_path)
    if not nq.is_file():
        raise KGError(f"no built graph at {nq}: run `permanence-kg build` first (or pass --data DIR)")
    dataset = Dataset()
    try:
        with warnings.catch_warnings():
            # rdflib's own N-Quads parser uses its deprecated Dataset.default_context.
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(nq, format="nquads")
    except Exception as exc:  # rdflib raises a variety of parser errors; any of them means a bad file
        first = str(exc).strip().splitlines()[0].rstrip(" :") if str(exc).strip() else type(exc).__name__
        raise KGError(f"built graph {nq} is corrupt: {first} (rebuild it)") from None
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    if len(union) == 0:
        raise KGError(f"built graph {nq} is empty (rebuild it)")
    return union


def _as_graph(dataset: Path | str | Graph | None) -> Graph:
    return dataset if isinstance(dataset, Graph) else load_dataset(dataset)


def ontology_graph(directory: Path = ONTOLOGY_DIR, files: Iterable[str] = ONTOLOGY_FILES) -> Graph:
    """The ontology files as one graph, parsed by rdflib (not by the build's loader)."""
    graph = Graph()
    problems = []
    for name in files:
        path = directory / name
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError:
            problems.append(f"ontology file missing: {path}")
        except Exception as exc:  # rdflib's Turtle errors have no common base class
            problems.append(f"ontology file {path} is not valid Turtle: {str(exc).splitlines()[0]}")
    if problems:
        raise KGError(*problems)
    return graph


def shapes_graph(directory: Path = ONTOLOGY_DIR) -> Graph:
    return ontology_graph(directory, (SHAPES_FILE,))


# --------------------------------------------------------------------------------------------------
# SHACL
# --------------------------------------------------------------------------------------------------


def graph_shacl_failures(data: Graph, shapes: Graph | None = None) -> list[str]:
    """The SHACL shapes over one graph: one line per violation, naming the node, property and problem."""
    from pyshacl import validate as shacl_validate

    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=False
    )
    if conforms:
        return []
    failures = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        message = messages[0] if messages else "violates " + short(report.value(result, SH.sourceShape))
        message = _IRI.sub(lambda m: short(URIRef(m.group(0))), message)
        where = short(focus) + (f" {_path(report, path)}" if path is not None else "")
        shown = value is not None and value != focus and not isinstance(value, BNode)
        shown = shown and short(value) not in message
        failures.add(f"{where}: {message}" + (f" (value {short(value)})" if shown else ""))
    return sorted(failures)


_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`,;)]+")


def _path(report: Graph, path: Node) -> str:
    """A SHACL path as written in SPARQL: pk:theme, or pk:theme/skos:inScheme for a sequence."""
    if isinstance(path, URIRef):
        return short(path)
    if isinstance(path, BNode) and report.value(path, RDF.first) is not None:
        return "/".join(_path(report, step) for step in Collection(report, path))
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path(report, step) for step in Collection(report, alternatives))
    return "(path)"


def shacl_failures(dataset_path: Path | str | Graph | None = None) -> list[str]:
    """SHACL over the built dataset, every named graph read as one."""
    return graph_shacl_failures(_as_graph(dataset_path))


def shape_count(directory: Path = ONTOLOGY_DIR) -> int:
    shapes = shapes_graph(directory)
    return len(set(shapes.subjects(RDF.type, SH.NodeShape))) + len(set(shapes.objects(None, SH.property)))


# --------------------------------------------------------------------------------------------------
# Ontology quality control
# --------------------------------------------------------------------------------------------------


def _ours(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BASE)


def _labels(graph: Graph, term: Node) -> list[Literal]:
    return [o for p in (RDFS.label, SKOS.prefLabel) for o in graph.objects(term, p) if isinstance(o, Literal)]


def _key(text: str) -> str:
    """A label as extraction matches it: case, spacing, hyphens, slashes and apostrophes ignored."""
    return " ".join(re.findall(r"[a-z0-9]+", text.replace("’", "'").casefold()))


def graph_qc_failures(graph: Graph) -> list[str]:
    """ROBOT-report-style checks: labels, definitions, duplicates, identifiers, dangling references."""
    failures: list[str] = []
    declared = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}

    terms = sorted({s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if _ours(s)}, key=str)
    for term in terms:
        labels = _labels(graph, term)
        if not labels:
            failures.append(f"{short(term)}: missing label (rdfs:label or skos:prefLabel)")
        for prop in (RDFS.label, SKOS.prefLabel):
            by_lang: dict[str | None, int] = defaultdict(int)
            for label in graph.objects(term, prop):
                by_lang[getattr(label, "language", None)] += 1
            failures += [
                f"{short(term)}: {n} {short(prop)} values in language {lang or 'none'} (expected one)"
                for lang, n in sorted(by_lang.items(), key=lambda x: str(x[0]))
                if n > 1
            ]
        definitions = [d for d in graph.objects(term, SKOS.definition) if str(d).strip()]
        if not definitions:
            failures.append(f"{short(term)}: missing definition (skos:definition)")

    # Duplicate labels among terms of the same type, and among concepts of the same scheme.
    groups: dict[tuple[str, str], set[Node]] = defaultdict(set)
    for term in terms:
        for key in {_key(str(lab)) for lab in _labels(graph, term)}:
            for t in graph.objects(term, RDF.type):
                if t in TERM_TYPES and t != SKOS.Concept:
                    groups[(short(t), key)].add(term)
            for scheme in graph.objects(term, SKOS.inScheme):
                groups[(f"scheme {short(scheme)}", key)].add(term)
    failures += [
        f"duplicate label '{label}' in {where}: " + ", ".join(sorted(short(t) for t in same))
        for (where, label), same in sorted(groups.items())
        if len(same) > 1
    ]

    # A wording shared by two options (or orders, or organisations) would make extraction ambiguous.
    for cls in MATCHED_TYPES:
        wordings: dict[str, set[Node]] = defaultdict(set)
        for term in graph.subjects(RDF.type, cls):
            for prop in WORDING_PROPERTIES:
                for w in graph.objects(term, prop):
                    wordings[_key(str(w))].add(term)
        failures += [
            f"wording '{w}' names more than one {short(cls)}: " + ", ".join(sorted(short(t) for t in same))
            for w, same in sorted(wordings.items())
            if len(same) > 1
        ]

    # Identifiers: pk:localId present, unique within its type or scheme, and the last IRI segment.
    ids: dict[tuple[str, str], set[Node]] = defaultdict(set)
    for cls in (*MATCHED_TYPES, SKOS.Concept, SKOS.ConceptScheme):
        for term in sorted((s for s in graph.subjects(RDF.type, cls) if _ours(s)), key=str):
            local = [str(v) for v in graph.objects(term, PKNS.localId)]
            if len(local) != 1:
                failures.append(f"{short(term)}: {len(local)} pk:localId values (expected one)")
                continue
            if not str(term).endswith("/" + local[0]):
                failures.append(f"{short(term)}: pk:localId '{local[0]}' is not the IRI's last segment")
            scope = [short(s) for s in graph.objects(term, SKOS.inScheme)] or [short(cls)]
            for where in scope:
                ids[(where, local[0])].add(term)
    failures += [
        f"duplicate pk:localId '{local}' in {where}: " + ", ".join(sorted(short(t) for t in same))
        for (where, local), same in sorted(ids.items())
        if len(same) > 1
    ]
    notations: dict[str, set[Node]] = defaultdict(set)
    for kind in graph.subjects(RDFS.subClassOf, PKNS.Statement):
        for notation in graph.objects(kind, SKOS.notation):
            notations[str(notation)].add(kind)
    failures += [
        f"statement kind '{n}' is the skos:notation of " + ", ".join(sorted(short(c) for c in same))
        for n, same in sorted(notations.items())
        if len(same) > 1
    ]

    # Dangling references: a term of ours that is used but declared nowhere (a typo, or a term removed).
    used: dict[Node, str] = {}
    for s, p, o in graph:
        for term, role in ((s, "subject"), (p, "property"), (o, "value")):
            if _ours(term) and term not in declared:
                used.setdefault(term, f"used as a {role}")
    failures += [
        f"{short(term)}: {how} but never declared (no rdf:type in the ontology)"
        for term, how in sorted(used.items(), key=lambda x: str(x[0]))
    ]
    return failures


def ontology_qc_failures(directory: Path = ONTOLOGY_DIR) -> list[str]:
    """QC of the ontology files (permanence, individuals, concepts, organisations)."""
    return graph_qc_failures(ontology_graph(directory))


# --------------------------------------------------------------------------------------------------
# OWL consistency (HermiT)
# --------------------------------------------------------------------------------------------------


def java_executable() -> str | None:
    for candidate in (shutil.which("java"), *JAVA_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _owl2_datatype(term: object) -> bool:
    return not isinstance(term, URIRef) or not str(term).startswith(str(XSD)) or term in OWL2_DATATYPES


def reasoning_graph(ontology: Graph, data: Graph | None = None) -> Graph:
    """The ontology plus, from the data, every type and every link between individuals.

    The data's literal values are left out: the reasoner's job here is the class model (disjointness,
    domains, ranges). Values and ranges in XSD datatypes outside OWL 2's datatype map (xsd:date,
    xsd:gYearMonth), which HermiT refuses, are left out too; SHACL checks those.
    """
    graph = Graph()
    for s, p, o in ontology:
        if isinstance(o, Literal) and not _owl2_datatype(o.datatype):
            continue
        if p == RDFS.range and not _owl2_datatype(o):
            continue
        graph.add((s, p, o))
    if data is None:
        return graph
    object_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    for s, p, o in data:
        if isinstance(s, URIRef) and isinstance(o, URIRef) and (p == RDF.type or p in object_properties):
            if str(s).startswith(ID):
                graph.add((s, p, o))
    return graph


def graph_reasoner_failures(graph: Graph) -> list[str]:
    """Run HermiT on the graph: inconsistency, or the classes it finds unsatisfiable."""
    java = java_executable()
    if java is None:
        raise KGError(
            "Java not found: the OWL reasoner (HermiT) needs it; install a JRE or pass --skip-reasoner"
        )
    import owlready2

    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="permanence-kg-owl-") as tmp:
        path = Path(tmp) / "ontology.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
        except Exception as exc:  # owlready2's parser errors carry no common base class
            raise KGError(f"owlready2 could not read the ontology: {str(exc).splitlines()[0]}") from None
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            clashes = explain_clashes(graph)
            if not clashes:
                return [
                    "inconsistent (HermiT); no individual is put in two disjoint classes by its types, "
                    "domains, ranges or 'only' restrictions, so look at the axioms themselves"
                ]
            return ["inconsistent (HermiT): " + c for c in clashes]
        except owlready2.OwlReadyJavaError as exc:
            raise KGError(f"the OWL reasoner failed to run: {str(exc).strip().splitlines()[-1]}") from None
        unsatisfiable = sorted(
            short(URIRef(c.iri)) for c in world.inconsistent_classes() if c is not owlready2.Nothing
        )
    return [f"class {c} is unsatisfiable (no individual could ever belong to it)" for c in unsatisfiable]


def owl_consistency_failures(
    dataset_path: Path | str | Graph | None = None, directory: Path = ONTOLOGY_DIR
) -> list[str]:
    """HermiT on the ontology, plus the built statements' types and links when a dataset is given."""
    data = _as_graph(dataset_path) if dataset_path is not None else None
    return graph_reasoner_failures(reasoning_graph(ontology_graph(directory), data))


def explain_clashes(graph: Graph) -> list[str]:
    """Why HermiT found the graph inconsistent, in the common cases: an individual that its asserted
    types, the domains of the properties it has and the ranges of those pointing at it put in two
    disjoint classes. A reading aid for the failure message, not a reasoner."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)

    closure: dict[Node, set[Node]] = {}

    def ancestors(cls: Node) -> set[Node]:
        if cls not in closure:
            seen, todo = {cls}, [cls]
            while todo:
                for sup in parents[todo.pop()]:
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            closure[cls] = seen
        return closure[cls]

    def members(cls: Node) -> list[Node]:
        """A class as the named classes it is the union of (itself, if it is not a union)."""
        union = graph.value(cls, OWL.unionOf)
        if union is None:
            for eq in graph.objects(cls, OWL.equivalentClass):
                union = graph.value(eq, OWL.unionOf) or union
        if union is not None:
            return [m for m in Collection(graph, union) if isinstance(m, URIRef)]
        return [cls] if isinstance(cls, URIRef) else []

    disjoint: set[frozenset[Node]] = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        disjoint.add(frozenset((a, b)))
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        head = graph.value(axiom, OWL.members)
        listed = list(Collection(graph, head)) if head is not None else []
        disjoint.update(frozenset((x, y)) for i, x in enumerate(listed) for y in listed[i + 1 :])

    def clash(a: Node, b: Node) -> bool:
        """Every member of a's union is disjoint with every member of b's (through superclasses)."""
        return (
            all(
                any(frozenset((x, y)) in disjoint for x in ancestors(ma) for y in ancestors(mb))
                for ma in members(a)
                for mb in members(b)
            )
            and bool(members(a))
            and bool(members(b))
        )

    reasons: dict[Node, list[tuple[Node, str]]] = defaultdict(list)
    for s, cls in graph.subject_objects(RDF.type):
        if _ours(s) and isinstance(cls, URIRef) and cls not in (OWL.NamedIndividual,):
            reasons[s].append((cls, "asserted"))
    for p, dom in graph.subject_objects(RDFS.domain):
        for s in graph.subjects(p, None):
            if _ours(s):
                reasons[s].append((dom, f"domain of {short(p)}"))
    for p, rng in graph.subject_objects(RDFS.range):
        for o in graph.objects(None, p):
            if _ours(o):
                reasons[o].append((rng, f"range of {short(p)}"))

    # C subClassOf (p only D): whatever a C points to with p is a D.
    for cls, restriction in graph.subject_objects(RDFS.subClassOf):
        on, only = graph.value(restriction, OWL.onProperty), graph.value(restriction, OWL.allValuesFrom)
        if on is None or only is None or not isinstance(cls, URIRef):
            continue
        for s in set(graph.subjects(RDF.type, None)):
            if any(cls in ancestors(t) for t in graph.objects(s, RDF.type) if isinstance(t, URIRef)):
                for o in graph.objects(s, on):
                    if _ours(o):
                        reasons[o].append((only, f"{short(on)} of {short(s)}, a {short(cls)}"))

    found = []
    for individual, why in sorted(reasons.items(), key=lambda x: str(x[0])):
        for i, (a, how_a) in enumerate(why):
            for b, how_b in why[i + 1 :]:
                if a != b and clash(a, b):
                    found.append(
                        f"{short(individual)} is both {_class_name(graph, a)} ({how_a}) and "
                        f"{_class_name(graph, b)} ({how_b}), which are disjoint"
                    )
                    break
            else:
                continue
            break
    return found


def _class_name(graph: Graph, cls: Node) -> str:
    if isinstance(cls, URIRef):
        return short(cls)
    union = graph.value(cls, OWL.unionOf)
    if union is not None:
        return " or ".join(short(m) for m in Collection(graph, union))
    return "an anonymous class"


# --------------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------------


def quote_failures(
    dataset_path: Path | str | Graph | None = None, sources_dir: Path = SOURCES_DIR
) -> list[str]:
    """Every evidence quote is its source file's text at its offsets, and every source file still has
    the SHA-256 the build recorded. Reads the built files and the source files only."""
    graph = _as_graph(dataset_path)
    failures: list[str] = []
    texts: dict[Node, str | None] = {}
    for doc in sorted(set(graph.subjects(RDF.type, PKNS.GuidanceDocument)), key=str):
        name, digest = graph.value(doc, PKNS.fileName), graph.value(doc, PKNS.sha256)
        texts[doc] = None
        if name is None or digest is None:
            failures.append(f"{short(doc)}: the build recorded no pk:fileName or pk:sha256 for it")
            continue
        path = sources_dir / str(name)
        if not path.is_file():
            failures.append(f"{short(doc)}: source file {path} is missing")
            continue
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != str(digest):
            failures.append(
                f"{short(doc)}: {path} has SHA-256 {actual[:12]}…, the build recorded {str(digest)[:12]}… "
                "(restore the source, or rebuild)"
            )
            continue
        texts[doc] = data.decode("utf-8")

    for statement, evidence in sorted(graph.subject_objects(PKNS.hasEvidence), key=str):
        failure = _check_evidence(graph, evidence, texts)
        if failure:
            failures.append(f"{short(statement)}: {failure}")
    # A passage is its own annotation target: keyword search and silence rest on its text too.
    for passage in sorted(set(graph.subjects(RDF.type, PKNS.Passage)), key=str):
        failure = _check_evidence(graph, passage, texts)
        if failure:
            failures.append(f"{short(passage)}: {failure}")
    return failures


def _check_evidence(graph: Graph, evidence: Node, texts: dict[Node, str | None]) -> str | None:
    doc = graph.value(evidence, OANS.hasSource)
    if doc not in texts:
        return f"evidence source {short(doc)} is not a guidance document of the build"
    text = texts[doc]
    if text is None:
        return None  # the document's own failure is reported once, above
    selectors = list(graph.objects(evidence, OANS.hasSelector))
    quote = next((s for s in selectors if (s, RDF.type, OANS.TextQuoteSelector) in graph), None)
    position = next((s for s in selectors if (s, RDF.type, OANS.TextPositionSelector) in graph), None)
    if quote is None or position is None:
        return "evidence lacks a quote selector or a position selector"
    exact = graph.value(quote, OANS.exact)
    start, end = graph.value(position, OANS.start), graph.value(position, OANS.end)
    try:
        a, b = int(str(start)), int(str(end))
    except ValueError:
        return f"offsets {start!s}-{end!s} are not integers"
    if exact is None:
        return "evidence has no oa:exact quote"
    name = graph.value(doc, PKNS.fileName)
    if not (0 <= a < b <= len(text)):
        return f"offsets {a}-{b} lie outside {name} ({len(text)} characters)"
    found, quoted = text[a:b], str(exact)
    if found != quoted:
        i = next((k for k, (x, y) in enumerate(zip(found, quoted)) if x != y), min(len(found), len(quoted)))
        return (
            f"quote is not the text of {name} at {a}-{b}: from character {i} the quote has "
            f"{_clip(quoted[max(0, i - 15):i + 25])}, the file {_clip(found[max(0, i - 15):i + 25])}"
        )
    prefix, suffix = graph.value(quote, OANS.prefix), graph.value(quote, OANS.suffix)
    if prefix is not None and not text[:a].endswith(str(prefix)):
        return f"oa:prefix {_clip(str(prefix))} is not the text of {name} just before {a}"
    if suffix is not None and not text[b:].startswith(str(suffix)):
        return f"oa:suffix {_clip(str(suffix))} is not the text of {name} just after {b}"
    return None


def _clip(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


@dataclass(frozen=True)
class CheckResult:
    name: str
    failures: list[str]
    seconds: float
    scope: str
    skipped: str = ""

    @property
    def summary(self) -> str:
        if self.skipped:
            return f"{self.name}: skipped ({self.skipped})"
        verdict = "pass" if not self.failures else f"FAIL, {len(self.failures)} failure(s)"
        return f"{self.name}: {verdict} ({self.scope}, {self.seconds:.1f} s)"


def _timed(name: str, check: Callable[[], list[str]], scope: str) -> CheckResult:
    started = time.perf_counter()
    failures = check()
    return CheckResult(name, failures, time.perf_counter() - started, scope)


def run_checks(dataset_path: Path | str | None = None, skip_reasoner: bool = False) -> Iterator[CheckResult]:
    """Every check in turn, the dataset read once; a missing or corrupt build raises KGError first."""
    data = load_dataset(dataset_path)
    ontology = ontology_graph()
    yield _timed("ontology QC", lambda: graph_qc_failures(ontology), f"{len(ontology)} ontology triples")
    yield _timed("SHACL", lambda: shacl_failures(data), f"{shape_count()} shapes, {len(data)} triples")
    if skip_reasoner:
        yield CheckResult("OWL consistency", [], 0.0, "", skipped="--skip-reasoner")
    else:
        graph = reasoning_graph(ontology, data)
        yield _timed(
            "OWL consistency", lambda: graph_reasoner_failures(graph), f"HermiT, {len(graph)} triples"
        )
    quotes = len(set(data.objects(None, PKNS.hasEvidence)))
    passages = len(set(data.subjects(RDF.type, PKNS.Passage)))
    yield _timed(
        "quotes",
        lambda: quote_failures(data),
        f"{quotes} statement quotes and {passages} passages against the source files",
    )
