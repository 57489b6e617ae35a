"""``checker test --cluster``: a corpus's files run on a Dask cluster's workers.

Each file travels as text with the rules folder it is checked against (each folder once, as
a checker.analysis.cluster.RulesBundle): a worker writes them into a folder of its own and
runs the file there as ``checker test`` would (checker.maintain.testing.run_file), then the
result names the file, its problems and its verdicts' scenario as the client knows them.
Chunks of files are the tasks; the results come back in the order of the files.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from checker.errors import CheckerError
from checker.maintain.testing import FileResult, RunResult, run_file

FILES_PER_TASK = 8


def _rules_root_of(path: Path, rules_root: Path | None, treaties: Sequence[str] = ()) -> Path | None:
    """The rules folder ``checker test`` would check ``path`` against (None: the worker's own
    search decides, as for a file that names no treaty it could find): that of the first
    treaty ``treaties`` (--treaty) or the file names."""
    if rules_root is not None:
        return Path(rules_root)
    from checker.io.pack import find_rules_root
    from checker.io.scenario import read_document

    try:
        doc = read_document(path, str(path))
        treaty = doc.get("treaty") if isinstance(doc, dict) else None
        if treaties:
            treaty = treaties[0]
        elif isinstance(treaty, list) and treaty:
            treaty = treaty[0]
        return find_rules_root(treaty, path) if isinstance(treaty, str) else None
    except CheckerError:
        return None


def run_remote_files(items: list[tuple[str, str, object, str | None]], options: tuple) -> list[FileResult]:
    """A task: run each (shown name, text, rules bundle or None, the client's rules folder)
    as ``run_file`` would."""
    folder = Path(tempfile.mkdtemp(prefix="treaty-checker-corpus-"))
    out = []
    for k, (shown, text, bundle, client_root) in enumerate(items):
        root = bundle.materialize() if bundle is not None else None
        local = folder / str(k) / Path(shown).name
        local.parent.mkdir(parents=True)
        local.write_text(text, encoding="utf-8")
        result = run_file(local, str(root) if root else None, *options)
        out.append(_as_shown(result, str(local), shown, client_root))
    return out


def _as_shown(result: FileResult, local: str, shown: str, root: str | None) -> FileResult:
    """``result`` naming the file as the client does."""
    cases = tuple(replace(c, file=shown, tree=_renamed(c.tree, local, shown),
                          derivation=_renamed(c.derivation, local, shown)) for c in result.cases)
    problems = tuple(line.replace(local, shown) for line in result.problems)
    verdicts = result.verdicts
    if verdicts is not None:
        verdicts = replace(verdicts, scenario=replace(verdicts.scenario, path=shown))
    return replace(result, file=shown, cases=cases, problems=problems, verdicts=verdicts,
                   rules_root=root if root is not None and result.rules_root is not None else result.rules_root)


def _renamed(value, local: str, shown: str):
    """``value`` (text, or lists and mappings of it) with the worker's name of a file the client's."""
    if isinstance(value, str):
        return value.replace(local, shown)
    if isinstance(value, (list, tuple)):
        return type(value)(_renamed(v, local, shown) for v in value)
    if isinstance(value, dict):
        return {k: _renamed(v, local, shown) for k, v in value.items()}
    return value


def run_corpus_on_cluster(files: Sequence[Path], address: str, *, rules_root: Path | None = None,
                          keep_verdicts: bool = True, explain: bool = True, timeout: float | None = None,
                          progress: Callable[[int, int, FileResult], None] | None = None,
                          max_uncertain_days: int | None = None, treaties: Sequence[str] = ()) -> RunResult:
    """run_corpus's result, the files run on the Dask cluster at ``address``."""
    from checker.analysis.cluster import Cluster, RulesBundle
    from checker.io.files import read_text

    start = time.perf_counter()
    bundles: dict[Path, RulesBundle] = {}
    items = []
    for path in files:
        path = Path(path)
        root = _rules_root_of(path, rules_root, treaties)
        if root is not None and root not in bundles:
            bundles[root] = RulesBundle.of(root)
        try:
            text = read_text(path, str(path))
        except CheckerError:
            text = None
        items.append((str(path), text, bundles.get(root) if root is not None else None,
                      str(root.resolve()) if root is not None else None))
    results: list[FileResult | None] = [None] * len(items)
    local = [k for k, item in enumerate(items) if item[1] is None]
    # (run_file's arguments after the rules folder)
    options = (None, None, keep_verdicts, timeout, True, explain, max_uncertain_days, None, tuple(treaties))
    for k in local:  # a file that cannot be read is said so here, as run_file says it
        results[k] = run_file(Path(items[k][0]), str(rules_root) if rules_root else None, *options)
    remote = [k for k in range(len(items)) if k not in set(local)]
    done = len(local)
    with Cluster(address) as cluster:
        chunks = [remote[i:i + FILES_PER_TASK] for i in range(0, len(remote), FILES_PER_TASK)]
        calls = [([items[k] for k in chunk], options) for chunk in chunks]
        for chunk, chunk_results in zip(chunks, cluster.ordered(run_remote_files, calls)):
            for k, result in zip(chunk, chunk_results):
                results[k] = result
                done += 1
                if progress:
                    progress(done, len(items), result)
        workers = cluster.workers
    run = RunResult(jobs=workers)
    run.skipped = [r.file for r in results if r is not None and r.skipped]
    run.files = [r for r in results if r is not None and not r.skipped]
    run.seconds = time.perf_counter() - start
    return run
