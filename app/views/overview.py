"""Overview: the councils and their documents (dates as stated, overdue reviews, our
annotations), how each council presents each permanence option, and how much of each kind of
statement each document gives."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

import ui

# The coverage legend: what each way of presenting an option means, strongest first. A document
# can present an option several ways at once ("listed and section"): a cell is coloured by the
# strongest of them.
MEANINGS = {
    "listed": "in its formal list of options",
    "in-sentence": "named in a sentence listing the options",
    "section": "a section of its own",
    "mentioned": "only mentioned in passing",
    "absent": "the document never names it",
}
COLOURS = {"listed": "#66bb6a", "section": "#9ccc65", "in-sentence": "#dcedc8", "mentioned": "#ffe082"}


def meaning(presentation: str) -> str:
    parts = presentation.split(" and ")
    return "; ".join(MEANINGS.get(p, p) for p in parts)


def colour(presentation: str) -> str:
    parts = presentation.split(" and ")
    if "listed" in parts and "section" in parts:
        return "#43a047"
    return next((COLOURS[p] for p in COLOURS if p in parts), "#ef9a9a")


def strength(presentation: str) -> int:
    return ["#43a047", *COLOURS.values(), "#ef9a9a"].index(colour(presentation))


how_many = ui.how_many_councils()
st.title(f"Permanence guidance of {how_many} councils")
st.markdown(
    f"**What this is:** an explorer of {how_many} English councils' published guidance on "
    "permanence for children in care, every fact shown in the council's own words with a link to its "
    "place in the document. **What it is not:** legal advice, or a statement of current practice; "
    "where a document is silent, so is this tool."
)
st.caption(ui.NOTICE)

today = date.today()
# Every council's card, heatmap column and count column while they fit a page; past that (a graph of
# every English council) the first of them, and the reader picks others.
chosen = ui.councils_laid_out("councils", "Councils", ui.councils())
if not chosen:
    st.stop()
documents = ui.ask("app-documents")
documents = documents[documents["council"].isin(chosen)]
dates = ui.ask("document-dates", today=today.isoformat())
notes = ui.ask("council-annotations")

st.header("The councils and their documents")
for _, doc in documents.iterrows():
    council = doc["council"]
    with st.container(border=True):
        about, stated_dates, ours = st.columns([2, 3, 3])
        about.subheader(doc["council_name"])
        about.markdown(f"**{doc['title']}**" if isinstance(doc["title"], str) else ui.NOT_STATED)
        about.caption(f"{int(doc['statements'])} statements with evidence · `{doc['file_name']}`")
        about.page_link(
            "views/sources.py",
            label="Read the document",
            icon=":material/description:",
            query_params={"council": council},
        )

        stated_dates.markdown("**Dates the document states**")
        stated = ui.present(ui.rows_of(dates, "council", council), "date")
        if stated.empty:
            ui.not_stated("the document gives no issue, update or review date.", stated_dates)
        for _, row in stated.iterrows():
            stated_dates.markdown(f"{ui.label('date-role', row['role'])}: **{ui.month(row['date'])}**")
            if row["overdue"]:
                stated_dates.warning(
                    f"Review overdue: the stated review month has passed (today is {ui.day(today)}).",
                    icon=":material/schedule:",
                )
            ui.quote(row["quote"], None, container=stated_dates)
        if not stated.empty and "review-due" not in set(stated["role"]):
            stated_dates.caption(f"Review date: {ui.NOT_STATED}.")

        ours.markdown("**Our annotations**")
        noted = [n for _, n in ui.rows_of(notes, "council", council).iterrows() if isinstance(n["note"], str)]
        if not noted:
            ours.caption("None.")
        for note in noted:
            ui.annotation(note["note"].removeprefix("Our annotation, not the document's: "), ours)
            facts = []
            if isinstance(note["abolished_on"], str):
                facts.append(f"abolished on {ui.day(date.fromisoformat(note['abolished_on']))}")
            if isinstance(note["successors"], str):
                facts.append(f"succeeded by {note['successors']}")
            if isinstance(note["source"], str):
                facts.append(f"source: {note['source']}")
            text = "; ".join(facts)
            ours.caption(text[:1].upper() + text[1:])

st.header("How each council presents each option")
st.caption(
    "One cell per council and permanence option: the strongest way the council's document presents "
    "the option. Hover a cell for its words; the Council by council page shows the quotes."
)
matrix = ui.ask("coverage-matrix")
matrix = matrix[matrix["council"].isin(chosen)]
order = [c for c in documents["council"]]
matrix = matrix.assign(
    council_name=matrix["council"].map(ui.short_council_name),
    meaning=matrix["presentation"].map(meaning),
)
shown = sorted(set(matrix["presentation"]), key=lambda p: (strength(p), p))
legend_labels = {p: f"{p}: {meaning(p)}" for p in shown}
matrix["how"] = matrix["presentation"].map(legend_labels)
heatmap = (
    alt.Chart(matrix)
    .mark_rect(stroke="white", strokeWidth=2)
    .encode(
        x=alt.X(
            "council_name:N",
            title=None,
            sort=[ui.short_council_name(c) for c in order],
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=200, labelOverlap=False),
        ),
        y=alt.Y("option_label:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color(
            "how:N",
            title="How the document presents it",
            scale=alt.Scale(
                domain=[legend_labels[p] for p in shown],
                range=[colour(p) for p in shown],
            ),
            legend=alt.Legend(orient="bottom", columns=1, labelLimit=600, titleLimit=400),
        ),
        tooltip=[
            alt.Tooltip("council_name:N", title="Council"),
            alt.Tooltip("option_label:N", title="Option"),
            alt.Tooltip("meaning:N", title="Presented"),
        ],
    )
    .properties(height=alt.Step(30))
)
text = heatmap.mark_text(fontSize=11).encode(
    text="presentation:N", color=alt.value("black"), tooltip=alt.value(None)
)
st.altair_chart(heatmap + text, width="stretch")

st.header("What each document covers")
st.caption(
    "Statements of each kind taken from each council's document. A dash is a gap: the document says "
    "nothing of that kind."
)
counts = ui.ask("statement-counts")
table = counts.pivot_table(index="kind", columns="council", values="statements", aggfunc="sum")
table = table.reindex(index=ui.ids("kind"), columns=order)
counted = pd.DataFrame(
    [[("—" if pd.isna(v) else str(int(v))) for v in row] for row in table.to_numpy()],
    index=[ui.label("kind", k).capitalize() for k in table.index],
    columns=[ui.council_name(c) for c in table.columns],
)
counted.index.name = "Kind of statement"
totals = {ui.council_name(c): int(n) for c, n in zip(documents["council"], documents["statements"])}
counted.loc["All statements"] = [str(totals.get(c, 0)) for c in counted.columns]
st.table(counted)
