"""Council by council: pick an option or order and any councils; one column per council, the
claims they state aligned on one row (kg.decide.compare), a claim only one council states marked,
silence shown as silence, and divergences flagged with both sides' words and the law (our reading)."""

from __future__ import annotations

from typing import Any

import streamlit as st

import ui
from kg.claims import ALIGNED_KINDS
from kg.decide import compare
from kg.decide.compare import NOT_EXTRACTED, SILENCE_WHY

STATUS = {
    "all": ":green-badge[every chosen council]",
    "some": ":blue-badge[some councils]",
    "only": ":orange-badge[only one council]",
}


@st.cache_resource(show_spinner=False, max_entries=64)  # read-only: not copied per run
def comparison(councils: tuple[str, ...], subject: str, kind: str, data: str, built: float) -> dict[str, Any]:
    result = compare(list(councils), subject=subject or None, kind=kind or None, data=data)
    return {"claims": result.claims, "councils": result.councils, "notice": result.notice}


def passages(council: str, kind: str, subject: str) -> list[str]:
    """The passages of a council's document that use the topic's words (and name the subject), in
    markdown: where no statement was extracted, the reader sees what the document does say."""
    found = ui.ask("passages-mentioning", council=council, kind=kind, subject=subject)
    return [
        f"> {ui.escape(row['quote'])}\n\n:gray[:small[§ {ui.escape(row['section'])} · "
        f"{ui.source_link(council, row['start'], row['end'])}]]"
        for _, row in found.iterrows()
    ]


def silent_cell(council: str, claim: dict[str, Any], why: str, column: Any) -> None:
    """A council with no statement in the claim: which silence it is, and its own words where its text
    speaks of the topic (the passages-mentioning query), shown here rather than named."""
    speaks = why == SILENCE_WHY["not-extracted"]
    if speaks:
        why = NOT_EXTRACTED + "; its text uses the topic's words"
    document = ui.page_anchor(
        f"sources?council={council}", f"read {ui.short_council_name(council)}'s document →"
    )
    column.markdown(
        f":gray-background[**Silent**] :gray[{ui.escape(why)}] · {document}", unsafe_allow_html=True
    )
    if speaks:
        found = passages(council, claim["kind"], claim["subject"] or "")
        if found:
            # One element for them all: a page can hold dozens of these cells.
            with column.expander(f"Passages that speak of it ({len(found)})"):
                st.markdown("\n\n".join(found), unsafe_allow_html=True)


st.title("Council by council")
st.write(
    "What the chosen councils say about one option or order, claim by claim: statements that say the "
    "same thing stand on one row, one column per council. A claim only one council states is marked; "
    "where a council has no statement, the cell says so."
)
everyone = ui.councils()
subjects = [*ui.ids("option"), *ui.ids("order")]
left, middle = st.columns([2, 2])
subject = ui.url_choice(
    "subject",
    "Option or order",
    subjects,
    "special-guardianship-order" if "special-guardianship-order" in subjects else subjects[0],
    ui.subject_label,
    left,
)
kinds = ["", *ALIGNED_KINDS]
kind = ui.url_choice(
    "kind", "Kind of statement", kinds, "", lambda k: "every kind" if k == "" else ui.label("kind", k), middle
)
chosen = ui.url_list("councils", "Councils", everyone, everyone, ui.council_name)
if not chosen:
    st.warning("Choose at least one council to compare.", icon=":material/warning:")
    st.stop()

data, built = ui.graph_location()
result = comparison(tuple(chosen), subject, kind, data, built)
claims = result["claims"]
st.caption(result["notice"])

about = ui.subject_label(subject)
divergences = ui.ask("divergences", subject=subject)
involved = divergences[divergences["council"].isin(chosen)]
if not involved.empty:
    st.subheader(f"Where councils diverge on {about.lower()}")
    for _, rows in involved.groupby("divergence", sort=False):
        first = rows.iloc[0]
        with st.container(border=True):
            st.markdown(f":red-badge[divergence] **{ui.escape(first['label'])}**")
            st.markdown(f"**Our observation.** {ui.escape(first['description'])}")
            if isinstance(first["law_says"], str) and first["law_says"]:
                st.success(
                    f"**The law (our reading).** {ui.escape(first['law_says'])}", icon=":material/gavel:"
                )
            sides = list(rows.groupby("council", sort=False))
            for column, (council, side) in zip(st.columns(len(sides)), sides):
                column.markdown(f"**{ui.council_name(council)}**")
                for _, row in side.iterrows():
                    start, end = ui.place_of(council, row["quote"], row["section"])
                    ui.cited(
                        row["quote"],
                        council,
                        row["section"],
                        start,
                        end,
                        container=column,
                        name_council=False,
                    )

counts = {s: sum(c["status"] == s for c in claims) for s in STATUS}
st.subheader(f"{len(claims)} claims about {about.lower()}")
st.caption(
    f"{counts['all']} stated by every chosen council, {counts['some']} by some, "
    f"{counts['only']} by only one. "
    "A silent cell says which silence it is: the document does not say it, or no statement was "
    "extracted (the document may still say it: read it from the link)."
)
if not claims:
    st.info(
        f"None of the chosen councils has a statement {('of this kind ' if kind else '')}"
        f"about {about.lower()}.",
        icon=":material/info:",
    )

header = st.columns(len(chosen))
for column, council in zip(header, chosen):
    column.markdown(f"**{ui.council_name(council)}**")
current_kind = None
for claim in claims:
    if claim["kind"] != current_kind:
        current_kind = claim["kind"]
        st.markdown(f"##### {ui.label('kind', current_kind).capitalize()}")
    with st.container(border=True):
        only = claim["status"] == "only"
        badge = STATUS[claim["status"]] + (f" {ui.council_name(claim['stated_by'][0])}" if only else "")
        st.markdown(f"{badge} {ui.escape(claim['text'])}")
        for column, council in zip(st.columns(len(chosen)), chosen):
            members = [m for m in claim["members"] if m["council"] == council]
            if not members:
                why = next((s["why"] for s in claim["silent"] if s["council"] == council), "")
                silent_cell(council, claim, why, column)
            for m in members:
                ui.cited(
                    m["quote"],
                    council,
                    m["section"],
                    m["start"],
                    m["end"],
                    container=column,
                    name_council=False,
                )
