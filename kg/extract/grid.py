"""North Somerset's Appendix 1 grid: child needs that point to each option.

The table arrived flattened: a tab-led line per cell, a blank line between rows, and its last row
broken into fragments, one line per column per fragment. A row is whole once every column's text
ends a sentence; a broken cell's quote spans its first to last fragment.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Statement, normalise
from ..ontology import Ontology
from ..sources import Source
from .lists import lines_from

GRID_HEADING = "Appendix 1: Identifying Permanence Options"


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
                    yield st
            pending = [[] for _ in columns]
