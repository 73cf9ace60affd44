"""The app, headless (Streamlit's AppTest): every page renders on the real graph, answers its
controls with the councils' words, and keeps its choices in the URL so a copied URL reopens it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kg import queries

APP = "../app/streamlit_app.py"


@pytest.fixture
def open_page(data_dir, monkeypatch):
    monkeypatch.setenv("PERMANENCE_KG_DATA", str(data_dir))

    def opener(page: str | None, **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        if page:
            at.switch_page(f"views/{page}.py")
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return opener


def shown_text(at: AppTest) -> str:
    """Everything a reader sees as text: markdown, captions, headings, alerts, tables, HTML."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.proto.body) for e in at.get("html")]
    for table in list(at.table) + list(at.dataframe):
        frame = table.value
        parts += [" ".join(map(str, frame.columns)), " ".join(map(str, frame.index))]
        parts += [" ".join(map(str, row)) for row in frame.astype(str).to_numpy()]
    return "\n".join(parts).replace("\\", "")


def url_of(at: AppTest) -> dict[str, list[str] | str]:
    """The session's URL query string, to open a second session on it."""
    return dict(at.query_params)


def values_of(at: AppTest, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return value if isinstance(value, list) else [value]


# --- Overview -----------------------------------------------------------------------------------


def test_overview_shows_councils_documents_annotations_coverage_and_counts(open_page, data_dir):
    at = open_page(None)
    text = shown_text(at)
    documents = queries.run("app-documents", data=str(data_dir)).records()
    for doc in documents:
        assert doc["council_name"] in text and doc["title"] in text
    assert "abolished on 1 April 2023" in text  # our annotation on Cumbria, marked as ours
    assert "Our annotation (permanence-kg), not the council's words" in text
    assert "it is not legal advice" in text
    assert at.get("vega_lite_chart"), "the coverage heatmap is a chart"
    counts = at.table[-1].value
    total = {d["council_name"]: str(d["statements"]) for d in documents}
    assert counts.loc["All statements"].to_dict() == total


@pytest.fixture(scope="module")
def tripled(scaled) -> str:
    """The build with each council copied twice more: 15 councils."""
    return scaled(3)


def test_the_overview_counts_the_councils_and_shows_a_page_of_them(data_dir, tripled, monkeypatch):
    """Five at first, all shown; a graph of more councils (scale.py's copies: 15 here) is not called
    five, and its overview shows the first ten until the reader picks others (kept in the URL)."""
    for graph, words, shown, params in (
        (data_dir, "five", 5, {}),
        (tripled, "15", 10, {}),
        (tripled, "15", 2, {"councils": "medway,dorset-copy3"}),
    ):
        monkeypatch.setenv("PERMANENCE_KG_DATA", str(graph))
        at = AppTest.from_file(APP, default_timeout=90)
        at.switch_page("views/overview.py")
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value == f"Permanence guidance of {words} councils"
        assert f"{words.capitalize()} English councils' permanence guidance" in at.sidebar.caption[0].value
        counts = at.table[-1].value
        assert len(counts.columns) == shown
        picked = f"{shown} of 15 councils shown: choose others above."
        assert (picked in [c.value for c in at.caption]) == (words == "15")
    assert list(counts.columns) == ["Dorset Council (copy 3)", "Medway Council"]


def test_overview_flags_an_overdue_review(open_page, data_dir):
    dates = queries.run("document-dates", data=str(data_dir)).records()
    at = open_page("overview")
    warnings = [w.value for w in at.warning]
    assert sum("Review overdue" in w for w in warnings) == sum(bool(d["overdue"]) for d in dates)


# --- Graph explorer -----------------------------------------------------------------------------


def test_graph_centres_on_the_url_node_and_recentres_on_a_neighbour(open_page):
    at = open_page("graph", node="opt:adoption", depth="1")
    assert [s.value for s in at.subheader] == ["Adoption"]
    assert "Definition (ours):" in shown_text(at)
    neighbour = next(b for b in at.button if "Adoption order" in b.label)
    neighbour.click().run()
    assert at.query_params["node"] == "ord:adoption-order"
    assert at.subheader[0].value == "Adoption order"
    again = open_page("graph", **url_of(at))
    assert again.subheader[0].value == "Adoption order"


def test_graph_statement_node_shows_its_evidence_with_a_link_to_the_document(open_page, data_dir):
    found = queries.run(
        "keyword-search", data=str(data_dir), keyword="There is no right to an assessment of need"
    )
    row = found.records()[0]
    spans = queries.run("app-evidence-spans", data=str(data_dir), council=row["council"]).records()
    statement = next(s["statement"] for s in spans if s["start"] == row["start"] and s["end"] == row["end"])
    at = open_page("graph", node=statement.replace(queries.PK.replace("def#", "id/statement/"), "stmt:"))
    text = shown_text(at)
    assert row["quote"] in text
    assert f"sources?council={row['council']}&start={row['start']}&end={row['end']}" in text


def test_graph_picker_lists_statements_only_while_they_are_few(open_page, scaled, monkeypatch):
    """At national scale the picker would send the browser tens of thousands of statements on every
    run: past STATEMENTS_IN_PICKER (2,000; 4x has 2,364) it lists the other entities and the centre."""

    def statements_listed(at: AppTest) -> list[str]:
        return [o for o in at.selectbox(key="url-node").options if "Council statement" in o]

    assert len(statements_listed(open_page("graph", node="opt:adoption"))) > 500
    monkeypatch.setenv("PERMANENCE_KG_DATA", scaled(4))
    at = open_page("graph", node="opt:adoption")
    assert statements_listed(at) == [] and any("Adoption" in o for o in at.selectbox(key="url-node").options)
    statement = [b for b in at.button if b.label.startswith("← about ")][-1]  # statements come last
    statement.click().run()  # a statement made the centre by a click is the one listed
    assert not at.exception and at.query_params["node"].startswith("stmt:")
    assert len(statements_listed(at)) == 1
    adoption = open_page("graph", node="opt:adoption")  # 4x: over a thousand statements link to it
    links = [b for b in adoption.button if b.key.startswith("go-")]
    assert len(links) == 200 and any("The first 200 of" in c.value for c in adoption.caption)
    assert any(b.label == "secured by → Adoption order" for b in links)  # not behind the statements


def test_graph_depth_and_types_are_in_the_url(open_page):
    at = open_page("graph", node="council:medway", depth="2", type=["council", "option"])
    caption = next(c.value for c in at.caption if "entities and" in c.value)
    assert "within 2 links" in caption
    assert at.number_input(key="url-depth").value == 2
    assert at.multiselect(key="url-type").value == ["council", "option"]
    at.number_input(key="url-depth").set_value(1).run()
    assert at.query_params["depth"] == "1"


def test_graph_unknown_node_in_url_falls_back_to_a_default(open_page):
    at = open_page("graph", node="opt:no-such-option")
    assert at.subheader[0].value  # a real entity is shown, not an exception


# --- Sources ------------------------------------------------------------------------------------


def test_sources_opens_at_the_linked_quote_with_its_passage(open_page, data_dir):
    row = queries.run("keyword-search", data=str(data_dir), keyword="may not become").records()[0]
    at = open_page("sources", council=row["council"], start=str(row["start"]), end=str(row["end"]))
    text = shown_text(at)
    assert f"characters {row['start']:,}–{row['end']:,}" in text
    assert 'id="pk-target"' in text and row["quote"].split()[0] in text
    assert at.selectbox(key="url-council").value == row["council"]
    assert url_of(at)["start"] == str(row["start"])


def test_sources_changing_document_drops_the_old_span(open_page):
    at = open_page("sources", council="medway", start="18819", end="18862")
    at.selectbox(key="url-council").set_value("dorset").run()
    assert "start" not in at.query_params and "end" not in at.query_params
    assert "pk-target" not in shown_text(at)
    assert "Dorset Council" in shown_text(at)


def test_sources_span_outside_the_document_is_an_error_message(open_page):
    at = open_page("sources", council="enfield", start="999999", end="1000000")
    assert any("not a span of enfield.txt" in e.value for e in at.error)


def test_sources_highlights_only_the_chosen_kinds(open_page):
    at = open_page("sources", council="medway", kind="advantage")
    assert at.multiselect(key="url-kind").value == ["advantage"]
    body = next(str(h.proto.body) for h in at.get("html") if "pk-document" in str(h.proto.body))
    assert 'title="advantage"' in body and 'title="disadvantage"' not in body


# --- Ontology -----------------------------------------------------------------------------------


def test_ontology_shows_hierarchy_schemes_and_orders(open_page, data_dir):
    at = open_page("ontology")
    text = shown_text(at)
    assert "`pk:Statement`" in text and "`pk:Advantage`" in text
    at.radio(key="url-view").set_value("schemes").run()
    at.selectbox(key="url-scheme").set_value("route").run()
    assert at.query_params["scheme"] == "route"
    routes = queries.run("app-concept-schemes", data=str(data_dir)).records()
    assert {r["label"] for r in routes if r["scheme"] == "route"} == set(at.table[0].value.index)
    at.radio(key="url-view").set_value("orders").run()
    assert "legislation.gov.uk/id/ukpga/1989/41/section/14A" in shown_text(at)


def test_ontology_term_search_from_the_url(open_page):
    at = open_page("ontology", view="hierarchy", term="evidence")
    assert at.text_input(key="url-term").value == "evidence"
    assert "(pk:Evidence):" in shown_text(at)


def test_ontology_documentation_is_generated_and_served(open_page, data_dir):
    at = open_page("ontology", view="documentation")
    assert (data_dir / "ontology.html").is_file()
    assert "pyLODE" in shown_text(at)
    assert at.get("download_button")


# --- SPARQL workbench ---------------------------------------------------------------------------

COUNCILS = "SELECT ?council WHERE { ?c a pk:Council ; pk:councilId ?council } ORDER BY ?council"


def test_sparql_runs_the_query_in_the_url_and_offers_downloads(open_page, data_dir):
    at = open_page("sparql", query=COUNCILS)
    expected = queries.sparql(COUNCILS, data=str(data_dir))
    frame = at.dataframe[0].value
    assert list(frame["council"]) == [row[0] for row in expected.rows]
    assert f"{len(expected)} rows" in shown_text(at)
    assert {b.proto.label for b in at.get("download_button")} == {"Download CSV", "Download JSON"}


def test_sparql_results_show_prefixed_names_labels_and_document_links(open_page):
    query = "SELECT ?s ?o WHERE { ?s a pk:Advantage ; pk:about ?o } LIMIT 3"
    at = open_page("sparql", query=query)
    frame = at.dataframe[0].value
    assert frame["o"].str.startswith("opt:").all()
    assert frame["o (label)"].str.len().gt(0).all()
    assert frame["s in the document"].str.startswith("sources?council=").all()


def test_sparql_syntax_error_names_line_and_column(open_page):
    at = open_page("sparql", query="SELECT * WHERE {\n  ?s ?p }")
    assert any("line 2, column" in e.value for e in at.error)


def test_sparql_unknown_prefix_lists_the_predeclared_ones(open_page):
    at = open_page("sparql", query="SELECT * WHERE { ?s foo:bar ?o }")
    message = " ".join(e.value for e in at.error)
    assert "unknown prefix 'foo:' at line 1, column 21" in message
    assert "pk, opt, ord, council" in message


def test_sparql_time_limit_message_points_to_the_page(open_page):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    at = open_page("sparql", query=slow, timeout="1")
    message = " ".join(e.value for e in at.error)
    assert "1 s time limit" in message and "raise the time limit above" in message
    assert "--timeout" not in message


def test_sparql_library_query_with_parameters_from_the_url(open_page, data_dir):
    at = open_page("sparql", name="who-can-apply", council="dorset")
    expected = queries.run("who-can-apply", data=str(data_dir), council="dorset")
    frame = at.dataframe[0].value
    assert set(frame["council"]) == {"dorset"} and len(frame) == len(expected)
    assert "permanence-kg query who-can-apply" in shown_text(at)
    at.selectbox(key="url-council").set_value("medway").run()
    at.button(key="run").click().run()
    assert set(at.dataframe[0].value["council"]) == {"medway"}
    assert at.query_params["council"] == "medway" and at.query_params["name"] == "who-can-apply"


def test_sparql_row_limit_cuts_with_a_note(open_page):
    at = open_page("sparql", query="SELECT ?s WHERE { ?s a pk:Advantage }", limit="2")
    assert len(at.dataframe[0].value) == 2
    assert "raise the row limit above" in shown_text(at)


# --- Council by council -------------------------------------------------------------------------


def test_councils_aligns_claims_one_column_per_council(open_page, data_dir):
    from kg.decide import compare

    chosen = ["dorset", "medway", "north-somerset"]
    at = open_page("councils", subject="special-guardianship-order", councils=",".join(chosen))
    expected = compare(chosen, subject="special-guardianship-order", data=str(data_dir))
    text = shown_text(at)
    assert f"{len(expected.claims)} claims about special guardianship order" in text
    for claim in expected.claims:
        for member in claim["members"]:
            assert " ".join(member["quote"].split())[:40] in text
    only = [c for c in expected.claims if c["status"] == "only"]
    assert text.count("only one council") >= len(only) > 0
    assert at.multiselect(key="url-councils").value == chosen
    assert "read Dorset's document" in text or all(c["status"] != "some" for c in expected.claims)


def test_councils_flags_divergences_with_both_sides_and_the_law(open_page, data_dir):
    at = open_page("councils", subject="special-guardianship-order")
    text = shown_text(at)
    divergences = queries.run(
        "divergences", data=str(data_dir), subject="special-guardianship-order"
    ).records()
    assert divergences
    for d in divergences:
        assert " ".join(d["label"].split()) in text
        assert " ".join(d["quote"].split())[:30] in text
    assert "The law (our reading)." in text
    assert "sources?council=" in text


def test_councils_silence_shows_the_passages_that_speak_of_it(open_page, data_dir):
    from kg.decide import compare
    from kg.decide.compare import SILENCE_WHY

    subject = "special-guardianship-order"
    at = open_page("councils", subject=subject)
    text = shown_text(at)
    assert "passages-mentioning" not in text  # the command line's name for them, not the app's
    expected = compare(ui_councils(data_dir), subject=subject, data=str(data_dir))
    speaking = {
        (s["council"], claim["kind"], claim["subject"] or "")
        for claim in expected.claims
        for s in claim["silent"]
        if s["why"] == SILENCE_WHY["not-extracted"]
    }
    labels = [e.label for e in at.expander]
    shown = 0
    for council, kind, about in sorted(speaking):
        found = queries.run(
            "passages-mentioning", data=str(data_dir), council=council, kind=kind, subject=about
        ).records()
        if found:
            shown += 1
            assert f"Passages that speak of it ({len(found)})" in labels
            assert " ".join(found[0]["quote"].split())[:30] in text
            assert f"sources?council={council}&start={found[0]['start']}&end={found[0]['end']}" in text
    assert shown, "no silent cell whose document speaks of the topic: nothing was checked"


def test_links_to_the_document_open_in_this_tab(open_page):
    at = open_page("councils", subject="special-guardianship-order")
    links = [m.value for m in at.markdown if "sources?council=" in m.value]
    assert links
    # Streamlit opens a markdown link in a new tab unless the link names its target.
    assert all("](sources?" not in m for m in links)
    assert all('target="_self"' in m for m in links)


def ui_councils(data_dir) -> list[str]:
    return [c["council"] for c in queries.run("app-documents", data=str(data_dir)).records()]


def test_councils_choices_round_trip_through_the_url(open_page):
    at = open_page("councils", subject="adoption", kind="advantage", councils="medway,north-somerset")
    at.selectbox(key="url-kind").set_value("disadvantage").run()
    assert dict(at.query_params) == {
        "subject": "adoption",
        "kind": "disadvantage",
        "councils": "medway,north-somerset",
    }
    again = open_page("councils", **url_of(at))
    assert again.selectbox(key="url-kind").value == "disadvantage"
    assert shown_text(again) == shown_text(at)


def test_councils_with_none_chosen_asks_for_one(open_page):
    at = open_page("councils", subject="adoption")
    at.multiselect(key="url-councils").set_value([]).run()
    assert any("Choose at least one council" in w.value for w in at.warning)


# --- A child's options --------------------------------------------------------------------------


def test_child_shows_every_option_and_the_age_guidance_that_applies(open_page, data_dir):
    from kg.decide import options

    at = open_page("child", age="1")
    expected = options(1, data=str(data_dir))
    assert at.get("vega_lite_chart"), "the options x themes matrix is a chart"
    text = shown_text(at)
    applies = [
        item
        for entry in expected["options"]
        for c in entry["councils"]
        for item in c["age_guidance"]["applies"]
    ] + expected["planning_age_guidance"]["applies"]
    assert applies
    for item in applies:
        assert " ".join(item["quote"].split())[:40] in text
    assert not any("Ordering for the themes" in h.value for h in at.header)  # no weights, no ordering


def test_child_weights_give_an_ordering_with_its_arithmetic(open_page, data_dir):
    from kg.decide import options

    at = open_page("child", age="6", weight=["legal-security=2"])
    expected = options(6, weights={"legal-security": 2}, data=str(data_dir))
    order = at.table[0].value
    ranked = [r for r in expected["ordering"] if r["score"] is not None]
    assert list(order["Option"][: len(ranked)]) == [
        next(o["label"] for o in expected["options"] if o["option"] == r["option"]) for r in ranked
    ]
    assert "× (" in " ".join(order["How"])
    assert values_of(at, "weight") == ["legal-security=2"]
    at.slider(key="weight-legal-security").set_value(-1.0).run()
    assert values_of(at, "weight") == ["legal-security=-1"]


def test_child_drill_down_shows_one_option_council_by_council(open_page, data_dir):
    from kg.decide import options

    at = open_page("child", age="9", option="special-guardianship")
    expected = options(9, data=str(data_dir))
    entry = next(e for e in expected["options"] if e["option"] == "special-guardianship")
    text = shown_text(at)
    for c in entry["councils"]:
        for item in c["advantages"] + c["disadvantages"]:
            assert " ".join(item["quote"].split())[:40] in text
    assert at.selectbox(key="url-option").value == "special-guardianship"
    at.selectbox(key="url-option").set_value("residential").run()
    assert at.query_params["option"] == "residential"


def test_child_sets_ten_councils_side_by_side_until_the_reader_picks(open_page, tripled, monkeypatch):
    five = open_page("child", age="9", option="adoption")
    assert "side by side" not in shown_text(five)  # the five sources: every council, no choice
    monkeypatch.setenv("PERMANENCE_KG_DATA", str(tripled))
    at = open_page("child", age="9", option="adoption")
    assert "10 of 15 councils side by side: choose others above." in [c.value for c in at.caption]
    assert len(at.multiselect(key="url-side").value) == 10
    picked = open_page("child", age="9", option="adoption", side="medway,enfield-copy2")
    assert sorted(picked.multiselect(key="url-side").value) == ["enfield-copy2", "medway"]
    assert "2 of 15 councils side by side: choose others above." in [c.value for c in picked.caption]


# --- Who can apply ------------------------------------------------------------------------------


def test_who_can_apply_answers_per_council_with_the_deciding_words(open_page, data_dir):
    from kg.decide import can_apply

    at = open_page("who-can-apply", order="special-guardianship-order", relationship="parent")
    expected = can_apply("special-guardianship-order", "parent", data=str(data_dir))
    text = shown_text(at)
    for row in expected:
        for q in row["quotes"]:
            if row["ours"]:
                assert " ".join(q["text"].split())[:40] in text
            else:
                assert " ".join(q["quote"].split())[:40] in text
    law = expected[-1]
    assert law["ours"] and "The law — our reading" in text
    assert "Our reading of the statute, not any council's words." in text
    assert any(c in text for row in expected if row["ours"] for q in row["quotes"] for c in q["citations"])
    stated = sum(r["answer"] != "not-stated" for r in expected if not r["ours"])
    assert f"{stated} of {len(expected) - 1} councils answer" in text


def test_who_can_apply_flags_disagreement(open_page, data_dir):
    from kg.decide import can_apply
    from kg.decide.can_apply import vocabulary

    vocab = vocabulary(str(data_dir))
    cases = [(o, r, lw) for o in vocab.orders for r in vocab.relationships for lw in ("", "14m")]
    for order, relationship, lived in cases:
        expected = can_apply(order, relationship, lived_with=lived or None, data=str(data_dir))
        if any(r["disagrees_with"] for r in expected):
            break
    else:
        pytest.skip("no case on which councils disagree in this graph")
    at = open_page("who-can-apply", order=order, relationship=relationship, **{"lived-with": lived})
    warnings = [w.value for w in at.warning if "Disagrees with" in w.value]
    assert len(warnings) == sum(bool(r["disagrees_with"]) for r in expected)


def test_who_can_apply_form_round_trips_through_the_url(open_page):
    params = {
        "order": "special-guardianship-order",
        "relationship": "relative",
        "lived-with": "2y",
        "consent": "local-authority",
        "child-in-care": "true",
    }
    at = open_page("who-can-apply", **params)
    assert dict(at.query_params) == params
    assert at.toggle(key="url-child-in-care").value is True
    at.selectbox(key="url-relationship").set_value("parent").run()
    assert at.query_params["relationship"] == "parent"
    again = open_page("who-can-apply", **url_of(at))
    assert shown_text(again) == shown_text(at)


def test_who_can_apply_bad_duration_is_one_line(open_page):
    at = open_page("who-can-apply", relationship="relative", **{"lived-with": "ages"})
    assert any("malformed duration 'ages'" in e.value for e in at.error)


# --- Routes out of care -------------------------------------------------------------------------


def test_routes_highlights_the_paths_and_opens_a_steps_evidence(open_page, data_dir):
    from kg.decide import routes

    expected = routes("care-order", data=str(data_dir))
    at = open_page("routes", **{"from": "care-order"})
    names = {n["id"]: n["label"] for n in expected["nodes"]}
    titles = [e.label for e in at.expander]
    assert titles == [" → ".join(names[s] for s in p["statuses"]) for p in expected["paths"]]
    step = next(s for p in expected["paths"] for s in p["steps"] if any(not e["ours"] for e in s["evidence"]))
    at.selectbox(key="url-step").set_value(f"{step['from']}--{step['to']}").run()
    text = shown_text(at)
    for item in step["evidence"]:
        if item["ours"]:
            assert "The law (our reading): " + item["text"] in text
        else:
            assert " ".join(item["quote"].split())[:40] in text
            assert f"sources?council={item['according_to']}&start={item['start']}" in text
    assert at.query_params["step"] == f"{step['from']}--{step['to']}"


def test_routes_to_a_target_round_trips_through_the_url(open_page, data_dir):
    from kg.decide import routes

    at = open_page("routes", **{"from": "care-order", "to": "adoption-order"})
    expected = routes("care-order", "adoption-order", data=str(data_dir))
    assert f"{len(expected['paths'])} route" in shown_text(at)
    assert all(e.label.endswith("Adoption order") for e in at.expander)
    again = open_page("routes", **url_of(at))
    assert [e.label for e in again.expander] == [e.label for e in at.expander]


def test_routes_from_a_status_with_no_way_on_says_so(open_page, data_dir):
    from kg.decide import routes

    graph = routes("care-order", data=str(data_dir))
    ends = [n["id"] for n in graph["nodes"] if not any(e["from"] == n["id"] for e in graph["edges"])]
    if not ends:
        pytest.skip("every status leads somewhere")
    at = open_page("routes", **{"from": ends[0]})
    assert any("No route leads from" in i.value for i in at.info)
