"""Bad input to the decision-support commands: one clear line naming the valid values, a non-zero exit,
no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

CAN_APPLY = ["can-apply", "--order", "special-guardianship-order", "--relationship", "parent"]


def replace(args: list[str], option: str, value: str) -> list[str]:
    out = list(args)
    out[out.index(option) + 1] = value
    return out


@pytest.mark.parametrize(
    "args, named, valid",
    [
        (
            replace(CAN_APPLY, "--order", "care-ordr"),
            "unknown order 'care-ordr'",
            "special-guardianship-order",
        ),
        (
            replace(CAN_APPLY, "--relationship", "aunt"),
            "unknown relationship 'aunt'",
            "local-authority-foster-carer",
        ),
        ([*CAN_APPLY, "--council", "kent"], "unknown council 'kent'", "north-somerset"),
        ([*CAN_APPLY, "--consent", "mother"], "unknown consent 'mother'", "everyone-with-pr"),
        ([*CAN_APPLY, "--lived-with", "8 moons"], "malformed duration '8 moons'", "8m, 14m, 3y"),
        ([*CAN_APPLY, "--lived-with", "-3m"], "malformed duration '-3m'", "8m, 14m, 3y"),
        ([*CAN_APPLY, "--in-force", "sgo"], "unknown order in force 'sgo'", "special-guardianship-order"),
        (["routes", "--from", "foster-care"], "unknown status 'foster-care'", "care-order"),
        (
            ["routes", "--from", "care-order", "--to", "adoption"],
            "unknown status 'adoption'",
            "adoption-order",
        ),
    ],
)
def test_bad_input_is_one_clear_line(data_dir: Path, args: list[str], named: str, valid: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--data", str(data_dir)])
    assert result.exit_code != 0
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and named in lines[0] and valid in lines[0]


# compare and options (kg.decide.compare, kg.decide.options).
@pytest.mark.parametrize(
    "args, named, valid",
    [
        (["compare", "--councils", "medway,kent"], "unknown council 'kent'", "north-somerset"),
        (["compare", "--councils", ""], "no council given", "north-somerset"),
        (
            ["compare", "--councils", "medway,dorset", "--subject", "fostering"],
            "unknown subject 'fostering'",
            "special-guardianship-order",
        ),
        (
            ["compare", "--councils", "medway,dorset", "--kind", "opinion"],
            "unknown kind 'opinion'",
            "advantage",
        ),
        (["options", "--age", "-1"], "age must be a number of years, 0 or more", "e.g. 9 or 1.5"),
        (["options", "--age", "nine"], "not 'nine'", "e.g. 9 or 1.5"),
        (["options", "--age", "9", "--council", "kent"], "unknown council 'kent'", "medway"),
        (["options", "--age", "9", "--weight", "happiness=2"], "unknown theme 'happiness'", "stability"),
        (
            ["options", "--age", "9", "--weight", "stability"],
            "weight 'stability' is not THEME=NUMBER",
            "stability=2",
        ),
        (["options", "--age", "9", "--need", "a-pony"], "unknown need 'a-pony'", "expected one of"),
    ],
)
def test_compare_and_options_refuse_bad_input_in_one_line(
    data_dir: Path, args: list[str], named: str, valid: str
) -> None:
    result = CliRunner().invoke(cli, [*args, "--data", str(data_dir)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and named in lines[0] and valid in lines[0]
