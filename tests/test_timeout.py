"""--timeout bounds every command that checks scenarios: past it, one clear line and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "facts" / "istanbul-2022" / "real-2022-02-24.yaml")


@pytest.mark.parametrize("args", [
    ["check", SCENARIO],
    ["explain", SCENARIO],
    ["test", SCENARIO],
    ["lint", str(ROOT / "rules"), SCENARIO],
    ["whatif", SCENARIO, "--drop", "invasion"],
])
def test_a_tiny_timeout_is_exit_2_with_one_clear_line(args: list[str]) -> None:
    result = CliRunner().invoke(app, args + ["--timeout", "0.001"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = next(x for x in result.output.splitlines() if "timeout:" in x)
    assert line.startswith(f"{SCENARIO}:1: ")  # lint adds its check's name before the message
    assert line.endswith("timeout: checking took longer than the time allowed (--timeout 0.001)")


def test_a_generous_timeout_changes_nothing() -> None:
    result = CliRunner().invoke(app, ["check", SCENARIO, "--timeout", "600"])
    assert result.exit_code == 1
    assert "art1.guarantee/russia" in result.output
