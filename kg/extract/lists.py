"""Enumerated lists in the documents: find the lines that belong to a list and cut them into items.

The documents mark items in five ways (``a)``, ``·``, ``•``, ``-``, ``1.``/``3.1``), wrap long items
onto lines that start in lower case, and leave tables flattened into one cell per line. An item is
returned as character offsets into the untouched text, so its quote is always verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

MARKER = re.compile(
    r"^[ \t\u00a0]*(?P<marker>[a-z]\)|[ivx]+\.|[IVX]+\.|\d+(?:\.\d+)*\.?|[·•\-])(?:[ \t\u00a0]+|$)"
)
# Words that open the children of a lead-in item ending in ':' ("Any person:" / "Who has the
# consent..."): they read on from the lead-in rather than standing alone.
_CHILD_OPENERS = re.compile(r"^(?:Who|Whom|In|Where|With|If|When)\b")
# In North Somerset and Medway the last applicant for a special guardianship order ("Anyone,
# including the child, who has the leave of the court") is glued to the one before behind "e.g.":
# a lost "g)" marker. Treat it as the item boundary it was.
_GLUED_ITEM = re.compile(r"(?:^|(?<=\s))e\.g\.[ \t\u00a0]+(?=Anyone\b)")
# A sentence that excludes someone ends the applicant item it trails; it is a statement of its own.
EXCLUSION = re.compile(r"[A-Z][^.\n]*\bmay not (?:become|apply)\b[^.\n]*\.")


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    lead_in: str = ""  # the text of the lead-in item this one completes, if any


def lines_from(text: str, pos: int) -> Iterator[tuple[int, int, str]]:
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        yield pos, end, text[pos:end]
        pos = end + 1


# A Word bookmark left at the start of an item ("[bookmark: long_term_fost]There is no review
# process.") is export noise, not the council's words: the quote starts after it.
_LEADING_BOOKMARK = re.compile(r"(?:[ \t\u00a0]*\[(?:bookmark|image):[^\]\n]*\])+")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = _LEADING_BOOKMARK.match(text, start, end)
    if m:
        start = m.end()
    while start < end and text[start] in " \t\u00a0\n":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0\n":
        end -= 1
    return start, end


def list_items(text: str, pos: int, headings: frozenset[int] = frozenset()) -> list[Item]:
    """The items of the list that starts on the first line at or after ``pos``; the list ends at
    the first line that is neither an item nor its continuation, or at a heading (``headings`` are
    the offsets where heading lines start: "3.4 Fostering for Adoption" looks like an item)."""
    raw: list[list[int]] = []  # [start, end] of each item's text
    pending = False  # a marker stood alone on its line; its text is on the next line
    for start, end, line in lines_from(text, pos):
        if not line.strip(" \t\u00a0"):
            continue
        if start in headings:
            break
        m = MARKER.match(line)
        if pending:
            raw[-1] = [start, end]
            pending = False
        elif m:
            body = start + m.end()
            raw.append([body, end])
            pending = body >= end
        elif raw and line.lstrip(" \t\u00a0")[:1].islower():
            raw[-1][1] = end
        else:
            break
    items: list[Item] = []
    for start, end in raw:
        items.extend(_split_glued(text, *_trim(text, start, end)))
    return _attach_children(text, items)


def _split_glued(text: str, start: int, end: int) -> list[Item]:
    m = _GLUED_ITEM.search(text, start, end)
    if not m:
        return [Item(start, end)]
    first = Item(*_trim(text, start, m.start()))
    second_start = m.end()
    second_end = end
    exclusion = EXCLUSION.search(text, second_start + 1, end)
    if exclusion:
        second_end = exclusion.start()
    return [first, Item(*_trim(text, second_start, second_end))]


def _attach_children(text: str, items: list[Item]) -> list[Item]:
    """Fold a lead-in ("Any person:") into the items that complete it. North Somerset ends
    ordinary items with ':' too, so an item is a lead-in only if it is a bare phrase of a few
    words and the next item reads on from it."""
    out: list[Item] = []
    lead_in = ""
    for i, item in enumerate(items):
        body = text[item.start : item.end]
        following = text[items[i + 1].start : items[i + 1].end] if i + 1 < len(items) else ""
        if body.endswith(":") and len(body.split()) <= 4 and _CHILD_OPENERS.match(following):
            lead_in = body
            continue
        if lead_in and _CHILD_OPENERS.match(body):
            out.append(Item(item.start, item.end, lead_in))
        else:
            lead_in = ""
            out.append(item)
    return out


def inline_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of an in-sentence enumeration ('a, b, c or d'), ignoring separators in brackets."""
    parts: list[tuple[int, int]] = []
    depth = 0
    i = seg = start
    while i < end:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            sep = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+").match(text, i, end)
            if sep:
                parts.append(_trim(text, seg, i))
                seg = i = sep.end()
                continue
        i += 1
    parts.append(_trim(text, seg, end))
    return [p for p in parts if p[0] < p[1]]
