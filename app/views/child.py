"""A child's options: for a child's age, needs and the themes that weigh most, every permanence
option at once (kg.decide.options): a matrix of options x trade-off themes with each council's
counts, the age guidance that applies, a drill-down into any option's quotes council by council,
and, when themes are weighed, the ordering with every term of its arithmetic."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import ui
from kg.decide import options as options_for
from kg.decide.options import need_ids, themes

DIRECTION_WORDS = {"favours": "favours", "less-likely": "makes less likely", "requires": "requires"}


@st.cache_resource(show_spinner=False, max_entries=64)  # read-only: not copied per run
def answer(
    age: int,
    needs: tuple[str, ...],
    weights: tuple[tuple[str, float], ...],
    council: str,
    data: str,
    built: float,
) -> dict[str, Any]:
    return options_for(
        age, needs=list(needs), weights=dict(weights) or None, council=council or None, data=data
    )


@st.cache_resource(show_spinner=False)
def vocabulary(data: str, built: float) -> tuple[list[str], list[str]]:
    return themes(data), need_ids(data)


def cite(item: dict[str, Any], council: str, note: str = "", container: Any = None) -> None:
    ui.cited(
        item["quote"],
        council,
        item["section"],
        item["start"],
        item["end"],
        note,
        container,
        name_council=False,
    )


def weights_from_url(known: list[str]) -> dict[str, float]:
    """``weight=stability=2`` (repeatable), the CLI's ``--weight THEME=NUMBER``."""
    found = {}
    for item in st.query_params.get_all("weight"):
        theme, _, value = item.partition("=")
        try:
            if theme in known:
                found[theme] = float(value)
        except ValueError:
            continue
    return found


st.title("A child's options")
st.write(
    "Describe the child and see every permanence option at once, in the councils' own words: the "
    "trade-offs each council lists by theme, the age guidance that applies, and what each says about "
    "orders, parental responsibility and reviews. Weigh themes to see an ordering with its arithmetic."
)
data, built = ui.graph_location()
theme_ids, needs_known = vocabulary(data, built)
everyone = ui.councils()

with st.container(border=True):
    first, second, third = st.columns([1, 3, 2])
    age = ui.url_number("age", "Age (years)", 0, 17, 6, first, step=1)
    needs = ui.url_multi(
        "need", "Needs", needs_known, [], lambda n: ui.label("need", n), second, placeholder="any needs"
    )
    council = ui.url_choice(
        "council",
        "Council",
        ["", *everyone],
        "",
        lambda c: "every council" if c == "" else ui.council_name(c),
        third,
    )
    asked_weights = weights_from_url(theme_ids)
    weighed = ui.url_multi(
        "weigh",
        "Themes that matter most (weigh them to order the options)",
        theme_ids,
        list(asked_weights),
        lambda t: ui.label("theme", t),
        placeholder="no weights: no ordering",
    )
    weights: dict[str, float] = {}
    if weighed:
        columns = st.columns(min(len(weighed), 6))
        for i, theme in enumerate(weighed):
            key = f"weight-{theme}"
            if key not in st.session_state:
                st.session_state[key] = float(asked_weights.get(theme, 1.0))
            weights[theme] = columns[i % len(columns)].slider(
                ui.label("theme", theme), -3.0, 3.0, step=0.5, key=key
            )
    # The weights live in the URL the CLI's way; the list of weighed themes is implied by them.
    ui.keep("weigh", [])
    ui.keep("weight", [f"{t}={w:g}" for t, w in weights.items()])

result = answer(int(age), tuple(needs), tuple(sorted(weights.items())), council, data, built)
st.caption(result["notice"])
chosen = [c["council"] for c in result["options"][0]["councils"]] if result["options"] else []
labels = {o["option"]: o["label"] for o in result["options"]}

# --- The matrix: options x themes, counts per council ------------------------------------------
rows = []
for entry in result["options"]:
    for c in entry["councils"]:
        for side in ("advantages", "disadvantages"):
            for item in c[side]:
                for theme in item["themes"] or ["(no theme)"]:
                    rows.append((entry["option"], theme, c["council"], side))
cells = pd.DataFrame(rows, columns=["option", "theme", "council", "side"])
st.header(f"Trade-offs of every option, by theme, at age {int(age)}")
if cells.empty:
    st.info("No chosen council lists advantages or disadvantages of any option.", icon=":material/info:")
else:
    grid = cells.groupby(["option", "theme", "side"]).size().unstack("side", fill_value=0)
    grid = grid.reindex(columns=["advantages", "disadvantages"], fill_value=0).reset_index()
    per_council = (
        cells.groupby(["option", "theme", "council", "side"])
        .size()
        .unstack("side", fill_value=0)
        .reset_index()
    )
    detail = {
        (o, t): "; ".join(
            f"{ui.short_council_name(r['council'])} "
            f"+{int(r.get('advantages', 0))}/−{int(r.get('disadvantages', 0))}"
            for _, r in group.iterrows()
        )
        for (o, t), group in per_council.groupby(["option", "theme"])
    }
    grid["option_label"] = grid["option"].map(labels)
    grid["theme_label"] = grid["theme"].map(lambda t: ui.label("theme", t) if t != "(no theme)" else t)
    grid["balance"] = grid["advantages"] - grid["disadvantages"]
    grid["cell"] = grid.apply(lambda r: f"+{r['advantages']} / −{r['disadvantages']}", axis=1)
    grid["councils"] = [detail[(o, t)] for o, t in zip(grid["option"], grid["theme"])]
    extent = max(1, int(grid["balance"].abs().max()))
    base = alt.Chart(grid).encode(
        x=alt.X(
            "theme_label:N",
            title=None,
            axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=220, labelOverlap=False),
        ),
        y=alt.Y("option_label:N", title=None, axis=alt.Axis(labelLimit=260)),
    )
    heat = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "balance:Q",
            title="advantages − disadvantages",
            # A wider domain than the data keeps the cells light enough to read their counts on.
            scale=alt.Scale(scheme="redyellowgreen", domain=[-1.6 * extent, 1.6 * extent]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("option_label:N", title="Option"),
            alt.Tooltip("theme_label:N", title="Theme"),
            alt.Tooltip("advantages:Q", title="Advantages listed"),
            alt.Tooltip("disadvantages:Q", title="Disadvantages listed"),
            alt.Tooltip("councils:N", title="By council"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(text="cell:N")
    st.altair_chart((heat + text).properties(height=alt.Step(28)), width="stretch")
    st.caption(
        "Each cell: advantages / disadvantages the chosen councils list for the option on the theme "
        "(hover for each council's counts). A count is of list items, not of how much they matter."
    )

# --- Ordering when themes are weighed ----------------------------------------------------------
if result["ordering"]:
    st.header("Ordering for the themes you weighed")
    st.caption(f"{result['formula']}. This is arithmetic on the documents' lists, not advice.")
    table = []
    for r in result["ordering"]:
        terms = "; ".join(
            f"{ui.label('theme', c['theme'])}: {c['weight']:g} × ({c['advantages']} − {c['disadvantages']})"
            f" = {c['contribution']:g}"
            for c in r["contributions"]
        )
        table.append(
            {
                "Rank": str(r.get("rank", "—")),
                "Option": labels.get(r["option"], r["option"]),
                "Score": "—" if r["score"] is None else f"{r['score']:g}",
                "How": r["note"] or terms,
            }
        )
    st.table(pd.DataFrame(table).set_index("Rank"))

# --- Age guidance that applies -----------------------------------------------------------------
st.header(f"Age guidance at {int(age)}")
planning = result["planning_age_guidance"]
applies = [
    (entry["label"], c["council"], item)
    for entry in result["options"]
    for c in entry["councils"]
    for item in c["age_guidance"]["applies"]
]
if not applies and not planning["applies"]:
    st.info(f"No chosen council gives age guidance that applies at {int(age)}.", icon=":material/info:")
for label, council_id, item in applies:
    cite(
        item,
        council_id,
        f"{ui.council_name(council_id)} · {DIRECTION_WORDS.get(item['direction'], item['direction'])} "
        f"{label.lower()} · {item['band']}",
    )
for item in planning["applies"]:
    practice = ", ".join(ui.label("practice", p) for p in item["practices"]) or "planning"
    cite(
        item,
        item["council"],
        f"{ui.council_name(item['council'])} · {DIRECTION_WORDS.get(item['direction'], item['direction'])} "
        f"{practice.lower()} · {item['band']}",
    )

# --- One option, council by council ------------------------------------------------------------
st.header("One option, council by council")
option = ui.url_choice("option", "Option", list(labels), next(iter(labels)), labels.get)
entry = next(e for e in result["options"] if e["option"] == option)
if entry["secured_by_in_law"]:
    st.caption(
        "Secured in law by: "
        + ", ".join(ui.label("order", o) for o in entry["secured_by_in_law"])
        + " (our modelling of the law)."
    )
SECTIONS = [
    ("advantages", "Advantages"),
    ("disadvantages", "Disadvantages"),
    ("needs", "Needs it suits"),
    ("legal_orders", "Legal orders it lists"),
    ("parental_responsibility", "Parental responsibility"),
    ("looked_after", "Looked after?"),
    ("reviews_and_timescales", "Reviews and timescales"),
]
side_by_side = entry["councils"]
if len(side_by_side) > ui.COUNCILS_SHOWN_AT_FIRST:  # a column each for 150 councils reads as nothing
    listed = [c["council"] for c in side_by_side]
    picked = ui.councils_laid_out("side", "Councils side by side", listed, "side by side")
    side_by_side = [c for c in side_by_side if c["council"] in picked]
for column, c in zip(st.columns(max(len(side_by_side), 1), border=True), side_by_side):
    column.subheader(ui.short_council_name(c["council"]))
    said = False
    for field, title in SECTIONS:
        items = c[field]
        if not items:
            continue
        said = True
        # The trade-offs stay open; the rest fold away so the columns can be compared at a glance.
        place = (
            column if field in ("advantages", "disadvantages") else column.expander(f"{title} ({len(items)})")
        )
        if field in ("advantages", "disadvantages"):
            column.markdown(f"**{title}** ({len(items)})")
        for item in items:
            note = ", ".join(ui.label("theme", t) for t in item.get("themes", []))
            if field == "needs" and item.get("matches"):
                note = "meets: " + ", ".join(ui.label("need", n) for n in item["matches"])
            cite(item, c["council"], note, place)
    ages = c["age_guidance"]
    for where, title in (
        ("applies", f"Age guidance at {int(age)}"),
        ("no_age_given", "Age guidance, no age given"),
    ):
        if ages[where]:
            said = True
            column.markdown(f"**{title}** ({len(ages[where])})")
            for item in ages[where]:
                cite(item, c["council"], DIRECTION_WORDS.get(item["direction"], item["direction"]), column)
    if not said:
        column.markdown(":gray[*No statement extracted* about this option.]")
for d in entry["divergences"]:
    with st.container(border=True):
        st.markdown(f":red-badge[divergence] **{ui.escape(d['label'])}** — {ui.escape(d['description'])}")
        if d["law_says"]:
            st.success(f"**The law (our reading).** {ui.escape(d['law_says'])}", icon=":material/gavel:")
        for side in d["sides"]:
            cite(side, side["council"], ui.council_name(side["council"]))
