"""Rendering result rows the same way for every command (table, csv, tsv, json, md), and writing
them to an output file whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Sequence

from .errors import KGError

FORMATS = ("table", "csv", "tsv", "json", "md")


def column_widths(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int) -> list[int | None]:
    """Widths that fit a table into ``width`` characters: narrow columns keep their width, the
    widest share what is left (none below 4). None where a column needs no wrapping."""
    natural = [
        max([len(str(c))] + [len(line) for row in rows for line in str(row[i] or "").splitlines() or [""]])
        for i, c in enumerate(columns)
    ]
    # tabulate's "simple" format puts two spaces between columns and pads each header by two.
    gaps = 2 * (len(columns) - 1) + 2 * len(columns)
    if sum(natural) + gaps <= width:
        return [None] * len(columns)
    left = max(width - gaps, 4 * len(columns))
    allowed = list(natural)
    for n, i in enumerate(sorted(range(len(columns)), key=lambda i: natural[i])):
        share = max(left // (len(columns) - n), 4)
        allowed[i] = min(natural[i], share)
        left -= allowed[i]
    return [a if a < w else None for a, w in zip(allowed, natural)]


def render(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table", width: int | None = None
) -> str:
    """Rows in a format. A table printed to a terminal is wrapped to the terminal's width (``width``
    overrides it); other formats are never wrapped."""
    if fmt == "table" and width is None and sys.stdout.isatty():
        width = shutil.get_terminal_size().columns
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return buf.getvalue()
    cells = [["" if v is None else v for v in row] for row in rows]
    wrap = column_widths(columns, cells, width) if fmt == "table" and width and columns else None
    headers = list(columns)
    if wrap and any(wrap):
        # Headers wrap too (tabulate wraps only the cells), breaking inside a long name if need be.
        headers = [h if w is None else "\n".join(textwrap.wrap(h, w)) for h, w in zip(headers, wrap)]
    from tabulate import tabulate  # here: with wcwidth it is a third of the CLI's start-up

    table = tabulate(
        [[str(v) for v in row] for row in cells] if wrap and any(wrap) else cells,
        headers=headers,
        tablefmt="pipe" if fmt == "md" else "simple",
        disable_numparse=True,
        maxcolwidths=wrap if wrap and any(wrap) else None,
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
