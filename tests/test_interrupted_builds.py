"""A build is whole or untouched: killed at any point (SIGKILL, SIGTERM, Ctrl-C) the build directory
reads as the old set of files or the new one, never a mix, and the next build leaves no staging
directory; a graph file cut short or emptied after its build is refused, not answered from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import queries
from kg.build import write_outputs
from kg.errors import KGError

ROOT = Path(__file__).resolve().parent.parent


def test_builds_killed_at_random_points_leave_the_old_set_or_the_new(data_dir):
    # 40 kills here; benchmarks/interrupted_builds.py --kills 300 is the long run.
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "interrupted_builds.py"), "--kills", "40", "--json"]
        + ["--data", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["forked"]
    assert set(report["outcomes"]) <= {"A", "B"}, report  # never "mixed", never "refused"
    assert sum(report["outcomes"].values()) == 40
    assert report["left_after_next_build"] == [] and report["final"] == "A"


@pytest.fixture
def copied_build(data_dir, tmp_path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(data_dir, copy, symlinks=True)
    return copy


def _cut(nq: Path, keep: int) -> None:
    """Keep the first ``keep`` bytes up to a line boundary (the file is the build's, behind a link)."""
    real = nq.resolve()
    data = real.read_bytes()
    real.write_bytes(data[: data.rindex(b"\n", 0, keep) + 1] if keep else b"")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("keep", [0, 1000, 2_000_000], ids=["emptied", "cut-near-start", "cut-near-end"])
def test_a_graph_file_cut_at_a_line_boundary_is_refused(copied_build, engine, keep):
    nq = copied_build / "permanence.nq"
    if keep >= nq.stat().st_size:
        keep = nq.stat().st_size - 10
    _cut(nq, keep)
    with pytest.raises(
        KGError, match=r"is not the file its build wrote .* cut short or changed since; rebuild it"
    ):
        queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", data=str(copied_build), engine=engine)


def test_the_cli_refuses_a_cut_graph_in_one_line(copied_build):
    _cut(copied_build / "permanence.nq", 5000)
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "statement-counts", "--data", str(copied_build)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "rebuild it" in result.stderr


def test_a_hand_assembled_directory_without_a_manifest_is_loaded_as_it_is(data_dir, tmp_path):
    (tmp_path / "permanence.nq").write_bytes((data_dir / "permanence.nq").read_bytes())
    assert queries.sparql("ASK { ?s a pk:Council }", data=str(tmp_path)).rows == [[True]]
    (tmp_path / "permanence.nq").write_bytes(b"")
    with pytest.raises(KGError, match="is empty"):
        queries.sparql("ASK { ?s a pk:Council }", data=str(tmp_path))


def test_a_build_over_plain_files_from_before_generations_adopts_them(data_dir, tmp_path):
    out = tmp_path / "old-style"
    out.mkdir()
    for name in ("permanence.trig", "permanence.nq", "permanence.jsonld"):
        (out / name).write_bytes((data_dir / name).read_bytes())
    (out / ".build-abc123").mkdir()  # the staging directory a killed old-style build left
    write_outputs(list(ox.parse(path=str(data_dir / "permanence.nq"), format=ox.RdfFormat.N_QUADS)), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["current", "generations", "manifest.json", "permanence.jsonld", "permanence.nq", "permanence.trig"]
    )
    assert len(os.listdir(out / "generations")) == 1
    assert queries.sparql("ASK { ?s a pk:Council }", data=str(out)).rows == [[True]]
