"""The console script ``checker``: registers every command on the app and runs it.

A bug in the checker is one line on stderr and exit code 2, never a traceback (set
CHECKER_DEBUG=1 to see it); an interrupt is "interrupted" and exit code 130, a SIGTERM
"terminated" and 143, each once the worker processes are stopped (checker.engine.pool).
"""

from __future__ import annotations

import errno
import os
import signal
import sys

from checker.cli import check, compare, explain, hypothetical, maintain, report, schema  # noqa: F401  (they register commands)
from checker.cli.app import EXIT_ERROR, app, err

FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS)  # a write the system refused
STOPPED = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}  # exit code: 128 + the signal's number


class Stopped(BaseException):
    """SIGINT or SIGTERM arrived: raised where the program is, so that what it started is
    stopped on the way out (a worker pool kills its workers) before the process ends. (Not a
    KeyboardInterrupt, which typer turns into a silent exit code 130.)"""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame) -> None:
    raise Stopped(signum)


def main() -> None:
    """Run the command line; every way out is an exit code."""
    for signum in STOPPED:
        signal.signal(signum, _stop)
    try:
        try:
            app()
        finally:
            _flush()
    except BrokenPipeError:  # the reader went away (`checker check ... | head`): not an error
        pass
    except (Stopped, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        err(f"checker: {STOPPED[signum]}")
        sys.exit(128 + signum)
    except SystemExit:
        raise
    except OSError as exc:
        if exc.errno not in FULL or os.environ.get("CHECKER_DEBUG"):
            _internal(exc)
        # a file the checker writes says which itself (checker.io.files, the temporary files):
        # one that does not is standard output (``> file`` on a full disk)
        if exc.filename is None:
            _drop_stdout()
        err(f"checker: {exc.filename or 'standard output'}: cannot be written: {exc.strerror or exc}")
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, see the docstring
        _internal(exc)


def _internal(exc: BaseException) -> None:
    """A bug: one line, exit code 2 (the traceback with CHECKER_DEBUG=1)."""
    if os.environ.get("CHECKER_DEBUG"):
        raise exc
    err(f"checker: internal error: {type(exc).__name__}: {exc} "
        "(please report it; CHECKER_DEBUG=1 shows the traceback)")
    sys.exit(EXIT_ERROR)


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at interpreter exit does not fail
    again on what could not be written."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _flush() -> None:
    """Flush stdout now; if its reader has gone, point it at /dev/null so that the flush at
    interpreter exit does not fail again (the recipe of Python's signal documentation)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise
