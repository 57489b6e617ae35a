"""The README's examples print what the README says they print.

Every ```console block of README.md is a transcript: ``$ COMMAND`` lines, each followed by
the output it prints. This test runs each command from the project root (``checker`` as
the installed entry point) and holds the printed lines against the real output:

- a line ``...`` stands for any number of lines left out (as in the README);
- run times (``0.21 s``, ``0.04 s``) and core counts vary with the machine, and are compared
  as numbers of the same shape, not the same value;
- ``$ echo $?`` checks the exit code of the command before it.

A block that needs files the README only describes (a scenario with mistakes in it, a rule
edited in a working tree) is preceded by ``<!-- transcript: not run (REASON) -->`` and is
skipped, with that reason.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIP_MARK = re.compile(r"<!-- transcript: not run \((.+?)\) -->\s*$")
# what changes from one machine or run to the next: durations, rates, worker counts
VOLATILE = [
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms)\b"), "<time>"),
    (re.compile(r"\bon \d+ (core|worker)"), r"on <n> \1"),
    (re.compile(r"\b\d+(\.\d+)? (points|mutants)/s\b"), r"<rate> \2/s"),
]


def _blocks() -> list[tuple[int, str | None, list[str]]]:
    """(line of the block, reason it is not run or None, its lines)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            start, skip = i + 1, None
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            m = SKIP_MARK.search(lines[j]) if j >= 0 else None
            if m:
                skip = m.group(1)
            body = []
            i += 1
            while lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            out.append((start, skip, body))
        i += 1
    return out


def _commands(body: list[str]) -> list[tuple[str, list[str], int | None]]:
    """(command, expected lines, expected exit code or None) for each ``$`` line."""
    runs: list[list] = []
    for line in body:
        if line.startswith("$ echo $?"):
            runs[-1][2] = "want"
        elif line.startswith("$ "):
            runs.append([line[2:], [], None])
        elif runs and runs[-1][2] == "want":
            runs[-1][2] = int(line)
        else:
            runs[-1][1].append(line)
    return [(c, lines, code) for c, lines, code in runs]


def _normal(line: str) -> str:
    for pattern, repl in VOLATILE:
        line = pattern.sub(repl, line)
    return line.rstrip()


def _matches(expected: list[str], actual: list[str]) -> str | None:
    """None when ``expected`` (with ``...`` gaps) is ``actual``; else what differs."""
    want = [_normal(x) for x in expected]
    have = [_normal(x) for x in actual]
    pos = 0
    gap = False
    for n, line in enumerate(want):
        if line.strip() == "...":
            gap = True
            continue
        if gap:
            try:
                pos = have.index(line, pos) + 1
            except ValueError:
                return f"README line {n + 1}: {expected[n]!r} is not printed (after line {pos})"
            gap = False
        else:
            if pos >= len(have) or have[pos] != line:
                got = actual[pos] if pos < len(actual) else "<end of output>"
                return f"README line {n + 1}: {expected[n]!r}\n  printed instead: {got!r}"
            pos += 1
    if not gap and pos != len(have):
        return f"printed more than the README shows, from: {actual[pos]!r}"
    return None


CASES = [(start, skip, cmd, lines, code)
         for start, skip, body in _blocks()
         for cmd, lines, code in _commands(body)]


def test_the_readme_has_transcripts():
    assert len(CASES) >= 10
    assert sum(1 for c in CASES if c[1] is None) >= 8


@pytest.mark.parametrize("start,skip,cmd,expected,code", CASES,
                         ids=[f"README.md:{c[0]}:{c[2].split()[1]}" for c in CASES])
def test_a_readme_transcript_is_what_the_command_prints(start, skip, cmd, expected, code, tmp_path):
    if skip:
        pytest.skip(f"README.md:{start}: {skip}")
    argv = shlex.split(cmd)
    assert argv[0] == "checker", cmd
    exe = shutil.which("checker", path=str(Path(sys.executable).parent)) or shutil.which("checker")
    assert exe, "the checker entry point is not installed"
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", TERM="dumb")
    proc = subprocess.run([exe, *argv[1:]], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=600)
    actual = (proc.stdout + proc.stderr).splitlines()
    problem = _matches(expected, actual)
    assert problem is None, f"README.md:{start}: $ {cmd}\n{problem}"
    if code is not None:
        assert proc.returncode == code, f"README.md:{start}: $ {cmd}: exit code {proc.returncode}, README says {code}"
