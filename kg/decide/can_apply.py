"""Who can apply for an order: a case read against each council's applicant statements and our reading
of the law, condition by condition.

The conditions are data in the graph (``queries/applicant-conditions.rq``): each council applicant
statement or exclusion, and each of our applicant rules in law, carries its applicant categories, its
route(s) and the conditions on it (residence period and window, whose consent, the child's status, an
order in force). A case is a relationship to the child (mapped to the documents' applicant categories
by ``skos:exactMatch``/``skos:broadMatch`` in the ontology), how long the child has lived with the
person, whose consent they have, whether the child is in care and which orders are in force.

How a case is read (the same for every council and for the law):

- a criterion is about the person when one of its categories takes the person in; "any person" takes
  everyone in but, as its definition says, only on a consent or leave route (the child is taken in only
  where a criterion carries the child's category: see ``kg/curated/applicants.yaml``);
- its conditions must all hold; consent is needed on the with-consent route;
- a with-leave criterion that names whose consent is needed restricts leave itself: the person may not
  seek leave without that consent (s.9(3) Children Act 1989: a local authority foster parent the child
  has lived with for under a year, not a relative, needs the authority's consent). Without the consent
  the answer is ``with-consent``, the one word for what the person needs before any route opens: with
  the child in care that consent entitles them outright (s.10(5)(c)(ii)), otherwise it lets them seek
  leave. With the consent in hand the restriction is lifted and the other criteria decide (with-consent
  for a child in care, with-leave otherwise);
- a with-leave criterion that names the person specifically (not "any person") and no consent, or that
  applies only while an order is in force, is a requirement: the person needs leave even if otherwise
  entitled;
- the answer is the first that holds of: excluded, a consent requirement (with-consent), a leave
  requirement (with-leave), as-of-right, with-consent, with-leave; otherwise not-stated. A council
  whose document lists who may apply but names no route for this person answers not-stated, never
  with-leave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .. import queries
from ..errors import KGError
from . import NOTICE

ANSWERS = ("as-of-right", "with-consent", "with-leave", "excluded", "not-stated")
LAW = "law"
LAW_LABEL = "Our reading of the Children Act 1989 (permanence-kg, not a council)"
ANY_PERSON = "any-person"

# Months in each OWL-Time unit the graph uses.
_MONTHS = {"year": 12.0, "month": 1.0, "week": 12 / 52, "day": 12 / 365.25, "hour": 12 / (365.25 * 24)}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(y|yr|yrs|years?|m|mo|mos|months?|w|wk|wks|weeks?|d|days?)", re.I)
_UNIT_OF = {"y": "year", "m": "month", "w": "week", "d": "day"}


def parse_duration(text: str) -> float:
    """'8m', '14m', '3y', '10w' -> months."""
    m = _DURATION.fullmatch(text.strip())
    if m is None:
        raise KGError(
            f"malformed duration '{text}': expected a number and a unit, e.g. 8m, 14m, 3y "
            "(units: d, w, m, y)"
        )
    unit = _UNIT_OF[m.group(2)[0].lower()]
    return float(m.group(1)) * _MONTHS[unit]


def _words(months: float) -> str:
    if months >= 12 and abs(months / 12 - round(months / 12)) < 1e-9:
        years = round(months / 12)
        return f"{years} year" + ("s" if years != 1 else "")
    shown = f"{months:.1f}".rstrip("0").rstrip(".")
    return f"{shown} month" + ("s" if shown != "1" else "")


@dataclass(frozen=True)
class Vocabulary:
    """The ids a case is stated in, read from the ontology through SPARQL."""

    relationships: dict[str, frozenset[str]]  # relationship id -> applicant categories taking it in
    consents: dict[str, str]  # id users type (skos:notation) -> consent concept id
    councils: dict[str, str]  # council id -> label
    orders: dict[str, str]  # order id with applicant criteria -> label
    child_statuses: dict[str, str]  # child-status id -> label


def vocabulary(data: str | None = None) -> Vocabulary:
    # Cached per endpoint too: with --endpoint the remote store, not the local build, is the graph.
    return _vocabulary(data, queries.current_endpoint())


@lru_cache(maxsize=8)
def _vocabulary(data: str | None, endpoint: str | None) -> Vocabulary:
    # One round trip: the query process is the slow part of a first call.
    rows = queries.sparql(
        """SELECT ?what ?id ?value WHERE {
             { ?r skos:inScheme/pk:localId "relationship" ; pk:localId ?id ;
                  (skos:exactMatch|skos:broadMatch)/pk:localId ?value . BIND ("relationship" AS ?what) }
             UNION { ?c skos:inScheme/pk:localId "consent" ; skos:notation ?id ; pk:localId ?value .
                     BIND ("consent" AS ?what) }
             UNION { ?c a pk:Council ; pk:councilId ?id ; rdfs:label ?value . BIND ("council" AS ?what) }
             UNION { { ?s a pk:ApplicantStatement } UNION { ?s a pk:ApplicantExclusion }
                     UNION { ?s a pk:ApplicantRuleInLaw }
                     ?s pk:about ?o . ?o pk:localId ?id ; rdfs:label ?value . BIND ("order" AS ?what) }
             UNION { ?c skos:inScheme/pk:localId "child-status" ; pk:localId ?id ; skos:prefLabel ?value .
                     BIND ("child-status" AS ?what) }
           }""",
        data=data,
        limit=None,
    ).rows
    found: dict[str, dict[str, Any]] = {}
    for what, key, value in rows:
        if what == "relationship":
            found.setdefault(what, {}).setdefault(key, set()).add(value)
        else:
            found.setdefault(what, {})[key] = value
    return Vocabulary(
        relationships={k: frozenset(v) for k, v in sorted(found.get("relationship", {}).items())},
        consents=dict(sorted(found.get("consent", {}).items())),
        councils=dict(sorted(found.get("council", {}).items())),
        orders=dict(sorted(found.get("order", {}).items())),
        child_statuses=found.get("child-status", {}),
    )


def _choose(kind: str, value: str, valid: Iterable[str]) -> str:
    valid = list(valid)
    if value not in valid:
        raise KGError(f"unknown {kind} '{value}': expected one of {', '.join(valid)}")
    return value


@dataclass(frozen=True)
class Case:
    order: str
    relationship: str
    categories: frozenset[str]
    lived_months: float | None
    consents: frozenset[str]  # consent concept ids
    child_in_care: bool
    looked_after: bool  # in care, or accommodated under section 20
    in_force: frozenset[str]  # orders in force, including those the case implies
    consent_ids: tuple[tuple[str, str], ...] = ()  # consent concept id -> the id users type

    @property
    def specific(self) -> frozenset[str]:
        return self.categories - {ANY_PERSON}


@dataclass
class Reading:
    """One criterion (a council statement or a law rule) read against the case."""

    row: dict[str, Any]
    route: str | None = None  # the route it gives the person, if its conditions hold
    requirement: bool = False
    unmet: list[str] = field(default_factory=list)

    def evidence(self) -> dict[str, Any]:
        r = self.row
        item = {
            "route": self.route or "|".join(_split(r["routes"])),
            "text": r["text"],
            "statement": r["criterion"],
        }
        if r["source"] == LAW:
            item.update(label=r["label"], citations=_split(r["citations"]), ours=True)
        else:
            item.update(quote=r["quote"], start=r["start"], end=r["end"], section=r["section"])
        if self.unmet:
            item["unmet"] = list(self.unmet)
        return item


def _split(value: Any) -> list[str]:
    return sorted(str(value).split("|")) if value else []


def _conditions(row: dict[str, Any], case: Case) -> list[str]:
    """What the case lacks for the criterion's conditions (consent aside)."""
    unmet = []
    if row["lived_with"] is not None:
        need = float(row["lived_with"]) * _MONTHS[row["lived_with_unit"]]
        how = " immediately preceding the application" if row["immediately_preceding"] else ""
        if case.lived_months is None:
            unmet.append(f"the child must have lived with the applicant for {_words(need)}{how} (not given)")
        elif case.lived_months + 1e-9 < need:
            unmet.append(
                f"the child must have lived with the applicant for {_words(need)}{how}, "
                f"not {_words(case.lived_months)}"
            )
    if row.get("lived_under") is not None and case.lived_months is not None:
        limit = float(row["lived_under"]) * _MONTHS[row["lived_under_unit"]]
        if case.lived_months + 1e-9 >= limit:
            unmet.append(
                f"applies only while the child has lived with the applicant for under {_words(limit)}"
            )
    for status in _split(row["child_status"]):
        if status == "in-care" and not case.child_in_care:
            unmet.append("applies only where the child is in the care of a local authority")
        if status == "looked-after" and not case.looked_after:
            unmet.append("applies only where the child is looked after")
        if status == "other-case" and (case.child_in_care or "child-arrangements-order" in case.in_force):
            unmet.append(
                "applies only in any other case (the child not in care, no child arrangements order)"
            )
    for order in _split(row["in_force"]):
        if order not in case.in_force:
            unmet.append(f"applies only while a {order.replace('-', ' ')} is in force")
    return unmet


def read(row: dict[str, Any], case: Case) -> Reading | None:
    """The criterion's reading for the case, or None when it is not about this person."""
    categories = set(_split(row["categories"]))
    matched = categories & case.categories
    if not matched:
        return None
    reading = Reading(row)
    routes = _split(row["routes"])
    specific = bool(matched - {ANY_PERSON})
    if "excluded" in routes:
        reading.route = "excluded"
        return reading
    unmet = _conditions(row, case)
    missing_consent = [c for c in _split(row["consents"]) if c not in case.consents]
    if routes == ["with-leave"] and _split(row["consents"]):
        # Leave itself needs the consent: a restriction that either binds (consent missing) or is lifted.
        if unmet:
            return None
        if missing_consent:
            reading.route, reading.requirement = "with-consent", True
            reading.unmet = [f"needs the consent of: {_typed(case, missing_consent)} before seeking leave"]
        else:
            reading.route = "with-leave"
        return reading
    for route in ("as-of-right", "with-consent", "with-leave"):
        if route not in routes:
            continue
        if route == "as-of-right" and not specific:
            continue
        if unmet or (route == "with-consent" and missing_consent):
            continue
        reading.route = route
        reading.requirement = route == "with-leave" and (
            bool(_split(row["in_force"])) or ANY_PERSON not in categories
        )
        return reading
    reading.unmet = unmet + (
        [f"needs the consent of: {_typed(case, missing_consent)}"]
        if "with-consent" in routes and missing_consent
        else []
    )
    if "as-of-right" in routes and not specific and not reading.unmet:
        return None
    return reading


def _typed(case: Case, consents: list[str]) -> str:
    return ", ".join(dict(case.consent_ids).get(c, c) for c in consents)


def decide(readings: list[Reading]) -> tuple[str, list[Reading]]:
    """The answer and the readings that decide it."""
    given = [r for r in readings if r.route]
    for answer, pick in (
        ("excluded", lambda r: r.route == "excluded"),
        ("with-consent", lambda r: r.requirement and r.route == "with-consent"),
        ("with-leave", lambda r: r.requirement and r.route == "with-leave"),
        ("as-of-right", lambda r: r.route == "as-of-right"),
        ("with-consent", lambda r: r.route == "with-consent"),
        ("with-leave", lambda r: r.route == "with-leave"),
    ):
        deciding = [r for r in given if pick(r)]
        if deciding:
            return answer, deciding
    return "not-stated", []


def make_case(
    vocab: Vocabulary,
    order: str,
    relationship: str,
    lived_with: str | float | None = None,
    consent: Iterable[str] = (),
    child_in_care: bool = False,
    in_force: Iterable[str] = (),
    looked_after: bool = False,
) -> Case:
    _choose("order", order, vocab.orders)
    _choose("relationship", relationship, vocab.relationships)
    consents = frozenset(vocab.consents[_choose("consent", c, vocab.consents)] for c in consent)
    forced = {_choose("order in force", o, _all_orders()) for o in in_force}
    if child_in_care:
        forced.add("care-order")
    if "cao-live-with-persons" in consents:
        forced.add("child-arrangements-order")
    months = parse_duration(lived_with) if isinstance(lived_with, str) else lived_with
    if months is not None and months < 0:
        raise KGError(f"--lived-with must not be negative, not {lived_with}")
    return Case(
        order=order,
        relationship=relationship,
        categories=vocab.relationships[relationship],
        lived_months=months,
        consents=consents,
        child_in_care=child_in_care,
        looked_after=looked_after or child_in_care,
        in_force=frozenset(forced),
        consent_ids=tuple(sorted((cid, typed) for typed, cid in vocab.consents.items())),
    )


@lru_cache(maxsize=1)
def _all_orders() -> tuple[str, ...]:
    from ..ontology import ontology

    return tuple(sorted(ontology().orders))


def _basis(answer: str, who: str, order: str, has_criteria: bool, deciding: list[Reading]) -> str:
    if answer == "not-stated":
        if not has_criteria:
            return f"{who} states no one who may apply for a {order}"
        return f"{who} lists who may apply for a {order} but names no route for this person"
    if answer == "with-leave" and any(r.requirement for r in deciding):
        return f"{who} says this person needs the court's leave in this case"
    if answer == "with-consent" and any(r.requirement for r in deciding):
        return f"{who} says this person needs a consent before they may apply or seek leave"
    return f"{who}: {answer}"


def can_apply(
    order: str,
    relationship: str,
    lived_with: str | float | None = None,
    consent: Iterable[str] = (),
    child_in_care: bool = False,
    in_force: Iterable[str] = (),
    council: str | None = None,
    data: str | None = None,
    looked_after: bool = False,
) -> list[dict[str, Any]]:
    """One row per council (or just ``council``), then our reading of the law (``council: law``).

    ``lived_with`` is how long the child has lived with the person, up to now ('8m', '3y', or months);
    ``consent`` holds ids from ``vocabulary().consents`` (local-authority, everyone-with-pr,
    cao-holders); ``in_force`` names orders in force (a care order is in force when the child is in
    care); ``looked_after`` says the child is looked after without being in care (accommodated under
    section 20); a child in care is looked after too.

    Each row: council, council_label, answer, quotes (the deciding statements: quote, start, end,
    section, route; for the law, our wording and its legislation.gov.uk citations), unmet (the
    statements naming the person whose conditions the case does not meet), basis, disagrees_with
    (councils giving another stated answer), matches_law, citations, ours, notice."""
    vocab = vocabulary(data)
    if council is not None:
        _choose("council", council, vocab.councils)
    case = make_case(vocab, order, relationship, lived_with, consent, child_in_care, in_force, looked_after)
    result = queries.run("applicant-conditions", data=data, limit=None, order=order, council="")
    criteria = [dict(zip(result.columns, row)) for row in result.rows]
    order_label = vocab.orders[order].lower()

    rows: list[dict[str, Any]] = []
    for source in [*vocab.councils, LAW]:
        own = [c for c in criteria if c["source"] == source]
        readings = [r for r in (read(c, case) for c in own) if r is not None]
        answer, deciding = decide(readings)
        shown = deciding if deciding else [r for r in readings if r.unmet]
        label = LAW_LABEL if source == LAW else vocab.councils[source]
        rows.append(
            {
                "council": source,
                "council_label": label,
                "answer": answer,
                "quotes": [r.evidence() for r in shown],
                "unmet": [r.evidence() for r in readings if r.unmet and r not in shown],
                "basis": _basis(
                    answer, "The law" if source == LAW else label, order_label, bool(own), deciding
                ),
                "citations": sorted({c for r in deciding for c in _split(r.row["citations"])}),
                "ours": source == LAW,
                "notice": NOTICE,
            }
        )
    law = rows[-1]["answer"]
    stated = {r["council"]: r["answer"] for r in rows[:-1] if r["answer"] != "not-stated"}
    for row in rows:
        mine = row["answer"]
        row["disagrees_with"] = (
            sorted(c for c, a in stated.items() if a != mine and c != row["council"])
            if row["council"] != LAW and mine != "not-stated"
            else []
        )
        row["matches_law"] = None if row["council"] == LAW or mine == "not-stated" else mine == law
    if council is not None:
        rows = [r for r in rows if r["council"] in (council, LAW)]
    return rows
