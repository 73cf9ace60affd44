"""Facts stated in running prose, curated by hand in ``kg/curated/*.yaml``.

A curated entry names its council, kind, subject, concepts and values, and gives the quote. The
build finds the quote's offsets itself: the entry fails if the quote is absent or occurs more than
once (narrow it with ``section:``). Matching forgives what the export mangled (runs of spaces and
non-breaking spaces, curly or straight apostrophes, '?' for a dash), but the stored quote is always
the file's own text at the offsets found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import KGError
from ..model import CONCEPT_PROPERTIES, TIME_UNITS, Duration, Statement, normalise
from ..ontology import Ontology
from ..sources import Source

CURATED_DIR = Path(str(resources.files("kg") / "curated"))

ENTRY_KEYS = {"council", "kind", "subject", "quote", "section", "concepts", "values", "text", "note"}
VALUE_KEYS = {
    "ageBelow",
    "ageFrom",
    "ageGroup",
    "date",
    "duration",
    "immediatelyPreceding",
    "livedWithFor",
    "withinWindow",
    "endedWithin",
}
DURATION_KEYS = {"duration", "livedWithFor", "withinWindow", "endedWithin"}

_APOSTROPHES = "'’‘"
_QUOTES = '"“”'


def quote_pattern(quote: str) -> re.Pattern[str]:
    parts = []
    for token in re.split(r"(\s+)", quote.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"[\s\u00a0]+")
            continue
        out = []
        for ch in token:
            if ch in _APOSTROPHES:
                out.append(f"[{_APOSTROPHES}]")
            elif ch in _QUOTES:
                out.append(f"[{_QUOTES}]")
            elif ch in "–—-":
                out.append(r"[–—\-?]")
            else:
                out.append(re.escape(ch))
        parts.append("".join(out))
    return re.compile("".join(parts))


@dataclass(frozen=True)
class Located:
    start: int
    end: int


def locate(source: Source, quote: str, section: str | None = None) -> Located:
    """The one place the quote stands in the source (within ``section`` if given)."""
    matches = [m for m in quote_pattern(quote).finditer(source.text)]
    if section is not None:
        matches = [m for m in matches if source.section_at(m.start()) == section]
    where = f"{source.file}" + (f" section '{section}'" if section else "")
    if not matches:
        raise KGError(f'curated quote not found in {where}: "{_short(quote)}"')
    if len(matches) > 1:
        raise KGError(
            f"curated quote occurs {len(matches)} times in {where} "
            f'(add section: or lengthen it): "{_short(quote)}"'
        )
    return Located(matches[0].start(), matches[0].end())


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _duration(value: Any, where: str) -> Duration:
    if not isinstance(value, dict) or set(value) != {"value", "unit"}:
        raise KGError(f"{where}: a duration is {{value: <number>, unit: <{'|'.join(TIME_UNITS)}>}}")
    try:
        return Duration(float(value["value"]), str(value["unit"]))
    except (TypeError, ValueError) as exc:
        raise KGError(f"{where}: {exc}") from None


def read_yaml(path: Path, what: str) -> Any:
    """A hand-written YAML file, or one line saying why it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise KGError(f"{what} {path} is not valid UTF-8 (byte {exc.start}): save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise KGError(f"{what} {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise KGError(f"{what} {path} cannot be read: {exc.strerror or exc}") from None


def load_entries(directory: Path | None = None) -> list[tuple[str, dict[str, Any]]]:
    entries: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((directory or CURATED_DIR).glob("*.yaml")):
        if path.name == "divergences.yaml":
            continue
        data = read_yaml(path, "curated file") or []
        if not isinstance(data, list):
            raise KGError(f"curated file {path} must be a list of entries")
        for i, entry in enumerate(data, 1):
            entries.append((f"{path.name} entry {i}", entry))
    return entries


def curated_statements(
    onto: Ontology, sources: dict[str, Source], directory: Path | None = None
) -> list[Statement]:
    statements: list[Statement] = []
    problems: list[str] = []
    for where, entry in load_entries(directory):
        try:
            statements.append(_statement(onto, sources, where, entry))
        except KGError as exc:
            problems.extend(f"{where}: {p}" for p in exc.problems)
    if problems:
        raise KGError(*problems)
    return statements


def _statement(onto: Ontology, sources: dict[str, Source], where: str, entry: Any) -> Statement:
    if not isinstance(entry, dict):
        raise KGError("an entry must be a mapping")
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise KGError(f"unknown keys {sorted(unknown)}: expected some of {sorted(ENTRY_KEYS)}")
    for key in ("council", "kind", "quote"):
        if not entry.get(key):
            raise KGError(f"missing '{key}'")
    for key in ("council", "kind", "quote", "section", "text", "subject"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise KGError(f"'{key}' must be text (in quotes if need be), not {type(entry[key]).__name__}")
    council = entry["council"]
    if council not in sources:
        raise KGError(f"unknown council '{council}': expected one of {', '.join(sources)}")
    if entry["kind"] not in onto.kinds:
        raise KGError(f"unknown kind '{entry['kind']}': expected one of {', '.join(sorted(onto.kinds))}")
    source = sources[council]
    found = locate(source, entry["quote"], entry.get("section"))
    subject = entry.get("subject")
    if subject is not None:
        onto.subject(subject)
    st = Statement(
        council=council,
        kind=entry["kind"],
        start=found.start,
        end=found.end,
        quote=source.text[found.start : found.end],
        section=source.section_at(found.start),
        text=entry.get("text") or normalise(source.text[found.start : found.end]),
        subject=subject,
        origin=f"curated:{where.split(' ')[0]}",
    )
    for prop, ids in (entry.get("concepts") or {}).items():
        if prop not in CONCEPT_PROPERTIES:
            raise KGError(
                f"unknown concept property '{prop}': expected one of {', '.join(CONCEPT_PROPERTIES)}"
            )
        for cid in [ids] if isinstance(ids, str) else ids:
            check_concept(onto, prop, cid)
            st.add(prop, cid)
    for key, value in (entry.get("values") or {}).items():
        if key not in VALUE_KEYS:
            raise KGError(f"unknown value '{key}': expected one of {', '.join(sorted(VALUE_KEYS))}")
        st.values[key] = _duration(value, key) if key in DURATION_KEYS else value
    group = st.values.get("ageGroup")
    if group is not None:
        # The document's own words, in the quote or earlier in its paragraph ("Children under 7 ...
        # they should not however remain in care"): a sentence may name its children by "they".
        paragraph = source.text[source.text.rfind("\n", 0, found.start) + 1 : found.end]
        if _collapse(str(group)).lower() not in _collapse(paragraph).lower():
            raise KGError(
                f"ageGroup '{group}' is not words of the quote or its paragraph: "
                "it must be the document's own"
            )
    return st


def _collapse(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def check_concept(onto: Ontology, prop: str, cid: str) -> None:
    scheme = CONCEPT_PROPERTIES[prop]
    if scheme == "order":
        if cid not in onto.orders:
            raise KGError(f"unknown order '{cid}': expected one of {', '.join(sorted(onto.orders))}")
    elif scheme == "organisation":
        if cid not in onto.organisations:
            raise KGError(
                f"unknown organisation '{cid}': declare it in ontology/organisations.ttl "
                f"(known: {', '.join(sorted(onto.organisations)) or 'none'})"
            )
    else:
        onto.concept(scheme, cid)
