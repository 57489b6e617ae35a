"""`checker lint` on copies of the bundled pack with one fault put in at a time."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io import pack as packs
from checker.maintain.lint import read_header
from tests.helpers import edit

ROOT = Path(__file__).resolve().parent.parent
PACK = Path("rules/istanbul-2022")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of rules/ and facts/ with the one known issue of the bundled pack fixed."""
    # the files git knows: a colleague's untracked work in progress is not the pack
    tracked = subprocess.run(["git", "ls-files", "rules", "facts"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    for name in tracked:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    consult = tmp_path / PACK / "art4_consult.lp"
    text = consult.read_text()
    if "has_field/2" not in read_header(text).fields["Reads"]:
        consult.write_text(text.replace("Reads   : ", "Reads   : has_field/2, ", 1))
    monkeypatch.chdir(tmp_path)
    packs._CACHE.clear()  # manifests are cached by folder; each test edits its own copy
    return tmp_path



def lines(result) -> list[str]:
    return result.stdout.splitlines()[:-1]  # the last line is the summary


def test_a_clean_copy_has_no_issue(copy: Path) -> None:
    result = invoke("lint")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("0 issue(s) in ")


def test_the_bundled_pack_and_corpus_lint_clean(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke("lint")
    assert result.exit_code == 0, result.output


def test_undefined_atom_is_a_clingo_error_with_its_column(copy: Path) -> None:
    consult = copy / PACK / "art4_consult.lp"
    line = edit(consult, ":- attack_of_concern(A, D), guarantor_since(G, C)",
                ":- attack_of_concen(A, D), guarantor_since(G, C)")
    result = invoke("lint")
    assert result.exit_code == 1
    assert lines(result) == [
        f"{PACK}/art4_consult.lp:{line}: reads: attack_of_concen/2 is read here but not declared under "
        "'Reads' (line 12)",
        f"{PACK}/art4_consult.lp:{line}:44: clingo: atom does not occur in any rule head: attack_of_concen(A,D)",
        # the duty no longer fires anywhere: the corpus shows it
        f"{PACK}/treaty.yaml:{_manifest_line('art4.consult')}: provision: art4.consult: no scenario fires it "
        "or is blocked by it",
    ]


def _manifest_line(pid: str) -> int:
    text = (ROOT / PACK / "treaty.yaml").read_text().splitlines()
    return next(i + 1 for i, t in enumerate(text) if t.strip() == f"- id: {pid}")


def test_operation_undefined_shows_up_when_grounded_with_the_scenarios(copy: Path) -> None:
    path = copy / PACK / "art6_provocation.lp"
    path.write_text(path.read_text() + "\n% a string plus one\n_oops(X + 1) :- arg(E, about, X).\n")
    last = len(path.read_text().splitlines())
    result = invoke("lint", "rules", "facts/istanbul-2022/hybrid-grid.yaml")
    assert f"{PACK}/art6_provocation.lp:{last}:7: clingo: operation undefined: (X+1)" in lines(result)
    # without scenarios nothing is grounded with strings, and clingo has nothing to say
    result = invoke("lint", "rules")
    assert not any(": clingo: " in line for line in lines(result))


def test_syntax_error_is_exit_2_with_file_line_col(copy: Path) -> None:
    path = copy / PACK / "art6_provocation.lp"
    path.write_text(path.read_text() + "\nblocked(X :- foo.\n")
    last = len(path.read_text().splitlines())
    result = invoke("lint", "rules")
    assert result.exit_code == 2
    assert lines(result)[0].startswith(f"{PACK}/art6_provocation.lp:{last}:11: parse: syntax error, unexpected")


def test_header_and_encodes(copy: Path) -> None:
    provocation = copy / PACK / "art6_provocation.lp"
    line = edit(provocation, "Encodes : art6.provocation\n", "Encodes : art6.provocations\n")
    edit(copy / PACK / "art2_scope.lp", "Writes  :", "Yields  :")
    (copy / PACK / "extra.lp").write_text("% no header at all\n_x :- as_of(_).\n")
    result = invoke("lint", "rules")
    assert result.exit_code == 1
    assert lines(result) == [
        f"{PACK}/art2_scope.lp:1: header: no 'Writes :' line",
        f"{PACK}/art6_provocation.lp:{line}: provision: Encodes art6.provocations, which is not a provision of "
        "treaty.yaml",
        f"{PACK}/extra.lp:1: header: the file does not open with its %* ... *% header (a # title, the "
        "provision quoted, Encodes, Reads, Writes)",
        f"{PACK}/treaty.yaml:{_manifest_line('art6.provocation')}: provision: art6.provocation is not named "
        "under 'Encodes' by any rule file of istanbul-2022",
    ]


def test_reads_must_declare_what_a_file_uses(copy: Path) -> None:
    edit(copy / PACK / "art6_provocation.lp", "assistance_duty/3, ", "")
    used = next(i + 1 for i, t in enumerate((copy / PACK / "art6_provocation.lp").read_text().splitlines())
                if "assistance_duty(" in t)
    result = invoke("lint", "rules")
    assert [line for line in lines(result) if ": reads: " in line] == [
        f"{PACK}/art6_provocation.lp:{used}: reads: assistance_duty/3 is read here but not declared under "
        "'Reads' (line 11)"]


def test_provision_nobody_exercises(copy: Path) -> None:
    result = invoke("lint", "rules", "facts/istanbul-2022/nuclear.yaml")
    assert result.exit_code == 1
    unexercised = [line for line in lines(result) if "no scenario fires it" in line]
    assert f"{PACK}/treaty.yaml:{_manifest_line('art6.provocation')}: provision: art6.provocation: no scenario " \
           "fires it or is blocked by it" in unexercised
    assert not any("art1.non_nuclear" in line for line in unexercised)
    assert not any("eu_membership" in line for line in lines(result))  # set aside: never asked for


def test_invalid_scenario_is_exit_2_with_its_own_line(copy: Path) -> None:
    line = edit(copy / "facts/istanbul-2022/nuclear.yaml", "type: nuclear_weapons}     # not yet",
                "type: nuclear_weapon}     # not yet")
    result = invoke("lint")
    assert result.exit_code == 2
    assert (f"facts/istanbul-2022/nuclear.yaml:{line}: scenario: events[1].type: unknown event type "
            "'nuclear_weapon' (did you mean 'nuclear_weapons'?)") in lines(result)


def test_json_and_github_formats(copy: Path) -> None:
    edit(copy / PACK / "art2_scope.lp", "Writes  :", "Yields  :")
    doc = json.loads(invoke("lint", "rules", "--format", "json").stdout)
    assert doc["format"] == "treaty-checker/lint@1"
    assert doc["issues"] == [{"file": f"{PACK}/art2_scope.lp", "line": 1, "col": None, "check": "header",
                                "message": "no 'Writes :' line"}]
    assert doc["summary"]["by_check"]["header"] == 1
    gh = invoke("lint", "rules", "--format", "github").stdout.splitlines()
    assert gh == [f"::error file={PACK}/art2_scope.lp,line=1,title=checker lint%3A header::no 'Writes :' line",
                  "1 issue(s)"]


def test_usage_errors(copy: Path) -> None:
    result = invoke("lint", "facts")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("lint: name exactly one rules folder (a folder holding packs with "
                                     "treaty.yaml), got 0: none")
    result = invoke("lint", "nowhere")
    assert result.exit_code == 2 and result.stderr.strip() == "nowhere: no such file or folder"


def test_header_reader() -> None:
    header = read_header("%*\n# Title\nReads   : a/1, b(X, Y)\n          c/3\nWrites  : d/1\n*%\nrule.\n")
    assert header.title == "Title"
    assert header.signatures("Reads") == {("a", 1), ("b", 2), ("c", 3)}
    assert header.field_lines == {"Reads": 3, "Writes": 5}
    assert read_header("% a comment\n%*\n# late\n*%\n") is None
