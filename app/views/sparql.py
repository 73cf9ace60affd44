"""SPARQL workbench: an editor with syntax highlighting, the predeclared prefixes, the query
library with each query's text and a parameter form, results with prefixed names and labels,
CSV and JSON downloads, a time and row limit set here, and errors placed at their line and column."""

from __future__ import annotations

import hashlib
import json
import re
import time

import pandas as pd
import streamlit as st
from streamlit_ace import st_ace

import ui
from kg import queries
from kg.vocab import PREFIXES

EXAMPLE = """# The prefixes listed above (pk, opt, ord, council, concept, oa, skos, rdfs...) are predeclared.
SELECT ?council ?kind (COUNT(?s) AS ?statements)
WHERE {
  ?s a ?class ; pk:council/pk:councilId ?council .
  ?class skos:notation ?kind .
}
GROUP BY ?council ?kind
ORDER BY ?council ?kind
"""
AD_HOC = ""
_LOCATED = re.compile(r"line (\d+), column (\d+)")
# What cannot hold a prefixed name: IRIs, strings and comments (blanked, so columns stay put).
_NOT_NAMES = re.compile(
    r"<[^<>\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*"
)
_PREFIXED = re.compile(r"(?<![\w?$\-.:])([A-Za-z][\w\-.]*)?:(?=[\w%])")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w\-.]*)?:", re.I)


def unknown_prefix(text: str) -> str:
    """The first prefixed name whose prefix is neither predeclared nor declared in the query."""
    blank = _NOT_NAMES.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    declared = set(PREFIXES) | {p or "" for p in _DECLARED.findall(blank)}
    for m in _PREFIXED.finditer(blank):
        prefix = m.group(1) or ""
        if prefix not in declared:
            line = blank.count("\n", 0, m.start()) + 1
            column = m.start() - (blank.rfind("\n", 0, m.start()) + 1) + 1
            return (
                f"unknown prefix '{prefix}:' at line {line}, column {column}: the predeclared prefixes are "
                f"{', '.join(PREFIXES)} (or declare it: PREFIX {prefix}: <...>)"
            )
    return ""


def for_the_page(message: str) -> str:
    """The runner's messages name the command line's flags; here the limits are set on the page."""
    message = ui.one_line(message)
    message = re.sub(
        r" \(raise it with --timeout, or timeout= in Python\)", ": raise the time limit above", message
    )
    return re.sub(
        r" \(raise the row limit: --limit, or limit= in Python\)", ": raise the row limit above", message
    )


def readable(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """IRIs as prefixed names, a label column beside each column of labelled entities, and a link
    to the document beside each column of statements."""
    shown = pd.DataFrame(index=frame.index)
    config: dict = {}
    entities = ui.nodes()
    for column in frame.columns:
        values = frame[column]
        iris = values.map(lambda v: isinstance(v, str) and v.startswith(("http://", "https://")))
        if not iris.any():
            shown[column] = values
            continue
        shown[column] = values.map(ui.compact)
        labelled = values.map(lambda v: v in entities.index if isinstance(v, str) else False)
        if labelled.any():
            shown[f"{column} (label)"] = values.map(ui.iri_label)
            config[f"{column} (label)"] = st.column_config.TextColumn(width="large")
        statements = values.map(lambda v: isinstance(v, str) and v.startswith(PREFIXES["stmt"]))
        if statements.any():
            shown[f"{column} in the document"] = values.map(statement_url)
            config[f"{column} in the document"] = st.column_config.LinkColumn(display_text="open ↗")
    return shown, config


def statement_url(iri: object) -> str | None:
    """A statement's IRI ends council/kind/subject/start-end: enough to link to its quote."""
    if not isinstance(iri, str):
        return None
    m = re.search(r"/statement/([\w-]+)/.*/(\d+)-(\d+)$", iri)
    return ui.source_url(m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def show_result(outcome: dict) -> None:
    if outcome.get("error"):
        st.error(outcome["error"], icon=":material/error:")
        return
    frame: pd.DataFrame = outcome["frame"]
    st.subheader(f"{len(frame)} row{'s' if len(frame) != 1 else ''}")
    st.caption(
        f"{outcome['what']} · answered in {outcome['elapsed']:.2f} s"
        + (f" · {outcome['note']}" if outcome.get("note") else "")
    )
    if frame.empty:
        st.info("The query matched nothing: no rows.")
    else:
        shown, config = readable(frame)
        if ui.url_flag("wrap", "Wrap long text (a static table showing every word)"):
            st.table(shown.fillna(""))
        else:
            config = {**ui.wide_text_columns(shown), **config}
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                height=min(36 * (len(shown) + 1) + 4, 600),
                column_config=config,
            )
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        frame.to_csv(index=False),
        f"{outcome['file']}.csv",
        "text/csv",
        key="download-csv",
        icon=":material/download:",
    )
    right.download_button(
        "Download JSON",
        json.dumps(
            frame.astype(object).where(frame.notna(), None).to_dict("records"),
            ensure_ascii=False,
            indent=1,
            default=str,
        ),
        f"{outcome['file']}.json",
        "application/json",
        key="download-json",
        icon=":material/download:",
    )


st.title("SPARQL workbench")
st.write(
    "Ask the graph anything read-only (SELECT or ASK). The default graph is the union of every "
    "council's graph, the ontology, provenance and divergences. Start from a library query or write "
    "your own; the URL keeps the query, so it can be shared."
)

library = queries.library()
names = [AD_HOC, *sorted(library)]
with st.expander(f"Predeclared prefixes ({len(PREFIXES)})"):
    st.table(
        pd.DataFrame({"Prefix": [f"{p}:" for p in PREFIXES], "Namespace": list(PREFIXES.values())}).set_index(
            "Prefix"
        )
    )
    inserted = st.multiselect("Insert PREFIX lines for", list(PREFIXES), key="insert-prefixes")
    st.caption(
        "They are predeclared here; inserting them makes the query run on any other SPARQL endpoint too."
    )

picker, limits = st.columns([3, 2])
name = ui.url_choice(
    "name",
    "Library query",
    names,
    AD_HOC,
    lambda n: "— your own query —" if n == AD_HOC else f"{n}: {library[n].summary}",
    picker,
)
timeout_col, limit_col = limits.columns(2)
timeout = ui.url_number(
    "timeout", "Time limit (s)", 1.0, 120.0, queries.DEFAULT_TIMEOUT, timeout_col, step=1.0, format="%.0f"
)
limit = ui.url_number("limit", "Row limit", 1, 100_000, queries.DEFAULT_LIMIT, limit_col, step=100)

params: dict[str, str] = {}
if name:
    query = library[name]
    picker.caption(ui.escape(query.description))
    if query.parameters:
        st.markdown("**Parameters** (empty means any)")
        columns = st.columns(min(len(query.parameters), 4))
        for i, param in enumerate(query.parameters):
            column = columns[i % len(columns)]
            values = param.values()
            label = param.name if param.type == "string" else f"{param.name} ({param.type})"
            if values:
                params[param.name] = ui.url_choice(
                    param.name,
                    label,
                    ["", *values],
                    param.default if param.default in values else "",
                    lambda v: "(any)" if v == "" else v,
                    column,
                )
            else:
                params[param.name] = ui.url_text(
                    param.name, label, param.default, column, placeholder="(any)"
                )
    command = " ".join(
        [
            "permanence-kg query",
            name,
            *(f"--param '{k}={v}'" if " " in v else f"--param {k}={v}" for k, v in params.items() if v),
        ]
    )
    st.caption(f"The same from the command line: `{command}`")
    initial = query.text
else:
    initial = st.query_params.get("query", EXAMPLE)
if inserted:
    initial = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in inserted) + initial

annotations = st.session_state.get("sparql-annotations", [])
digest = hashlib.sha1(initial.encode()).hexdigest()[:10]
text = st_ace(
    value=initial,
    language="sparql",
    theme="chrome",
    keybinding="vscode",
    min_lines=14,
    max_lines=40,
    font_size=14,
    wrap=True,
    show_gutter=True,
    annotations=annotations,
    key=f"editor-{name}-{digest}",
)
text = text if isinstance(text, str) and text.strip() else initial
edited = bool(name) and text.strip() != library[name].text.strip()
if not name:
    ui.keep("query", text if text != EXAMPLE else "")
elif edited:
    st.caption(
        "Edited: this runs as your own query, so the parameters above are not bound "
        "(an unbound parameter matches nothing)."
    )

run_col, note_col = st.columns([1, 5])
asked = run_col.button("Run", type="primary", key="run", icon=":material/play_arrow:")
note_col.caption(
    "Apply an edit with Ctrl+Enter (or the editor's Apply button), then Run. "
    "The last result stays until the next run."
)
# A shared URL with a query in it opens with its answer.
first_visit = "sparql-result" not in st.session_state and (
    "name" in st.query_params or "query" in st.query_params
)
if asked or first_visit:
    with st.status("Running the query…", expanded=False) as status:
        started = time.perf_counter()
        outcome: dict = {"file": name or "sparql"}
        try:
            if name and not edited:
                outcome["what"] = f"library query {name}"
                frame = ui.ask_library(name, float(timeout), int(limit), **params)
                note = frame.attrs.get("note", "")
            else:
                outcome["what"] = "your query"
                problem = unknown_prefix(text)
                if problem:
                    raise ui.KGError(problem)
                frame, note = ui.ask_sparql(text, float(timeout), int(limit))
        except ui.KGError as exc:
            outcome["error"] = for_the_page(str(exc))
            status.update(label="The query failed", state="error")
        else:
            outcome.update(
                frame=frame, note=for_the_page(note) if note else "", elapsed=time.perf_counter() - started
            )
            status.update(label=f"Done: {len(frame)} rows in {outcome['elapsed']:.2f} s", state="complete")
    located = _LOCATED.search(outcome.get("error", ""))
    new_annotations = (
        [
            {
                "row": int(located.group(1)) - 1,
                "column": int(located.group(2)) - 1,
                "type": "error",
                "text": outcome["error"],
            }
        ]
        if located
        else []
    )
    st.session_state["sparql-result"] = outcome
    if new_annotations != annotations:
        st.session_state["sparql-annotations"] = new_annotations
        st.rerun()

if "sparql-result" in st.session_state:
    show_result(st.session_state["sparql-result"])
else:
    st.info("Run a query to see its rows here.")
