"""The same sources give byte-identical graph files, whatever the process's hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.build import OUTPUT_FILES


def build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--out", str(out)], check=True, env=env, capture_output=True
    )


def test_two_builds_write_the_same_bytes(tmp_path):
    build_in_subprocess(tmp_path / "a", "1")
    build_in_subprocess(tmp_path / "b", "2")
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_build_writes_all_three_formats(data_dir):
    # Each a stable name for the current generation's file, beside the build manifest. The app's
    # Ontology page may have written its HTML documentation beside them (app/ontology_docs.py).
    assert sorted(p.name for p in data_dir.iterdir() if p.name != "ontology.html") == sorted(
        [*OUTPUT_FILES, "manifest.json", "current", "generations"]
    )
    assert all((data_dir / name).is_file() for name in OUTPUT_FILES)
