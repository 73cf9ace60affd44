"""Routes out of care: the legal statuses a child in care passes through, and the steps between them.

The graph of statuses is built from the ontology's law-level facts (``pk:StatusTransition``: which
order is made from which status, who may apply, whether leave is needed, with legislation.gov.uk
citations; ``pk:discharges`` for which order discharges which) and the councils' statements of the
effect a step rests on (a special guardianship order discharging a care order...), both read through
``queries/routes.rq``. Every edge carries its evidence: our reading of the law, marked ours, and the
councils' own words where they say it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import queries
from ..errors import KGError
from . import NOTICE

if TYPE_CHECKING:
    import networkx as nx

LAW = "law"


def status_graph(data: str | None = None) -> nx.DiGraph:
    """Statuses as nodes (id, label, kind: order or status), transitions as edges with evidence."""
    import networkx as nx  # here: can-apply and the other commands need not pay for importing it

    result = queries.run("routes", data=data, limit=None, status="")
    graph = nx.DiGraph()
    for values in result.rows:
        row = dict(zip(result.columns, values))
        for end in ("from", "to"):
            graph.add_node(row[end], id=row[end], label=row[f"{end}_label"], kind=row[f"{end}_kind"])
        if not graph.has_edge(row["from"], row["to"]):
            graph.add_edge(
                row["from"],
                row["to"],
                transition=row["transition"],
                label=row["label"],
                who_may_apply=row["who_may_apply"],
                leave_needed=row["leave_needed"],
                discharges=bool(row["discharges"]),
                evidence=[],
            )
        edge = graph.edges[row["from"], row["to"]]
        if row["according_to"] == LAW:
            edge["evidence"].insert(
                0,
                {
                    "according_to": LAW,
                    "ours": True,
                    "text": row["reading"],
                    "citations": sorted((row["citations"] or "").split("|")) if row["citations"] else [],
                },
            )
        else:
            edge["evidence"].append(
                {
                    "according_to": row["according_to"],
                    "ours": False,
                    "quote": row["quote"],
                    "start": row["start"],
                    "end": row["end"],
                    "section": row["section"],
                }
            )
    return graph


def _edge(graph: nx.DiGraph, a: str, b: str) -> dict[str, Any]:
    return {"from": a, "to": b, **{k: v for k, v in graph.edges[a, b].items()}}


def routes(from_status: str, to: str | None = None, data: str | None = None) -> dict[str, Any]:
    """The paths from ``from_status`` (to ``to``, or to every status reachable from it), each step an
    edge with its evidence; and the whole graph as ``nodes`` and ``edges`` for drawing."""
    import networkx as nx

    graph = status_graph(data)
    known = sorted(graph.nodes)
    for name, value in (("status", from_status), ("status", to)):
        if value is not None and value not in graph:
            raise KGError(f"unknown {name} '{value}': expected one of {', '.join(known)}")
    if to is None:
        targets = sorted(nx.descendants(graph, from_status))
    else:
        targets = [to]
    paths = []
    for target in targets:
        if target == from_status:
            continue
        for nodes in sorted(nx.all_simple_paths(graph, from_status, target), key=lambda p: (len(p), p)):
            paths.append(
                {
                    "to": target,
                    "statuses": list(nodes),
                    "steps": [_edge(graph, a, b) for a, b in zip(nodes, nodes[1:])],
                }
            )
    return {
        "notice": NOTICE,
        "from": from_status,
        "to": to,
        "paths": paths,
        "nodes": [dict(graph.nodes[n]) for n in sorted(graph.nodes)],
        "edges": [_edge(graph, a, b) for a, b in sorted(graph.edges)],
    }
