"""permanence-kg explorer: compare councils, explore an option's trade-offs for a child, run queries.

Every figure comes through kg.queries (the same runner the CLI uses); every council fact is shown
with the council's own words and where they stand in the document.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from kg import queries
from kg.errors import KGError
from kg.store import data_dir

st.set_page_config(page_title="permanence-kg", layout="wide")

COUNCILS = ["north-somerset", "medway", "cumbria", "dorset", "enfield"]


@st.cache_resource
def ensure_graph() -> str:
    """The built graph's directory, building it from the shipped sources if it is missing."""
    directory = data_dir()
    if not (directory / "permanence.nq").is_file():
        from kg.build import build

        build(Path(directory))
    return str(directory)


@st.cache_data(show_spinner=False)
def ask(name: str, **params: str) -> pd.DataFrame:
    result = queries.run(name, data=ensure_graph(), **params)
    return pd.DataFrame(result.rows, columns=result.columns)


def show(frame: pd.DataFrame, empty: str) -> None:
    if frame.empty:
        st.info(empty)
    else:
        st.dataframe(frame, hide_index=True, use_container_width=True)


def option_ids() -> list[str]:
    return queries.get("advantages-by-option").parameters[0].values()


def page_compare() -> None:
    st.header("Compare councils")
    st.caption("What each council's guidance says, where they differ, and where a document is silent.")
    matrix = ask("coverage-matrix")
    pivot = matrix.pivot(index="option_label", columns="council", values="presentation")[COUNCILS]
    st.subheader("How each council presents each option")
    st.dataframe(pivot, use_container_width=True)

    st.subheader("Divergences")
    divergences = ask("divergences")
    for divergence, rows in divergences.groupby("divergence", sort=True):
        first = rows.iloc[0]
        with st.expander(first["label"]):
            st.write(first["description"])
            if isinstance(first["law_says"], str) and first["law_says"]:
                st.markdown(f"**The law (our reading):** {first['law_says']}")
            for _, side in rows.iterrows():
                st.markdown(f"**{side['council']}** — _{side['section']}_")
                st.markdown(f"> {side['quote']}")

    st.subheader("Silent where others speak")
    kind = st.selectbox(
        "Kind of statement", ["(all)", *queries.get("statements").parameters[1].values()], key="silent"
    )
    silent = ask("councils-silent-on", kind="" if kind == "(all)" else kind)
    show(silent, "Every council says something of this kind.")

    st.subheader("Document dates")
    dates = ask("document-dates")
    dates["date"] = dates["date"].fillna("not stated")
    show(dates[["council", "role", "date", "overdue", "quote"]], "No dates.")
    st.subheader("Our annotations (not the councils' words)")
    show(ask("council-annotations").dropna(subset=["note"]), "No annotations.")


def page_option() -> None:
    st.header("An option's trade-offs for a child")
    options = option_ids()
    option = st.selectbox(
        "Permanence option", options, index=options.index("special-guardianship"), key="option"
    )
    age = st.number_input("Child's age (years)", min_value=0, max_value=17, value=6, key="age")
    council = st.selectbox("Council", ["(all)", *COUNCILS], key="council")
    chosen = "" if council == "(all)" else council

    st.subheader("Advantages and disadvantages, in the councils' words")
    trade_offs = ask("advantages-by-option", option=option, council=chosen)
    for name in sorted(
        set(trade_offs.loc[~trade_offs["kind"].isin(["advantage", "disadvantage"]), "council"])
    ):
        st.caption(f"{name}: lists no advantages or disadvantages of {option} (not stated)")
    trade_offs = trade_offs[trade_offs["kind"].isin(["advantage", "disadvantage"])]
    if trade_offs.empty:
        st.info(
            f"No council lists advantages or disadvantages of {option} "
            "(only North Somerset and Medway give such lists)."
        )
    else:
        for kind in ("advantage", "disadvantage"):
            rows = trade_offs[trade_offs["kind"] == kind]
            st.markdown(f"**{kind.capitalize()}s**")
            show(rows[["council", "text", "themes", "section"]], f"No {kind}s listed.")

    st.subheader(f"Age guidance that applies at {age}")
    guidance = ask("age-guidance", council=chosen)
    applies = guidance[
        guidance["age_from"].fillna(0).le(age)
        & guidance["age_below"].fillna(99).gt(age)
        & (guidance["subject"].isna() | guidance["subject"].eq(option))
    ]
    show(
        applies[["council", "subject", "direction", "age_from", "age_below", "quote"]],
        "No council ties this age to this option or to a planning practice.",
    )

    st.subheader("Everything councils say about it")
    overview = ask("option-overview", option=option, council=chosen)
    show(overview, "No council statements about this option beyond its presentation.")
    for name in COUNCILS if not chosen else [chosen]:
        if overview.empty or name not in set(overview["council"]):
            st.caption(f"{name}: not stated")


def page_query() -> None:
    st.header("Query the graph")
    library = queries.library()
    name = st.selectbox("Library query", sorted(library), key="query")
    query = library[name]
    st.write(query.summary)
    st.caption(query.description)
    params = {}
    for param in query.parameters:
        values = param.values()
        if values:
            choice = st.selectbox(
                param.name,
                ["", *values],
                index=(["", *values].index(param.default) if param.default in values else 0),
                key=f"p-{name}-{param.name}",
            )
        else:
            choice = st.text_input(param.name, value=param.default, key=f"p-{name}-{param.name}")
        params[param.name] = choice
    try:
        frame = ask(name, **params)
    except KGError as exc:
        st.error(str(exc))
    else:
        st.caption(f"{len(frame)} rows")
        show(frame, "No rows.")
        st.download_button("Download CSV", frame.to_csv(index=False), f"{name}.csv", "text/csv")

    st.subheader("Ad-hoc SPARQL (read-only)")
    text = st.text_area(
        "SPARQL",
        "SELECT ?council ?label WHERE { ?c a pk:Council ; pk:councilId ?council ; rdfs:label ?label }",
        key="sparql",
    )
    if st.button("Run", key="run-sparql"):
        try:
            result = queries.sparql(text, data=ensure_graph())
        except KGError as exc:
            st.error(str(exc))
        else:
            st.caption(f"{len(result.rows)} rows from the ad-hoc query")
            show(pd.DataFrame(result.rows, columns=result.columns), "No rows.")
            if result.note:
                st.caption(result.note)


PAGES = {"Compare councils": page_compare, "Option trade-offs": page_option, "Query": page_query}

st.sidebar.title("permanence-kg")
st.sidebar.caption("Five councils' permanence guidance, every fact with its quote.")
page = st.sidebar.radio("Page", list(PAGES), key="page")
try:
    PAGES[page]()
except KGError as exc:
    st.error(str(exc))

if os.environ.get("PERMANENCE_KG_APP_DEBUG"):
    st.sidebar.write(ensure_graph())
