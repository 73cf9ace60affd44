"""A council statement as extraction produces it, before it becomes RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Kinds whose statements say something comparable across councils. Option presentations, named
# organisations and document dates are about each document itself, so they are not aligned.
ALIGNED_KINDS = (
    "advantage",
    "disadvantage",
    "applicant",
    "applicant-exclusion",
    "parental-responsibility",
    "legal-order",
    "legal-effect",
    "timescale",
    "age-guidance",
    "need-to-option",
    "support",
)

# Statement property (pk: local name) -> concept scheme its values come from; "order" and
# "organisation" values are ontology individuals rather than SKOS concepts.
CONCEPT_PROPERTIES = {
    "theme": "theme",
    "presentation": "presentation",
    "applicantCategory": "applicant",
    "route": "route",
    "consentOf": "consent",
    "childStatus": "child-status",
    "orderInForce": "order",
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
    "need": "need",
    "defines": "term",
}

# A working day is its own unit: "within 20 working days" is not "within 20 days".
TIME_UNITS = ("year", "month", "week", "working-day", "day", "hour")


@dataclass(frozen=True)
class Duration:
    """A length of time as the words state it. ``value`` is the single number stated; a range
    ("6-8 weeks") has ``minimum`` and ``maximum`` and its value is the maximum. ``qualifiers`` are
    duration-qualifier concept ids ("at-least", "every", "out-of-window"...); ``text`` is the
    stated words and ``start``/``end`` their offsets in the source (both 0 when curated by hand)."""

    value: float | None
    unit: str
    minimum: float | None = None
    maximum: float | None = None
    qualifiers: tuple[str, ...] = ()
    text: str = ""
    start: int = 0
    end: int = 0

    def __post_init__(self) -> None:
        if self.unit not in TIME_UNITS:
            raise ValueError(f"unknown time unit '{self.unit}': expected one of {', '.join(TIME_UNITS)}")
        if (self.minimum is None) != (self.maximum is None):
            raise ValueError("a range needs both a minimum and a maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"a range's minimum {self.minimum:g} is above its maximum {self.maximum:g}")


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
    # Structured values: listPosition, ageBelow, ageFrom, ageGroup, immediatelyPreceding, date,
    # livedWithFor / withinWindow / endedWithin / duration (Duration).
    values: dict[str, Any] = field(default_factory=dict)
    # Every length of time the quote states, read by kg/extract/durations.py.
    durations: list[Duration] = field(default_factory=list)
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
