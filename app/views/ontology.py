"""Ontology: the class and property hierarchy with labels and definitions, the SKOS concept
schemes, the legal orders with the statutes they are made under, and the HTML documentation
pyLODE generates from the ontology, served by the app itself."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import ontology_docs
import ui

VIEWS = ["hierarchy", "schemes", "orders", "documentation"]
VIEW_NAMES = {
    "hierarchy": "Classes and properties",
    "schemes": "Concept schemes",
    "orders": "Orders and statutes",
    "documentation": "Documentation (pyLODE)",
}


def tree(terms: pd.DataFrame, parent: str | None, depth: int, seen: set[str]) -> list[str]:
    """Nested Markdown list of the terms under a parent (None: the top of the hierarchy)."""
    lines = []
    here = terms[terms["parent"].isna()] if parent is None else terms[terms["parent"] == parent]
    for term, rows in here.groupby("term", sort=True):
        row = rows.iloc[0]
        extra = []
        if isinstance(row["domain"], str):
            extra.append(f"domain {row['domain']}")
        if isinstance(row["range"], str):
            extra.append(f"range {row['range']}")
        definition = ui.escape(row["definition"]) if isinstance(row["definition"], str) else "*no definition*"
        lines.append(
            "  " * depth
            + f"- **{ui.escape(row['label'])}** `pk:{term}` — {definition}"
            + (f" *({', '.join(extra)})*" if extra else "")
        )
        if term not in seen:
            lines += tree(terms, term, depth + 1, seen | {term})
    return lines


st.title("Ontology")
st.write(
    "The vocabulary the graph is written in: ours (permanence-kg), not any council's. Classes and "
    "properties, the concept schemes statements are tagged with, and the legal orders with the "
    "statutes they are made under."
)
view = ui.url_choice("view", "Show", VIEWS, "hierarchy", VIEW_NAMES.get, horizontal=True, widget="radio")

if view == "hierarchy":
    terms = ui.ask("app-ontology-hierarchy")
    search = ui.url_text("term", "Find a term (label, name or definition)", placeholder="e.g. evidence")
    if search:
        needle = search.lower()
        hits = terms[
            terms["term"].str.lower().str.contains(needle, regex=False)
            | terms["label"].str.lower().str.contains(needle, regex=False)
            | terms["definition"].fillna("").str.lower().str.contains(needle, regex=False)
        ]
        if hits.empty:
            st.info(f"No class or property mentions “{search}”.")
        for _, row in hits.drop_duplicates("term").iterrows():
            ui.quote(
                f"{row['label']} (pk:{row['term']}): {row['definition'] or ''}",
                note=f"{row['type']}"
                + (f" · under pk:{row['parent']}" if isinstance(row["parent"], str) else ""),
            )
    classes = terms[terms["type"] == "Class"]
    properties = terms[terms["type"] != "Class"]
    left, right = st.columns(2)
    with left:
        st.subheader(f"Classes ({classes['term'].nunique()})")
        st.markdown("\n".join(tree(classes, None, 0, set())))
    with right:
        st.subheader(f"Properties ({properties['term'].nunique()})")
        st.markdown("\n".join(tree(properties, None, 0, set())))

elif view == "schemes":
    concepts = ui.ask("app-concept-schemes")
    schemes = list(dict.fromkeys(concepts["scheme"]))
    names = dict(zip(concepts["scheme"], concepts["scheme_label"]))
    scheme = ui.url_choice(
        "scheme", "Concept scheme", schemes, "theme" if "theme" in schemes else schemes[0], names.get
    )
    rows = concepts[concepts["scheme"] == scheme]
    first = rows.iloc[0]
    st.subheader(f"{first['scheme_label']} ({len(rows)} concepts)")
    if isinstance(first["scheme_definition"], str):
        st.write(first["scheme_definition"])
    st.caption(f"Use the ids below as `--param {scheme}=ID` values, e.g. `{rows.iloc[0]['concept']}`.")
    st.table(
        pd.DataFrame(
            {
                "Concept": rows["label"],
                "Id": rows["concept"],
                "Definition": rows["definition"].fillna(""),
                "Also worded": rows["also"].fillna("").str.replace("|", "; ", regex=False),
            }
        ).set_index("Concept")
    )

elif view == "orders":
    orders = ui.ask("orders-and-statutes")
    entities = ui.nodes()
    definitions = entities[entities["type"] == "order"].set_index("label")["definition"]
    st.caption("Our modelling of the law, with links to the statutes on legislation.gov.uk.")
    for _, row in orders.iterrows():
        with st.container(border=True):
            st.markdown(
                f"**{row['label']}** — made under {ui.statute(row['statute']) or 'no statute recorded'}"
            )
            if isinstance(definitions.get(row["label"]), str):
                st.write(definitions[row["label"]])
            if isinstance(row["superseded_by"], str):
                st.caption(
                    f"Superseded by the {ui.label('order', row['superseded_by']).lower()}"
                    + (f" on {row['superseded_on']}" if isinstance(row["superseded_on"], str) else "")
                    + "."
                )

else:
    data, _ = ui.graph_location()
    out = Path(data) / ontology_docs.NAME
    if not ontology_docs.is_current(out):
        with st.spinner("Generating the ontology documentation with pyLODE…"):
            try:
                ontology_docs.generate(out)
            except Exception as exc:  # pyLODE's own errors are not ours to enumerate
                st.error(
                    f"pyLODE could not document the ontology: {ui.one_line(exc)}", icon=":material/error:"
                )
                st.stop()
    page = out.read_text(encoding="utf-8")
    st.caption(
        f"Generated by pyLODE from the ontology's Turtle ({out}); the page is self-contained and "
        "served by this app."
    )
    st.download_button("Download the HTML", page, ontology_docs.NAME, "text/html", key="download-docs")
    st.iframe(out, height=900)
