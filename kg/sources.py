"""The five councils' documents: manifest, integrity check, and where each section starts.

The files are never edited; everything downstream works on the decoded text with Python string
offsets, so a quote is always ``text[start:end]`` of the file as received.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml

from .errors import KGError

SOURCES_DIR = Path(str(resources.files("kg") / "sources"))
MANIFEST = SOURCES_DIR / "manifest.yaml"


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Source:
    council: str
    name: str
    file: str
    title: str
    sha256: str
    dates: dict[str, str]
    text: str = field(repr=False)
    heading_pattern: str = field(repr=False)
    gss: str = ""

    @cached_property
    def headings(self) -> tuple[Heading, ...]:
        pattern = re.compile(self.heading_pattern, re.MULTILINE)
        found = []
        for m in pattern.finditer(self.text):
            heading = normalise_space(m.group(0))
            if heading:
                found.append(Heading(m.start(), m.end(), heading))
        return tuple(found)

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [h.start for h in self.headings]

    def heading_at(self, offset: int) -> Heading | None:
        """The heading the offset sits under (the last heading starting at or before it)."""
        i = bisect.bisect_right(self._heading_starts, offset) - 1
        return self.headings[i] if i >= 0 else None

    def section_at(self, offset: int) -> str:
        heading = self.heading_at(offset)
        return heading.text if heading else "(before the first heading)"


_SPACE = re.compile(r"[ \t\u00a0]+")


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(path: Path = MANIFEST) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KGError(f"source manifest not found: {path}") from None
    except yaml.YAMLError as exc:
        raise KGError(f"source manifest {path} is not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(data, dict) or not isinstance(data.get("councils"), dict):
        raise KGError(f"source manifest {path} has no 'councils' mapping")
    return data


REQUIRED_FIELDS = ("name", "gss", "file", "sha256", "title", "headings")
_COUNCIL_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_GSS = re.compile(r"[EWSN]\d{8}")


def manifest_problems(manifest: dict) -> list[str]:
    """What is wrong with each council's manifest entry, one line per problem."""
    problems = []
    for council, entry in manifest["councils"].items():
        where = f"manifest entry '{council}'"
        if not isinstance(council, str) or not _COUNCIL_ID.fullmatch(council):
            problems.append(f"{where}: a council id is lower-case words joined by '-', e.g. north-somerset")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected the fields {', '.join(REQUIRED_FIELDS)}")
            continue
        missing = [f for f in REQUIRED_FIELDS if not str(entry.get(f) or "").strip()]
        if missing:
            problems.append(
                f"{where} lacks {', '.join(missing)} (every council needs {', '.join(REQUIRED_FIELDS)})"
            )
            continue
        if not _GSS.fullmatch(str(entry["gss"])):
            problems.append(
                f"{where}: gss '{entry['gss']}' is not an ONS GSS code (a letter, 8 digits: E06000024)"
            )
        try:
            re.compile(str(entry["headings"]), re.MULTILINE)
        except re.error as exc:
            problems.append(f"{where}: headings is not a valid regular expression ({exc})")
        if entry.get("dates") is not None and not isinstance(entry["dates"], dict):
            problems.append(f"{where}: dates must be a mapping such as {{issued: 2023-03}}")
    return problems


def load_sources(directory: Path | None = None) -> dict[str, Source]:
    """Every council's document, checked against the manifest; all problems reported together."""
    directory = directory or SOURCES_DIR
    manifest = load_manifest(directory / "manifest.yaml")
    problems: list[str] = manifest_problems(manifest)
    if problems:
        raise KGError(*problems)
    sources: dict[str, Source] = {}
    for council, entry in manifest["councils"].items():
        path = directory / entry["file"]
        if not path.is_file():
            problems.append(f"source file missing for {council}: {path}")
            continue
        digest = sha256_of(path)
        if digest != entry["sha256"]:
            problems.append(
                f"source file {path} has changed: SHA-256 {digest[:12]}…, manifest expects "
                f"{entry['sha256'][:12]}… (restore it from shared/sources; never edit sources)"
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"source file {path} is not UTF-8: {exc}")
            continue
        sources[council] = Source(
            council=council,
            name=entry["name"],
            file=entry["file"],
            title=entry["title"],
            sha256=digest,
            dates={k: str(v) for k, v in (entry.get("dates") or {}).items()},
            text=text,
            heading_pattern=entry["headings"],
            gss=str(entry["gss"]),
        )
    if problems:
        raise KGError(*problems)
    return sources


def council_ids(directory: Path | None = None) -> list[str]:
    return list(load_manifest((directory or SOURCES_DIR) / "manifest.yaml")["councils"])


def check_council(council: str, directory: Path | None = None) -> str:
    known = council_ids(directory)
    if council not in known:
        raise KGError(f"unknown council '{council}': expected one of {', '.join(known)}")
    return council
