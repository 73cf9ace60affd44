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


@pytest.fixture(scope="session")
def scaled(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """``scaled(n)``: the build with each council copied under new ids until it is n times the size
    (benchmarks/scale.py, the national-scale benchmark's own copy), made once per session and read
    only; ``stored=True`` adds the on-disk store, as a build writes it."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from scale import scaled_copy

    made: dict[tuple[int, bool], str] = {}

    def copy(factor: int, stored: bool = False) -> str:
        if (factor, stored) not in made:
            target = tmp_path_factory.mktemp(f"x{factor}{'-stored' if stored else ''}")
            made[(factor, stored)] = str(scaled_copy(data_dir, factor, target, stored=stored))
        return made[(factor, stored)]

    return copy


@pytest.fixture(scope="session")
def doubled(scaled) -> str:
    """The build at twice its size: ten councils."""
    return scaled(2)
