"""Councils compared claim by claim: what all of them state, what only one states, where one is silent.

Claims are made at build time (``kg/claims.py``) and read here through the query library
(``claim-members``). A council with no member in a claim is reported as silent only as far as the
graph can tell: "no statement extracted" means no statement of that council was aligned to the
claim, which is not proof that its document never says it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .. import queries
from ..model import ALIGNED_KINDS
from ..errors import KGError
from . import NOTICE

NOT_EXTRACTED = "no statement extracted"


@dataclass
class Comparison:
    councils: list[str]
    subject: str | None
    kind: str | None
    claims: list[dict[str, Any]] = field(default_factory=list)
    notice: str = NOTICE

    def by_status(self, status: str) -> list[dict[str, Any]]:
        return [c for c in self.claims if c["status"] == status]

    def as_json(self) -> list[dict[str, Any]]:
        """A list of claims; each carries the notice, so any one of them read alone still says it."""
        return [{**c, "notice": self.notice} for c in self.claims]


def library(name: str, data: str | None = None, **params: Any) -> queries.Result:
    """A library query, run in this process: the library's own queries with checked parameters are
    trusted, and a query process per call costs more than these small queries do."""
    return queries.run(name, data=data, timeout=None, limit=None, **params)


def ask(text: str, data: str | None = None) -> queries.Result:
    """An ad-hoc query of ours (trusted, like the library's), run in this process."""
    return queries.sparql(text, data=data, timeout=None, limit=None)


def known_ids(data: str | None = None) -> dict[str, list[str]]:
    """The ids users may type, from the graph: councils, options, orders, themes, needs."""
    result = ask(
        """SELECT ?what ?id WHERE {
             { ?x a pk:Council ; pk:councilId ?id . BIND ("council" AS ?what) }
             UNION { ?x a pk:PermanenceOption ; pk:localId ?id . BIND ("option" AS ?what) }
             UNION { ?x a pk:LegalOrder ; pk:localId ?id . BIND ("order" AS ?what) }
             UNION { ?x skos:inScheme/pk:localId ?what ; pk:localId ?id .
                     FILTER (?what IN ("theme", "need")) }
           } ORDER BY ?what ?id""",
        data,
    )
    ids: dict[str, list[str]] = {"council": [], "option": [], "order": [], "theme": [], "need": []}
    for what, value in result.rows:
        ids[str(what)].append(str(value))
    return ids


def check_councils(given: Sequence[str], known: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(c.strip() for c in given if c.strip()))
    if not chosen:
        raise KGError(f"no council given: expected one or more of {', '.join(known)}")
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise KGError(f"unknown council '{', '.join(unknown)}': expected one or more of {', '.join(known)}")
    return chosen


# What the silence queries say of a council with no statement of a kind (about a subject), in
# words for the user. Where the graph records no check, or the text does mention it, all that is
# known is that nothing was extracted.
SILENCE_WHY = {
    "not-in-text": "the document does not say: its text never uses the topic's words or names the subject",
    "not-extracted": NOT_EXTRACTED + "; its text uses the topic's words (see the passages-mentioning query)",
    "not-checked": NOT_EXTRACTED,
}


class _Silence:
    """Why a council has no member in a claim. A council with other statements of the claim's kind
    about its subject said something else; one with none is looked up in the silence queries, which
    check the document's text where the build recorded its passages."""

    def __init__(self, kind: str | None, subject: str | None, data: str | None) -> None:
        self.gaps: dict[tuple[str, str, str], str] = {}
        by_subject = library(
            "silent-on-by-subject", data=data, council="", kind=kind or "", subject=subject or ""
        )
        for row in by_subject.records():
            self.gaps[(row["council"], row["kind"], row["subject"])] = row.get("silence") or "not-checked"
        if not subject:
            by_kind = library("councils-silent-on", data=data, kind=kind or "", subject="", council="")
            for row in by_kind.records():
                self.gaps[(row["council"], row["kind"], "")] = row.get("silence") or "not-checked"

    def why(self, council: str, kind: str, subject: str | None) -> str:
        gap = self.gaps.get((council, kind, subject or ""))
        if gap is None:
            about = " about this subject" if subject else ""
            return NOT_EXTRACTED + f"; it says other things of this kind{about}"
        return SILENCE_WHY.get(gap, NOT_EXTRACTED)


def compare(
    councils: Sequence[str],
    subject: str | None = None,
    kind: str | None = None,
    data: str | None = None,
) -> Comparison:
    """Claims stated by the chosen councils, each marked ``all`` (every chosen council states it),
    ``only`` (one council states it; ``stated_by`` says which) or ``some``, with each silent
    council and why it is counted silent."""
    ids = known_ids(data)
    chosen = check_councils(councils, ids["council"])
    subjects = ids["option"] + ids["order"]
    if subject and subject not in subjects:
        raise KGError(
            f"unknown subject '{subject}': expected an option or order, one of {', '.join(subjects)}"
        )
    if kind and kind not in ALIGNED_KINDS:
        raise KGError(f"unknown kind '{kind}' for compare: expected one of {', '.join(ALIGNED_KINDS)}")
    # An option and the orders the law secures it by (ours, pk:securedBy) are asked about together:
    # what councils say of special guardianship is said partly of the special guardianship order.
    wanted = {subject} if subject else set()
    for link in library("app-option-orders", data=data).records():
        if subject and link["order"] and subject in (link["option"], link["order"]):
            wanted |= {link["option"], link["order"]}
    rows = library("claim-members", data=data, kind=kind or "", subject="").records()
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["council"] not in chosen or (wanted and row["subject"] not in wanted):
            continue
        claim = grouped.setdefault(
            row["claim"],
            {
                "claim": row["claim"],
                "text": row["claim_text"],
                "kind": row["kind"],
                "subject": row["subject"],
                "members": [],
            },
        )
        claim["members"].append(
            {
                "council": row["council"],
                "text": row["text"],
                "quote": row["quote"],
                "start": int(row["start"]),
                "end": int(row["end"]),
                "section": row["section"],
            }
        )
    order = {c: i for i, c in enumerate(chosen)}
    silence = _Silence(kind, None, data)
    claims = []
    for claim in grouped.values():
        claim["members"].sort(key=lambda m: (order[m["council"]], m["start"]))
        stated = [c for c in chosen if any(m["council"] == c for m in claim["members"])]
        claim["stated_by"] = stated
        claim["status"] = "all" if len(stated) == len(chosen) else "only" if len(stated) == 1 else "some"
        claim["silent"] = [
            {"council": c, "why": silence.why(c, claim["kind"], claim["subject"])}
            for c in chosen
            if c not in stated
        ]
        claims.append(claim)
    status_rank = {"all": 0, "some": 1, "only": 2}
    claims.sort(
        key=lambda c: (
            c["kind"],
            c["subject"] or "",
            status_rank[c["status"]],
            [order[s] for s in c["stated_by"]],
            c["members"][0]["start"],
        )
    )
    return Comparison(chosen, subject, kind, claims)


def table_rows(comparison: Comparison) -> tuple[list[str], list[list[Any]]]:
    """One row per claim and chosen council: what the council says, or why it counts as silent."""
    columns = ["claim", "status", "kind", "subject", "council", "says", "where"]
    rows: list[list[Any]] = []
    for number, claim in enumerate(comparison.claims, 1):
        for council in comparison.councils:
            members = [m for m in claim["members"] if m["council"] == council]
            head = [number, claim["status"], claim["kind"], claim["subject"] or ""]
            if not members:
                why = next((s["why"] for s in claim["silent"] if s["council"] == council), NOT_EXTRACTED)
                rows.append([*head, council, f"— ({why})", ""])
            for m in members:
                rows.append([*head, council, m["quote"], f"{m['section']} [{m['start']}-{m['end']}]"])
    return columns, rows
