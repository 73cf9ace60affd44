"""`permanence-kg push`: every named graph of the build replaced whole in a real Oxigraph server
through the Graph Store Protocol; a store that goes down mid-push leaves the state the report says."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import remote
from kg.cli import cli
from kg.errors import KGError
from live_servers import LiveServer, free_port, oxigraph

MARK = "<urn:permanence-kg:test:old> <urn:permanence-kg:test:old> <urn:permanence-kg:test:old> .\n"
OTHER = "urn:permanence-kg:test:someone-elses-graph"


def build_graphs(data_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with (data_dir / "permanence.nq").open("rb") as fh:
        for quad in ox.parse(fh, format=ox.RdfFormat.N_QUADS):
            graph = str(quad.graph_name.value)  # type: ignore[union-attr]
            counts[graph] = counts.get(graph, 0) + 1
    return counts


def graph_triples(store: LiveServer, graph: str) -> set[ox.Triple] | None:
    response = httpx.get(
        store.url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=30
    )
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return set(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))


def marked(store: LiveServer, graph: str) -> bool:
    """Whether the graph still holds the marker written before the push (its old content)."""
    triples = graph_triples(store, graph) or set()
    return any(t.subject == ox.NamedNode("urn:permanence-kg:test:old") for t in triples)


def add_marks(store: LiveServer, graphs: list[str]) -> None:
    for graph in [*graphs, OTHER]:
        response = httpx.post(
            store.url + "/store",
            params={"graph": graph},
            content=MARK.encode(),
            headers={"Content-Type": "application/n-triples"},
            timeout=30,
        )
        assert response.status_code in (200, 201, 204)


def all_graphs(store: LiveServer) -> set[str]:
    response = httpx.get(
        store.url + "/query",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    return {b["g"]["value"] for b in response.json()["results"]["bindings"]}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LiveServer]:
    live = oxigraph(location=tmp_path / "store").start()
    yield live
    live.stop()


def restarted(store: LiveServer, location: Path) -> LiveServer:
    port = int(store.url.rsplit(":", 1)[1])
    return oxigraph(location=location, port=port).start()


@pytest.mark.parametrize("atomic", [True, False])
def test_push_replaces_each_graph_whole_and_leaves_other_graphs(
    store: LiveServer, data_dir: Path, atomic: bool
) -> None:
    expected = build_graphs(data_dir)
    add_marks(store, list(expected))
    args = ["push", "--store", store.url + "/store", "--data", str(data_dir)]
    if atomic:
        args += ["--update", store.url + "/update"]
    for _ in range(2):  # a second push replaces, never adds
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert f"pushed {len(expected)} graphs" in result.output
        for graph, count in expected.items():
            triples = graph_triples(store, graph)
            assert triples is not None and len(triples) == count, graph
            assert not marked(store, graph)
    assert marked(store, OTHER)  # not ours: untouched
    assert all_graphs(store) == {*expected, OTHER}  # no temporary graph left


def test_store_down_mid_push_with_update_endpoint_leaves_every_graph_as_before(
    store: LiveServer, data_dir: Path, tmp_path: Path
) -> None:
    graphs = list(build_graphs(data_dir))
    add_marks(store, graphs)
    uploaded: list[str] = []

    def crash_after_three(line: str) -> None:
        uploaded.append(line)
        if len(uploaded) == 3:
            store.kill()

    with pytest.raises(KGError) as failure:
        remote.push(store.url + "/store", data_dir, update=store.url + "/update", progress=crash_after_three)
    message = str(failure.value)
    assert "UNCHANGED" in message
    back = restarted(store, tmp_path / "store")
    try:
        assert all(marked(back, g) for g in graphs)  # every graph holds its old content
        # The report names exactly the temporary graphs the store still holds (it could not drop them).
        leftovers = all_graphs(back) - {*graphs, OTHER}
        assert leftovers and all(t in message for t in leftovers)
    finally:
        back.stop()


def test_store_down_at_the_swap_says_what_it_can_and_changes_nothing(
    store: LiveServer, data_dir: Path, tmp_path: Path
) -> None:
    graphs = list(build_graphs(data_dir))
    add_marks(store, graphs)

    def crash_before_swap(line: str) -> None:
        if line.startswith(f"uploaded {graphs[-1]} "):
            store.kill()

    with pytest.raises(KGError) as failure:
        remote.push(store.url + "/store", data_dir, update=store.url + "/update", progress=crash_before_swap)
    assert "could not be asked whether the swap was applied" in str(failure.value)
    back = restarted(store, tmp_path / "store")
    try:
        # The swap never ran: the old graphs, and the temporary ones the message names.
        assert all(marked(back, g) for g in graphs)
        assert all(t in str(failure.value) for t in all_graphs(back) - {*graphs, OTHER})
    finally:
        back.stop()


def test_store_down_mid_push_in_place_reports_exactly_which_graphs_are_new(
    store: LiveServer, data_dir: Path, tmp_path: Path
) -> None:
    graphs = list(build_graphs(data_dir))
    add_marks(store, graphs)
    replaced: list[str] = []

    def crash_after_three(line: str) -> None:
        replaced.append(line.removeprefix("replaced "))
        if len(replaced) == 3:
            store.kill()

    result = CliRunner().invoke(
        cli, ["push", "--store", store.url + "/store", "--data", str(data_dir), "--timeout", "5"]
    )
    assert result.exit_code == 0  # the store is up: a whole push
    add_marks(store, graphs)
    with pytest.raises(KGError) as failure:
        remote.push(store.url + "/store", data_dir, progress=crash_after_three)
    problems = failure.value.problems
    state = problems[-1]
    assert "HALF-UPDATED" in state
    new_part = state.split("replaced with this build: ")[1].split(";")[0].split(", ")
    untouched = state.split("untouched (still as before the push): ")[1].split(";")[0].split(", ")
    # The store was down before the fourth request: nothing is in doubt.
    assert "in doubt" not in state
    assert new_part == replaced == graphs[:3]
    assert untouched == graphs[3:]
    back = restarted(store, tmp_path / "store")
    try:
        assert not any(marked(back, g) for g in new_part)
        assert all(marked(back, g) for g in untouched)
    finally:
        back.stop()


def test_push_errors_say_what_happened_without_a_traceback(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    down = runner.invoke(
        cli, ["push", "--store", f"http://127.0.0.1:{free_port()}/store", "--data", str(data_dir)]
    )
    assert down.exit_code == 1 and "UNCHANGED" in down.output and "Traceback" not in down.output
    bad = runner.invoke(cli, ["push", "--store", "file:///etc/passwd", "--data", str(data_dir)])
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.output
    missing = runner.invoke(cli, ["push", "--store", "http://127.0.0.1:9/store", "--data", str(tmp_path)])
    assert missing.exit_code == 1 and "run `permanence-kg build`" in missing.output


def test_the_store_applies_a_swap_all_or_nothing(store: LiveServer) -> None:
    """What the all-or-nothing push rests on: one update request is one transaction. A swap whose
    second MOVE fails leaves the first undone."""
    for graph, subject in (("urn:permanence-kg:test:new", "new"), ("urn:permanence-kg:test:live", "old")):
        httpx.put(
            store.url + "/store",
            params={"graph": graph},
            content=f"<urn:permanence-kg:test:{subject}> <urn:p> <urn:o> .\n".encode(),
            headers={"Content-Type": "application/n-triples"},
            timeout=30,
        ).raise_for_status()
    swap = "MOVE <urn:permanence-kg:test:new> TO <urn:permanence-kg:test:live> ;\n"
    swap += "MOVE <urn:permanence-kg:test:missing> TO <urn:permanence-kg:test:other>"
    assert httpx.post(store.url + "/update", data={"update": swap}, timeout=30).status_code >= 400
    live = graph_triples(store, "urn:permanence-kg:test:live") or set()
    assert {t.subject.value for t in live} == {"urn:permanence-kg:test:old"}
    assert graph_triples(store, "urn:permanence-kg:test:new")
