"""The build's on-disk store answers one-shot commands as the graph loaded in memory does; without
a usable store the N-Quads are loaded, and a damaged one is refused in one line.

The two stores keep their quads in different orders, so rows that tie under a query's ORDER BY and
the members of a |-joined list (GROUP_CONCAT) may come in another order: answers are compared as
the engines' are (tests/test_engines_agree.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import engines, queries
from kg.errors import KGError
from kg.store import STORED, stored_directory
from test_engines_agree import comparable


@pytest.fixture
def stored():
    with queries.stored_graph():
        yield


def _copy_build(data_dir: Path, target: Path) -> Path:
    """A copy of the build's current generation as a plain directory (what --data DIR accepts)."""
    shutil.copytree(data_dir / "current", target, symlinks=False)
    return target


def test_build_writes_a_store_its_manifest_lists(data_dir):
    manifest = json.loads((data_dir / "manifest.json").read_text())
    assert manifest["stored"]["directory"] == STORED
    assert manifest["stored"]["quads"] == manifest["quads"]
    assert stored_directory(data_dir) == (data_dir / "current").resolve() / STORED


def test_every_library_query_gives_the_same_rows_from_the_store(data_dir):
    engine = engines.load_engine(engines.STORED_OXIGRAPH, data_dir)
    assert isinstance(engine, engines.StoredOxigraphEngine)
    for name in queries.library():
        with queries.stored_graph():
            on_disk = queries.run(name, data=str(data_dir), limit=100_000)
        in_memory = queries.run(name, data=str(data_dir), limit=100_000)
        assert on_disk.columns == in_memory.columns, name
        assert comparable(on_disk.rows) == comparable(in_memory.rows), name


def test_a_directory_without_a_store_loads_its_nquads(data_dir, tmp_path, stored):
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copy(data_dir / "permanence.nq", plain / "permanence.nq")
    assert stored_directory(plain) is None
    assert queries.run("statement-counts", data=str(plain)).rows


def test_a_store_written_by_another_pyoxigraph_is_passed_over(data_dir, tmp_path, stored):
    copy = _copy_build(data_dir, tmp_path / "copy")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["stored"]["pyoxigraph"] = "0.0.1"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert stored_directory(copy) is None
    assert queries.run("statement-counts", data=str(copy)).rows


def test_a_damaged_store_is_refused_in_one_line(data_dir, tmp_path, stored):
    copy = _copy_build(data_dir, tmp_path / "damaged")
    for path in (copy / STORED).iterdir():
        if path.name.startswith(("CURRENT", "MANIFEST")):
            path.unlink()
    with pytest.raises(KGError, match=r"on-disk store .* cannot be opened: .*\(rebuild it\)"):
        queries.run("statement-counts", data=str(copy))


def test_the_query_command_reads_the_store(data_dir, tmp_path):
    copy = _copy_build(data_dir, tmp_path / "cli")
    command = [sys.executable, "-m", "kg.cli", "query", "evidence", "--format", "json", "--data", str(copy)]
    answered = subprocess.run(command, capture_output=True, text=True)
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)
    for path in (copy / STORED).iterdir():
        if path.name.startswith(("CURRENT", "MANIFEST")):
            path.unlink()
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "on-disk store" in refused.stderr


def test_nquads_cut_since_the_build_are_refused_though_the_store_is_whole(data_dir, tmp_path, stored):
    copy = _copy_build(data_dir, tmp_path / "cut")
    nq = copy / "permanence.nq"
    nq.write_bytes(nq.read_bytes()[:5000])
    assert stored_directory(copy) is None
    with pytest.raises(KGError, match=r"built graph .*permanence.nq is .*rebuild it"):
        queries.run("statement-counts", data=str(copy))


def test_the_cli_leaves_later_queries_in_memory(data_dir):
    from click.testing import CliRunner

    from kg.cli import cli

    done = CliRunner().invoke(cli, ["query", "evidence", "--data", str(data_dir), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert queries._graph_key("oxigraph", str(data_dir))[0] == "oxigraph"
