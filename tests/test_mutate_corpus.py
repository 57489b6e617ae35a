"""The sampled mutation check CI runs (.ci/run) fails when the corpus is weakened.

The bundled corpus with one istanbul-2022 scenario removed (about-another-attack.yaml, the
one that pins `about` present versus absent) is run through the very command of .ci/run: the
mutant that scenario alone kills survives, and the score falls below the threshold.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from checker.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
REMOVED = "about-another-attack.yaml"


def ci_command(pack: str) -> list[str]:
    """The arguments of the `checker mutate` line .ci/run gives for ``pack``."""
    for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"checker mutate rules/{pack} "):
            return shlex.split(line, comments=True)[2:]
    raise AssertionError(f".ci/run runs no mutation check of {pack}")


def test_one_scenario_removed_makes_the_ci_sample_fail(tmp_path, monkeypatch):
    args = ci_command("istanbul-2022")
    assert "--sample" in args and "--threshold" in args
    corpus = tmp_path / "facts"
    shutil.copytree(ROOT / "facts", corpus)
    (corpus / "istanbul-2022" / REMOVED).unlink()
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["mutate", *args, "--corpus", str(corpus)], env={"NO_COLOR": "1"})
    assert result.exit_code == 1, result.output
    score = re.search(r"Mutation score: ([\d.]+)%", result.stdout)
    threshold = float(args[args.index("--threshold") + 1])
    assert score and float(score.group(1)) < threshold
    assert "BELOW the threshold" in result.stdout and "Survived (" in result.stdout
