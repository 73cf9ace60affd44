"""Options for a child: what each council says about every permanence option, for a child of a given age.

For every option and council: the advantages and disadvantages by theme, the age guidance that
applies at the child's age, the needs it suits, the legal orders that secure it, who holds
parental responsibility, whether the child stays looked after, review and timescale obligations,
and where councils diverge. Every item carries the council's quote.

Age guidance with numbers is applied exactly: a band applies when ``age_from <= age < age_below``
(either bound may be absent). Guidance without a number ("older children") is shown as such, under
``no_age_given``, and never as applying at every age.

Ordering is given only when the user weighs themes, and it is open arithmetic: for each theme,
weight x (advantages bearing on it - disadvantages bearing on it), counting each claim once however
many councils state it (Medway's and North Somerset's shared list items are one claim). Every
theme's contribution is shown with the quotes behind it. Without weights there is no ordering.
"""

from __future__ import annotations

import json
import math
from typing import Any, Mapping, Sequence

from ..errors import KGError
from . import NOTICE
from .compare import ask, known_ids, library

FORMULA = (
    "score = sum over weighted themes of weight x (advantage claims bearing on the theme - disadvantage "
    "claims bearing on it); a claim stated by several councils counts once"
)


def _split(value: Any) -> list[str]:
    """A joined list of ids as a sorted list: GROUP_CONCAT's order is the engine's (and the store's),
    and the same graph must give the same answer on every engine and endpoint."""
    return sorted(v for v in str(value or "").split("|") if v)


def _in_document_order(value: Any) -> Any:
    """Every list of quotes in ``value`` sorted by council and place in the document (then by what
    it says): library rows tied on a query's ORDER BY come in the engine's (and the store's) order,
    and the same graph must give the same answer on every engine and endpoint."""
    if isinstance(value, dict):
        return {k: _in_document_order(v) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(v, dict) and "quote" in v for v in value):
        return sorted(
            (_in_document_order(v) for v in value),
            key=lambda i: (
                i.get("council") or "",
                i.get("start") is None,
                i.get("start") or 0,
                i.get("end") or 0,
                json.dumps(i, sort_keys=True, default=str),
            ),
        )
    if isinstance(value, list):
        return [_in_document_order(v) for v in value]
    return value


def themes(data: str | None = None) -> list[str]:
    return known_ids(data)["theme"]


def need_ids(data: str | None = None) -> list[str]:
    return known_ids(data)["need"]


def parse_weights(items: Sequence[str]) -> dict[str, float]:
    """``["stability=2", "contact=-1"]`` -> ``{"stability": 2.0, "contact": -1.0}``."""
    weights: dict[str, float] = {}
    for item in items:
        theme, sep, value = item.partition("=")
        try:
            if not sep or not theme.strip():
                raise ValueError
            weights[theme.strip()] = float(value)
        except ValueError:
            raise KGError(f"weight '{item}' is not THEME=NUMBER (e.g. --weight stability=2)") from None
    return weights


def _applies(age: float, age_from: Any, age_below: Any) -> bool:
    return (age_from is None or age >= float(age_from)) and (age_below is None or age < float(age_below))


def _band(age_from: Any, age_below: Any) -> str:
    if age_from is not None and age_below is not None:
        return f"{float(age_from):g} <= age < {float(age_below):g}"
    if age_from is not None:
        return f"age >= {float(age_from):g}"
    return f"age < {float(age_below):g}"


class _Offsets:
    """Where each quote sits in its document, from the statements export (one query). The same words
    can stand at two places ("Supervision Order" under two options), so a quote is looked up with
    its kind and subject, or failing those its section."""

    def __init__(self, data: str | None) -> None:
        self.exact: dict[tuple[str, ...], tuple[int, int]] = {}
        self.in_section: dict[tuple[str, ...], set[tuple[int, int]]] = {}
        # One string per statement: turning each of seven columns into Python values would cost
        # more than the query itself.
        located = ask(
            """SELECT ?row WHERE {
                 ?s pk:council/pk:councilId ?council ; a ?class ; pk:hasEvidence ?ev .
                 ?class skos:notation ?kind .
                 ?ev pk:section ?section ; oa:hasSelector ?q , ?p .
                 ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end .
                 OPTIONAL { ?s pk:about/pk:localId ?subject }
                 BIND (CONCAT(?council, "\\u0001", ?kind, "\\u0001", COALESCE(?subject, ""), "\\u0001",
                              ?section, "\\u0001", STR(?start), "\\u0001", STR(?end), "\\u0001",
                              ?quote) AS ?row) }""",
            data,
        )
        for (row,) in located.rows:
            council, kind, subject, section, start, end, quote = str(row).split("\u0001", 6)
            where = (int(start), int(end))
            self.exact.setdefault((council, kind, subject, quote), where)
            self.in_section.setdefault((council, quote, section), set()).add(where)

    def item(
        self, where: str, quote: str, section: str, kind: str = "", about: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        found: tuple[int | None, int | None] | None = self.exact.get((where, kind, about or "", quote))
        if found is None:
            places = self.in_section.get((where, quote, section), set())
            found = next(iter(places)) if len(places) == 1 else (None, None)
        return {
            **extra,
            "about": about,
            "quote": quote,
            "start": found[0],
            "end": found[1],
            "section": section,
        }


def options(
    age: float,
    needs: Sequence[str] = (),
    weights: Mapping[str, float] | None = None,
    council: str | None = None,
    data: str | None = None,
) -> dict[str, Any]:
    """Every option, per council, for a child of ``age`` years; an ordering only if ``weights`` are given."""
    ids = known_ids(data)
    if not isinstance(age, (int, float)) or isinstance(age, bool) or not math.isfinite(age) or age < 0:
        shown = f"{age:g}" if isinstance(age, (int, float)) else str(age)
        raise KGError(f"age must be a number of years, 0 or more (e.g. 9 or 1.5), not '{shown}'")
    age = float(age)
    if council and council not in ids["council"]:
        raise KGError(f"unknown council '{council}': expected one of {', '.join(ids['council'])}")
    known_needs = ids["need"]
    unknown_needs = [n for n in needs if n not in known_needs]
    if unknown_needs:
        accepted = ", ".join(known_needs) or "(none in the graph)"
        raise KGError(f"unknown need '{', '.join(unknown_needs)}': expected one of {accepted}")
    weights = dict(weights or {})
    known_themes = ids["theme"]
    unknown_themes = [t for t in weights if t not in known_themes]
    if unknown_themes:
        raise KGError(
            f"unknown theme '{', '.join(unknown_themes)}': expected one of {', '.join(known_themes)}"
        )

    councils = [council] if council else ids["council"]
    offsets = _Offsets(data)
    secured_by: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for row in library("app-option-orders", data=data).records():
        labels[row["option"]] = row["option_label"]
        secured_by.setdefault(row["option"], [])
        if row["order"]:
            secured_by[row["option"]].append(row["order"])
    subject_of = {o: {o, *orders} for o, orders in secured_by.items()}

    def blank() -> dict[str, Any]:
        return {
            "advantages": [],
            "disadvantages": [],
            "age_guidance": {"applies": [], "no_age_given": [], "not_at_this_age": []},
            "needs": [],
            "legal_orders": [],
            "parental_responsibility": [],
            "looked_after": [],
            "reviews_and_timescales": [],
        }

    per: dict[str, dict[str, dict[str, Any]]] = {o: {c: blank() for c in councils} for o in secured_by}

    def targets(subject: str | None) -> list[str]:
        return [o for o, subjects in subject_of.items() if subject in subjects]

    # Trade-offs, with the claim each item belongs to (so shared items count once when weighing).
    claim_of: dict[tuple[str, str, str], str] = {}
    for kind in ("advantage", "disadvantage"):
        for row in library("claim-members", data=data, kind=kind).records():
            claim_of[(row["council"], kind, row["quote"])] = row["claim"]
    for row in library("advantages-by-option", data=data, option="").records():
        if row["kind"] not in ("advantage", "disadvantage") or row["council"] not in councils:
            continue
        item = offsets.item(
            row["council"],
            row["quote"],
            row["section"],
            kind=row["kind"],
            about=row["option"],
            text=row["text"],
            themes=_split(row["themes"]),
            claim=claim_of.get((row["council"], row["kind"], row["quote"])),
        )
        per[row["option"]][row["council"]][row["kind"] + "s"].append(item)

    general_age: dict[str, list[dict[str, Any]]] = {"applies": [], "no_age_given": [], "not_at_this_age": []}
    for row in library("age-guidance", data=data).records():
        if row["council"] not in councils:
            continue
        lo, hi = row["age_from"], row["age_below"]
        item = offsets.item(
            row["council"],
            row["quote"],
            row["section"],
            kind="age-guidance",
            about=row["subject"],
            text=row["text"],
            direction=row["direction"],
            practices=_split(row["practices"]),
            milestone=row["milestone"],
            band=None if lo is None and hi is None else _band(lo, hi),
            age_words=row.get("age_group"),
        )
        where = (
            "no_age_given"
            if lo is None and hi is None
            else "applies" if _applies(age, lo, hi) else "not_at_this_age"
        )
        if row["subject"]:
            for option in targets(row["subject"]):
                per[option][row["council"]]["age_guidance"][where].append(item)
        else:
            general_age[where].append({**item, "council": row["council"]})

    for row in _need_rows(data):
        if row["council"] in councils and row["option"] in per:
            item = offsets.item(
                row["council"],
                row["quote"],
                row["section"],
                kind="need-to-option",
                about=row["option"],
                text=row["text"],
                needs=_split(row["needs"]),
            )
            item["matches"] = [n for n in needs if n in item["needs"]]
            per[row["option"]][row["council"]]["needs"].append(item)

    for row in library("legal-orders-for-option", data=data, option="").records():
        if row["council"] in councils and row["option"] in per:
            item = offsets.item(
                row["council"],
                row["quote"],
                row["section"],
                kind="legal-order",
                about=row["option"],
                order=row["order"],
            )
            per[row["option"]][row["council"]]["legal_orders"].append(item)

    for row in library("parental-responsibility", data=data, subject="").records():
        if row["council"] not in councils:
            continue
        item = offsets.item(
            row["council"],
            row["quote"],
            row["section"],
            kind="parental-responsibility",
            about=row["subject"],
            text=row["text"],
            holders=_split(row["holders"]),
            sharing=_split(row["sharing"]),
            restricted_decisions=_split(row["restricted_decisions"]),
        )
        for option in targets(row["subject"]):
            per[option][row["council"]]["parental_responsibility"].append(item)

    for row in library("looked-after-status", data=data).records():
        if row["council"] not in councils:
            continue
        item = offsets.item(
            row["council"],
            row["quote"],
            row["section"],
            kind=row["kind"],
            about=row["subject"],
            stays_looked_after=bool(row["stays_looked_after"]),
            text=row["text"],
        )
        for option in targets(row["subject"]):
            per[option][row["council"]]["looked_after"].append(item)

    planning_timescales: list[dict[str, Any]] = []
    for row in library("timescales", data=data).records():
        if row["council"] not in councils:
            continue
        item = offsets.item(
            row["council"],
            row["quote"],
            row["section"],
            kind="timescale",
            about=row["subject"],
            text=row["text"],
            topics=_split(row["topics"]),
            duration=None if row["value"] is None else f"{float(row['value']):g} {row['unit']}",
        )
        if not row["subject"]:
            # About no option in particular: the planning every child's case goes through.
            planning_timescales.append({**item, "council": row["council"]})
        for option in targets(row["subject"]):
            per[option][row["council"]]["reviews_and_timescales"].append(item)

    divergences: dict[str, dict[str, dict[str, Any]]] = {o: {} for o in per}
    about: dict[str, list[str]] = {}
    for divergence, subject in ask(
        "SELECT ?id ?subject WHERE { ?d a pk:Divergence ; pk:localId ?id ; pk:about/pk:localId ?subject }",
        data=data,
    ).rows:
        about.setdefault(str(divergence), []).append(str(subject))
    for row in library("divergences", data=data, subject="").records():
        for option in sorted({o for subject in about.get(row["divergence"], []) for o in targets(subject)}):
            d = divergences[option].setdefault(
                row["divergence"],
                {
                    "divergence": row["divergence"],
                    "label": row["label"],
                    "description": row["description"],
                    "law_says": row["law_says"],
                    "sides": [],
                },
            )
            d["sides"].append(
                offsets.item(row["council"], row["quote"], row["section"], council=row["council"])
            )

    per = _in_document_order(per)
    divergences = _in_document_order(divergences)
    result_options = []
    for option in sorted(per):
        entry = {
            "option": option,
            "label": labels.get(option, option),
            "secured_by_in_law": secured_by[option],
            "councils": [{"council": c, **per[option][c]} for c in councils],
            "divergences": [
                d
                for d in divergences[option].values()
                if not council or any(s["council"] == council for s in d["sides"])
            ],
        }
        result_options.append(entry)

    return {
        "notice": NOTICE,
        "age": age,
        "council": council,
        "needs": list(needs),
        "weights": weights or None,
        "planning_age_guidance": _in_document_order(general_age),
        "planning_timescales": _in_document_order(planning_timescales),
        "options": result_options,
        "ordering": _ordering(result_options, weights) if weights else None,
        "formula": FORMULA if weights else None,
    }


def _need_rows(data: str | None) -> list[dict[str, Any]]:
    """Needs each option suits: the grid cells and prose statements, with their need concept ids."""
    result = ask(
        """SELECT ?council ?option ?text ?quote ?section ?needs WHERE {
             ?s a pk:NeedToOption ; pk:council/pk:councilId ?council ; pk:about/pk:localId ?option ;
                pk:normalisedText ?text ; pk:hasEvidence ?ev .
             ?ev pk:section ?section ; oa:hasSelector/oa:exact ?quote ; oa:hasSelector/oa:start ?start .
             OPTIONAL {
               SELECT ?s (GROUP_CONCAT(DISTINCT ?id; separator="|") AS ?needs)
               WHERE { ?s a pk:NeedToOption ; ?p ?c . ?c skos:inScheme/pk:localId "need" ; pk:localId ?id }
               GROUP BY ?s
             }
           } ORDER BY ?council ?option ?start""",
        data=data,
    )
    return result.records()


def _ordering(result_options: list[dict[str, Any]], weights: Mapping[str, float]) -> list[dict[str, Any]]:
    ranked = []
    for entry in result_options:
        contributions: list[dict[str, Any]] = []
        for theme, weight in sorted(weights.items()):
            counted: dict[str, dict[str, dict[str, Any]]] = {"advantages": {}, "disadvantages": {}}
            for side in ("advantages", "disadvantages"):
                for c in entry["councils"]:
                    for item in c[side]:
                        if theme not in item["themes"]:
                            continue
                        # A claim several councils state is one consideration, not several.
                        key = item["claim"] or f"{c['council']}:{item['start']}"
                        claim = counted[side].setdefault(key, {"claim": item["claim"], "quotes": []})
                        evidence = {k: item[k] for k in ("quote", "start", "end", "section")}
                        claim["quotes"].append({"council": c["council"], **evidence})
            pros, cons = len(counted["advantages"]), len(counted["disadvantages"])
            contributions.append(
                {
                    "theme": theme,
                    "weight": weight,
                    "advantages": pros,
                    "disadvantages": cons,
                    "contribution": weight * (pros - cons),
                    "advantage_claims": list(counted["advantages"].values()),
                    "disadvantage_claims": list(counted["disadvantages"].values()),
                }
            )
        weighed = any(bool(c["advantages"] or c["disadvantages"]) for c in contributions)
        ranked.append(
            {
                "option": entry["option"],
                "score": sum(c["contribution"] for c in contributions) if weighed else None,
                "contributions": contributions,
                "note": (
                    None
                    if weighed
                    else "not ranked: no listed advantage or disadvantage bears on these themes"
                ),
            }
        )
    scored = sorted((r for r in ranked if r["score"] is not None), key=lambda r: (-r["score"], r["option"]))
    for rank, r in enumerate(scored, 1):
        r["rank"] = rank
    return scored + [r for r in ranked if r["score"] is None]


def _where(item: dict[str, Any]) -> str:
    span = f"{item['start']}-{item['end']}" if item.get("start") is not None else "?"
    return f"{item['section']} [{span}]"


def ordering_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The weighed ordering, one row per option and theme: every term of every score shown."""
    columns = ["rank", "option", "score", "theme", "weight", "advantages", "disadvantages", "contribution"]
    rows: list[list[Any]] = []
    for r in result["ordering"] or []:
        if r["score"] is None:
            rows.append(["—", r["option"], "—", r["note"], "", "", "", ""])
            continue
        for c in r["contributions"]:
            rows.append(
                [
                    r["rank"],
                    r["option"],
                    f"{r['score']:g}",
                    c["theme"],
                    f"{c['weight']:g}",
                    c["advantages"],
                    c["disadvantages"],
                    f"{c['contribution']:g}",
                ]
            )
    return columns, rows


def detail_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Everything said about each option, one row per quote: option, council, topic, detail, quote."""
    columns = ["option", "council", "topic", "detail", "quote", "where"]
    rows: list[list[Any]] = []
    age = f"{result['age']:g}"
    for entry in result["options"]:
        option = entry["option"]
        for c in entry["councils"]:
            council = c["council"]
            before = len(rows)
            for side in ("advantages", "disadvantages"):
                for i in c[side]:
                    themes = ", ".join(i["themes"]) or "no theme"
                    rows.append([option, council, side[:-1], themes, i["quote"], _where(i)])
            for i in c["age_guidance"]["applies"]:
                rows.append(
                    [
                        option,
                        council,
                        f"age guidance at {age}",
                        f"{i['direction']}: {i['band']}" + (f" ({i['age_words']})" if i["age_words"] else ""),
                        i["quote"],
                        _where(i),
                    ]
                )
            for i in c["age_guidance"]["no_age_given"]:
                detail = f"{i['direction']}: {i['age_words']}" if i["age_words"] else i["direction"]
                rows.append([option, council, "age guidance, no age given", detail, i["quote"], _where(i)])
            for i in c["needs"]:
                matched = f"matches {', '.join(i['matches'])}" if i["matches"] else ", ".join(i["needs"])
                rows.append([option, council, "need it suits", matched, i["quote"], _where(i)])
            for i in c["legal_orders"]:
                rows.append([option, council, "legal order", i["order"], i["quote"], _where(i)])
            for i in c["parental_responsibility"]:
                detail = "; ".join(
                    part
                    for part in (
                        ", ".join(i["holders"]),
                        ", ".join(i["sharing"]),
                        (
                            ("not without consent: " + ", ".join(i["restricted_decisions"]))
                            if i["restricted_decisions"]
                            else ""
                        ),
                    )
                    if part
                )
                rows.append(
                    [
                        option,
                        council,
                        f"parental responsibility ({i['about']})",
                        detail,
                        i["quote"],
                        _where(i),
                    ]
                )
            for i in c["looked_after"]:
                stays = "stays looked after" if i["stays_looked_after"] else "no longer looked after"
                rows.append([option, council, f"looked after ({i['about']})", stays, i["quote"], _where(i)])
            for i in c["reviews_and_timescales"]:
                detail = ", ".join(i["topics"]) + (f" ({i['duration']})" if i["duration"] else "")
                rows.append([option, council, "review or timescale", detail, i["quote"], _where(i)])
            if len(rows) == before:
                rows.append([option, council, "—", "no statement extracted", "", ""])
        for d in entry["divergences"]:
            for side in d["sides"]:
                rows.append(
                    [option, side["council"], "councils diverge", d["label"], side["quote"], _where(side)]
                )
    for where, topic in (
        ("applies", f"age guidance at {age}"),
        ("no_age_given", "age guidance, no age given"),
    ):
        for i in result["planning_age_guidance"][where]:
            practice = ", ".join(i["practices"]) or i["direction"]
            bound = i["band"] or i["age_words"]
            detail = f"{practice}: {bound}" if bound else practice
            rows.append(["(planning, any option)", i["council"], topic, detail, i["quote"], _where(i)])
    for i in result["planning_timescales"]:
        detail = ", ".join(i["topics"]) + (f" ({i['duration']})" if i["duration"] else "")
        rows.append(
            ["(planning, any option)", i["council"], "review or timescale", detail, i["quote"], _where(i)]
        )
    return columns, rows
