"""A council statement as extraction produces it, before it becomes RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Statement property (pk: local name) -> concept scheme its values come from; "order" and
# "organisation" values are ontology individuals rather than SKOS concepts.
CONCEPT_PROPERTIES = {
    "theme": "theme",
    "presentation": "presentation",
    "applicantCategory": "applicant",
    "route": "route",
    "consentOf": "consent",
    "prHolder": "pr",
    "prSharing": "pr",
    "restrictedDecision": "decision",
    "effect": "effect",
    "timescaleTopic": "timescale",
    "milestone": "milestone",
    "direction": "direction",
    "practice": "practice",
    "organisationRole": "organisation-role",
    "dateRole": "date-role",
    "legalOrder": "order",
    "organisation": "organisation",
}

TIME_UNITS = ("year", "month", "week", "day", "hour")


@dataclass(frozen=True)
class Duration:
    value: float
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in TIME_UNITS:
            raise ValueError(f"unknown time unit '{self.unit}': expected one of {', '.join(TIME_UNITS)}")


@dataclass
class Statement:
    council: str
    kind: str
    start: int
    end: int
    quote: str
    section: str
    text: str
    subject: str | None = None
    # (statement property, concept/option/order id) pairs, in the order they were assigned.
    concepts: list[tuple[str, str]] = field(default_factory=list)
    # Structured values: listPosition, ageBelow, ageFrom, immediatelyPreceding, date,
    # livedWithFor / withinWindow / endedWithin / duration (Duration).
    values: dict[str, Any] = field(default_factory=dict)
    origin: str = ""

    def add(self, prop: str, *ids: str) -> None:
        for cid in ids:
            if (prop, cid) not in self.concepts:
                self.concepts.append((prop, cid))

    def concept_ids(self, prop: str) -> list[str]:
        return [c for p, c in self.concepts if p == prop]

    @property
    def key(self) -> str:
        """A stable identifier: the same sources always give the same key."""
        return f"{self.council}/{self.kind}/{self.subject or 'none'}/{self.start}-{self.end}"


_BULLET = re.compile(r"^[ \t\u00a0]*(?:[a-z]\)|[ivxIVX]+\.|\d+(?:\.\d+)*\.?|[·•\-])[ \t\u00a0]+")
_BOOKMARK = re.compile(r"\[(?:bookmark|image):[^\]]*\]")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_QDASH = re.compile(r"(?<=\w)\?(?=\s)")
_SPACES = re.compile(r"[\s\u00a0]+")


def normalise(text: str) -> str:
    """Clean export noise for display: markers, bookmarks, tags, '?' for a dash, odd spacing,
    a trailing list separator. The quote keeps the exact text; this is only the reading copy."""
    text = _BOOKMARK.sub("", text)
    text = _TAGS.sub(" ", text)
    text = _QDASH.sub(" –", text)
    lines = [_BULLET.sub("", line) for line in text.splitlines()]
    text = _SPACES.sub(" ", " ".join(lines)).strip()
    text = re.sub(r"\s+([,;:.)])", r"\1", text)
    return text.rstrip(" ;:,")
