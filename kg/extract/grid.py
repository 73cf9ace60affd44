"""North Somerset's Appendix 1 grid: child needs that point to each option.

The table arrived flattened: a tab-led line per cell, a blank line between rows, and its last row
broken into fragments, one line per column per fragment. A row is whole once every column's text
ends a sentence; a broken cell's quote spans its first to last fragment.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Statement, normalise
from ..ontology import Ontology
from ..sources import Source
from .lists import lines_from

GRID_HEADING = "Appendix 1: Identifying Permanence Options"

# Our reading of each grid cell as a need concept (ontology/concepts.ttl, scheme "need"). Every cell
# must match one rule: the build fails on a cell no rule reads, so a changed grid cannot slip through.
NEED_RULES: list[tuple[str, re.Pattern[str]]] = [
    (need, re.compile(pattern, re.IGNORECASE))
    for need, pattern in [
        ("legal-security-without-identity-change", r"legally defined placement .* change of identity"),
        ("lifelong-belonging", r"primary need is to belong to a family"),
        ("stable-family-with-birth-involvement", r"stable, loving family environment"),
        ("carer-lifelong-day-to-day-pr", r"needs to exercise day to day parental responsibility"),
        ("parents-cannot-share-pr", r"not able or not willing to share parental responsibility"),
        ("identity-with-birth-family", r"clear sense of identity with the birth family"),
        ("no-continuing-monitoring", r"no need for continuing monitoring"),
        ("new-identity", r"develop a new sense of identity"),
        ("continuing-oversight", r"need for continuing oversight"),
        ("attachment-to-carers", r"strong attachment to the alternative carers"),
        ("wish-to-be-adopted", r"wish to be adopted"),
        ("parents-can-share-pr", r"able and willing to exercise a degree of parental responsibility"),
    ]
]


def need_of(cell: str) -> str:
    needs = [need for need, rule in NEED_RULES if rule.search(cell)]
    if len(needs) != 1:
        raise ValueError(f"grid cell read as {len(needs)} needs (expected one): '{cell}'")
    return needs[0]


def _blocks(text: str, pos: int) -> Iterator[list[tuple[int, int]]]:
    block: list[tuple[int, int]] = []
    for start, end, line in lines_from(text, pos):
        if line.startswith("\t"):
            block.append((start + 1, end))
        elif not line.strip():
            if block:
                yield block
            block = []
        else:
            break
    if block:
        yield block


def needs_grid(onto: Ontology, source: Source) -> Iterator[Statement]:
    heading = next((h for h in source.headings if h.text == GRID_HEADING), None)
    if heading is None:
        return
    text = source.text
    blocks = _blocks(text, heading.end + 1)
    columns = [text[s:e].strip() for s, e in next(blocks)]
    subjects = [[t.id for _, _, t in onto.find("option", c)] for c in columns]
    pending: list[list[tuple[int, int]]] = [[] for _ in columns]
    for block in blocks:
        for col, (s, e) in enumerate(block[: len(columns)]):
            if text[s:e].strip():
                pending[col].append((s, e))
        if all(not frags or text[frags[-1][0] : frags[-1][1]].rstrip().endswith(".") for frags in pending):
            for col, frags in enumerate(pending):
                if not frags:
                    continue
                start, end = frags[0][0], frags[-1][1]
                cell = normalise(" ".join(text[s:e] for s, e in frags))
                for option in subjects[col]:
                    st = Statement(
                        council=source.council,
                        kind="need-to-option",
                        start=start,
                        end=end,
                        quote=text[start:end],
                        section=source.section_at(start),
                        text=cell,
                        subject=option,
                        origin="grid",
                    )
                    st.add("need", need_of(cell))
                    yield st
            pending = [[] for _ in columns]
