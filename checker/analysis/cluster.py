"""Work on a Dask distributed cluster: chunks of a sweep's points (or of a corpus's files)
to its workers, the results back in order as they finish.

The client connects to the scheduler at ``tcp://HOST:PORT`` (``checker sweep --cluster``,
``checker test --cluster``). The work travels whole: a sweep's plan holds the validated
scenario, and the pack's rule files go with it as text (a worker writes them once into a
folder of its own), so a worker needs only treaty-checker installed, of the same version
as the client (checked: a worker of another version refuses the work). Each chunk is one
task: a worker grounds the rules once per chunk, and at most a few chunks per worker wait
at once, so a million points never sit in memory together.

dask.distributed is an optional extra: ``pip install 'treaty-checker[cluster]'``.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from checker.errors import UsageError

EXTRA = "pip install 'treaty-checker[cluster]'"
CONNECT_SECONDS = 10
IN_FLIGHT_PER_WORKER = 3
SUFFIXES = (".lp", ".yaml", ".md")   # what a pack's folder holds that the engine or its loader reads


def _version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("treaty-checker")
    except PackageNotFoundError:
        return None


@dataclass(frozen=True)
class RulesBundle:
    """A folder of rule packs as text (relative path -> text), named by its digest."""

    digest: str
    files: tuple[tuple[str, str], ...]
    version: str | None
    name: str = "rules"   # the folder's own name (a derivation names rule files from its parent)

    @classmethod
    def of(cls, root: Path, packs: Iterable[str] | None = None) -> "RulesBundle":
        """The packs ``packs`` (default: every one) of the rules folder ``root``, with rules/common."""
        root = Path(root)
        folders = [root / "common"] + ([root / p for p in packs] if packs is not None
                                       else sorted(p for p in root.iterdir() if p.is_dir() and p.name != "common"))
        files = []
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.suffix in SUFFIXES and path.is_file():
                    files.append((path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")))
        digest = hashlib.sha256()
        for name, text in files:
            digest.update(name.encode() + b"\0" + text.encode() + b"\0")
        return cls(digest.hexdigest()[:16], tuple(files), _version(), root.name or "rules")

    def materialize(self) -> Path:
        """The bundle as a folder on this machine (written once per bundle and process)."""
        here = _version()
        if here != self.version:
            raise UsageError(f"--cluster: this worker runs treaty-checker {here or '(not installed)'}, the "
                             f"client {self.version or '(not installed)'}: install the same version on both")
        folder = _FOLDERS.get(self.digest)
        if folder is not None and folder.is_dir():
            return folder
        folder = Path(tempfile.mkdtemp(prefix=f"treaty-checker-rules-{self.digest}-")) / self.name
        for name, text in self.files:
            target = folder / name
            if ".." in Path(name).parts:
                raise UsageError(f"--cluster: a rule file's name leaves its folder: {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _FOLDERS[self.digest] = folder
        return folder


_FOLDERS: dict[str, Path] = {}


def shipped_plan(plan):
    """``plan`` with its pack's rule files carried as text (see ``worker_plan``)."""
    pack = plan.pack
    # the pack's folder and those of the packs it extends (their rule files are its own too)
    bundle = RulesBundle.of(Path(pack.folder).parent, [Path(f).name for f in pack.folders])
    return replace(plan, pack=(pack, bundle))


def worker_plan(plan):
    """A plan shipped by ``shipped_plan`` with its pack's rule files on this machine."""
    pack, bundle = plan.pack
    cached = _PLANS.get(plan.token)
    if cached is not None:
        return cached
    root = bundle.materialize()
    here = Path(pack.folder).parent

    def moved(path) -> Path:  # a file of the shipping machine's rules folder, in this one
        return root / Path(path).relative_to(here)

    local = replace(plan, pack=replace(pack, folder=moved(pack.folder),
                                       rule_files=tuple(moved(p) for p in pack.rule_files),
                                       manifests=tuple(moved(m) for m in pack.manifests)))
    _PLANS.clear()   # one plan at a time: a worker's memory holds one grounding
    _PLANS[plan.token] = local
    return local


_PLANS: dict[str, object] = {}


def run_shipped_chunk(run_chunk: Callable, plan, start: int, stop: int):
    """A task: ``run_chunk`` (checker.analysis.sweep's, sent by reference) on points ``start``
    .. ``stop - 1`` of a shipped plan."""
    return run_chunk(worker_plan(plan), start, stop)


class Cluster:
    """A connection to a Dask scheduler, for one command; ``with Cluster(address) as c``."""

    def __init__(self, address: str):
        if "://" not in address:
            raise UsageError(f"--cluster: {address!r} is no scheduler address (tcp://HOST:PORT)")
        try:
            from distributed import Client
        except ImportError:
            raise UsageError(f"--cluster: needs dask.distributed, which is not installed ({EXTRA})") from None
        self.address = address
        try:
            self.client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--cluster: no Dask scheduler answers at {address} ({exc})") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def map_chunks(self, plan, ranges: list[tuple[int, int]], run_chunk: Callable) -> Iterator:
        """``run_chunk(plan, start, stop)`` for each of ``ranges``, on the workers, in order."""
        remote = self.client.scatter(shipped_plan(plan), broadcast=True, hash=False)
        yield from self.ordered(run_shipped_chunk, [(run_chunk, remote, start, stop) for start, stop in ranges])

    def ordered(self, function: Callable, calls: list[tuple]) -> Iterator:
        """``function(*call)`` for each of ``calls`` on the workers, the results in order, at
        most a few per worker in flight."""
        client = self.client
        todo = iter(calls)
        pending: deque = deque()
        try:
            for call in _take(todo, self.workers * IN_FLIGHT_PER_WORKER):
                pending.append(client.submit(function, *call, pure=False))
            while pending:
                result = pending.popleft().result()
                for call in _take(todo, 1):
                    pending.append(client.submit(function, *call, pure=False))
                yield result
        finally:
            for future in pending:
                future.cancel()


def _take(iterator, n: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) == n:
            break
    return out
