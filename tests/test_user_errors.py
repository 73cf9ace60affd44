"""Every failure a user can cause ends in one clear line naming what was wrong, a non-zero exit and
no traceback: odd time limits, unwritable or full output directories, malformed manifest and
curated entries, parameters that are not UTF-8, given twice, too long or of the wrong type, and a
standard output that cannot be written."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.extract.curated as curated
import kg.sources as sources
import kg.store
from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(sources.__file__).resolve().parent / "sources"


def one_error_line(result) -> str:
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def run_cli(*args: bytes | str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "-1", "0"])
def test_an_impossible_time_limit(data_dir, value):
    line = one_error_line(invoke("query", "statement-counts", "--data", str(data_dir), "--timeout", value))
    assert "time limit must be" in line


def test_an_unwritable_build_directory(tmp_path):
    line = one_error_line(invoke("build", "--out", "/sys/permanence-build"))
    assert line.startswith("Error: cannot write the build to /sys/permanence-build:")


def test_a_full_disk_during_a_build_leaves_the_previous_build(data_dir, tmp_path, monkeypatch):
    out = tmp_path / "build"
    shutil.copytree(data_dir, out, symlinks=True)
    before = {n: (out / n).read_bytes() for n in ("permanence.nq", "manifest.json")}

    def full(path, data) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(kg.store, "_write_synced", full)
    line = one_error_line(invoke("build", "--out", str(out)))
    assert "No space left on device" in line and "nothing was changed" in line
    assert {n: (out / n).read_bytes() for n in before} == before
    assert len(os.listdir(out / "generations")) == 1  # no staging directory left


@pytest.fixture
def copied_sources(tmp_path, monkeypatch):
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    monkeypatch.setattr(sources, "SOURCES_DIR", target)
    return target


@pytest.fixture
def copied_curated(tmp_path, monkeypatch):
    target = tmp_path / "curated"
    shutil.copytree(curated.CURATED_DIR, target)
    monkeypatch.setattr(curated, "CURATED_DIR", target)
    return target


def test_a_manifest_entry_without_a_file(copied_sources, tmp_path):
    manifest = copied_sources / "manifest.yaml"
    manifest.write_text(re.sub(r"\n\s+file: medway\.txt", "", manifest.read_text(), count=1))
    line = one_error_line(invoke("build", "--out", str(tmp_path / "out")))
    assert "medway" in line and "file" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("quote", ["[a, b]", "12", "{x: y}"])
def test_a_curated_quote_that_is_not_text(copied_curated, tmp_path, quote):
    (copied_curated / "zz-test.yaml").write_text(f"- council: medway\n  kind: timescale\n  quote: {quote}\n")
    line = one_error_line(invoke("build", "--out", str(tmp_path / "out")))
    assert "zz-test.yaml entry 1: 'quote' must be text" in line


def test_a_divergence_side_without_a_quote(copied_curated, tmp_path):
    path = copied_curated / "divergences.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("quote:", "qoute:", 1), encoding="utf-8")
    line = one_error_line(invoke("build", "--out", str(tmp_path / "out")))
    assert "divergences.yaml entry" in line and "each side needs a council and a quote" in line


def test_curated_yaml_that_is_not_utf8(copied_curated, tmp_path):
    (copied_curated / "zz-test.yaml").write_bytes(b"- council: medway\n  kind: timescale\n  quote: caf\xe9\n")
    line = one_error_line(invoke("build", "--out", str(tmp_path / "out")))
    assert "zz-test.yaml is not valid UTF-8" in line


def test_a_parameter_that_is_not_utf8(data_dir):
    for query, key in (("keyword-search", b"keyword"), ("who-can-apply", b"council")):
        result = run_cli(
            b"query", query.encode(), b"--data", str(data_dir).encode(), b"-p", key + b"=\xff\xfe"
        )
        assert result.returncode == 1 and b"Traceback" not in result.stderr
        assert result.stderr.decode().strip() == f"Error: parameter {key.decode()} is not valid UTF-8 text"


def test_a_query_file_that_is_not_utf8(data_dir, tmp_path):
    query = tmp_path / "q.rq"
    query.write_bytes(b'SELECT * WHERE { ?s ?p "caf\xe9" }')
    line = one_error_line(invoke("sparql", str(query), "--data", str(data_dir)))
    assert "is not valid UTF-8" in line


def test_a_typed_parameter_is_checked_by_its_type(data_dir):
    line = one_error_line(invoke("query", "document-dates", "--data", str(data_dir), "-p", "today=garbage"))
    assert "parameter today of query 'document-dates' takes a date" in line


def test_a_parameter_given_twice(data_dir):
    line = one_error_line(
        invoke(
            "query", "who-can-apply", "--data", str(data_dir), "-p", "council=medway", "-p", "council=dorset"
        )
    )
    assert "parameter council is given twice" in line


def test_a_huge_parameter_value_is_named_not_echoed(data_dir):
    result = invoke("query", "who-can-apply", "--data", str(data_dir), "-p", "council=" + "a" * 1_000_000)
    line = one_error_line(result)
    assert "1,000,000 characters" in line and len(line) < 200


def test_a_standard_output_that_cannot_be_written(data_dir):
    with open("/dev/full", "w") as full:
        result = run_cli("query", "statement-counts", "--data", str(data_dir), stdout=full)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert result.stderr.decode().strip() == "Error: cannot write to standard output: No space left on device"


def test_a_closed_pipe_on_standard_output(data_dir):
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = run_cli("query", "statements", "--data", str(data_dir), stdout=writer)
    finally:
        os.close(writer)
    assert result.returncode != 0 and b"Traceback" not in result.stderr
