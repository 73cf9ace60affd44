"""Measure the graph's prose statements against the independent second reading.

tests/fixtures/independent_reading_prose.yaml records, from the five documents alone, every
parental-responsibility, timescale, age-guidance, need-to-option, support, process-rule and
applicant-exclusion fact a careful reader finds. This module locates each item's phrase in its source
and compares it with the statements of a build:

- recall: a required item is found when a statement of any kind (a council statement, not a passage)
  covers the phrase's characters; a timescale with a value must also have a row of the `durations`
  library query covering the phrase with the same value and unit (and min/max for a range);
- precision: a graph statement of one of the kinds read is confirmed when it overlaps an item of the
  reading (any kind, required or not); the others are listed for a human check.

Run `python tests/reading_report.py` to print the per-kind, per-council table for the README;
`--misses FILE` also writes the misses and the unconfirmed statements as markdown.
tests/test_independent_reading_prose.py asserts the bars with the same functions.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

FIXTURE = Path(__file__).parent / "fixtures" / "independent_reading_prose.yaml"
DURATIONS_QUERY = Path(__file__).parent.parent / "queries" / "durations.rq"

KINDS = (
    "parental-responsibility",
    "timescale",
    "age-guidance",
    "need-to-option",
    "support",
    "process-rule",
    "applicant-exclusion",
)
# Issue 10's bar (per kind, all councils together); the other kinds are held to the goal.
RECALL_BAR = {
    "parental-responsibility": 0.9,
    "timescale": 0.9,
    "age-guidance": 0.9,
    "need-to-option": 0.9,
    "applicant-exclusion": 1.0,
}
GOAL_RECALL = 0.9
GOAL_PRECISION = 0.95
DURATION_COVERAGE = 0.85
# Passages are the document's own paragraphs, not statements: a passage covering a phrase says
# nothing about whether the fact was extracted.
NOT_STATEMENTS = {"passage", "divergence"}
# A quote longer than this is not a "separate statement" of one fact: one long quote covering a
# whole multi-fact paragraph would otherwise count for every fact in it.
SEPARATE_STATEMENT_MAX_CHARS = 600


@dataclass
class Item:
    council: str
    kind: str
    subject: str | None
    phrase: str
    values: dict[str, Any]
    required: bool
    start: int
    end: int
    line: int

    def describe(self) -> str:
        return f"{self.council}:{self.line} {self.kind} ({self.subject or '-'}): {self.phrase!r}"

    @property
    def has_duration(self) -> bool:
        return self.kind == "timescale" and ("value" in self.values or "min" in self.values)


@dataclass
class Span:
    """A graph statement or a durations row: where its quote sits and what it says."""

    council: str
    kind: str
    subject: str | None
    start: int
    end: int
    quote: str
    values: dict[str, Any] = field(default_factory=dict)

    def covers(self, item: Item) -> bool:
        return self.council == item.council and self.start <= item.start and self.end >= item.end

    def overlap(self, item: Item) -> int:
        if self.council != item.council:
            return 0
        return max(0, min(self.end, item.end) - max(self.start, item.start))

    def describe(self, text: str) -> str:
        line = text.count("\n", 0, self.start) + 1
        quote = re.sub(r"\s+", " ", self.quote).strip()
        if len(quote) > 160:
            quote = quote[:157] + "..."
        return (
            f"{self.council}:{line} {self.kind} ({self.subject or '-'}) [{self.start}-{self.end}]: {quote!r}"
        )


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    # The documents break sentences across lines and use non-breaking spaces; every other
    # character of the phrase must match exactly.
    return re.compile(r"\s+".join(re.escape(word) for word in phrase.split()))


def load_items(texts: dict[str, str], fixture: Path = FIXTURE) -> list[Item]:
    """The reading's items located in their sources (ValueError if a phrase is not where it says)."""
    raw = yaml.safe_load(fixture.read_text(encoding="utf-8"))["items"]
    items, problems = [], []
    for entry in raw:
        text = texts.get(entry["council"])
        if text is None:
            problems.append(f"unknown council {entry['council']!r}: {entry['phrase']!r}")
            continue
        found = list(phrase_pattern(entry["phrase"]).finditer(text))
        occurrence = entry.get("occurrence")
        if not found:
            problems.append(f"not verbatim in {entry['council']}: {entry['phrase']!r}")
            continue
        if occurrence is None and len(found) > 1:
            problems.append(f"occurs {len(found)} times, give occurrence: {entry['phrase']!r}")
            continue
        if occurrence is not None and not 1 <= occurrence <= len(found):
            problems.append(f"occurrence {occurrence} of {len(found)}: {entry['phrase']!r}")
            continue
        match = found[(occurrence or 1) - 1]
        items.append(
            Item(
                council=entry["council"],
                kind=entry["kind"],
                subject=entry.get("subject"),
                phrase=entry["phrase"],
                values=entry.get("values") or {},
                required=entry.get("required", True),
                start=match.start(),
                end=match.end(),
                line=text.count("\n", 0, match.start()) + 1,
            )
        )
    if problems:
        raise ValueError("fixture items not found in their sources:\n" + "\n".join(problems))
    return items


def graph_statements(statements: Iterable[Any]) -> list[Span]:
    """The build's council statements (kg.model.Statement objects) as spans."""
    return [
        Span(s.council, s.kind, s.subject, s.start, s.end, s.quote, dict(s.values))
        for s in statements
        if s.kind not in NOT_STATEMENTS
    ]


def _number(value: Any) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        return None


def normalise_unit(unit: Any) -> str:
    """'week', 'unitWeek', 'http://www.w3.org/2006/time#unitWeek', 'working days' -> 'week' / 'workingday'."""
    name = re.split(r"[#/]", str(unit or ""))[-1].lower()
    name = re.sub(r"[^a-z]", "", name)
    if name.startswith("unit"):
        name = name[4:]
    return name[:-1] if name.endswith("s") else name


def duration_rows(data_dir: Path) -> list[Span] | None:
    """Rows of the `durations` library query, or None while the library has no such query."""
    if not DURATIONS_QUERY.exists():
        return None
    from kg.queries import run

    result = run("durations", data=str(data_dir), limit=100_000)
    col = {name: i for i, name in enumerate(result.columns)}
    rows = []
    for row in result.rows:

        def get(name: str) -> Any:
            return row[col[name]] if name in col else None

        rows.append(
            Span(
                council=str(get("council")),
                kind=str(get("kind")),
                subject=get("subject") or None,
                start=int(str(get("start"))),
                end=int(str(get("end"))),
                quote=str(get("quote") or ""),
                values={
                    "value": _number(get("value")),
                    "unit": normalise_unit(get("unit")),
                    "min": _number(get("min")),
                    "max": _number(get("max")),
                    "qualifier": get("qualifier"),
                },
            )
        )
    return rows


def duration_agrees(item: Item, row: Span) -> bool:
    wanted = item.values
    if normalise_unit(wanted.get("unit")) != row.values["unit"]:
        return False
    if "min" in wanted or "max" in wanted:
        return row.values["min"] == _number(wanted.get("min")) and row.values["max"] == _number(
            wanted.get("max")
        )
    return row.values["value"] == _number(wanted.get("value"))


@dataclass
class Finding:
    item: Item
    found: bool
    why: str = ""  # for a miss: what the graph has instead


@dataclass
class Measure:
    items: list[Item]
    statements: list[Span]
    durations: list[Span] | None
    findings: list[Finding]
    confirmed: dict[int, bool]  # index into statements -> overlaps an item of the reading

    def recall(self, kind: str, council: str | None = None) -> tuple[int, int]:
        wanted = [
            f
            for f in self.findings
            if f.item.required and f.item.kind == kind and (council is None or f.item.council == council)
        ]
        return sum(f.found for f in wanted), len(wanted)

    def precision(self, kind: str, council: str | None = None) -> tuple[int, int]:
        mine = [
            i
            for i, s in enumerate(self.statements)
            if s.kind == kind and (council is None or s.council == council)
        ]
        return sum(self.confirmed[i] for i in mine), len(mine)

    def duration_coverage(self, council: str | None = None) -> tuple[int, int]:
        wanted = [i for i in self.items if i.has_duration and (council is None or i.council == council)]
        if self.durations is None:
            return 0, len(wanted)
        good = sum(any(row.covers(i) and duration_agrees(i, row) for row in self.durations) for i in wanted)
        return good, len(wanted)

    def misses(self, kind: str | None = None) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.item.required and not f.found and (kind is None or f.item.kind == kind)
        ]

    def unconfirmed(self, kind: str | None = None) -> list[Span]:
        return [
            s
            for i, s in enumerate(self.statements)
            if s.kind in KINDS and not self.confirmed[i] and (kind is None or s.kind == kind)
        ]


def separate(statement: Span) -> bool:
    return statement.end - statement.start <= SEPARATE_STATEMENT_MAX_CHARS


def measure(items: list[Item], statements: list[Span], durations: list[Span] | None) -> Measure:
    findings = []
    for item in items:
        covering = [s for s in statements if s.covers(item) and separate(s)]
        if not covering:
            partial = [s for s in statements if s.overlap(item) and separate(s)]
            too_long = [s for s in statements if s.covers(item) and not separate(s)]
            if partial:
                why = "quote cut: overlapping statement(s) " + ", ".join(
                    f"{s.kind} [{s.start}-{s.end}]" for s in partial
                )
            elif too_long:
                why = f"only inside quotes longer than {SEPARATE_STATEMENT_MAX_CHARS} characters"
            else:
                why = "no statement"
            findings.append(Finding(item, False, why))
            continue
        if item.has_duration:
            if durations is None:
                findings.append(Finding(item, False, "statement present; no `durations` query yet"))
                continue
            rows = [r for r in durations if r.covers(item)]
            if not any(duration_agrees(item, r) for r in rows):
                got = "; ".join(
                    f"value={r.values['value']} min={r.values['min']} max={r.values['max']} "
                    f"unit={r.values['unit']}"
                    for r in rows
                )
                wanted = ", ".join(f"{k}={v}" for k, v in item.values.items() if k != "qualifier")
                findings.append(
                    Finding(item, False, f"duration wrong or missing: want {wanted}; durations has [{got}]")
                )
                continue
        findings.append(Finding(item, True))
    confirmed = {}
    for index, statement in enumerate(statements):
        confirmed[index] = any(
            (overlap := statement.overlap(item))
            and overlap >= 0.5 * min(statement.end - statement.start, item.end - item.start)
            for item in items
        )
    return Measure(items, statements, durations, findings, confirmed)


def age_band_disagreements(m: Measure) -> list[str]:
    """Age-guidance statements whose band differs from the reading's (no number where the text has
    none; the stated band otherwise; "0-2" may be read as below 2 or below 3, "over 10" as from 10 or 11)."""
    problems = []
    for item in m.items:
        if item.kind != "age-guidance":
            continue
        for s in m.statements:
            if s.kind != "age-guidance" or not s.covers(item):
                continue
            below, start = s.values.get("ageBelow"), s.values.get("ageFrom")
            if item.values.get("no_number"):
                if below is not None or start is not None:
                    problems.append(f"{item.describe()}: graph gives ageFrom={start} ageBelow={below}")
                continue
            to, over = item.values.get("age_to"), item.values.get("age_over")
            allowed_below = {item.values.get("age_below")} | ({to, to + 1} if to is not None else set())
            allowed_from = {item.values.get("age_from")} | ({over, over + 1} if over is not None else set())
            if below is not None and float(below) not in {float(b) for b in allowed_below if b is not None}:
                problems.append(f"{item.describe()}: graph ageBelow={below}, reading {item.values}")
            if start is not None and float(start) not in {float(f) for f in allowed_from if f is not None}:
                problems.append(f"{item.describe()}: graph ageFrom={start}, reading {item.values}")
    return problems


def unqualified_durations(m: Measure) -> list[str]:
    """Timescales whose duration agrees but carries none of the qualifiers the document states
    ("immediately preceding", "at least", "out of the last 5 years"...): for a human check only, since
    the wording of qualifiers is the durations reader's own vocabulary."""
    if m.durations is None:
        return []
    notes = []
    for item in m.items:
        if not (item.has_duration and item.values.get("qualifier")):
            continue
        rows = [r for r in m.durations if r.covers(item) and duration_agrees(item, r)]
        if rows and not any(r.values.get("qualifier") for r in rows):
            notes.append(
                f"{item.describe()}: the document qualifies it ({item.values['qualifier']}); the row has none"
            )
    return notes


def subject_differences(m: Measure, linked: Callable[[str], list[str]]) -> list[str]:
    """Found items whose covering statements all name another subject (or none) than the option or
    order the reading gives, the option-order link allowed (`linked`, e.g. Ontology.linked_subjects):
    a query for that option would miss them. For a human check; the reading's subject is a judgement."""
    notes = []
    for item in m.items:
        if not item.subject:
            continue
        accepted = {item.subject, *linked(item.subject)}
        covering = [s for s in m.statements if s.covers(item) and separate(s)]
        if covering and not any(s.subject in accepted for s in covering):
            graph = ", ".join(sorted({f"{s.kind} ({s.subject or '-'})" for s in covering}))
            notes.append(f"{item.describe()}: graph has {graph}")
    return notes


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f} ({part}/{whole})" if whole else "–"


def table(m: Measure, councils: list[str]) -> str:
    """Two kind x council matrices (recall, then precision) and the durations coverage, in markdown."""
    head = "| kind | " + " | ".join(councils) + " | all |"
    rule = "|---" * (len(councils) + 2) + "|"
    lines = ["Recall (required items of the reading found as separate statements):", "", head, rule]
    for kind in KINDS:
        cells = [ratio(*m.recall(kind, c)) for c in councils]
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | **{ratio(*m.recall(kind))}** |")
    lines += [
        "",
        "Precision (graph statements of the kind that match an item of the reading):",
        "",
        head,
        rule,
    ]
    for kind in KINDS:
        cells = [ratio(*m.precision(kind, c)) for c in councils]
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | **{ratio(*m.precision(kind))}** |")
    cover = m.duration_coverage()
    note = "" if m.durations is not None else " — the library has no `durations` query yet"
    lines.append("")
    lines.append(
        f"`durations` rows with the document's value and unit: {ratio(*cover)} of the timescales{note}."
    )
    return "\n".join(lines)


def misses_markdown(
    m: Measure, texts: dict[str, str], linked: Callable[[str], list[str]] | None = None
) -> str:
    out = ["## Misses (required items of the reading not found as a separate statement)", ""]
    for kind in KINDS:
        misses = m.misses(kind)
        if misses:
            out.append(f"### {kind} ({len(misses)})")
            out += [f"- {f.item.describe()} — {f.why}" for f in misses]
            out.append("")
    disagreements = age_band_disagreements(m)
    if disagreements:
        out += ["## Age bands that differ from the document", ""]
        out += [f"- {p}" for p in disagreements] + [""]
    unqualified = unqualified_durations(m)
    if unqualified:
        out += ["## Durations without the qualifier the document states (informational)", ""]
        out += [f"- {n}" for n in unqualified] + [""]
    different = subject_differences(m, linked) if linked else []
    if different:
        out += ["## Subject differs from the reading's (informational)", ""]
        out += [f"- {n}" for n in different] + [""]
    out += ["## Graph statements that match no item of the reading (check by hand)", ""]
    for kind in KINDS:
        extra = m.unconfirmed(kind)
        if extra:
            out.append(f"### {kind} ({len(extra)})")
            out += [f"- {s.describe(texts[s.council])}" for s in extra]
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=Path, help="also write the misses and unconfirmed statements here")
    args = parser.parse_args(argv)
    from kg.build import build
    from kg.errors import KGError

    with tempfile.TemporaryDirectory() as out:
        try:
            extraction, _ = build(Path(out))
        except KGError as exc:
            print(f"the graph does not build: {exc}", file=sys.stderr)
            return 1
        texts = {council: source.text for council, source in extraction.sources.items()}
        m = measure(load_items(texts), graph_statements(extraction.statements), duration_rows(Path(out)))
    print(table(m, list(texts)))
    if args.misses:
        from kg.ontology import ontology

        args.misses.write_text(misses_markdown(m, texts, ontology().linked_subjects) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
