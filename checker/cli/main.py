"""The console script ``checker``: registers every command on the app and runs it.

A bug in the checker is one line on stderr and exit code 2, never a traceback (set
CHECKER_DEBUG=1 to see it); an interrupt is "interrupted" and exit code 130.
"""

from __future__ import annotations

import os
import sys

from checker.cli import check, explain, hypothetical, maintain, report, schema  # noqa: F401  (they register commands)
from checker.cli.app import EXIT_ERROR, app, err

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def main() -> None:
    """Run the command line; every way out is an exit code."""
    try:
        try:
            app()
        finally:
            _flush()
    except BrokenPipeError:  # the reader went away (`checker check ... | head`): not an error
        pass
    except KeyboardInterrupt:
        err("checker: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence, see the docstring
        if os.environ.get("CHECKER_DEBUG"):
            raise
        err(f"checker: internal error: {type(exc).__name__}: {exc} "
            "(please report it; CHECKER_DEBUG=1 shows the traceback)")
        sys.exit(EXIT_ERROR)


def _flush() -> None:
    """Flush stdout now; if its reader has gone, point it at /dev/null so that the flush at
    interpreter exit does not fail again (the recipe of Python's signal documentation)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise
