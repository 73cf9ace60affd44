"""The app, headless: each page renders on the real graph and answers its controls."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

APP = "../app/streamlit_app.py"


@pytest.fixture
def app(data_dir, monkeypatch):
    monkeypatch.setenv("PERMANENCE_KG_DATA", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception
    return at


def test_compare_page_shows_matrix_divergences_and_gaps(app):
    text = " ".join(e.value for e in app.markdown) + " ".join(e.label for e in app.expander)
    assert "Residence order named as a current order" in text
    assert any("cumbria" in str(df.value.columns.tolist()) for df in app.dataframe)
    app.selectbox(key="silent").set_value("parental-responsibility").run()
    silent = [df.value for df in app.dataframe if "covered_by" in df.value.columns][0]
    assert set(silent["council"]) == {"enfield"}


def test_option_page_changes_with_option_and_age(app):
    goto(app, "Option trade-offs")
    app.selectbox(key="option").set_value("adoption").run()
    frames = [df.value for df in app.dataframe]
    assert any(
        "Parental Responsibility is held exclusively by the carers" in " ".join(map(str, f.values.ravel()))
        for f in frames
    )
    app.number_input(key="age").set_value(1).run()
    assert any(
        "Infants under 2" in " ".join(map(str, f.values.ravel())) for f in (df.value for df in app.dataframe)
    )


def test_option_page_shows_a_gap_as_a_gap(app):
    goto(app, "Option trade-offs")
    app.selectbox(key="option").set_value("residential").run()
    assert any("No council lists advantages" in i.value for i in app.info)
    assert any("not stated" in c.value for c in app.caption)


def test_query_page_runs_a_library_query_with_a_parameter(app):
    goto(app, "Query")
    app.selectbox(key="query").set_value("who-can-apply").run()
    app.selectbox(key="p-who-can-apply-council").set_value("dorset").run()
    frame = app.dataframe[0].value
    assert set(frame["council"]) == {"dorset"} and len(frame) == 7


def test_bad_sparql_is_a_message_not_an_exception(app):
    goto(app, "Query")
    app.text_area(key="sparql").set_value("SELECT * WHERE { ?s ?p }").run()
    app.button(key="run-sparql").click().run()
    assert not app.exception
    assert any("SPARQL syntax error at line 1" in e.value for e in app.error)
