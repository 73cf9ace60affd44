"""Routes out of care: the status graph from the law and the councils' words, and paths through it."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.decide import NOTICE, routes
from kg.decide.routes import status_graph

SOURCES = Path(__file__).resolve().parent.parent / "kg" / "sources"
STATUSES = {
    "accommodated-s20",
    "interim-care-order",
    "care-order",
    "placement-order",
    "child-arrangements-order",
    "special-guardianship-order",
    "adoption-order",
    "leaving-care",
}


@pytest.fixture(scope="module")
def graph(data_dir: Path) -> nx.DiGraph:
    return status_graph(str(data_dir))


@pytest.fixture(scope="module")
def from_care_order(data_dir: Path) -> dict:
    return routes("care-order", data=str(data_dir))


def steps(path: dict) -> list[tuple[str, str]]:
    return [(s["from"], s["to"]) for s in path["steps"]]


def test_the_graph_holds_the_statuses_of_the_issue(graph) -> None:
    assert set(graph.nodes) == STATUSES
    assert {graph.nodes[n]["kind"] for n in graph.nodes} == {"order", "status"}


def test_special_guardianship_is_one_step_from_a_care_order(from_care_order) -> None:
    to_sgo = [p for p in from_care_order["paths"] if p["to"] == "special-guardianship-order"]
    assert [steps(p) for p in to_sgo] == [[("care-order", "special-guardianship-order")]]
    step = to_sgo[0]["steps"][0]
    assert step["discharges"] and step["leave_needed"] == "for some applicants"
    councils = {e["according_to"] for e in step["evidence"] if not e["ours"]}
    assert {"north-somerset", "medway", "dorset"} <= councils


def test_adoption_is_reached_through_a_placement_order(from_care_order) -> None:
    to_adoption = [steps(p) for p in from_care_order["paths"] if p["to"] == "adoption-order"]
    assert [("care-order", "placement-order"), ("placement-order", "adoption-order")] in to_adoption
    placement = next(p for p in from_care_order["paths"] if steps(p) == [("care-order", "placement-order")])
    assert "local authority" in placement["steps"][0]["who_may_apply"]
    assert placement["steps"][0]["leave_needed"] == "no"


def test_to_narrows_the_paths(data_dir: Path) -> None:
    found = routes("accommodated-s20", to="adoption-order", data=str(data_dir))
    assert found["paths"] and all(p["to"] == "adoption-order" for p in found["paths"])
    assert all(p["statuses"][0] == "accommodated-s20" for p in found["paths"])
    assert routes("adoption-order", data=str(data_dir))["paths"] == []


def test_every_edge_has_evidence_and_our_reading_cites_the_law(graph) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}
    for a, b, edge in graph.edges(data=True):
        ours = [e for e in edge["evidence"] if e["ours"]]
        assert len(ours) == 1 and ours[0]["citations"], (a, b)
        assert all(c.startswith(("ukpga/1989/41/", "ukpga/2002/38/")) for c in ours[0]["citations"])
        for e in edge["evidence"]:
            if not e["ours"]:
                assert texts[e["according_to"]][e["start"] : e["end"]] == e["quote"] and e["section"]


def test_the_drawing_data_matches_the_paths(from_care_order) -> None:
    edges = {(e["from"], e["to"]) for e in from_care_order["edges"]}
    assert all(step in edges for p in from_care_order["paths"] for step in steps(p))
    assert {n["id"] for n in from_care_order["nodes"]} == STATUSES
    assert from_care_order["notice"] == NOTICE


def test_cli_routes(data_dir: Path) -> None:
    runner = CliRunner()
    args = ["routes", "--from", "care-order", "--to", "adoption-order", "--data", str(data_dir)]
    table = runner.invoke(cli, args)
    assert table.exit_code == 0 and table.output.startswith(NOTICE)
    assert "placement-order -> adoption-order" in table.output
    found = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    assert found["paths"] and found["notice"] == NOTICE
