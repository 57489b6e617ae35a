"""Hostile input, the files themselves: what a file is or holds never crashes, hangs or loses a file.

- What JSON allows but no scenario can hold (an integer of thousands of digits, a lone
  surrogate) is one ``FILE:LINE: FIELD: message`` line, exit 2, and the other files of the
  call are still checked.
- Special files (a FIFO, a device) are refused unread, with file:line, wherever a scenario,
  a manifest or a template file is read; so is a file over the size limit.
- Every output file is written whole or not at all: ``--junit-xml`` and ``--save`` replace an
  existing file only with ``--force``, never an input (a hard link to one included), and a
  full disk leaves the original intact; ``checker test --update`` killed at any moment
  leaves each scenario as it was or fully updated.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.errors import UsageError
from checker.io import files
from tests.helpers import ROOT, d, ev, scenario_text

runner = CliRunner()
GRID = ROOT / "facts" / "istanbul-2022" / "hybrid-grid.yaml"


def invoke(*args) -> tuple[int, str, list[str]]:
    result = runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr.splitlines()


def process(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """The checker as a real process (a hang fails the test instead of stopping the suite)."""
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env={**os.environ, "NO_COLOR": "1"})


def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.yaml"
    path.write_text(scenario_text([ev("n", d(0), "nuclear_weapons")]), encoding="utf-8")
    return path


# --- JSON that no scenario can hold --------------------------------------------------------------
HEAD = '{"scenario": "x", "treaty": "istanbul-2022", "as_of": "2027-03-01",\n'


@pytest.mark.parametrize("name, body, line", [
    ("a long integer", ' "parameters": {"consultation_days":\n ' + "7" * 5000 + '},\n "events": []}',
     "3: json: a number of 5000 digits is too long (write it as a string to make it text)"),
    ("a long negative integer in an event", ' "events": [\n {"id": "n", "date": "2027-03-01", "type": '
     '"alliance_membership", "alliance": -' + "1" * 5000 + '}]}',
     "3: json: a number of 5000 digits is too long (write it as a string to make it text)"),
    ("a lone surrogate in a value", ' "description": "a\\ud800b",\n "events": []}',
     "2: json: a lone surrogate escape is not text"),
    ("a lone low surrogate in a key", ' "events": [\n {"id": "n", "date": "2027-03-01",\n  "\\udc00": 1}]}',
     "4: json: a lone surrogate escape is not text"),
    ("a surrogate pair cut in two", ' "events": [],\n "description": "\\ud83d x \\ude00"}',
     "3: json: a lone surrogate escape is not text"),
    ("Infinity", ' "parameters": {"consultation_days": Infinity},\n "events": []}',
     "2: json: Infinity is not a JSON value (write a number or a string)"),
    ("a nested duplicate key", ' "events": [\n {"id": "n",\n  "date": "2027-03-01",\n  "id": "m"}]}',
     "5: json: duplicate key 'id'"),
])
def test_json_no_scenario_can_hold_is_one_line_and_the_other_files_are_checked(tmp_path, name, body, line):
    bad = tmp_path / "bad.json"
    bad.write_text(HEAD + body, encoding="utf-8")
    ok = good(tmp_path)
    code, out, err = invoke("check", bad, ok, "-f", "json")
    assert code == 2
    assert err == [f"{bad}:{line}"]
    assert [s["file"] for s in json.loads(out)["scenarios"]] == [str(ok)]


def test_a_surrogate_pair_is_text(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(HEAD.replace('"x"', '"\\ud83d\\ude00"') + ' "events": []}', encoding="utf-8")
    code, out, err = invoke("check", path, "-f", "json")
    assert (code, err) == (0, [])
    assert json.loads(out)["scenarios"][0]["scenario"] == "😀"


def test_a_yaml_integer_of_thousands_of_digits_is_one_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("scenario: x\ntreaty: istanbul-2022\nparameters:\n  consultation_days: " + "9" * 5000
                    + "\nevents: []\n", encoding="utf-8")
    code, _out, err = invoke("check", path)
    assert code == 2
    assert err == [f"{path}:4: yaml: a number of 5000 digits is too long (quote it to make it text)"]


def test_json_lines_of_problems_inside_an_event_are_exact(tmp_path):
    # the fields of an event are located in the text, only when one has a problem
    path = tmp_path / "s.json"
    events = [{"id": "a", "date": "2027-03-01", "type": "attack", "kind": "armed_attack", "by": "russia",
               "regions": ["kyiv"]},
              {"id": "c", "date": "2027-03-02", "type": "consultation", "parties": ["uk", "frnace"],
               "about": "a"}]
    path.write_text(json.dumps({"scenario": "x", "treaty": "istanbul-2022", "events": events}, indent=1),
                    encoding="utf-8")
    lines = path.read_text().splitlines()
    at = next(i for i, text in enumerate(lines, 1) if '"frnace"' in text)
    code, _out, err = invoke("check", path)
    assert code == 2
    assert err == [f"{path}:{at}: events[1].parties[1]: unknown party 'frnace' (did you mean 'france'?)"]


# --- special files, everywhere a file is read ----------------------------------------------------
@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


COMMANDS = [
    ("check",), ("test",), ("lint", ROOT / "rules"), ("explain",), ("whatif", "--drop", "x"),
    ("repair",), ("sweep", "--vary", "x.date=-1..+1"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_fifo_is_refused_unread_by_every_command(fifo, command):
    # opening a FIFO for reading waits for a writer that never comes
    name, *rest = command
    args = [name, *rest, fifo] if name == "lint" else [name, fifo, *rest]
    proc = process(*args)
    assert proc.returncode == 2, proc.stderr
    said = (proc.stdout + proc.stderr).splitlines()  # (lint reports a scenario it rejects on stdout)
    assert any(line.startswith(f"{fifo}:1: ") and line.endswith("file: is not a regular file") for line in said), said
    assert "Traceback" not in proc.stderr


def test_a_fifo_in_a_folder_is_refused_not_passed_over(tmp_path, fifo):
    # named like a scenario, it may be meant as one: a test run must not go green without it
    good(tmp_path)
    proc = process("test", tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"{fifo}:1: file: is not a regular file"]


@pytest.mark.parametrize("command", [("test",), ("whatif", "--drop", "x"), ("explain",)], ids=lambda c: c[0])
def test_a_device_that_never_ends_is_refused_unread(command):
    name, *rest = command
    proc = process(name, "/dev/zero", *rest)
    assert proc.returncode == 2
    assert "/dev/zero:1: file: is not a regular file" in proc.stderr.splitlines()
    assert "MemoryError" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("which", ["istanbul-2022/treaty.yaml", "istanbul-2022/explain.yaml", "common/explain.yaml"])
def test_a_pack_file_that_is_a_fifo_is_refused_with_its_name(tmp_path, which):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / which).unlink()
    os.mkfifo(rules / which)
    command = "explain" if which.endswith("explain.yaml") else "check"
    proc = process(command, GRID, "--rules", rules)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"{rules / which}:1: file: is not a regular file"]


def test_the_size_limit_holds_before_reading(tmp_path):
    # a sparse file: a gigabyte on paper, nothing on the disk; reading it would take minutes
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as f:
        f.truncate(2**30)
    start = time.perf_counter()
    code, _out, err = invoke("test", huge)
    assert code == 2 and time.perf_counter() - start < 10
    assert err == [f"{huge}:1: file: is 1024 MiB; scenarios are limited to 32 MiB"]


def test_a_manifest_over_its_limit_is_refused(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with open(rules / "istanbul-2022" / "treaty.yaml", "ab") as f:
        f.truncate(5 * 2**20)
    code, _out, err = invoke("check", GRID, "--rules", rules)
    assert code == 2
    assert err == [f"{rules / 'istanbul-2022' / 'treaty.yaml'}:1: file: is 5 MiB; pack files are limited to 4 MiB"]


# --- output files --------------------------------------------------------------------------------
def scenario_copy(tmp_path: Path) -> Path:
    path = tmp_path / "victim.yaml"
    shutil.copy(GRID, path)
    return path


def test_junit_xml_never_replaces_a_scenario(tmp_path):
    victim = scenario_copy(tmp_path)
    before = victim.read_bytes()
    link = tmp_path / "link.xml"
    os.link(victim, link)
    for target in (victim, link):
        code, _out, err = invoke("test", victim, "--junit-xml", target, "--force")
        assert code == 2
        assert err == [f"--junit-xml: {target} is an input of this command ({victim}); give another file name"]
    assert victim.read_bytes() == before


def test_junit_xml_replaces_an_existing_file_only_with_force(tmp_path):
    victim = scenario_copy(tmp_path)
    report = tmp_path / "report.xml"
    report.write_text("keep me", encoding="utf-8")
    code, _out, err = invoke("test", victim, "--junit-xml", report)
    assert code == 2 and err == [f"--junit-xml: {report} exists; give --force to replace it"]
    assert report.read_text() == "keep me"
    code, _out, err = invoke("test", victim, "--junit-xml", report, "--force")
    assert code == 0 and err == []
    assert report.read_text().startswith("<?xml")


@pytest.mark.parametrize("command", [("whatif", "--drop", "arms-uk"), ("repair",)], ids=lambda c: c[0])
def test_save_replaces_an_existing_file_only_with_force_and_never_the_scenario(tmp_path, command):
    name, *rest = command
    victim = scenario_copy(tmp_path)
    before = victim.read_bytes()
    link = tmp_path / "link.yaml"
    os.link(victim, link)
    code, _out, err = invoke(name, victim, *rest, "--save", link, "--force")
    assert code == 2
    assert err == [f"--save: {link} is an input of this command ({victim}); give another file name"]
    assert victim.read_bytes() == before
    other = tmp_path / "other.yaml"
    other.write_text("keep me", encoding="utf-8")
    code, _out, err = invoke(name, victim, *rest, "--save", other)
    assert code == 2 and err == [f"--save: {other} exists; give --force to replace it"]
    assert other.read_text() == "keep me"
    code, _out, err = invoke(name, victim, *rest, "--save", other, "--force")
    assert code in (0, 1) and err == []
    assert other.read_text().startswith(f"# {victim}, ")


def test_a_full_disk_leaves_the_original_intact_and_names_the_path(tmp_path, monkeypatch):
    target = tmp_path / "report.xml"
    target.write_text("the original", encoding="utf-8")

    def full(fd):  # the text is written; the disk is found full when it is flushed to it
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(UsageError) as info:
        files.write_atomic(target, "x" * 100_000, option="--junit-xml", force=True)
    assert info.value.lines() == [f"--junit-xml: {target}: cannot be written: No space left on device; "
                                  "the file is unchanged"]
    assert target.read_text() == "the original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xml"]  # no temporary file left


def test_an_atomic_write_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "report.xml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    files.write_atomic(target, "new", force=True)
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640


def test_update_killed_at_random_moments_leaves_every_scenario_whole(tmp_path):
    """`checker test --update` as a process, killed (SIGKILL) at a random moment, 50 times:
    every scenario file is then either untouched or fully updated, never cut. Half the kills
    fall anywhere in the run, half just after the first file was replaced (the moments when
    the others are being written)."""
    from tests.test_testing import SCENARIO, failing

    count = 4
    # a long comment makes each write take long enough for a kill to land in it
    padding = "".join(f"# note {i:06d}: " + "x" * 40 + "\n" for i in range(50_000))
    original, updated = failing() + padding, SCENARIO + padding

    def corpus(folder: Path) -> list[Path]:
        folder.mkdir()
        paths = [folder / f"s{i}.yaml" for i in range(count)]
        for p in paths:
            p.write_text(original, encoding="utf-8")
        return paths

    def start(paths: list[Path]) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "checker", "test", str(paths[0].parent), "--update", "-j", "1"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # how long a whole run takes here
    paths = corpus(tmp_path / "whole")
    began = time.perf_counter()
    assert start(paths).wait(timeout=120) == 0
    whole = time.perf_counter() - began
    assert all(p.read_text() == updated for p in paths)

    def state(p: Path):
        info = os.stat(p)
        return info.st_ino, info.st_mtime_ns, info.st_size

    rng = random.Random(14)
    seen = {"untouched": 0, "updated": 0}
    for group in range(0, 50, 4):  # four at a time: two of each kind
        runs = []
        for k in range(group, min(group + 4, 50)):
            paths = corpus(tmp_path / f"run{k}")
            anywhere = k % 2 == 0
            kill_at = time.perf_counter() + rng.uniform(0.0, 1.2) * whole if anywhere else None
            runs.append({"child": start(paths), "paths": paths, "kill_at": kill_at, "anywhere": anywhere,
                         "states": [state(p) for p in paths]})
        began = time.perf_counter()
        while any(r["child"].poll() is None for r in runs):
            now = time.perf_counter()
            for r in runs:
                if r["child"].poll() is not None:
                    continue
                if r["kill_at"] is None and any(state(p) != was for p, was in zip(r["paths"], r["states"])):
                    r["kill_at"] = now + rng.uniform(0.0, 0.005)
                if r["kill_at"] is not None and now >= r["kill_at"]:
                    r["child"].send_signal(signal.SIGKILL)
            if now - began > 120:
                raise AssertionError("checker test --update did not end")
            time.sleep(0.001)
        for r in runs:
            for p in r["paths"]:
                text = p.read_text(encoding="utf-8")
                assert text in (original, updated), f"{p} was cut: {len(text)} of {len(updated)} characters"
                seen["untouched" if text == original else "updated"] += 1
    assert seen["untouched"] and seen["updated"], seen  # the kills fell on both sides of the writes
