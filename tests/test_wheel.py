"""The package as a user installs it: a wheel built from the project, installed (not editable)
into a fresh virtual environment, and run from a folder that is not the clone.

The wheel must carry every module of ``checker/`` and every file of the bundled rule packs
(``rules/`` becomes ``checker/packs/``), so that ``checker check`` of a scenario copied
anywhere finds its pack with no ``--rules``; and a pack that cannot be found is one line that
says where the checker looked and how to point it at one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts" / "istanbul-2022"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(args: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A wheel of the project and a fresh venv it is installed in; the paths of both."""
    work = tmp_path_factory.mktemp("wheel")
    # the sources a build reads, copied: nothing is written into the clone
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("checker", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", NO_COLOR="1")

    dist = work / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source], work, env)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("treaty_checker-*.whl")

    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", venv], work, env)
    assert made.returncode == 0, made.stderr
    python = venv / BIN / "python"
    # the dependencies come from the index pip is configured with
    done = _run([python, "-m", "pip", "install", "-q", wheel], work, env)
    assert done.returncode == 0, done.stderr
    env["PATH"] = str(venv / BIN) + os.pathsep + env.get("PATH", "")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return {"wheel": wheel, "venv": venv, "python": python, "checker": venv / BIN / "checker",
            "elsewhere": elsewhere, "env": env}


def test_the_wheel_holds_every_module_and_every_rule_file(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "checker").rglob("*.py")}
    rule_files = {"checker/packs/" + p.relative_to(ROOT / "rules").as_posix()
                  for p in (ROOT / "rules").rglob("*") if p.is_file()}
    assert modules - names == set(), "add the missing subpackage to [tool.setuptools] packages"
    assert rule_files - names == set(), "add the missing kind of file to [tool.setuptools.package-data]"
    assert "checker/packs/istanbul-2022/treaty.yaml" in names and "checker/packs/common/lifecycle.lp" in names


def test_the_installed_package_is_the_wheel_not_the_clone(installed):
    found = _run([installed["python"], "-c", "import checker; print(checker.__file__)"],
                 installed["elsewhere"], installed["env"])
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(installed["venv"])


def test_version_prints_the_installed_version(installed):
    result = _run([installed["checker"], "--version"], installed["elsewhere"], installed["env"])
    assert (result.returncode, result.stdout, result.stderr) == (0, f"treaty-checker {VERSION}\n", "")


@pytest.mark.parametrize("name,code", [("guarantee-kept.yaml", 0), ("hybrid-grid.yaml", 1)])
def test_a_bundled_scenario_checked_from_another_folder(installed, name, code):
    scenario = installed["elsewhere"] / name
    shutil.copy(FACTS / name, scenario)
    result = _run([installed["checker"], "check", name, "--format", "json"], installed["elsewhere"], installed["env"])
    assert result.returncode == code, result.stderr
    assert result.stderr == ""
    (report,) = json.loads(result.stdout)["scenarios"]
    assert report["treaty"] == "istanbul-2022" and report["obligations"]
    text = _run([installed["checker"], "check", name], installed["elsewhere"], installed["env"])
    assert text.returncode == code and f"{name} — " in text.stdout


def test_an_explanation_from_the_installed_packs(installed):
    # explain reads the packs' explain.yaml and quotes their rule files: both come from the wheel
    shutil.copy(FACTS / "hybrid-grid.yaml", installed["elsewhere"] / "grid.yaml")
    result = _run([installed["checker"], "explain", "grid.yaml", "art4.consult/china/grid-attack", "--depth", "2"],
                  installed["elsewhere"], installed["env"])
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("art4.consult/china/grid-attack is breached  (rule packs/common/lifecycle.lp:")


def test_a_pack_not_found_says_where_it_looked_and_what_to_do(installed):
    (installed["elsewhere"] / "other.yaml").write_text("scenario: x\ntreaty: istanbul-2023\nevents: []\n")
    result = _run([installed["checker"], "check", "other.yaml"], installed["elsewhere"], installed["env"])
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("other.yaml:2: treaty: no rule pack 'istanbul-2023' (did you mean 'istanbul-2022'")
    shipped = re.search(r"among the packs shipped with the checker in (\S+) ", line).group(1)
    assert Path(shipped).is_relative_to(installed["venv"]) and (Path(shipped) / "istanbul-2022").is_dir()
    assert line.endswith("point --rules DIR at a folder holding istanbul-2023/treaty.yaml")


def test_rules_option_still_wins_over_the_shipped_packs(installed, tmp_path):
    # a copy of the pack with consultations due within two days, pointed at by --rules
    rules = tmp_path / "mine"
    shutil.copytree(ROOT / "rules", rules)
    manifest = rules / "istanbul-2022" / "treaty.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "consultation_days: {default: 3," in text
    manifest.write_text(text.replace("consultation_days: {default: 3,", "consultation_days: {default: 2,"))
    shutil.copy(FACTS / "guarantee-kept.yaml", installed["elsewhere"] / "kept.yaml")
    args = [installed["checker"], "check", "kept.yaml", "--format", "json"]
    shipped = json.loads(_run(args, installed["elsewhere"], installed["env"]).stdout)
    mine = json.loads(_run(args + ["--rules", rules], installed["elsewhere"], installed["env"]).stdout)
    assert shipped["scenarios"][0]["parameters"]["consultation_days"] == 3
    assert mine["scenarios"][0]["parameters"]["consultation_days"] == 2


def test_the_html_report_from_the_installed_package(installed):
    # the page's template, stylesheet and script are package data: the wheel must carry them
    shutil.copy(FACTS / "hybrid-grid.yaml", installed["elsewhere"] / "grid-page.yaml")
    result = _run([installed["checker"], "report", "grid-page.yaml", "-o", "page.html", "--explanations", "0"],
                  installed["elsewhere"], installed["env"])
    assert result.returncode == 1, result.stderr
    page = (installed["elsewhere"] / "page.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "grid-attack" in page
