"""Rendering result rows the same way for every command (table, csv, tsv, json, md), and writing
them to an output file whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Sequence

from tabulate import tabulate

from .errors import KGError

FORMATS = ("table", "csv", "tsv", "json", "md")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return buf.getvalue()
    table = tabulate(
        [["" if v is None else v for v in row] for row in rows],
        headers=list(columns),
        tablefmt="pipe" if fmt == "md" else "simple",
        disable_numparse=True,
    )
    return table + "\n"


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to the file at ``path`` whole, or not at all.

    Only regular files are written: a device, pipe or directory is refused (``-o /dev/full`` must
    not replace the device node with a file). A symlink is written through: its target file is
    replaced and the link kept. The text goes to a temporary file beside the target, renamed over
    it when complete; on any failure (a full disk, say) the temporary file is removed and the old
    file is left as it was."""
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        raise KGError(f"cannot write to {path}: it is not a regular file (a device, pipe or directory)")
    directory = target.parent
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=directory)
    except OSError as exc:
        raise KGError(f"cannot write to {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise KGError(f"cannot write to {path}: {exc.strerror or exc}; nothing was written") from None
        raise
