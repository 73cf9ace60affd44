"""`export statements` is a stable interface: exact columns, filters, clear errors."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from kg.cli import EXPORT_COLUMNS, cli


def invoke(data_dir, *args):
    return CliRunner().invoke(cli, ["export", "statements", "--data", str(data_dir), *args])


def test_csv_has_exactly_the_stable_columns(data_dir):
    result = invoke(data_dir)
    header = next(csv.reader(io.StringIO(result.output)))
    assert (
        tuple(header)
        == EXPORT_COLUMNS
        == (
            "council",
            "kind",
            "subject",
            "subject_label",
            "concept",
            "text",
            "quote",
            "start",
            "end",
            "section",
            "source_file",
        )
    )


def test_filters_by_council_and_kind(data_dir):
    rows = json.loads(
        invoke(data_dir, "--council", "dorset", "--kind", "applicant", "--format", "json").output
    )
    assert len(rows) == 10
    assert {r["council"] for r in rows} == {"dorset"} and {r["kind"] for r in rows} == {"applicant"}
    assert all(isinstance(r["start"], int) for r in rows)


def test_concepts_are_pipe_separated_ids(data_dir):
    rows = json.loads(
        invoke(data_dir, "--council", "medway", "--kind", "applicant", "--format", "json").output
    )
    leave = [r for r in rows if "leave of the court" in r["quote"]]
    assert leave and set(leave[0]["concept"].split("|")) == {"any-person", "child", "with-leave"}


def test_unknown_council_lists_valid_ones(data_dir):
    result = invoke(data_dir, "--council", "kent")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: unknown council 'kent' for query 'statements': expected one of "
        "cumbria, dorset, enfield, medway, north-somerset"
    )


def test_unknown_kind_lists_valid_ones(data_dir):
    result = invoke(data_dir, "--kind", "opinion")
    assert result.exit_code == 1
    assert "unknown kind 'opinion'" in result.output and "advantage" in result.output


def test_missing_build_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "statements", "--data", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no built graph at" in result.output and "permanence-kg build" in result.output


def test_corrupt_build_is_a_clear_error(tmp_path):
    (tmp_path / "permanence.nq").write_text("<a> <b> garbage .\n")
    result = CliRunner().invoke(cli, ["export", "statements", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "is corrupt" in result.output and "Traceback" not in result.output


def test_output_file_is_written_whole(data_dir, tmp_path):
    target = tmp_path / "out.csv"
    result = invoke(data_dir, "--output", str(target))
    assert result.exit_code == 0 and target.read_text().startswith("council,kind")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_export_writes_every_row_however_many(data_dir, tmp_path):
    """No row limit cuts an export quietly: it has the rows of the whole statements query."""
    from kg import queries

    everything = queries.run("statements", data=str(data_dir), timeout=None, limit=10**9)
    out = tmp_path / "statements.csv"
    result = invoke(data_dir, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert len(list(csv.reader(out.open(encoding="utf-8")))) - 1 == len(everything.rows) > 0


def test_an_export_past_its_row_ceiling_fails_and_writes_nothing(data_dir, tmp_path, monkeypatch):
    import kg.cli

    monkeypatch.setattr(kg.cli, "EXPORT_ROW_CEILING", 3)
    out = tmp_path / "statements.csv"
    result = invoke(data_dir, "--output", str(out))
    assert result.exit_code == 1 and "more than 3 rows" in result.output
    assert "Traceback" not in result.output and not out.exists()
