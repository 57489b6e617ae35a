"""Hostile input, the limits and the processes: what a file asks for is bounded before it is
built, a deadline holds in every phase, the worker processes end with the checker, a rule
pack stays in its folder, output cannot be forged, and no option makes an internal error.

- ``--timeout`` holds while grounding too (the check runs in a child process killed at the
  deadline), and only a finite number of seconds above 0 is a timeout.
- ``check --explain`` over a folder holds one file at a time: its memory does not grow with
  the number of files.
- SIGTERM, SIGKILL or SIGINT to ``checker sweep -j 2``, ``checker test -j 2`` or
  ``checker mutate -j 2`` leaves no worker running; SIGINT and SIGTERM say so and exit 130
  and 143.
- A wording template (explain.yaml, a ``says``) is text with places: one with a format spec,
  an attribute or a lone brace is refused at its line, by every command and by lint.
- A full disk, under a written file or under standard output, is one line and exit 2.
- Every option of every command, given the worst values (and values hypothesis draws),
  is a usage error or runs: never an internal error or a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from tests.helpers import ROOT

runner = CliRunner()
FACTS = ROOT / "facts" / "istanbul-2022"
GRID = FACTS / "hybrid-grid.yaml"
HEAD = "scenario: hostile\ntreaty: istanbul-2022\nin_force_from: 2027-01-01\n"


def invoke(*args) -> tuple[int, str, list[str]]:
    """The command through CliRunner: exit code, stdout, stderr lines; never a traceback."""
    result = runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    return result.exit_code, result.stdout, result.stderr.splitlines()


def start(*args, **kwargs) -> subprocess.Popen:
    """The checker as a real process."""
    return subprocess.Popen([sys.executable, "-m", "checker", *map(str, args)], cwd=ROOT, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_COLOR": "1"}, **kwargs)


def attacks(path: Path, count: int) -> Path:
    """A history of ``count`` attacks, four a day."""
    import datetime as dt

    base = dt.date(2027, 3, 1)
    lines = [HEAD.rstrip("\n"), "events:"]
    lines += [f"  - {{id: a{i}, date: {base + dt.timedelta(days=i // 4)}, type: attack, kind: armed_attack, "
              "by: russia, regions: [kyiv]}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- --timeout holds in every phase ------------------------------------------------------------
def test_a_timeout_holds_while_grounding(tmp_path):
    # 40 000 attacks ground for about 15 s here: the check ends at the deadline all the same
    scenario = attacks(tmp_path / "attacks.yaml", 40_000)
    began = time.perf_counter()
    child = start("check", scenario, "--timeout", "3")
    _, err = child.communicate(timeout=120)
    elapsed = time.perf_counter() - began
    assert child.returncode == 2
    assert err.splitlines() == [f"{scenario}:1: timeout: checking took longer than the time allowed (--timeout 3)"]
    assert elapsed < 3 + 1.5, f"ended {elapsed:.1f} s after it started, for a timeout of 3 s"


@pytest.mark.parametrize("command", [
    ["check", GRID], ["explain", GRID], ["test", GRID], ["whatif", GRID, "--drop", "arms-uk"],
    ["sweep", GRID, "--vary", "reading=*"], ["repair", GRID], ["report", GRID], ["lint"], ["diff"],
    ["mutate", ROOT / "rules" / "istanbul-2022"],
])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e309", "1e7"])
def test_a_timeout_that_is_no_number_of_seconds_is_a_usage_error(command, value):
    code, out, err = invoke(*command, "--timeout", value)
    assert code == 2 and out == ""
    assert err[-1].startswith("Error: Invalid value for '--timeout': ")
    assert err[-1].endswith("is not a number of seconds above 0 and at most 1000000")


def test_a_timeout_that_is_not_reached_changes_nothing():
    plain = invoke("check", FACTS, "-f", "json")
    timed = invoke("check", FACTS, "-f", "json", "--timeout", "60")
    assert timed == plain and plain[0] == 1


# --- memory per file ---------------------------------------------------------------------------
def _peak_rss(args) -> int:
    """The peak resident memory of the checker run with ``args`` (KB)."""
    child = start(*args)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 1, child.stderr.read()  # a breach, explained
    return usage.ru_maxrss


def test_check_explain_over_a_folder_holds_one_file_at_a_time(tmp_path):
    # each file has a breach to explain: every explanation parses the rules again
    few, many = tmp_path / "few", tmp_path / "many"
    for folder, count in ((few, 4), (many, 36)):
        folder.mkdir()
        for i in range(count):
            (folder / f"s{i:02d}.yaml").write_text(
                HEAD + "as_of: 2027-06-01\nparties: {guarantors: [uk]}\nevents:\n"
                "  - {id: a, date: 2027-03-01, type: attack, kind: armed_attack, by: russia, regions: [kyiv]}\n",
                encoding="utf-8")
    grown = _peak_rss(["check", many, "--explain"]) - _peak_rss(["check", few, "--explain"])
    # 1.2 MB a file before (a cache of the rules' syntax that kept every file's): 39 MB here
    assert grown < 8 * 1024, f"{grown / 1024:.1f} MB more for 32 more files"


# --- processes die with their parent ----------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        here = todo.pop()
        try:
            for task in os.listdir(f"/proc/{here}/task"):
                with open(f"/proc/{here}/task/{task}/children") as f:
                    found = {int(x) for x in f.read().split()}
                out |= found
                todo.extend(found)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def _spawned(pids: set[int]) -> int:
    """How many of ``pids`` are worker processes multiprocessing spawned."""
    count = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                count += b"spawn_main" in f.read()
        except (FileNotFoundError, ProcessLookupError):
            pass
    return count


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _slow_corpus(folder: Path, count: int = 6) -> Path:
    """Scenarios that take a few seconds each (an attack on one of 120 days)."""
    folder.mkdir()
    for i in range(count):
        (folder / f"s{i}.yaml").write_text(
            HEAD + "events:\n  - {id: a, date: {between: [2027-03-01, 2027-06-28]}, type: attack,"
            " kind: armed_attack, by: russia, regions: [kyiv]}\nexpect:\n"
            "  - {obligation: art4.consult/uk/a, status: breached, certainty: possible}\n", encoding="utf-8")
    return folder


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc to find the workers")


@needs_proc
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL", "SIGINT", "SIGINT to the group"])
@pytest.mark.parametrize("command", ["sweep", "test", "mutate"])
def test_no_worker_outlives_the_checker(tmp_path, command, how):
    if command == "sweep":
        args = ["sweep", GRID, "--vary", "grid-attack.date=-300..300", "--vary", "consult-1.date=-20..20", "-j", "2"]
    elif command == "mutate":  # spawned workers, each running the pack's unit tests
        args = ["mutate", ROOT / "rules" / "istanbul-2022-04-15", "-j", "2"]
    else:
        args = ["test", _slow_corpus(tmp_path / "slow"), "-j", "2", "--timeout", "60"]
    child = start(*args, start_new_session=True)
    seen: set[int] = set()
    began = time.monotonic()
    # (mutate checks its corpus in forked children before it starts its pool: its workers are
    # the spawned ones)
    workers = _spawned if command == "mutate" else len
    while workers(seen) < 2 and time.monotonic() - began < 60:
        seen |= _descendants(child.pid)
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are at work
    seen |= _descendants(child.pid)
    assert workers(seen) >= 2, seen
    assert child.poll() is None, "the run ended before it could be stopped"
    if how == "SIGINT to the group":  # ^C in a terminal
        os.killpg(child.pid, signal.SIGINT)
    else:
        child.send_signal(getattr(signal, how))
    _, err = child.communicate(timeout=30)
    left = time.monotonic() + 5
    while any(_running(p) for p in seen) and time.monotonic() < left:
        time.sleep(0.05)
    assert [p for p in seen if _running(p)] == []
    if how == "SIGTERM":
        assert (child.returncode, err) == (143, "checker: terminated\n")
    elif how.startswith("SIGINT"):
        assert (child.returncode, err) == (130, "checker: interrupted\n")


# --- uncertain ranges are bounded before they are built ---------------------------------------
WIDE = (HEAD + "events:\n  - id: a\n    date: {between: [0001-01-01, 9999-12-31]}\n    type: attack\n"
        "    kind: armed_attack\n    by: russia\n    regions: [kyiv]\n")


def test_a_range_of_every_date_is_refused_at_once(tmp_path):
    scenario = tmp_path / "wide.yaml"
    scenario.write_text(WIDE, encoding="utf-8")
    began = time.perf_counter()
    child = start("check", scenario, "--timeout", "10")
    _, err = child.communicate(timeout=120)
    assert time.perf_counter() - began < 5
    assert child.returncode == 2
    assert err.splitlines() == [
        f"{scenario}:6: events[0].date.between: 3652059 possible days: the uncertain dates of a scenario "
        "may span 366 days in all (--max-uncertain-days N raises the limit)"]


def test_the_limit_counts_every_range_of_the_file(tmp_path):
    events = "".join(f"  - {{id: a{i}, date: {{between: [2027-0{i + 1}-01, 2027-0{i + 1}-28]}}, type: attack, "
                     "kind: armed_attack, by: russia, regions: [kyiv]}\n" for i in range(6))
    scenario = tmp_path / "six.yaml"
    scenario.write_text(HEAD + "events:\n" + events, encoding="utf-8")
    code, _, err = invoke("check", scenario, "--max-uncertain-days", "100")
    assert code == 2
    assert err == [f"{scenario}:8: events[3].date.between: 28 possible days (112 with those before it): the uncertain "
                   "dates of a scenario may span 100 days in all (--max-uncertain-days N raises the limit)",
                   f"{scenario}:9: events[4].date.between: 28 possible days (140 with those before it): the uncertain "
                   "dates of a scenario may span 100 days in all (--max-uncertain-days N raises the limit)",
                   f"{scenario}:10: events[5].date.between: 28 possible days (168 with those before it): the uncertain "
                   "dates of a scenario may span 100 days in all (--max-uncertain-days N raises the limit)"]


@pytest.mark.parametrize("command", [["check"], ["explain"], ["test"], ["whatif", "--drop", "x"], ["report", "-o", "-"],
                                     ["check", "--all-readings"]])
def test_the_limit_holds_in_every_command_and_the_option_raises_it(tmp_path, command):
    scenario = tmp_path / "year.yaml"
    scenario.write_text(WIDE.replace("0001-01-01", "2027-03-01").replace("9999-12-31", "2028-03-01")
                        + "  - {id: x, date: 2027-03-02, type: appeal}\nexpect: []\n", encoding="utf-8")
    name, *rest = command
    code, _, err = invoke(name, scenario, *rest)
    assert code == 2 and err == [f"{scenario}:6: events[0].date.between: 367 possible days: the uncertain dates of "
                                 "a scenario may span 366 days in all (--max-uncertain-days N raises the limit)"]
    code, _, err = invoke(name, scenario, *rest, "--max-uncertain-days", "367", "--timeout", "0.5")
    assert code == 2 and err[-1] == f"{scenario}:1: timeout: checking took longer than the time allowed (--timeout 0.5)"


def test_an_edit_that_widens_a_date_is_bounded_too():
    code, _, err = invoke("whatif", GRID, "--set", "grid-attack.date={between: [2027-03-01, 2029-03-01]}")
    assert code == 2 and err == ["--set grid-attack.date.between: 732 possible days: the uncertain dates of a scenario "
                                 "may span 366 days in all (--max-uncertain-days N raises the limit)"]


# --- a rule pack stays in its folder -----------------------------------------------------------
KEPT = FACTS / "guarantee-kept.yaml"


@pytest.fixture
def pack(tmp_path) -> Path:
    """A copy of the rules folder; returns the pack's folder (its rules/ is the parent)."""
    import shutil

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    (tmp_path / "outside.lp").write_text("secret(1).\n", encoding="utf-8")
    return tmp_path / "rules" / "istanbul-2022"


def _include(pack: Path, text: str) -> Path:
    extra = pack / "zz_extra.lp"
    extra.write_text(text, encoding="utf-8")
    return extra


REFUSED_INCLUDES = [
    ("stdin", '#include "/dev/stdin".\n', 1, "'/dev/stdin' is an absolute path: a pack includes only files of "
     "its own folder, of the packs it extends and of rules/common/, by a path from the including file"),
    ("an absolute path", '#include "{outside}".\n', 1, "'{outside}' is an absolute path: a pack includes only files "
     "of its own folder, of the packs it extends and of rules/common/, by a path from the including file"),
    ("out of the pack", '% the pack\n#include "../../outside.lp".\n', 2,
     "'../../outside.lp' is {outside}, outside the pack's folder, those of the packs it extends and rules/common/"),
    ("a FIFO in the pack", '#include "pipe.lp".\n', 1, "'pipe.lp' is not a regular file (a FIFO, a device or a "
     "folder), which clingo would wait on or read without end"),
    ("after comments", '%* "#include" *%\n"#include".\n#include %* a %* nested *% one *%\n  % and a line\n'
     '  "/dev/zero".\n', 3, "'/dev/zero' is an absolute path: a pack includes only files of its own folder, of the "
     "packs it extends and of rules/common/, by a path from the including file"),
    ("a built-in program", "#include <incmode>.\n", 1,
     "<incmode> is one of clingo's built-in programs, which run a script: not in a rule pack"),
]


@pytest.mark.parametrize("text, line, message", [c[1:] for c in REFUSED_INCLUDES], ids=[c[0] for c in REFUSED_INCLUDES])
def test_an_include_out_of_the_pack_is_refused_before_anything_reads_it(pack, text, line, message):
    outside = pack.parent.parent / "outside.lp"
    os.mkfifo(pack / "pipe.lp.fifo")
    (pack / "pipe.lp.fifo").rename(pack / "pipe.lp")  # a FIFO the pack lists as a rule file too
    extra = _include(pack, text.format(outside=outside))
    began = time.perf_counter()
    code, _, err = invoke("check", KEPT, "--rules", pack.parent)
    assert time.perf_counter() - began < 10
    assert code == 2
    # (the manifest's own check of includes may speak first: either way one line at the include)
    assert f"{extra}:{line}: include: {message.format(outside=outside)}" in err \
        or any(x.startswith(f"{extra}:{line}: #include: ") for x in err), err
    assert f"{pack / 'pipe.lp'}:1: rules: pipe.lp is not a regular file (a FIFO, a device or a folder), which clingo " \
           "would wait on or read without end" in err


@pytest.mark.parametrize("command", [["check"], ["explain"], ["test"], ["whatif", "--drop", "consult"], ["report", "-o", "-"],
                                     ["sweep", "--vary", "reading=*"], ["repair"], ["check", "--all-readings"]])
def test_every_command_that_loads_rules_refuses_an_include_of_stdin(pack, command):
    extra = _include(pack, '#include "/dev/stdin".\n')
    name, *rest = command
    result = runner.invoke(app, [name, str(KEPT), *rest, "--rules", str(pack.parent)], input="secret(1).\n")
    assert result.exit_code == 2
    line = (f"{extra}:1: include: '/dev/stdin' is an absolute path: a pack includes only files of its own folder, "
            "of the packs it extends and of rules/common/, by a path from the including file")
    assert line in result.stderr.splitlines(), result.stderr


def test_lint_reports_every_include_and_script_with_its_line(pack):
    extra = _include(pack, '%* a header *%\n#include "../common/calendar.lp".\n#include "../../outside.lp".\n'
                           "#script (python)\ndef main(prg): pass\n#end.\n")
    code, out, _ = invoke("lint", pack.parent, KEPT)
    assert code == 2  # a file out of the pack: the pack cannot be used
    lines = out.splitlines()
    shown = extra.relative_to(Path.cwd()) if extra.is_relative_to(Path.cwd()) else extra
    assert f"{shown}:3: include: '../../outside.lp' is {pack.parent.parent / 'outside.lp'}, outside the pack's " \
           "folder, those of the packs it extends and rules/common/" in lines, lines
    assert [x for x in lines if "zz_extra.lp:4: " in x and "script: a rule pack may not run a program (#script): "
            "its rules are data to the checker, not code" in x], lines


def test_a_script_is_refused_with_its_line(pack):
    extra = _include(pack, "a.\n\n#script (python)\nimport os\n#end.\n")
    code, _, err = invoke("check", KEPT, "--rules", pack.parent)
    assert (code, err) == (2, [f"{extra}:3: script: a rule pack may not run a program (#script): its rules are data "
                                "to the checker, not code"])


def test_what_only_looks_like_an_include_is_not_one(pack):
    _include(pack, '%* #include "/dev/stdin". *%\n% #include "/dev/stdin".\nsays("#include \\"/dev/stdin\\".").\n'
                   "#defined says/1.\n")
    assert invoke("check", KEPT, "--rules", pack.parent)[0] == 0


def test_an_include_inside_the_pack_is_read(pack):
    (pack / "part.txt").write_text("#defined seen/0.\n", encoding="utf-8")
    _include(pack, '#include "part.txt".\n')
    assert invoke("check", KEPT, "--rules", pack.parent)[0] == 0


def test_a_rule_file_linked_from_outside_is_refused(pack):
    (pack / "zz_outside.lp").symlink_to(pack.parent.parent / "outside.lp")
    code, _, err = invoke("check", KEPT, "--rules", pack.parent)
    assert code == 2 and len(err) == 1 and err[0].startswith(f"{pack / 'zz_outside.lp'}:1: rules: "), err


def test_a_rule_file_linked_from_inside_is_read(pack):
    (pack / "zz_inside.lp").symlink_to(pack.parent / "common" / "calendar.lp")
    assert invoke("check", KEPT, "--rules", pack.parent)[0] == 0


def test_diff_refuses_a_base_revision_whose_rules_link_out(tmp_path):
    import shutil

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.email=t@t", "-c", "user.name=t", *args],
                       check=True, capture_output=True)

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    (tmp_path / "facts").mkdir()
    shutil.copy(KEPT, tmp_path / "facts")
    (tmp_path / "rules" / "istanbul-2022" / "zz.lp").symlink_to("/etc/passwd")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "a link out")
    (tmp_path / "rules" / "istanbul-2022" / "zz.lp").unlink()
    code, _, err = invoke("diff", tmp_path / "facts", "--rules", tmp_path / "rules")
    assert (code, err) == (2, ["--base/--head: revision 'HEAD': rules/istanbul-2022/zz.lp (a link to '/etc/passwd') "
                               "leaves rules/ or is no regular file: refused"])


# --- a template is text with places, never more ----------------------------------------------
BAD_TEMPLATES = [
    ("a format spec", "explain.yaml", '"{0} first signed on {1}"', '"{0:>999999999} first signed on {1}"', 7,
     "predicates.signed/2.holds: '{0:>999999999}': a place takes no format spec or conversion (only {0}, {1}... "
     "or {name})"),
    ("an attribute of a term", "explain.yaml", "\"{0}'s reports to the Security Council\"",
     "\"{0.__class__}'s reports\"", 80,
     "terms.report_by/1: '{0.__class__}': a place is {0}, {1}... or {name}, with no attribute or item"),
    ("a lone brace", "explain.yaml", '"{0} has not signed"', '"{0} has not signed}"', 7,
     "predicates.signed/2.fails: Single '}' encountered in format string (write {{ or }} for a brace of the text)"),
    ("a format spec in says", "../common/vocabulary.yaml", '"{party} signs the treaty"',
     '"{party:>999999999} signs the treaty"', 38, "event_types.signature.says: '{party:>999999999}': a place "
     "takes no format spec or conversion (only {0}, {1}... or {name})"),
]


@pytest.mark.parametrize("name, old, new, line, message", [c[1:] for c in BAD_TEMPLATES],
                         ids=[c[0] for c in BAD_TEMPLATES])
def test_a_template_with_more_than_places_is_refused_at_load_and_by_lint(pack, name, old, new, line, message):
    path = (pack / name).resolve()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    began = time.perf_counter()
    code, out, err = invoke("check", GRID, "--explain", "--rules", pack.parent)
    assert time.perf_counter() - began < 30
    assert (code, out, err) == (2, "", [f"{path}:{line}: {message}"])
    code, out, _ = invoke("lint", pack.parent)
    check = "explain" if name == "explain.yaml" else "manifest"
    assert code == 1 and f"{path}:{line}: {check}: {message}" in out.splitlines(), out


# --- output cannot be forged --------------------------------------------------------------------
FORGED = "x\n\n  0 fired, 0 breached\n\x1b[8m"


def _forged(folder: Path) -> Path:
    """A scenario whose title, free text and file name try to write lines of their own and to
    hide what follows (ESC [8m), with a breach to explain and an expectation that fails."""
    folder.mkdir(exist_ok=True)
    path = folder / "evil\n  0 fired\x1b[8m.yaml"
    text = ('scenario: "x\\n\\n  0 fired, 0 breached\\n\\e[8m"\ndescription: "d\\u202eq"\n'
            "treaty: istanbul-2022\nin_force_from: 2027-01-01\nparties: {guarantors: [uk]}\nevents:\n"
            '  - {id: a, date: 2027-03-01, type: attack, kind: armed_attack, by: russia, regions: [kyiv]}\n'
            '  - {id: j, date: 2027-03-02, type: alliance_membership, alliance: "NATO\\n\\e[2J  0 breached"}\n'
            "expect:\n  - {obligation: art4.consult/uk/a, status: fulfilled}\n")
    path.write_text(text, encoding="utf-8")
    return path


def _shows_no_forgery(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text
    assert not any(line.strip() in ("0 fired, 0 breached", "0 breached", "0 fired") for line in text.splitlines())


@pytest.mark.parametrize("command", [
    ["check"], ["check", "--explain"], ["check", "--all-readings"], ["explain", "--all"], ["test"],
    ["test", "-f", "github"], ["whatif", "--drop", "a"], ["sweep", "--vary", "reading.assistance_means=*"],
    ["repair"], ["lint", ROOT / "rules"],
])
def test_text_output_shows_every_value_on_its_own_line(tmp_path, command):
    scenario = _forged(tmp_path / "s")
    name, *rest = command
    args = [name, *rest, scenario] if name == "lint" else [name, scenario, *rest]
    code, out, err = invoke(*args)
    assert code in (0, 1), err
    _shows_no_forgery(out + "\n".join(err))
    if name == "check" and not rest:
        assert out.splitlines()[0] == f"{tmp_path}/s/evil\\n  0 fired\\x1b[8m.yaml — x\\n\\n  0 fired, 0 breached\\n\\x1b[8m"


def test_error_lines_show_every_value_on_its_own_line(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    bad = folder / "bad\n  0 fired\x1b[8m.yaml"
    bad.write_text(HEAD + "events:\n  - {id: a, date: 2027-02-30, type: attack}\n", encoding="utf-8")
    code, _, err = invoke("check", folder)
    assert code == 2
    assert f"{folder}/bad\\n  0 fired\\x1b[8m.yaml:5: events[0].date: '2027-02-30' is not a valid date" in err
    _shows_no_forgery("\n".join(err))


def test_a_diff_shows_every_value_on_its_own_line(tmp_path):
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "rules", repo / "rules")
    scenario = _forged(repo / "facts")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t", *args], check=True)
    manifest = repo / "rules" / "istanbul-2022" / "treaty.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("default: 3", "default: 0", 1), encoding="utf-8")
    for fmt in ("text", "markdown"):
        code, out, err = invoke("diff", scenario.parent, "--rules", repo / "rules", "-f", fmt)
        assert code == 0, err
        _shows_no_forgery(out)
        assert "0 fired\\x1b[8m.yaml" in out


# --- no option makes an internal error ----------------------------------------------------------
@pytest.mark.parametrize("command, message", [
    (["whatif", GRID, "--shift", "grid-attack=-800000d"],
     "--shift: grid-attack: 2027-03-01 moved by -800000 days is not a date from 0001-01-01 to 9999-12-31"),
    (["sweep", GRID, "--vary", "grid-attack.date=-800000,+0"],
     "--vary: grid-attack.date=-800000d moves grid-attack outside the calendar (0001-01-01 to 9999-12-31)"),
])
def test_a_date_moved_out_of_the_calendar_is_a_usage_error(command, message):
    code, out, err = invoke(*command)
    assert (code, err) == (2, [message])


@pytest.mark.parametrize("option, value, limit", [
    ("--max-actions", "99999999999999999999", "0<=x<=100000"), ("--limit", "99999999999999999999", "1<=x<=1000"),
])
def test_a_huge_count_for_repair_is_a_usage_error(option, value, limit):
    code, out, err = invoke("repair", GRID, "--all-optimal", option, value)
    assert code == 2 and out == ""
    assert err[-1] == f"Error: Invalid value for '{option}': {value} is not in the range {limit}."


LONG = "a" * 300
PATH_OPTIONS = [
    ["check", LONG], ["check", GRID, "-o", LONG], ["report", LONG], ["explain", LONG], ["test", LONG],
    ["test", GRID, "--junit-xml", LONG], ["lint", LONG], ["diff", LONG], ["whatif", LONG, "--drop", "x"],
    ["whatif", GRID, "--drop", "arms-uk", "--save", LONG], ["repair", LONG], ["sweep", LONG, "--vary", "reading=*"],
    ["check", GRID, "--rules", LONG], ["lint", "--growth-input", LONG], ["mutate", LONG],
    ["mutate", ROOT / "rules" / "istanbul-2022", "--corpus", LONG],
]


@pytest.mark.parametrize("command", PATH_OPTIONS, ids=lambda c: " ".join(map(str, c[:1] + c[2:3])))
def test_a_name_too_long_for_the_file_system_is_a_usage_error(command):
    code, out, err = invoke(*command)
    assert code == 2 and out == ""
    assert err[-1].endswith(f"{'a' * 40}... (300 characters): a name too long for the file system"), err


@pytest.mark.parametrize("command", [[a.replace(LONG, "a\0b") if isinstance(a, str) else a for a in c]
                                     for c in PATH_OPTIONS], ids=lambda c: " ".join(map(str, c[:1] + c[2:3])))
def test_a_path_with_a_nul_byte_is_a_usage_error(command):
    code, out, err = invoke(*command)
    assert code == 2 and out == ""
    assert err[-1].endswith("a\\x00b: a path cannot hold a NUL byte"), err


# --- a full disk ----------------------------------------------------------------------------------
@pytest.fixture
def full(tmp_path) -> Path:
    """A folder on a file system with no room left (a 64 KB tmpfs, filled), holding old.txt."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root on Linux)")
    try:
        (folder / "old.txt").write_text("old\n", encoding="utf-8")
        with open(folder / "filler", "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


WRITES = [
    ("check -o", ["check", GRID, "-o"], "--output"), ("report -o", ["report", GRID, "-o"], "--output"),
    ("whatif --save", ["whatif", GRID, "--drop", "arms-uk", "--save"], "--save"),
    ("repair --save", ["repair", GRID, "--save"], "--save"), ("test --junit-xml", ["test", GRID, "--junit-xml"], "--junit-xml"),
]


@pytest.mark.parametrize("command, option", [c[1:] for c in WRITES], ids=[c[0] for c in WRITES])
def test_a_full_disk_is_one_line_and_leaves_no_file(full, command, option):
    code, _, err = invoke(*command, full / "new.txt")
    assert (code, err) == (2, [f"{option}: {full / 'new.txt'}: cannot be written: No space left on device"])
    code, _, err = invoke(*command, full / "old.txt", "--force")
    assert (code, err) == (2, [f"{option}: {full / 'old.txt'}: cannot be written: No space left on device; "
                               "the file is unchanged"])
    assert sorted(p.name for p in full.iterdir()) == ["filler", "old.txt"]
    assert (full / "old.txt").read_text(encoding="utf-8") == "old\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("command", [["check", FACTS], ["check", GRID, "-f", "json"], ["explain", GRID, "--all"],
                                     ["report", GRID, "-o", "-"], ["test", GRID, "--junit-xml", "-"]])
def test_standard_output_on_a_full_disk_is_one_line(command):
    with open("/dev/full", "w") as full_device:
        child = subprocess.run([sys.executable, "-m", "checker", *map(str, command)], cwd=ROOT, text=True,
                               stdout=full_device, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"},
                               timeout=300)
    assert (child.returncode, child.stderr) == (2, "checker: standard output: cannot be written: No space left on "
                                                   "device\n")


# --- every command's options, fuzzed ------------------------------------------------------------
HOSTILE = ["", " ", "\0", "a\0b", "-", "--", "-1", "0", "-0", "1", "99999999999999999999", "-99999999999999999999",
           "1e309", "-1e309", "nan", "inf", "-inf", "1e-320", "0x10", "1_000", "x" * 5000, "=", "==", "a=", "=b",
           "a=b=c", "*", ",", ",,", "..", "1..", "..1", "-5..+5", "+99999..-99999", "\n", "\x1b[2J", "é", "\u202e",
           "0001-01-01", "9999-12-31", "10000-01-01", "2027-02-30", "{", "}", "{0:>999999999}", "%s", "[", "]",
           "{between: [0001-01-01, 9999-12-31]}", "a" * 300]
NAMES = ["a", "", "x", "a" * 300, "a.date", "a.by", "a.regions", "reading", "reading.assistance_means", "grid-attack",
         "\0", "*", "art4.consult/uk/a", "deadline_days", "uk"]
PATHS = ["", ".", "..", "\0", "a\0b", "a" * 300, "a/" * 3000, "nowhere/new.txt", "-", "new.txt", "tiny.yaml",
         "/dev/null", "/dev/stdin", "/proc/self/mem"]


def _values(option: str, kind: str):
    from hypothesis import strategies as st

    anything = st.one_of(st.sampled_from(HOSTILE), st.integers(-10**25, 10**25).map(str),
                         st.floats(allow_nan=True, allow_infinity=True).map(repr),
                         st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
    if kind == "path":  # relative names, or system files: nothing is written out of the scratch folder
        return st.one_of(st.sampled_from(PATHS), st.text("ab./-\0\n", max_size=20).filter(lambda t: not t.startswith("/")))
    if option in ("--vary", "--shift", "--set", "--add", "--reading", "-r", "--param"):
        return st.one_of(anything, st.tuples(st.sampled_from(NAMES), anything).map("=".join),
                         st.integers(-10**7, 10**7).map(lambda n: f"a={n:+d}d"))
    return anything


def _fuzzed(command: str):
    """A strategy of argument lists for ``command``: its usual inputs, then up to three of its
    options, each with a hostile value (or alone, for a flag)."""
    import typer.main
    from hypothesis import strategies as st

    params = [p for p in typer.main.get_command(app).commands[command].params if p.param_type_name == "option"]
    picks = []
    for p in params:
        name = p.opts[0]
        if p.is_flag:
            picks.append(st.just([name]))
        else:
            kind = "path" if type(p.type).__name__ == "FuncParamType" else "text"
            picks.append(_values(name, kind).map(lambda v, name=name: [name, v]))
    return st.lists(st.one_of(picks), min_size=1, max_size=3).map(lambda chosen: [x for c in chosen for x in c])


# the inputs of each command: a small scenario where it is cheap to run, else a missing folder
# (its options are still parsed and checked before anything is read)
FUZZED = {"check": ["tiny.yaml"], "explain": ["tiny.yaml"], "whatif": ["tiny.yaml", "--drop", "a"],
          "repair": ["tiny.yaml"], "sweep": ["tiny.yaml"], "test": ["tiny.yaml"], "report": ["tiny.yaml"],
          "diff": ["nowhere"], "lint": ["nowhere"], "mutate": ["nowhere"]}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A folder to run in, holding tiny.yaml: whatever a fuzzed option writes lands here."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "tiny.yaml").write_text(
        HEAD + "parties: {guarantors: [uk]}\nevents:\n"
        "  - {id: a, date: 2027-03-01, type: attack, kind: armed_attack, by: russia, regions: [kyiv]}\nexpect: []\n",
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", sorted(FUZZED))
def test_no_option_value_makes_an_internal_error(command, scratch, monkeypatch):
    from hypothesis import HealthCheck, given, settings

    monkeypatch.chdir(scratch)

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(_fuzzed(command))
    def run(options):
        result = runner.invoke(app, [command, *FUZZED[command], "--timeout", "20", *options], env={"NO_COLOR": "1"})
        shown = f"checker {command} {' '.join(FUZZED[command])} {options!r}"
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"{shown}: {result.exception!r}"
        assert "Traceback" not in result.stdout + result.stderr and "internal error" not in result.stderr, shown
        assert result.exit_code in (0, 1, 2), shown

    run()


CORE = ["", "\0", "-99999999999999999999", "99999999999999999999", "nan", "x" * 5000, "a=\0"]


@pytest.mark.parametrize("command", sorted(FUZZED))
def test_every_option_takes_the_worst_values_without_an_internal_error(command, scratch, monkeypatch):
    import typer.main

    monkeypatch.chdir(scratch)
    params = [p for p in typer.main.get_command(app).commands[command].params
              if p.param_type_name == "option" and not p.is_flag]
    runs = [[*FUZZED[command], "--timeout", "20", p.opts[0], value] for p in params for value in CORE]
    runs += [[value, "--timeout", "20"] for value in CORE]  # as the input itself
    if command == "explain":
        runs += [["tiny.yaml", value, "--timeout", "20"] for value in CORE]  # as an obligation id
    failures = []
    for rest in runs:
        args = [command, *rest]
        result = runner.invoke(app, args, env={"NO_COLOR": "1"})
        if not (result.exception is None or isinstance(result.exception, SystemExit)) \
                or "Traceback" in result.stdout + result.stderr or "internal error" in result.stderr:
            failures.append(f"{args!r}: {result.exception!r} {result.stderr[-200:]}")
    assert failures == []
