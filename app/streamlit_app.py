"""permanence-kg explorer: five councils' permanence guidance, every fact in the council's own words.

Run with `make run` (or `streamlit run app/streamlit_app.py`). Nine pages, each with its own URL
path; every choice on a page is kept in the URL's query string under the command line's option
names, so a copied URL reopens the same view.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# The pages import the shared helpers as a top-level module, however the app is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ui  # noqa: E402

# No page_icon: a Material icon favicon is fetched from a font CDN; the bundled one is used instead.
st.set_page_config(page_title="permanence-kg explorer", layout="wide")

VIEWS = Path(__file__).resolve().parent / "views"
PAGES = {
    "Compare and decide": [
        OVERVIEW := st.Page(VIEWS / "overview.py", title="Overview", url_path="overview"),
        st.Page(VIEWS / "councils.py", title="Council by council", url_path="councils"),
        st.Page(VIEWS / "child.py", title="A child's options", url_path="child"),
        st.Page(VIEWS / "who-can-apply.py", title="Who can apply", url_path="who-can-apply"),
        st.Page(VIEWS / "routes.py", title="Routes out of care", url_path="routes"),
    ],
    "Explore the graph": [
        st.Page(VIEWS / "graph.py", title="Graph explorer", url_path="graph"),
        st.Page(VIEWS / "sources.py", title="Sources", url_path="sources"),
        st.Page(VIEWS / "ontology.py", title="Ontology", url_path="ontology"),
        st.Page(VIEWS / "sparql.py", title="SPARQL workbench", url_path="sparql"),
    ],
}


def home() -> None:
    st.switch_page(OVERVIEW)


# Streamlit serves its default page at "/" only (its own path answers "page not found"), so the
# default is a hidden page that opens the overview at "/overview".
HOME = st.Page(home, title="Overview", url_path="home", default=True, visibility="hidden")
page = st.navigation({**PAGES, "": [HOME]})
try:
    data, _ = ui.graph_location()
except ui.GraphMissing as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()
st.sidebar.caption(
    f"{ui.how_many_councils().capitalize()} English councils' permanence guidance. Every council fact "
    "is shown in the council's own words with a link to its place in the document; notes marked "
    "*our annotation* are ours."
)
st.sidebar.caption(ui.NOTICE)
st.sidebar.caption(f"Graph: `{data}`")

try:
    page.run()
except ui.KGError as exc:
    ui.error(exc)
