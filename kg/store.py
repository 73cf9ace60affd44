"""Loading the built dataset for querying."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from .errors import KGError

DATA_ENV = "PERMANENCE_KG_DATA"


def data_dir(path: Path | str | None = None) -> Path:
    """Where the built graph lives: the argument, $PERMANENCE_KG_DATA, or ./build."""
    return Path(path or os.environ.get(DATA_ENV) or "build")


def nquads_path(path: Path | str | None = None) -> Path:
    directory = data_dir(path)
    return directory / "permanence.nq" if directory.is_dir() or not directory.suffix else directory


def load_store(path: Path | str | None = None) -> ox.Store:
    """The built dataset in an in-memory Oxigraph store."""
    nq = nquads_path(path)
    if not nq.is_file():
        raise KGError(f"no built graph at {nq}: run `permanence-kg build` first (or pass --data DIR)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as exc:
        raise KGError(f"built graph {nq} is corrupt: {str(exc).splitlines()[0]} (rebuild it)") from None
    return store
