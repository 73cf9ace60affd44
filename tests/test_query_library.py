"""The query library as a unit: every query is documented, declares its parameters, runs with its
defaults on the real graph, gives the same rows on both engines, and is listed in queries/README.md."""

from __future__ import annotations

import re

import pytest

from kg import queries

LIBRARY = queries.library()
AUDIENCES = {"policy-leads", "trainers", "analysts"}
# Queries that may rightly return nothing with their defaults (none at present).
ALLOWED_EMPTY: set[str] = set()
README = (queries.QUERIES_DIR / "README.md").read_text(encoding="utf-8")


def test_library_has_at_least_25_queries():
    assert len(LIBRARY) >= 25


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_is_documented_for_an_audience_and_a_topic(name):
    query = LIBRARY[name]
    assert query.text.lstrip().startswith("#+ summary:")
    assert query.summary and query.description
    assert AUDIENCES & set(query.tags), f"{name}: tag it for policy-leads, trainers or analysts"
    assert set(query.tags) - AUDIENCES, f"{name}: tag it with its topic too"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_parameter_has_a_declared_default(name):
    header = "\n".join(line[3:] for line in LIBRARY[name].text.splitlines() if line.startswith("#+ "))
    declared = set(re.findall(r"^ +- (\w+):", header, re.M))
    assert {p.name for p in LIBRARY[name].parameters} <= declared


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_parameters_the_runner_can_check_are_enumerated(name):
    for param in LIBRARY[name].parameters:
        checkable = bool(queries.Parameter(param.name, enumerated=True).values())
        assert (
            param.enumerated == checkable
        ), f"{name}: enumerate {param.name} exactly when the runner knows its values"
        if param.enumerated:
            assert param.values(), f"{name}: no known values for enumerated parameter {param.name}"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_parameters_are_only_used_in_the_outer_query(name):
    """Oxigraph binds a parameter in the outer query only; inside a sub-SELECT it would be a
    fresh variable and silently match anything."""
    text = LIBRARY[name].text
    for match in re.finditer(r"\{\s*SELECT\b", text, re.I):
        depth, i = 0, match.start()
        while True:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        assert "?_" not in text[match.start() : i], f"{name}: parameter used inside a sub-SELECT"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_runs_with_its_defaults(name, data_dir):
    result = queries.run(name, data=str(data_dir))
    assert result.columns and not any(c.startswith("_") for c in result.columns)
    assert result.rows or name in ALLOWED_EMPTY


def _comparable(rows: list[list]) -> list[str]:
    """Rows as sorted strings; a joined list (a|b, "a, b", a / b) compared as a set, since the
    order GROUP_CONCAT joins values in is up to the engine."""

    def value(v):
        if isinstance(v, str):
            for sep in ("|", ", ", " / "):
                if sep in v:
                    return sorted(v.split(sep))
        return v

    return sorted(repr([value(v) for v in row]) for row in rows)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_both_engines_give_the_same_rows(name, data_dir):
    oxigraph = queries.run(name, data=str(data_dir))
    rdflib = queries.run(name, data=str(data_dir), engine="rdflib", timeout=60)
    assert rdflib.columns == oxigraph.columns
    assert _comparable(rdflib.rows) == _comparable(oxigraph.rows)


def test_an_empty_parameter_means_any(data_dir):
    every = queries.run("who-can-apply", data=str(data_dir), order="")
    orders = {row[every.columns.index("order")] for row in every.rows}
    assert {"special-guardianship-order", "child-arrangements-order"} <= orders


def _readme_rows() -> dict[str, list[str]]:
    rows = {}
    for line in README.splitlines():
        m = re.match(r"\| `([a-z0-9-]+)` \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = [cell.strip() for cell in m.group(2).split(" | ")]
    return rows


def test_queries_readme_lists_exactly_the_library():
    assert set(_readme_rows()) == set(LIBRARY)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_queries_readme_row_matches_the_file(name):
    question, tags, parameters = _readme_rows()[name]
    query = LIBRARY[name]
    assert question == query.summary
    assert tags == ", ".join(query.tags)
    expected = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in query.parameters) or "none"
    assert parameters == expected


def test_queries_readme_answers_the_questions_with_real_queries():
    section = README[README.index("## Questions") :]
    answers = re.findall(r"^\| (\d+) \|.*\| (.*) \|$", section, re.M)
    assert [int(n) for n, _ in answers] == list(range(1, 21))
    for number, cell in answers:
        used = re.findall(r"`([a-z0-9-]+)[ `]", cell)
        assert used and set(used) <= set(LIBRARY), f"question {number} names an unknown query"
