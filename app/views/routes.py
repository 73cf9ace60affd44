"""Routes out of care: the legal statuses a child in care passes through, drawn as a network
(kg.decide.routes). Choose where the child is now (and, if you like, where to); the routes are
highlighted, and each step opens its evidence: our reading of the law with its citations, and the
councils' own words where they say it."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st
from st_cytoscape import cytoscape

import ui
from kg.decide import routes as find_routes

KIND_COLOURS = {"order": "#6a1b9a", "status": "#1565c0"}


@st.cache_resource(show_spinner=False, max_entries=64)  # read-only: not copied per run
def answer(start: str, to: str, data: str, built: float) -> dict[str, Any]:
    return find_routes(start, to or None, data=data)


def step_id(edge: dict[str, Any]) -> str:
    return f"{edge['from']}--{edge['to']}"


def citation_link(cite: str) -> str:
    section = re.match(r"(.+?/section/[^/]+)", cite)
    return f"[{cite}](https://www.legislation.gov.uk/{section.group(1) if section else cite})"


def evidence(edge: dict[str, Any], names: dict[str, str]) -> None:
    st.markdown(f"**{names[edge['from']]} → {names[edge['to']]}**")
    facts = [f"who may apply: {edge['who_may_apply']}"] if edge.get("who_may_apply") else []
    if edge.get("leave_needed"):
        facts.append(f"leave of the court needed: {edge['leave_needed']}")
    if edge.get("discharges"):
        facts.append(f"the new order discharges the {names[edge['from']].lower()}")
    if facts:
        st.caption(" · ".join(facts))
    for item in edge["evidence"]:
        if item["ours"]:
            ui.annotation(f"The law (our reading): {item['text']}")
            if item["citations"]:
                st.caption(" · ".join(citation_link(c) for c in item["citations"]))
        else:
            ui.cited(item["quote"], item["according_to"], item["section"], item["start"], item["end"])
    if not any(not item["ours"] for item in edge["evidence"]):
        st.caption("No council's document states this step in words the graph records.")


st.title("Routes out of care")
st.write(
    "Where can a child go from here? Choose the child's legal status now; every route to another "
    "status or order is highlighted. Click a step (an arrow), or pick it below, to read its evidence."
)
data, built = ui.graph_location()
everything = answer("care-order", "", data, built)
names = {n["id"]: n["label"] for n in everything["nodes"]}
kinds = {n["id"]: n["kind"] for n in everything["nodes"]}
statuses = sorted(names, key=lambda s: names[s])
left, right = st.columns(2)
start = ui.url_choice(
    "from",
    "The child is now under",
    statuses,
    "care-order" if "care-order" in statuses else statuses[0],
    names.get,
    left,
)
to = ui.url_choice(
    "to",
    "Routes to",
    ["", *[s for s in statuses if s != start]],
    "",
    lambda s: "anywhere reachable" if s == "" else names[s],
    right,
)
result = answer(start, to, data, built)
st.caption(result["notice"])

on_route = {step_id(step) for path in result["paths"] for step in path["steps"]}
reached = {s for path in result["paths"] for s in path["statuses"]}
if not result["paths"]:
    st.info(
        f"No route leads from {names[start].lower()}"
        + (f" to {names[to].lower()}" if to else " to any other status")
        + " in the graph.",
        icon=":material/info:",
    )

element_of = {s: f"n{i}" for i, s in enumerate(sorted(names, key=lambda s: (s != start, names[s])))}
edge_of: dict[str, dict[str, Any]] = {}
elements = []
for status in element_of:
    classes = [kinds[status]]
    if status == start:
        classes.append("start")
    elif status in reached:
        classes.append("reached")
    elements.append(
        {"data": {"id": element_of[status], "label": names[status]}, "classes": " ".join(classes)}
    )
for i, edge in enumerate(result["edges"]):
    edge_of[f"e{i}"] = edge
    elements.append(
        {
            "data": {"id": f"e{i}", "source": element_of[edge["from"]], "target": element_of[edge["to"]]},
            "classes": "route" if step_id(edge) in on_route else "",
        }
    )
stylesheet = [
    {
        "selector": "node",
        "style": {
            "label": "data(label)",
            "text-wrap": "wrap",
            "text-max-width": "110px",
            "font-size": "11px",
            "text-valign": "bottom",
            "width": 22,
            "height": 22,
            "opacity": 0.45,
        },
    },
    *(
        {"selector": f".{kind}", "style": {"background-color": colour}}
        for kind, colour in KIND_COLOURS.items()
    ),
    {
        "selector": ".start",
        "style": {"opacity": 1, "width": 34, "height": 34, "border-width": 4, "border-color": "#ffb300"},
    },
    {"selector": ".reached", "style": {"opacity": 1}},
    {
        "selector": "edge",
        "style": {
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "line-color": "#cfd8dc",
            "target-arrow-color": "#cfd8dc",
            "width": 2,
        },
    },
    {"selector": ".route", "style": {"line-color": "#ef6c00", "target-arrow-color": "#ef6c00", "width": 4}},
    {
        "selector": "edge:selected",
        "style": {"line-color": "#d50000", "target-arrow-color": "#d50000", "width": 6},
    },
]
picture, details = st.columns([3, 2])
with picture:
    st.markdown(
        ":violet[●] order · :blue[●] status · :orange[**━**] on a route from the chosen status",
    )
    clicked = cytoscape(
        elements,
        stylesheet,
        height="560px",
        layout={
            "name": "breadthfirst",
            "roots": f"#{element_of[start]}",
            "directed": True,
            "spacingFactor": 1.2,
        },
        selection_type="single",
        user_zooming_enabled=True,
        key=f"routes-{start}-{to}",
    )
steps = {step_id(e): e for e in result["edges"]}
choices = [
    "",
    *sorted(steps, key=lambda s: (s not in on_route, names[steps[s]["from"]], names[steps[s]["to"]])),
]
picked_edges = [edge_of[e] for e in (clicked or {}).get("edges") or [] if e in edge_of]
if picked_edges and step_id(picked_edges[0]) != st.session_state.get("url-step"):
    st.session_state["url-step"] = step_id(picked_edges[0])
with details:
    step = ui.url_choice(
        "step",
        "Step",
        choices,
        "",
        lambda s: "choose a step…" if s == "" else f"{names[steps[s]['from']]} → {names[steps[s]['to']]}",
    )
    if step:
        with st.container(border=True):
            evidence(steps[step], names)
    else:
        st.caption("Click an arrow in the picture, or choose a step, to read why the step is possible.")

st.subheader(
    f"{len(result['paths'])} route{'s' if len(result['paths']) != 1 else ''} from {names[start].lower()}"
)
for path in result["paths"]:
    title = " → ".join(names[s] for s in path["statuses"])
    with st.expander(title):
        for edge in path["steps"]:
            evidence(edge, names)
