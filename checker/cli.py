"""The command line: parse options, call the library, print, choose the exit code.

Only this module prints and exits. Heavy imports (clingo) happen inside the commands so
that ``checker --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .errors import CheckerError, UsageError

EXIT_OK, EXIT_BREACH, EXIT_ERROR = 0, 1, 2
SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

app = typer.Typer(
    name="checker",
    help="Check histories of events against security-guarantee treaties written as answer-set "
         "programs. A treaty is a folder under rules/; a scenario is a YAML file under facts/.\n\n"
         "Exit codes: 0 nothing breached, 1 something breached (or late), 2 bad input or usage.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _group() -> None:
    """Check histories of events against treaties written as answer-set programs."""


class Format(str, Enum):
    text = "text"
    json = "json"


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def collect_scenarios(paths: List[Path]) -> List[Path]:
    """Files as given; folders expanded to the scenario files below them, sorted."""
    out: List[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SCENARIO_SUFFIXES and p.is_file())
            if not found:
                raise UsageError(f"{path}: no scenario files (*.yaml, *.yml, *.json) in this folder")
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise UsageError(f"{path}:1: file: no such file or folder")
    return out


def parse_assignments(items: List[str], option: str, numeric: bool) -> dict:
    """``K=V`` options as a dict (V a whole number when ``numeric``)."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageError(f"{option}: expected NAME=VALUE, got {item!r}")
        if numeric:
            try:
                number = int(value)
            except ValueError:
                raise UsageError(f"{option}: {key}={value!r} is not a whole number") from None
            if not 0 <= number <= 100_000:
                raise UsageError(f"{option}: {key}={number} is not from 0 to 100000")
            out[key] = number
        else:
            out[key] = value
    return out


RULES_OPTION = typer.Option(None, "--rules", help="Folder of rule packs (default: the nearest rules/ "
                            "above the scenario, then ./rules, then the one shipped with the checker).",
                            file_okay=False)
READING_OPTION = typer.Option([], "--reading", "-r", metavar="NAME=CHOICE",
                              help="Override one of the treaty's readings (see the pack's treaty.yaml), as NAME=CHOICE. "
                                   "Repeatable.")
PARAM_OPTION = typer.Option([], "--param", "-p", metavar="NAME=N",
                            help="Override one of the pack's numeric parameters, as NAME=N. Repeatable.")
AS_OF_OPTION = typer.Option(None, "--as-of", metavar="DATE",
                            help="Give the verdict as of this day (YYYY-MM-DD); later events are ignored.")
TIMEOUT_OPTION = typer.Option(None, "--timeout", metavar="SECONDS", min=0.001,
                              help="Give up (exit 2) when solving one scenario takes longer.")


@app.command()
def check(
    scenarios: List[Path] = typer.Argument(..., metavar="SCENARIO",
                                           help="Scenario files, or folders of them."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (a table per scenario) or json "
                               "(the report contract, treaty-checker/report@1)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    explain: bool = typer.Option(False, "--explain", help="Print the derivation under each breached or "
                                 "late duty (JSON: an `explanation` object per such obligation)."),
    all_readings: bool = typer.Option(False, "--all-readings", help="Check under every combination of the "
                                      "pack's readings (--reading holds one fixed) and say which verdicts "
                                      "hold under every reading and which depend on which reading."),
) -> None:
    """Say which obligations fired, and which were fulfilled, late, breached, pending or
    discharged; and which did not fire, with the provision that blocked them.

    Example: checker check facts/ --as-of 2027-03-04 --format json
    """
    from .check import check_file_keeping_control, paused_gc
    from .report import Style, iter_json, render_text

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        files = collect_scenarios(scenarios)
    except CheckerError as exc:
        for line in exc.lines():
            _err(line)
        raise typer.Exit(EXIT_ERROR)
    if all_readings:
        from .cli_hypo import run_all_readings

        run_all_readings(files, fmt, as_of, readings, params, rules, timeout)

    results = []
    trees: dict = {}
    rejected = False
    for path in files:
        try:
            verdicts, _pack, control = check_file_keeping_control(path, rules_root=rules, as_of=as_of, readings=readings,
                                         parameters=params, timeout=timeout, keep=explain, events=explain)
        except UsageError as exc:  # the same for every file: say it once
            _err(exc.text)
            raise typer.Exit(EXIT_ERROR)
        except CheckerError as exc:
            for line in exc.lines():
                _err(line)
            rejected = True
            continue
        results.append(verdicts)
        if explain:
            from .cli_explain import explain_verdicts

            trees[verdicts.scenario.path] = {e["obligation"]: e["tree"]
                                             for e in explain_verdicts(verdicts, _pack, None, 8,
                                                                       control=control)}

    with paused_gc():  # the report of a long history is millions of small objects, too
        if fmt is Format.json:
            sys.stdout.writelines(iter_json(results, trees))
            sys.stdout.write("\n")
        else:
            from .explain import render_tree

            style = Style(_use_colour(sys.stdout))
            if results:
                print("\n\n".join(render_text(v, style, trees.get(v.scenario.path),
                                                 lambda tree: render_tree(tree, style)) for v in results))
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_BREACH if any(v.breached for v in results) else EXIT_OK)


from . import cli_explain  # noqa: E402,F401
from . import cli_rules  # noqa: E402,F401
from . import cli_hypo  # noqa: E402,F401


def main() -> None:
    """Console-script entry point: a bug in the checker is one line on stderr and exit 2."""
    try:
        app()
    except SystemExit as exc:  # how typer ends every command
        _leave(exc.code)
    except KeyboardInterrupt:
        _err("checker: interrupted")
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, see the docstring
        if os.environ.get("CHECKER_DEBUG"):
            raise
        _err(f"checker: internal error: {type(exc).__name__}: {exc} "
             "(please report it; CHECKER_DEBUG=1 shows the traceback)")
        sys.exit(EXIT_ERROR)


def _leave(code) -> None:
    """Exit with ``code`` now, without tearing the heap down object by object.

    After a long history the process holds millions of Python objects and clingo's ground
    program; freeing them one by one at interpreter exit took 0.15 s after a repair of
    1 000 events, and more the longer the history. The operating system takes the memory
    back at once. Every file the commands write is closed by then (each is written in a
    `with` block, child processes are waited for); only the standard streams are flushed.
    """
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):  # sys.exit("message"): Python prints it, status 1
        _err(str(code))
        code = 1
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away (`| head`), a closed stream
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
