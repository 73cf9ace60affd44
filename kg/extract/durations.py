"""Every length of time a statement's quote states, read by rule from the words.

A duration is a number (digits or a word: "16", "three", "first") or a range ("6-8"), then a unit
("weeks", "working days", "48hrs", "24hours"); "on an annual basis" is one year. The words around it
give its qualifiers: "within"/"no later than"/"a maximum of" (at-most), "at least"/"or more"/"as a
minimum" (at-least), "every"/"at intervals of" (every), "3 out of the last 5 years" (out-of-window, with
the window as a second duration), "immediately preceding", "an additional", "initially", "before",
"after". Ages are not durations: "under 14 years", "12-18 years old", "reaches 18 years" are skipped.

The rules are ours; tests/test_durations.py pins them on the documents' own wordings.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Duration, Statement

_I = re.IGNORECASE
_WORDS = {
    "one": 1,
    "first": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
}
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
_UNITS = [
    ("working-day", r"working[ \t\u00a0]+days?"),
    ("year", r"years?|yrs?"),
    ("month", r"months?"),
    ("week", r"weeks?|wks?"),
    ("day", r"days?"),
    ("hour", r"hours?|hrs?"),
]
_UNIT = "|".join(f"(?P<u_{name.replace('-', '_')}>{pattern})" for name, pattern in _UNITS)
DURATION = re.compile(
    rf"(?<![\w.])(?P<a>{_NUM})(?:[ \t]*[-–][ \t]*(?P<b>{_NUM}))?"
    rf"(?:[ \t\u00a0]+(?P<window_words>(?:out[ \t]+)?of[ \t]+the[ \t]+last)[ \t\u00a0]+(?P<w>{_NUM}))?"
    rf"[ \t\u00a0]*(?:{_UNIT})(?!\w)",
    _I,
)
ANNUAL = re.compile(r"\bon an annual basis\b|\bannually\b", _I)

# An age, not a length of time: "under 14 years", "children of over 10 years", "between 7 and 10
# years", "reaches 18 years", "at the age of 18 years", "four years of age", "12-18 years old".
_AGE_BEFORE = re.compile(
    r"\b(?:under|over|aged|reaches|turns|the age of|between[ \t]+\S+[ \t]+and)[ \t\u00a0]*$", _I
)
_AGE_AFTER = re.compile(r"^[ \t\u00a0]*(?:of[ \t]+age|old)\b", _I)

_BEFORE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("at-least", re.compile(r"\b(?:at least(?: every)?|(?<!no )more than|a minimum of)[ \t\u00a0]*$", _I)),
    (
        "at-most",
        re.compile(r"\b(?:within|no later than|no more than|not later than|a maximum of|up to)\b", _I),
    ),
    ("every", re.compile(r"\b(?:every|intervals? of)\b[^.;]*$", _I)),
    ("additional", re.compile(r"\b(?:an? )?additional[ \t\u00a0]*$", _I)),
    ("initial", re.compile(r"\binitially(?:[ \t]+for)?[ \t\u00a0]*$", _I)),
    ("after", re.compile(r"\bfollowing the[ \t\u00a0]*(?:\w+[ \t]+)?\(?$", _I)),
]
_AFTER_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("at-least", re.compile(r"^[ \t\u00a0]*(?:or more|and more|as a minimum)\b", _I)),
    ("immediately-preceding", re.compile(r"^\s*immediately preceding\b", _I)),
    ("before", re.compile(r"^[ \t\u00a0]*before\b", _I)),
    ("after", re.compile(r"^[ \t\u00a0]*after\b", _I)),
]
QUALIFIER_ORDER = (
    "at-least",
    "at-most",
    "every",
    "out-of-window",
    "window",
    "immediately-preceding",
    "additional",
    "initial",
    "before",
    "after",
)
_LOOK_BEHIND = 60


def number(word: str) -> float:
    return float(_WORDS[word.lower()]) if word.lower() in _WORDS else float(word)


def _unit(m: re.Match[str]) -> str:
    for name, _ in _UNITS:
        if m.group(f"u_{name.replace('-', '_')}"):
            return name
    raise AssertionError("the unit alternation always names its unit")


def _clause_before(text: str, pos: int, reach: int = _LOOK_BEHIND) -> str:
    """Up to ``reach`` characters before ``pos``, not reaching back past a sentence's end."""
    window = text[max(0, pos - reach) : pos]
    cut = max(window.rfind(". "), window.rfind("; "), window.rfind("\n"))
    return window[cut + 1 :] if cut >= 0 else window


def _qualifiers(text: str, start: int, end: int) -> list[str]:
    before, after = _clause_before(text, start), text[end : end + 40]
    found = {q for q, rule in _BEFORE_RULES if rule.search(before)}
    found |= {q for q, rule in _AFTER_RULES if rule.search(after)}
    # "must not have started more than 5 years before": a limit, not a minimum.
    if (
        "at-least" in found
        and re.search(r"\bnot\b", _clause_before(text, start, 90), _I)
        and re.search(r"(?<!no )more than\s*$", before, _I)
    ):
        found.discard("at-least")
        found.add("at-most")
    return [q for q in QUALIFIER_ORDER if q in found]


def read(text: str, offset: int = 0) -> Iterator[Duration]:
    """The durations stated in ``text``; ``offset`` is where ``text`` starts in its source."""
    for m in DURATION.finditer(text):
        unit = _unit(m)
        before = text[: m.start()]
        if unit == "year" and (_AGE_BEFORE.search(before) or _AGE_AFTER.search(text[m.end() :])):
            continue
        words = m.group(0)
        start, end = offset + m.start(), offset + m.end()
        qualifiers = _qualifiers(text, m.start(), m.end())
        if m.group("w"):
            # "3 out of the last 5 years": the period, and the window it must fall in.
            yield Duration(
                number(m.group("a")),
                unit,
                qualifiers=tuple(["out-of-window", *qualifiers]),
                text=words,
                start=start,
                end=end,
            )
            yield Duration(
                number(m.group("w")), unit, qualifiers=("window",), text=words, start=start, end=end
            )
        elif m.group("b"):
            low, high = number(m.group("a")), number(m.group("b"))
            yield Duration(
                None,
                unit,
                minimum=low,
                maximum=high,
                qualifiers=tuple(qualifiers),
                text=words,
                start=start,
                end=end,
            )
        else:
            yield Duration(
                number(m.group("a")), unit, qualifiers=tuple(qualifiers), text=words, start=start, end=end
            )
    for m in ANNUAL.finditer(text):
        yield Duration(
            1, "year", qualifiers=("every",), text=m.group(0), start=offset + m.start(), end=offset + m.end()
        )


def durations(statement: Statement) -> list[Duration]:
    """Every duration in the statement's quote, in the order the words stand."""
    return sorted(read(statement.quote, statement.start), key=lambda d: (d.start, d.end, d.qualifiers))
