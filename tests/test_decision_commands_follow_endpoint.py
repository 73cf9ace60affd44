"""can-apply and routes read from --endpoint when it is given, as compare and options do: an endpoint
that cannot be reached is named in one line, never answered from the local build."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import cli

# Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
UNREACHABLE = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "command",
    [
        ["can-apply", "--order", "special-guardianship-order", "--relationship", "parent"],
        ["routes", "--from", "care-order"],
    ],
    ids=lambda c: c[0],
)
def test_an_unreachable_endpoint_is_one_line_naming_it(command, data_dir, monkeypatch):
    monkeypatch.delenv("PERMANENCE_KG_ENDPOINT", raising=False)
    # --data points at a real build: an answer here would mean the endpoint was ignored.
    result = CliRunner().invoke(cli, [*command, "--data", str(data_dir), "--endpoint", UNREACHABLE])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot reach the endpoint " + UNREACHABLE), lines
    assert queries.current_endpoint() is None  # the command's endpoint does not outlive it
