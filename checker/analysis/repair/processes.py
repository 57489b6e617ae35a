"""A helper process beside this one, for the parts of a repair that can run at the same time.

With a second core, a repair probes half of its first round of candidates, or its last
round, or solves half of its groups of duties in another process (probe.py, optimise.py).
That process comes from concurrent.futures with the spawn start method: it inherits
nothing, so each piece of work is a function at module level whose arguments and result
pickle. There is at most one, started on demand (or early, ``Helper.start``, when a long
history promises work for it) and shut down on every way out of the repair: when its work
is done, or at once (terminated) when an error is on its way out. It also ends when this
process ends, however that happens: it watches multiprocessing's sentinel of its parent (an
idle worker of a pool would otherwise wait for work forever once its parent is gone).

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
        self._pid = None   # a future of the process's id (its first piece of work)

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

        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_end_with_parent)
        # (the pool starts its process with the first piece of work: now, so that its
        # start-up and imports overlap the work here)
        self._pid = self._pool.submit(_import, ("clingo",) + modules)
        return True

    def submit(self, work, *args):
        """Start ``work(*args)`` in the process: a future of its outcome (see ``outcome``), or
        None when there is no second core (then the caller does the work itself)."""
        from concurrent.futures.process import BrokenProcessPool

        if not self.start():
            return None
        try:
            return self._pool.submit(_run, work, *args)
        except BrokenProcessPool:   # (the process ended early: see Lost)
            return None

    def close(self, abort: bool = False) -> None:
        """Shut the process down: when it is done with its work, or (``abort``) at once."""
        if self._pool is None:
            return
        if abort:
            self._terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._pid = None

    def _terminate(self) -> None:
        """End the process whatever it is doing (the pool then finds it broken and shuts down
        without waiting for its work)."""
        import multiprocessing

        try:
            # (work submitted meanwhile may already be queued for it: it is ended once it
            # has started, which takes its imports, not its work)
            pid = self._pid.result()
        except Exception:  # noqa: BLE001 - it never started: there is nothing to end
            return
        for child in multiprocessing.active_children():
            if child.pid == pid:
                child.terminate()
                child.join()


class Lost(Exception):
    """The helper process ended before its work was done (killed, or unable to start, as when
    the main module of a program that calls repair starts one again on import): the caller
    does the work itself."""


def outcome(future, what: str):
    """The result of work submitted to a Helper; SolveTimeout if the work ran out of time,
    PackError (``what`` failed) for anything else it met, Lost if the process ended early."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        kind, value = future.result()
    except BrokenProcessPool:
        raise Lost() from None
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

def _end_with_parent() -> None:
    """Set up the helper process: it ends as soon as its parent does."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_wait_and_end, args=(parent.sentinel,), daemon=True).start()


def _wait_and_end(sentinel) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])   # (ready when the parent has ended)
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _import(modules) -> int:
    """Import ``modules``; the id of this process."""
    for name in modules:
        importlib.import_module(name)
    return os.getpid()


def _run(work, *args) -> tuple:
    """``work(*args)`` as (kind, value): ("ok", its result), ("timeout", message) or ("error",
    what went wrong), which ``outcome`` turns back into the result or the error."""
    try:
        return ("ok", work(*args))
    except SolveTimeout as exc:
        return ("timeout", str(exc))
    except Exception as exc:  # noqa: BLE001 - reported by the parent (outcome)
        return ("error", f"{type(exc).__name__}: {exc}")
