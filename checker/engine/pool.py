"""The processes the checker starts, in one place: worker pools that die with the checker,
and work bounded by a deadline.

``worker_pool`` is a ProcessPoolExecutor whose workers ignore SIGINT (the parent stops them)
and each watch their parent from a daemon thread, ending themselves when it is gone (killed
with SIGKILL, which no handler sees); on any exception in the ``with`` block (an interrupt,
the SIGTERM handler of the command line) the queued work is cancelled and the workers are
killed, instead of the executor's default of waiting for every queued item.

``within`` runs a piece of work in a forked child process and kills it at a deadline:
clingo's grounding cannot be interrupted from Python, so this is how ``--timeout`` holds for
every phase of a check. A child is started only when a deadline is given.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from checker.errors import CheckerError, SolveTimeout

T = TypeVar("T")

WATCH_SECONDS = 0.1   # how often a worker looks at its parent: how long it may outlive it
MAX_SECONDS = 1e6     # a deadline beyond this (eleven days) is no deadline the OS can wait for


def valid_timeout(seconds: float | None) -> bool:
    """Whether ``seconds`` is a deadline ``within`` can keep: a finite number above 0 and at
    most MAX_SECONDS (None: no deadline)."""
    return seconds is None or (math.isfinite(seconds) and 0 < seconds <= MAX_SECONDS)


# --- pools --------------------------------------------------------------------------------------

def _worker_start() -> None:
    """The initializer of every worker (and of ``within``'s child): leave SIGINT to the
    parent, end at SIGTERM without the command line's handler, and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), name="watch-parent", daemon=True).start()


def _start_then(initializer: Callable | None, initargs: tuple) -> None:
    _worker_start()
    if initializer is not None:
        initializer(*initargs)


def _watch_parent(parent: int) -> None:
    # a worker whose parent is gone (its pid changes to that of whoever adopted it) has no one
    # to send its result to: it ends at once, whatever it was doing
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def worker_pool(jobs: int, initializer: Callable | None = None, initargs: tuple = (),
                start_method: str | None = None) -> Iterator:
    """A ProcessPoolExecutor of ``jobs`` workers that die with this process (see the module's
    docstring), each running ``initializer(*initargs)`` once started; leaving the block by an
    exception cancels what is queued and kills them. ``start_method``: multiprocessing's
    (``spawn`` for workers that must not inherit this process's imports), else its default."""
    from concurrent.futures import ProcessPoolExecutor

    before = set(multiprocessing.active_children())
    context = multiprocessing.get_context(start_method) if start_method else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_then,
                               initargs=(initializer, initargs))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        stop(set(multiprocessing.active_children()) - before)
        raise
    pool.shutdown(wait=True)


def stop(processes) -> None:
    """Kill ``processes`` (multiprocessing's Process objects) and wait until they are gone."""
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError):  # already gone, or already closed
            pass
    for process in processes:
        try:
            process.join(5)
        except (OSError, ValueError, AssertionError):
            pass


def pool_map(function: Callable, items: list, jobs: int, chunksize: int = 1) -> list:
    """``[function(item) for item in items]`` on ``jobs`` workers (in this process when
    ``jobs`` is 1), in order."""
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with worker_pool(jobs) as pool:
        return list(pool.map(function, items, chunksize=chunksize))


# --- deadlines ----------------------------------------------------------------------------------

def can_fork() -> bool:
    """Whether ``within`` can run work in a forked child here (not on Windows or macOS's default)."""
    return "fork" in multiprocessing.get_all_start_methods()


def within(seconds: float | None, path: str, work: Callable[[float | None], T]) -> T:
    """``work(limit)``, given ``seconds`` at most: it runs in a forked child that is killed at
    the deadline (SolveTimeout, on ``path``'s line 1), with ``limit`` None. A CheckerError it
    raises is raised here; its result comes back pickled. Without ``seconds`` it runs here,
    and so it does where no process can be forked, with ``limit`` = ``seconds``: the work
    then applies the solver's own time limit, which holds while solving only."""
    if seconds is None or not can_fork():
        return work(seconds)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # not a daemon: the work may start processes of its own (repair's probes)
    child = context.Process(target=_child, args=(work, send, path), name="checker-deadline")
    deadline = time.monotonic() + seconds
    child.start()
    send.close()  # the child holds the only sending end: its end is the end of the pipe
    try:
        if not receive.poll(max(deadline - time.monotonic(), 0)):
            raise SolveTimeout(f"{path}:1: timeout: checking took longer than the time allowed "
                               f"(--timeout {seconds:g})")
        try:
            kind, value = receive.recv()
        except (EOFError, OSError):
            child.join(5)
            raise CheckerError(f"{path}:1: check: the process checking it ended abnormally "
                               f"({_ending(child.exitcode)})") from None
    finally:
        receive.close()
        stop([child])
    if kind == "error":
        raise value
    if kind == "crash":
        summary, details = value
        crash = RuntimeError(summary)
        crash.add_note(details)
        raise crash
    return value


def _child(work: Callable, send, path: str) -> None:
    """The forked child of ``within``: do the work and send what came of it."""
    import traceback

    _worker_start()
    try:
        message = ("ok", work(None))
    except CheckerError as exc:
        message = ("error", exc)
    except MemoryError:
        message = ("error", CheckerError(f"{path}:1: memory: checking it ran out of memory"))
    except Exception as exc:  # noqa: BLE001 - a bug: the parent reports it as one
        message = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        send.send(message)
    except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled is a bug too
        send.send(("crash", (f"the result could not be sent back: {type(exc).__name__}: {exc}",
                             traceback.format_exc())))
    finally:
        send.close()


def _ending(code: int | None) -> str:
    """How a process ended, in words."""
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
