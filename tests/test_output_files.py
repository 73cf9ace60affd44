"""Output files (`-o`) are regular files written whole or not at all: a device or pipe is refused and
left alone, a symlink is written through (its target replaced, the link kept), and a failed write
(a full disk) leaves the old file as it was and no partial file behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.output
from kg.cli import cli


def export(data_dir: Path, output: str):
    return CliRunner().invoke(cli, ["export", "statements", "--data", str(data_dir), "-o", output])


def one_error_line(result) -> str:
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_a_device_is_refused_and_left_alone(data_dir):
    line = one_error_line(export(data_dir, "/dev/full"))
    assert "/dev/full" in line and "not a regular file" in line
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_pipe_is_refused_and_left_alone(data_dir, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in one_error_line(export(data_dir, str(fifo)))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symlink_is_written_through(data_dir, tmp_path):
    target = tmp_path / "statements-2026.csv"
    target.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target.name)
    result = export(data_dir, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8").startswith("council,kind,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.csv", "statements-2026.csv"]


def test_a_full_disk_leaves_the_old_file_and_nothing_else(data_dir, tmp_path, monkeypatch):
    out = tmp_path / "statements.csv"
    out.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(kg.output.os, "fsync", full)
    line = one_error_line(export(data_dir, str(out)))
    assert "No space left on device" in line and "nothing was written" in line
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["statements.csv"]


@pytest.mark.parametrize("where", ["/proc/no-such-dir/x.csv", "/sys/x.csv"])
def test_an_unwritable_place_is_one_line(data_dir, where):
    assert where in one_error_line(export(data_dir, where))


def test_a_new_file_gets_ordinary_permissions(data_dir, tmp_path):
    out = tmp_path / "new.csv"
    assert export(data_dir, str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
