"""A helper process beside this one, for the parts of a repair that can run at the same time.

With a second core, a repair probes half of its first round of candidates, or its last
round, or solves half of its groups of duties in another process (probe.py, optimise.py).
That process comes from concurrent.futures with the spawn start method: it inherits
nothing, so each piece of work is a function at module level whose arguments and result
pickle. There is at most one, started on demand (or early, ``Helper.start``, when a long
history promises work for it), shut down on every way out of the repair, and it ends at
once when this process ends or gives up on it: it watches a pipe whose writing end only
this process holds (an idle worker of a pool would otherwise wait for work forever once its
parent is gone).

Symbols do not pickle: terms cross as the text clingo prints for them and are read back
with clingo.parse_term (``Texts``, ``Parsed``).
"""

from __future__ import annotations

import importlib
import os
import signal
import threading

from checker.errors import PackError, SolveTimeout


def available() -> bool:
    """Whether a second process can run beside this one at the same time (a second core)."""
    return (os.cpu_count() or 1) >= 2


class Helper:
    """One process for work beside this one, when there is a second core. A context manager:
    leaving it shuts the process down, at once if an error is on its way out."""

    def __init__(self):
        self._pool = None
        self._stop = None   # the writing end of the pipe the process watches

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(abort=kind is not None)

    def start(self, *modules: str) -> bool:
        """Start the process now, importing ``modules`` (those of the work to come) while this
        one goes on; False when there is no second core."""
        if self._pool is not None:
            return True
        if not available():
            return False
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        watched, self._stop = context.Pipe(duplex=False)
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_end_with_parent,
                                         initargs=(watched,))
        # (the pool starts its process with the first piece of work: now, so that its
        # start-up and imports overlap the work here)
        self._pool.submit(_import, ("clingo",) + modules)
        watched.close()   # (the process holds its own copy now)
        return True

    def submit(self, work, *args):
        """Start ``work(*args)`` in the process: a future of its outcome (see ``outcome``), or
        None when there is no second core (then the caller does the work itself)."""
        if not self.start():
            return None
        return self._pool.submit(_run, work, *args)

    def close(self, abort: bool = False) -> None:
        """Shut the process down: when it is done with its work, or (``abort``) at once."""
        if self._pool is None:
            return
        if abort:
            self._stop.close()   # the process ends itself (_end_with_parent)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._stop.close()
        self._pool = self._stop = None


def outcome(future, what: str):
    """The result of work submitted to a Helper; SolveTimeout if the work ran out of time,
    PackError (``what`` failed) for anything else it met, or if the process ended early."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        kind, value = future.result()
    except BrokenProcessPool:
        kind, value = "error", "the process ended early"
    if kind == "timeout":
        raise SolveTimeout(value)
    if kind == "error":
        raise PackError(f"rules: {what} failed: {value}")
    return value


class Texts(dict):
    """The text clingo prints for each symbol looked up as ``texts[symbol]``, remembered: a
    repair's terms repeat (holders, triggers, values), and a text costs a call into clingo."""

    def __missing__(self, sym) -> str:
        text = self[sym] = str(sym)
        return text


class Parsed(dict):
    """The symbol of each text looked up as ``parsed[text]`` (clingo.parse_term), remembered:
    the texts of one process's terms, read back in another."""

    def __init__(self):
        super().__init__()
        import clingo

        self._parse = clingo.parse_term

    def __missing__(self, text: str):
        sym = self[text] = self._parse(text)
        return sym


# --- in the helper process ---------------------------------------------------------------------

def _end_with_parent(watched) -> None:
    """Set up the helper process: it ends as soon as the pipe from its parent closes."""
    threading.Thread(target=_wait_and_end, args=(watched,), daemon=True).start()


def _wait_and_end(watched) -> None:
    from multiprocessing.connection import wait

    wait([watched])   # (nothing is ever sent: this returns when the writing end closes)
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _import(modules) -> None:
    for name in modules:
        importlib.import_module(name)


def _run(work, *args) -> tuple:
    """``work(*args)`` as (kind, value): ("ok", its result), ("timeout", message) or ("error",
    what went wrong), which ``outcome`` turns back into the result or the error."""
    try:
        return ("ok", work(*args))
    except SolveTimeout as exc:
        return ("timeout", str(exc))
    except Exception as exc:  # noqa: BLE001 - reported by the parent (outcome)
        return ("error", f"{type(exc).__name__}: {exc}")
