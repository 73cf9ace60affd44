"""Statements read off the documents' structure: lists introduced by a recognisable lead-in,
option section headings, in-sentence lists of options, exclusions, and passing mentions."""

from __future__ import annotations

import re
from typing import Callable, Iterator

from ..model import Statement, normalise
from ..ontology import Ontology, Term
from ..sources import Source
from . import rules
from .lists import EXCLUSION, Item, inline_items, list_items

_EOL = r"[ \t\u00a0]*$"

ADVANTAGES = re.compile(
    r"^(?P<lead>[^\n]*?)\bha(?:s|ve) the following (?P<kind>advantages|disadvantages)\b[^\n]*:" + _EOL, re.M
)
APPLICANTS = re.compile(r"^(?P<lead>[^\n]*\b(?:may|can) apply\b[^\n]*):" + _EOL, re.M)
LEGAL_ORDERS = re.compile(r"^Available legal orders to support this permanence option:" + _EOL, re.M)
SUPPORT = re.compile(r"^Support available to enable this permanence option:" + _EOL, re.M)
OPTION_LIST = re.compile(
    r"(?:options? for (?:legal )?permanence (?:are|must be fully considered)|one of the following \w+ options"
    r"|There are \w+ permanence options[^\n]*)[:;.]?" + _EOL,
    re.M | re.I,
)
INLINE_OPTION_LIST = re.compile(
    r"(?:permanence options include|a range of options including|can be achieved in several ways, such as)"
    r"\s+(?P<list>[^.\n]*)",
    re.I,
)
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:Permanence (?:and )?)?")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]|$)")


def _statement(source: Source, kind: str, start: int, end: int, origin: str, **fields) -> Statement:
    return Statement(
        council=source.council,
        kind=kind,
        start=start,
        end=end,
        quote=source.text[start:end],
        section=source.section_at(start),
        text=fields.pop("text", None) or normalise(source.text[start:end]),
        origin=origin,
        **fields,
    )


def _section_option(onto: Ontology, source: Source, offset: int) -> Term | None:
    heading = source.heading_at(offset)
    if heading is None:
        return None
    return onto.starts_with("option", _NUMBERING.sub("", heading.text))


def _lead_subject(onto: Ontology, kind: str, lead: str) -> Term | None:
    found = onto.find(kind, lead)
    return found[-1][2] if found else None


def _items(source: Source, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], list[Item]]]:
    headings = frozenset(h.start for h in source.headings)
    for m in pattern.finditer(source.text):
        yield m, list_items(source.text, m.end() + 1, headings)


def advantages(onto: Ontology, source: Source) -> Iterator[Statement]:
    for m, items in _items(source, ADVANTAGES):
        kind = m.group("kind")[:-1]  # advantages -> advantage
        subject = _lead_subject(onto, "option", m.group("lead")) or _section_option(onto, source, m.start())
        if subject is None:
            raise ValueError(f"{source.council}: no option for list '{m.group(0).strip()}'")
        for n, item in enumerate(items, 1):
            st = _statement(source, kind, item.start, item.end, "list", subject=subject.id)
            st.values["listPosition"] = n
            rules.assign_themes(st)
            yield st


def applicants(onto: Ontology, source: Source) -> Iterator[Statement]:
    for m, items in _items(source, APPLICANTS):
        lead = m.group("lead")
        # The order is named in the lead-in ("may apply for a CAO") or, failing that, the section.
        named = _lead_subject(onto, "order", lead)
        if named is None:
            option = _lead_subject(onto, "option", lead) or _section_option(onto, source, m.start())
            named = _principal_order(onto, option)
        order = named
        for n, item in enumerate(items, 1):
            text = normalise(f"{item.lead_in} {source.text[item.start:item.end]}")
            st = _statement(source, "applicant", item.start, item.end, "list", subject=order.id, text=text)
            st.values["listPosition"] = n
            rules.classify_applicant(st)
            yield st


def _principal_order(onto: Ontology, option: Term | None) -> Term:
    ids = {
        "special-guardianship": "special-guardianship-order",
        "child-arrangements": "child-arrangements-order",
    }
    if option is None or option.id not in ids:
        raise ValueError(f"no order for applicant list under option {option.id if option else None}")
    return onto.orders[ids[option.id]]


def exclusions(onto: Ontology, source: Source) -> Iterator[Statement]:
    for m in EXCLUSION.finditer(source.text):
        sentence = m.group(0)
        found = onto.find("order", sentence) or []
        if found:
            order = found[0][2]
        elif re.search(r"special guardian", sentence, re.I):
            order = onto.orders["special-guardianship-order"]
        else:
            continue
        st = _statement(source, "applicant-exclusion", m.start(), m.end(), "pattern", subject=order.id)
        rules.classify_applicant(st)
        st.concepts = [(p, c) for p, c in st.concepts if p == "applicantCategory"]
        st.add("route", "excluded")
        yield st


def option_orders(onto: Ontology, source: Source) -> Iterator[Statement]:
    for pattern, kind in ((LEGAL_ORDERS, "legal-order"), (SUPPORT, "support")):
        for m, items in _items(source, pattern):
            option = _section_option(onto, source, m.start())
            if option is None:
                raise ValueError(f"{source.council}: no option section for '{m.group(0).strip()}'")
            for n, item in enumerate(items, 1):
                st = _statement(source, kind, item.start, item.end, "list", subject=option.id)
                st.values["listPosition"] = n
                if kind == "legal-order":
                    for _, _, order in onto.find("order", st.text):
                        st.add("legalOrder", order.id)
                yield st


def _options_in(onto: Ontology, source: Source, start: int, end: int) -> list[Term]:
    """Options named in a list item, leaving out what it says in brackets."""
    text = re.sub(r"\([^)]*\)?", lambda m: " " * len(m.group(0)), source.text[start:end])
    seen: list[Term] = []
    for _, _, term in onto.find("option", text):
        if term not in seen:
            seen.append(term)
    return seen


def options(onto: Ontology, source: Source) -> Iterator[Statement]:
    presented: set[str] = set()

    def emit(start: int, end: int, presentation: str, origin: str) -> Iterator[Statement]:
        for term in _options_in(onto, source, start, end):
            st = _statement(source, "option", start, end, origin, subject=term.id)
            st.add("presentation", presentation)
            presented.add(term.id)
            yield st

    for m, items in _items(source, OPTION_LIST):
        for item in items:
            yield from emit(item.start, item.end, "listed", "list")
    for m in INLINE_OPTION_LIST.finditer(source.text):
        # Options are found in the whole list ("family or friends" holds an "or"); each is quoted
        # by the list part(s) its name falls in.
        parts = inline_items(source.text, m.start("list"), m.end("list"))
        for term_start, term_end, term in onto.find("option", source.text[m.start("list") : m.end("list")]):
            s, e = m.start("list") + term_start, m.start("list") + term_end
            start = max(p0 for p0, _ in parts if p0 <= s)
            end = min(p1 for _, p1 in parts if p1 >= e)
            st = _statement(source, "option", start, end, "inline-list", subject=term.id)
            st.add("presentation", "in-sentence")
            presented.add(term.id)
            yield st
    for heading in source.headings:
        section_option = onto.starts_with("option", _NUMBERING.sub("", heading.text))
        if section_option is not None:
            start, end = heading.start, heading.end
            while source.text[start] in " \t\u00a0":
                start += 1
            while source.text[end - 1] in " \t\u00a0":
                end -= 1
            st = _statement(source, "option", start, end, "heading", subject=section_option.id)
            st.add("presentation", "section")
            presented.add(section_option.id)
            yield st
    # An option neither listed nor given a section may still be mentioned: the first sentence that does.
    for term in onto.options.values():
        if term.id in presented:
            continue
        for s, e, found in onto.find("option", source.text):
            if found.id == term.id:
                sentence = _sentence_around(source.text, s, e)
                st = _statement(source, "option", *sentence, "mention", subject=term.id)
                st.add("presentation", "mentioned")
                yield st
                break


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for m in _SENTENCE.finditer(text, line_start, line_end):
        if m.start() <= start < m.end() or m.end() >= end:
            s, e = m.start(), m.end()
            while s < e and text[s] in " \t\u00a0·•-":
                s += 1
            return s, e
    return start, end


EXTRACTORS: tuple[Callable[[Ontology, Source], Iterator[Statement]], ...] = (
    options,
    advantages,
    applicants,
    exclusions,
    option_orders,
)
