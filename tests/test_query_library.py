"""The query library as a unit: every query is documented, declares its parameters, and runs."""

from __future__ import annotations

import pytest

from kg import queries

LIBRARY = queries.library()
# Queries that may rightly return nothing with their defaults (none at present).
ALLOWED_EMPTY: set[str] = set()


def test_library_has_at_least_25_queries():
    assert len(LIBRARY) >= 25


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_is_documented(name):
    query = LIBRARY[name]
    assert query.summary and query.description and query.tags
    assert query.text.lstrip().startswith("#+ summary:")


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_runs_with_its_defaults(name, data_dir):
    result = queries.run(name, data=str(data_dir))
    assert result.columns and not any(c.startswith("_") for c in result.columns)
    assert result.rows or name in ALLOWED_EMPTY


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_enumerated_parameters_know_their_values(name):
    for param in LIBRARY[name].parameters:
        if param.enumerated:
            assert param.values(), f"{name}: no known values for enumerated parameter {param.name}"


def test_queries_readme_lists_every_query():
    readme = (queries.QUERIES_DIR / "README.md").read_text(encoding="utf-8")
    for name, query in LIBRARY.items():
        assert f"`{name}`" in readme, name
