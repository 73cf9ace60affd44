"""The documents themselves: every heading, paragraph, list item and table cell as a passage.

A passage is a span of the untouched text (its quote is always ``text[start:end]``) with a reading
copy of its words for search. Passages make "nothing found" checkable: a phrase that is in a
council's document is in one of its passages, whatever statements were extracted from it.

The documents arrived as plain-text exports, so structure is read from lines: a heading is a line
the manifest's heading rule matches; a table row is a line with tab-separated cells (one passage
per cell); a list item starts with a marker (``·``, ``•``, ``-``, ``a)``, ``1.``); a paragraph is
any other line. A line that continues the one before it (it starts in lower case, or the line before
stops mid-sentence) belongs to the same passage, so a phrase wrapped across lines is still one
passage's words.

Which options, orders and topics a passage mentions is our modelling (a word match against the
ontology's wordings and each topic's word list), used to tell "no statement extracted" apart from
"the document's text never mentions it".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..ontology import Ontology
from ..sources import Source
from .lists import lines_from

PASSAGE_TYPES = ("heading", "paragraph", "list-item", "table-cell")

_BLANK = " \t\u00a0"
# Bullet glyphs are layout, not words: a list item's passage starts after one. Enumerators ("a)",
# "3.1") are kept, since some are numbers a reader would search for.
_BULLET = re.compile(r"[ \t\u00a0]*[·•\-–][ \t\u00a0]+")
_ENUMERATOR = re.compile(r"[ \t\u00a0]*(?:[a-z]\)|[ivx]+\.|[IVX]+\.|\d+(?:\.\d+)*\.?)[ \t\u00a0]+\S")
# Export noise: Word bookmarks, image placeholders and HTML tags carry no words of the document.
_NOISE = re.compile(r"\[(?:bookmark|image):[^\]]*\]|</?[a-zA-Z][^>]*>")
_LEADING_NOISE = re.compile(r"(?:[ \t\u00a0]*\[(?:bookmark|image):[^\]]*\])+[ \t\u00a0]*")
# One export writes a dash as '?' between words ("three years? this period").
_QDASH = re.compile(r"(?<=\w)\?(?=\s)")
_SPACES = re.compile(r"[\s\u00a0]+")
# A line ending in one of these words stops mid-phrase ("... between siblings within the" /
# "Permanence Plan wherever possible"): the next line reads on, whatever its case.
_OPEN_END = re.compile(r"\b(?:the|a|an|of|to|and|or|with|within|in|for|by|from|on|at|as|that|its|their)$")


@dataclass
class Passage:
    council: str
    type: str
    start: int
    end: int
    quote: str
    section: str
    text: str
    position: int = 0
    # Option and order ids named in the passage or in the heading of its section.
    mentions: list[str] = field(default_factory=list)
    # Topic concept ids (one per statement kind) whose words the passage uses.
    topics: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.council}/{self.start}-{self.end}"


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"'})
_DASHES = re.compile(r"[‐‑‒–—―]")


def reading_text(quote: str) -> str:
    """The passage's words for reading and search: noise removed, spacing collapsed, and quotes and
    dashes in one form (straight quotes, '-'), so a search compares lower case only."""
    text = _NOISE.sub(" ", quote)
    text = _QDASH.sub(" -", text)
    text = _DASHES.sub("-", text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()


def search_form(text: str) -> str:
    """A phrase as keyword-search compares it with passages: their reading form, in lower case."""
    return reading_text(text).lower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = _LEADING_NOISE.match(text, start, end)
    if m:
        start = m.end()
    while start < end and text[start] in _BLANK:
        start += 1
    while end > start and text[end - 1] in _BLANK:
        end -= 1
    return start, end


def _spans(source: Source) -> list[tuple[str, int, int]]:
    """(type, start, end) of each passage, in document order."""
    text = source.text
    headings = {h.start for h in source.headings}
    spans: list[list] = []
    open_block = False  # the last span may continue on the next line
    for start, end, line in lines_from(text, 0):
        s, e = _trim(text, start, end)
        if s >= e or not reading_text(text[s:e]):
            open_block = False
            continue
        if start in headings:
            spans.append(["heading", s, e])
            open_block = False
            continue
        if "\t" in text[s:e] or line.startswith("\t"):
            for m in re.finditer(r"[^\t]+", line):
                cs, ce = _trim(text, start + m.start(), start + m.end())
                if cs < ce and reading_text(text[cs:ce]):
                    spans.append(["table-cell", cs, ce])
            open_block = False
            continue
        bullet = _BULLET.match(text, start, end)
        if bullet:
            spans.append(["list-item", *_trim(text, bullet.end(), end)])
            open_block = True
            continue
        if _ENUMERATOR.match(text, start, end):
            spans.append(["list-item", s, e])
            open_block = True
            continue
        if open_block and (text[s].islower() or _OPEN_END.search(text[spans[-1][1] : spans[-1][2]])):
            spans[-1][2] = e
            continue
        spans.append(["paragraph", s, e])
        open_block = True
    return [(t, s, e) for t, s, e in spans]


def _topic_patterns(onto: Ontology) -> dict[str, re.Pattern[str]]:
    patterns = {}
    for topic, words in sorted(onto.topic_words.items()):
        alternatives = "|".join(
            re.escape(w).replace(r"\ ", r"[\s\u00a0]+") for w in sorted(words, key=len)[::-1]
        )
        patterns[topic] = re.compile(rf"\b(?:{alternatives})(?:s|es|d|ed|ing|ly)?\b", re.IGNORECASE)
    return patterns


def passages(onto: Ontology, source: Source) -> list[Passage]:
    text = source.text
    topic_patterns = _topic_patterns(onto)
    # Options and orders are found once in the whole text and given to the passages they fall in.
    named = sorted((s, e, term.id) for kind in ("option", "order") for s, e, term in onto.find(kind, text))
    found: list[Passage] = []
    for n, (kind, start, end) in enumerate(_spans(source), 1):
        quote = text[start:end]
        reading = reading_text(quote)
        p = Passage(
            council=source.council,
            type=kind,
            start=start,
            end=end,
            quote=quote,
            section=source.section_at(start),
            text=reading,
            position=n,
        )
        p.mentions = _named_in(named, start, end)
        p.topics = [topic for topic, pattern in topic_patterns.items() if pattern.search(reading)]
        found.append(p)
    # A passage also mentions what the heading of its section names.
    for p in found:
        heading = source.heading_at(p.start)
        if heading is not None and heading.start != p.start:
            p.mentions = sorted(set(p.mentions) | set(_named_in(named, heading.start, heading.end)))
    return found


def _named_in(named: list[tuple[int, int, str]], start: int, end: int) -> list[str]:
    i = bisect.bisect_left(named, (start, -1, ""))
    ids = set()
    while i < len(named) and named[i][0] < end:
        if named[i][1] <= end:
            ids.add(named[i][2])
        i += 1
    return sorted(ids)


def containing(passages_of_council: list[Passage], start: int, end: int) -> list[Passage]:
    """The passages a span of the document overlaps (a statement sits in these)."""
    return [p for p in passages_of_council if p.start < end and start < p.end]
