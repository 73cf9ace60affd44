"""Graph explorer: the neighbourhood of any council, option, order, concept, organisation,
statement or divergence, drawn as an interactive network coloured by type. Clicking a node shows
its label, definition and evidence and makes it the centre."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st
from st_cytoscape import cytoscape

import ui

TYPES = {
    "council": ("Council", "#1565c0"),
    "option": ("Permanence option", "#2e7d32"),
    "order": ("Legal order", "#6a1b9a"),
    "concept": ("Concept", "#ef6c00"),
    "organisation": ("Organisation", "#00838f"),
    "statement": ("Council statement", "#9e9e9e"),
    "divergence": ("Divergence (ours)", "#c62828"),
}
MAX_NODES = 250
# The picker lists every statement while they are few (the five sources: about 600). A graph of
# every English council has tens of thousands, which the browser would be sent on every run: the
# picker then lists the rest and the current centre, and statements are reached from their council,
# option or order (a click), or by URL.
STATEMENTS_IN_PICKER = 2_000
# Links listed as buttons under the centre: an option at national scale has thousands (every
# council's statements about it), each a browser element on every run.
MAX_LINKS = 200


@st.cache_resource(show_spinner=False)
def network(data: str, built: float) -> nx.MultiGraph:
    """Entities and the links between them, undirected so a neighbourhood reaches both ways."""
    entities = ui.nodes()
    graph = nx.MultiGraph()
    for iri, row in entities.iterrows():
        graph.add_node(iri, type=row["type"])
    links = ui.edges()
    links = links[links["source"].isin(entities.index) & links["target"].isin(entities.index)]
    for source, target, name in zip(links["source"], links["target"], links["property_label"]):
        graph.add_edge(source, target, label=name if isinstance(name, str) else "linked", source=source)
    return graph


def short(row: pd.Series, limit: int = 60) -> str:
    """A node's caption: statements are long sentences, so they show kind and council first."""
    text = str(row["label"])
    if row["type"] == "statement" and limit < 40:
        return f"{ui.short_council_name(row['council'])}: {ui.label('kind', row['kind'])}"
    if row["type"] == "statement":
        text = f"{ui.council_name(row['council'])} · {ui.label('kind', row['kind'])}: {text}"
    elif row["type"] == "concept":
        text = f"{text} ({row['kind']})"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@st.cache_resource(show_spinner=False)
def captions(data: str, built: float) -> dict[str, str]:
    """What the centre picker shows for each entity (worked out once, not on every run)."""
    return {
        ui.compact(iri): f"{TYPES[row['type']][0]}: {short(row, 90)}" for iri, row in ui.nodes().iterrows()
    }


def recentre(iri: str) -> None:
    st.session_state["url-node"] = ui.compact(iri)


entities = ui.nodes()
data, built = ui.graph_location()
graph = network(data, built)

st.title("Graph explorer")
st.write(
    "Pick any entity and how far to look around it. Click a node to read it and make it the centre; "
    "drag to move the picture, scroll to zoom."
)

kinds = [t for t in TYPES if t in set(entities["type"])]
by_type = {t: entities.index[entities["type"] == t].tolist() for t in kinds}
listed = [t for t in kinds if t != "statement" or len(by_type[t]) <= STATEMENTS_IN_PICKER]
choices = [
    ui.compact(i) for t in listed for i in sorted(by_type[t], key=lambda i: str(entities.at[i, "label"]))
]
for wanted in (st.query_params.get("node"), st.session_state.get("url-node")):
    if wanted and wanted not in choices and ui.expand(wanted) in entities.index:
        choices.append(wanted)  # a statement centred by URL or by a click, when they are not all listed
left, middle, right = st.columns([3, 1, 3])
centre_id = ui.url_choice(
    "node",
    "Centre",
    choices,
    ui.compact(by_type["option"][0]) if "option" in by_type else choices[0],
    captions(data, built).get,
    left,
)
depth = ui.url_number("depth", "Depth (links)", 1, 3, 1, middle, step=1)
shown_types = ui.url_multi(
    "type", "Show these types", kinds, kinds, lambda t: TYPES[t][0], right, placeholder="every type"
)

centre = ui.expand(centre_id)
near = nx.ego_graph(graph, centre, radius=int(depth))
keep = [n for n in near if n == centre or entities.at[n, "type"] in shown_types]
# Nearest first, so a cut keeps the centre's own neighbours.
distance = nx.single_source_shortest_path_length(near, centre)
keep.sort(key=lambda n: (distance.get(n, 99), str(n)))
cut = len(keep) > MAX_NODES
keep = keep[:MAX_NODES]
sub = near.subgraph(keep)

# Short element ids: Cytoscape selectors cannot take the IRIs' ':' and '/' unescaped.
element_of = {node: f"n{i}" for i, node in enumerate(keep)}
node_of = {e: node for node, e in element_of.items()}
elements = []
for node in keep:
    row = entities.loc[node]
    elements.append(
        {
            "data": {"id": element_of[node], "label": short(row, 30), "type": row["type"]},
            "classes": row["type"] + (" centre" if node == centre else ""),
        }
    )
for i, (source, target, attrs) in enumerate(sub.edges(data=True)):
    first, second = (source, target) if attrs["source"] == source else (target, source)
    elements.append(
        {
            "data": {
                "id": f"e{i}",
                "source": element_of[first],
                "target": element_of[second],
                "label": attrs["label"],
            }
        }
    )
stylesheet = [
    {
        "selector": "node",
        "style": {
            "label": "data(label)",
            "font-size": "9px",
            "text-wrap": "wrap",
            "text-max-width": "120px",
            "width": 18,
            "height": 18,
        },
    },
    *({"selector": f".{t}", "style": {"background-color": colour}} for t, (_, colour) in TYPES.items()),
    {"selector": ".centre", "style": {"width": 34, "height": 34, "font-size": "12px", "font-weight": "bold"}},
    {"selector": "node:selected", "style": {"border-width": 3, "border-color": "#ffb300"}},
    {
        "selector": "edge",
        "style": {
            "width": 1,
            "line-color": "#b0bec5",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "#b0bec5",
            "arrow-scale": 0.6,
            # Edge names only where they can be read; a click on a node lists its links by name.
            "label": "data(label)" if sub.number_of_edges() <= 40 else "",
            "font-size": "7px",
            "color": "#607d8b",
        },
    },
]

st.markdown(
    " ".join(
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:5px;background:{colour};'
        f'margin:0 4px 0 10px"></span>{name}'
        for t, (name, colour) in TYPES.items()
        if t in shown_types or t == entities.at[centre, "type"]
    ),
    unsafe_allow_html=True,
)
st.caption(
    f"{sub.number_of_nodes()} entities and {sub.number_of_edges()} links within {int(depth)} "
    f"link{'s' if depth > 1 else ''} of the centre"
    + (
        f"; the {MAX_NODES} nearest are drawn (lower the depth or hide a type to see the rest)."
        if cut
        else "."
    )
)
if sub.number_of_nodes() == 1:
    st.info("Nothing of the chosen types is linked to this entity within that depth.")
picture, details = st.columns([3, 2])
with picture:
    clicked = cytoscape(
        elements,
        stylesheet,
        height="640px",
        # Rings by number of links, so the centre (linked to all it shows) sits in the middle; the
        # same picture every time, unlike a force layout.
        layout={"name": "concentric", "minNodeSpacing": 12, "animate": False},
        selection_type="single",
        key=f"graph-{centre}-{depth}-{len(keep)}",
    )
picked = [node_of.get(e) for e in (clicked or {}).get("nodes") or []]
if picked and picked[0] and picked[0] != centre:
    recentre(picked[0])
    st.rerun()

with details:
    row = entities.loc[centre]
    st.subheader(
        short(row, 200) if row["type"] != "statement" else ui.label("kind", row["kind"]).capitalize()
    )
    st.caption(f"{TYPES[row['type']][0]} · `{centre_id}`")
    if isinstance(row["definition"], str):
        st.markdown(f"**Definition (ours):** {ui.escape(row['definition'])}")
    if row["type"] == "statement":
        evidence = ui.ask("evidence", statement=centre)
        if evidence.empty:
            st.warning("No evidence is recorded for this statement.")
        for _, ev in evidence.iterrows():
            ui.cited(ev["quote"], ev["council"], ev["section"], ev["start"], ev["end"])
    st.markdown("**Linked to**")
    # A link read from the centre: "about → Adoption" out of it, "← about" into it.
    neighbours = sorted(
        {
            (f"{attrs['label']} →" if attrs["source"] == centre else f"← {attrs['label']}", other)
            for _, other, attrs in graph.edges(centre, data=True)
            if other != centre
        },
        # Statements last: an option's orders and concepts stay in the first MAX_LINKS however many
        # councils' statements are about it.
        key=lambda pair: (
            entities.at[pair[1], "type"] == "statement",
            pair[0].strip("←→ "),
            str(entities.at[pair[1], "label"]),
        ),
    )
    if not neighbours:
        st.caption("Nothing.")
    if len(neighbours) > MAX_LINKS:
        st.caption(
            f"The first {MAX_LINKS} of {len(neighbours):,} links (statements last): open a council, "
            "option or order to reach the rest."
        )
    with st.container(height=380, border=False):
        for i, (relation, other) in enumerate(neighbours[:MAX_LINKS]):
            st.button(
                f"{relation} {short(entities.loc[other], 70)}",
                key=f"go-{i}-{other}",
                on_click=recentre,
                args=(other,),
                type="tertiary",
            )
