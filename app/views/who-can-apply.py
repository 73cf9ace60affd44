"""Who can apply: a short form (order, relationship, time lived together, consents held, the
child's status, orders in force) and one answer card per council (kg.decide.can_apply) with the
words that decide it, disagreements flagged, and the law's answer labelled as ours."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

import ui
from kg.decide import can_apply
from kg.decide.can_apply import LAW, vocabulary

ANSWERS = {
    "as-of-right": (
        ":green-badge[may apply as of right]",
        "may apply without anyone's consent or the court's leave",
    ),
    "with-consent": (":blue-badge[may apply with consent]", "may apply with the consents named"),
    "with-leave": (":orange-badge[needs the court's leave]", "may apply only with the leave of the court"),
    "excluded": (":red-badge[may not apply]", "is excluded"),
    "not-stated": (":gray-badge[not stated]", "the document does not say, for this person"),
}
RELATIONSHIP_WORDS = {
    "local-authority-foster-carer": "Local authority foster carer",
    "special-guardian": "Special guardian",
    "step-parent": "Step-parent",
}


@st.cache_resource(show_spinner=False, max_entries=256)  # read-only: not copied per run
def answers(
    order: str,
    relationship: str,
    lived_with: str,
    consents: tuple[str, ...],
    child_in_care: bool,
    in_force: tuple[str, ...],
    data: str,
    built: float,
) -> list[dict[str, Any]]:
    return can_apply(
        order,
        relationship,
        lived_with=lived_with or None,
        consent=consents,
        child_in_care=child_in_care,
        in_force=in_force,
        data=data,
    )


def citation_link(cite: str) -> str:
    """A legislation.gov.uk citation (ukpga/1989/41/section/14A/2) linked at its section."""
    section = re.match(r"(.+?/section/[^/]+)", cite)
    return f"[{cite}](https://www.legislation.gov.uk/{section.group(1) if section else cite})"


def card(row: dict[str, Any], names: dict[str, str]) -> None:
    badge = ANSWERS.get(row["answer"], (row["answer"], ""))[0]
    with st.container(border=True):
        if row["ours"]:
            st.markdown(f"**The law — our reading** {badge}")
            ui.annotation("Our reading of the statute, not any council's words.")
        else:
            st.markdown(f"**{ui.council_name(row['council'])}** {badge}")
        st.caption(ui.escape(row["basis"]))
        if row["disagrees_with"]:
            st.warning(
                "Disagrees with " + ", ".join(names.get(c, c) for c in row["disagrees_with"]) + ".",
                icon=":material/compare_arrows:",
            )
        if row["matches_law"] is False:
            st.markdown(":red[Differs from the law as we read it.]")
        elif row["matches_law"]:
            st.markdown(":green[Agrees with the law as we read it.]")
        for q in row["quotes"]:
            if row["ours"]:
                st.markdown(f"**{ui.escape(q['label'])}.** {ui.escape(q['text'])}")
                st.caption(" · ".join(citation_link(c) for c in q["citations"]))
            else:
                ui.cited(q["quote"], row["council"], q["section"], q["start"], q["end"], name_council=False)
        if row["unmet"]:
            with st.expander(
                f"Also names this person, with conditions the case does not meet ({len(row['unmet'])})"
            ):
                for q in row["unmet"]:
                    unmet = "not met: " + "; ".join(q.get("unmet", []))
                    if row["ours"]:
                        st.markdown(f"**{ui.escape(q['label'])}.** {ui.escape(q['text'])}")
                        st.caption(unmet)
                    else:
                        ui.cited(
                            q["quote"],
                            row["council"],
                            q["section"],
                            q["start"],
                            q["end"],
                            unmet,
                            name_council=False,
                        )


st.title("Who can apply")
st.write(
    "Describe the person and the child; each council's document is read condition by condition, "
    "with the words that decide it, beside our reading of the law."
)
data, built = ui.graph_location()
vocab = vocabulary(data)
orders = list(vocab.orders)
with st.container(border=True):
    first, second, third = st.columns(3)
    order = ui.url_choice(
        "order",
        "Order applied for",
        orders,
        "special-guardianship-order" if "special-guardianship-order" in orders else orders[0],
        vocab.orders.get,
        first,
    )
    relationships = list(vocab.relationships)
    relationship = ui.url_choice(
        "relationship",
        "The person is the child's",
        relationships,
        "relative" if "relative" in relationships else relationships[0],
        lambda r: RELATIONSHIP_WORDS.get(r, r.replace("-", " ").capitalize()),
        second,
    )
    lived_with = ui.url_text(
        "lived-with",
        "The child has lived with them for",
        "",
        third,
        placeholder="e.g. 8m, 14m, 3y (empty: not at all)",
    )
    fourth, fifth, sixth = st.columns([2, 2, 1])
    consents = ui.url_multi(
        "consent",
        "Consents they hold",
        list(vocab.consents),
        [],
        lambda c: ui.label("consent", vocab.consents[c]),
        fourth,
        placeholder="none",
    )
    in_force = ui.url_multi(
        "in-force", "Orders in force", orders, [], vocab.orders.get, fifth, placeholder="none"
    )
    with sixth:
        st.write("")
        child_in_care = ui.url_flag("child-in-care", "Child in care")

try:
    rows = answers(
        order, relationship, lived_with, tuple(consents), child_in_care, tuple(in_force), data, built
    )
except ui.KGError as exc:
    ui.error(exc)
    st.stop()

st.caption(rows[0]["notice"] if rows else ui.NOTICE)
names = {r["council"]: r["council_label"] for r in rows}
councils = [r for r in rows if r["council"] != LAW]
law = [r for r in rows if r["council"] == LAW]
stated = [r for r in councils if r["answer"] != "not-stated"]
summary = ", ".join(
    f"{sum(r['answer'] == a for r in councils)} {ANSWERS[a][1] if a != 'not-stated' else 'say nothing'}"
    for a in ANSWERS
    if any(r["answer"] == a for r in councils)
)
st.subheader(f"{len(stated)} of {len(councils)} councils answer")
st.caption(summary)
for start in range(0, len(councils), 3):
    for column, row in zip(st.columns(3), councils[start : start + 3]):
        with column:
            card(row, names)
for row in law:
    card(row, names)
