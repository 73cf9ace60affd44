"""Shared fixtures: one real build per test session, reused by every test that reads the graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import Extraction, build


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Extraction, Path]:
    """The graph built from the real sources into a temporary directory: (extraction, directory)."""
    out = tmp_path_factory.mktemp("build")
    extraction, _ = build(out)
    return extraction, out


@pytest.fixture(scope="session")
def extraction(built: tuple[Extraction, Path]) -> Extraction:
    return built[0]


@pytest.fixture(scope="session")
def data_dir(built: tuple[Extraction, Path]) -> Path:
    """Directory of the built graph; pass as `data=str(data_dir)` to kg.queries.run."""
    return built[1]


@pytest.fixture(scope="session")
def dataset_graph(data_dir: Path):
    """The built dataset as one rdflib graph (all named graphs); copy it before changing it."""
    from kg.validate import load_dataset

    return load_dataset(data_dir)
