"""What every command shares: the typer app, the common options, exit codes, error output.

The command modules (check, explain, hypothetical, maintain) register their commands on
``app``; checker.cli.main imports them and runs it. Heavy imports (clingo) happen inside
the commands, so that ``checker --help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, NoReturn

import typer

from checker.errors import CheckerError, UsageError

EXIT_OK, EXIT_BREACH, EXIT_ERROR = 0, 1, 2

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


DISTRIBUTION = "treaty-checker"  # the name the package is installed under (pyproject.toml)


def _print_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        print(f"{DISTRIBUTION} {version(DISTRIBUTION)}")
    except PackageNotFoundError:  # run from a source tree that was never installed
        err(f"checker: {DISTRIBUTION} is not installed (pip install -e . in the clone), so it has no version")
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_OK)


@app.callback()
def _group(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print the installed version and exit."),
) -> None:
    """Check histories of events against treaties written as answer-set programs."""


class Format(str, Enum):
    text = "text"
    json = "json"


def err(line: str) -> None:
    """One line on stderr, shown as one line whatever it holds (render.style.visible)."""
    from checker.render.style import visible

    print(visible(line), file=sys.stderr)


def fail(exc: CheckerError) -> NoReturn:
    """Print the problems of ``exc``, one a line, and end with exit code 2."""
    for line in exc.lines():
        err(line)
    raise typer.Exit(EXIT_ERROR)


def exit_for(breached: bool) -> NoReturn:
    """End with 1 when something was breached (or late), else 0."""
    raise typer.Exit(EXIT_BREACH if breached else EXIT_OK)


def collect_scenarios(paths: List[Path]) -> List[Path]:
    """Files as given; folders expanded to the scenario files below them, sorted."""
    from checker.io.files import scenario_files

    out: List[Path] = []
    for path in paths:
        if path.is_dir():
            found = scenario_files([path])
            if not found:
                raise UsageError(f"{path}: no scenario files (*.yaml, *.yml, *.json) in this folder")
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise UsageError(no_such_path(path))
    return out


def no_such_path(path: Path, default: str | None = None) -> str:
    """The line for a path that does not exist: no line number (there is no line to point
    at); ``default`` says which command reads it when no path is given."""
    what = "no such folder" if default else "no such file" if path.suffix else "no such file or folder"
    return f"{path}: {what}" + (f" ({default})" if default else "")


def require_file(path: Path) -> None:
    """UsageError unless ``path`` names a file (a special file is refused when it is read)."""
    if not path.exists():
        raise UsageError(no_such_path(path))
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give one scenario file")


def parse_assignments(items: List[str], option: str, numeric: bool) -> dict:
    """``K=V`` options as a dict (V a whole number when ``numeric``; None for ``unset``)."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageError(f"{option}: expected NAME=VALUE, got {item!r}")
        if numeric and value == "unset":  # a parameter the pack lets be unset (default null)
            out[key] = None
        elif numeric:
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


def as_path(text: str) -> Path:
    """A path option or argument: one the system can take (no NUL byte, no name longer than
    the file system allows), whether or not it exists; a usage error otherwise."""
    import errno
    import os

    from checker.render.style import visible

    if "\x00" in text:
        raise typer.BadParameter(f"{visible(text)!s}: a path cannot hold a NUL byte")
    try:
        os.lstat(text)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise typer.BadParameter(f"{visible(text[:40])}... ({len(text)} characters): a name too long for "
                                     "the file system") from None
    return Path(text)


def as_folder(text: str) -> Path:
    """``as_path``, and not a file."""
    out = as_path(text)
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} is a file; give a folder")
    return out


def as_file(text: str) -> Path:
    """``as_path``, and not a folder."""
    out = as_path(text)
    if out.is_dir():
        raise typer.BadParameter(f"{out} is a folder; give a file")
    return out


OUTPUT_OPTION = typer.Option(None, "--output", "-o", metavar="FILE", parser=as_file,
                             help="Write the report to this file (atomically; an existing file only with "
                                  "--force) instead of standard output.")
FORCE_OPTION = typer.Option(False, "--force", help="Replace FILE if it exists.")
RULES_OPTION = typer.Option(None, "--rules", metavar="FOLDER", help="Folder of rule packs (default: the nearest rules/ "
                            "above the scenario, then ./rules, then the one shipped with the checker).",
                            parser=as_folder)
READING_OPTION = typer.Option([], "--reading", "-r", metavar="NAME=CHOICE",
                              help="Override one of the treaty's readings (see the pack's treaty.yaml), as NAME=CHOICE. "
                                   "Repeatable.")
PARAM_OPTION = typer.Option([], "--param", "-p", metavar="NAME=N",
                            help="Override one of the pack's numeric parameters, as NAME=N (NAME=unset leaves "
                                 "one whose default is unset without a value). Repeatable.")
AS_OF_OPTION = typer.Option(None, "--as-of", metavar="DATE",
                            help="Give the verdict as of this day (YYYY-MM-DD); later events are ignored.")
def as_seconds(value: float | None) -> float | None:
    """--timeout: a number of seconds a deadline can be kept to (not nan, inf, 0 or less)."""
    from checker.engine.pool import MAX_SECONDS, valid_timeout

    if not valid_timeout(value):
        raise typer.BadParameter(f"{value:g} is not a number of seconds above 0 and at most {MAX_SECONDS:.0f}")
    return value


UNCERTAIN_DAYS_OPTION = typer.Option(
    None, "--max-uncertain-days", metavar="N", min=1, max=10_000_000,
    help="The possible days of a scenario's uncertain dates ({between: [...]}), in all (default 366): "
         "a larger range is refused before anything is built. Every possible world is grounded at once, "
         "and the grounding grows faster than the number of days.")
TIMEOUT_OPTION = typer.Option(None, "--timeout", metavar="SECONDS", callback=as_seconds,
                              help="Give up (exit 2) when checking one scenario takes longer, reading, "
                                   "grounding, solving and explaining included.")
TREATY_OPTION = typer.Option([], "--treaty", "-t", metavar="PACK",
                             help="Check the history under this treaty (a rule pack), whatever its treaty: "
                                  "says; a history with no treaty: needs one. Repeatable: each treaty gives its "
                                  "own report (docs/comparing.md).")
ONE_TREATY_OPTION = typer.Option(None, "--treaty", "-t", metavar="PACK",
                                 help="The treaty to read the history under, for a history checked under "
                                      "several (docs/comparing.md).")
