"""`checker repair` on a generated history: wall time of the whole command, and the phases.

    python benchmarks/repair_bench.py                      # 1 000 events, 5 runs
    python benchmarks/repair_bench.py --events 2000 --repeat 3 --work /tmp/rbench

Each run is a fresh `checker repair FILE -f json` process (Python start-up, loading, probing,
optimising and the final check with the pack's rules all included); the figures are medians.
The phase split is that of `checker.analysis.repair.repair` (load, history, probe, reduce, solve,
verify), each run in a fresh process, also medians; `--in-process` adds one run of `checker.analysis.repair.repair` with every day
of every window optimised with the pack's rules (the behaviour before the days were reduced),
for the candidate counts and the optimum it must equal.

    python benchmarks/repair_bench.py --compare /tmp/before --repeat 9

`--compare DIR` times the command of another copy of the package (DIR holds its `checker/`,
e.g. `mkdir /tmp/before && git archive HEAD~1 | tar -x -C /tmp/before`) alternated run by run with this one, and checks
that both find a repair of the same cost: on a shared machine only alternated medians compare.
Wall and CPU (user + system, the helper process of a repair included) are both given, with the load
average before and after.

    python benchmarks/repair_bench.py --compare /tmp/before --repeat 9 --busy 1

`--busy N` keeps N other processes spinning on the CPU meanwhile: a busy machine (another
benchmark running beside this one), the same from one measurement to the next.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PHASES = """
import json, sys
from checker.analysis.repair import repair
print(json.dumps(repair(sys.argv[1]).timings))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--work", default="/tmp/treaty-checker-repair-bench")
    ap.add_argument("--in-process", action="store_true",
                    help="also compare with every day of every window and the pack's rules")
    ap.add_argument("--compare", metavar="DIR",
                    help="another copy of the package, timed alternated with this one")
    ap.add_argument("--busy", type=int, default=0, metavar="N",
                    help="keep N other processes spinning on the CPU while timing")
    args = ap.parse_args()
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        print(f"load average {_load()} before" + (f" ({args.busy} spinning)" if args.busy else ""))
        run(args)
        print(f"load average {_load()} after")
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(args) -> None:
    work = Path(args.work)
    path = work / f"history-{args.events}.yaml"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--events",
                        str(args.events), "--seed", str(args.seed), "--out", str(work),
                        "--format", "yaml"], check=True)
    if args.compare:
        compare_copies(path, Path(args.compare).resolve(), args.repeat)
        return
    walls, cpus, phases, docs = [], [], {}, []
    for _ in range(args.repeat):
        wall, cpu, doc = _timed(path, ROOT)
        walls.append(wall)
        cpus.append(cpu)
        docs.append(doc)
        # the phases, from the library in a fresh process too
        out = subprocess.run([sys.executable, "-c", PHASES, str(path)], capture_output=True,
                             text=True, cwd=ROOT, check=True)
        for name, seconds in json.loads(out.stdout).items():
            phases.setdefault(name, []).append(seconds)
    doc = docs[0]
    actions = doc["repairs"][0]["actions"] if doc["repairs"] else 0
    print(f"{path}: {len(doc['targets'])} duties to repair, {actions} actions, "
          f"optimal={doc['optimal']}, verified={doc['verified']}")
    print(f"whole command, wall (median of {args.repeat}): {statistics.median(walls):.2f} s, "
          f"CPU {statistics.median(cpus):.2f} s   runs: {' '.join(f'{w:.2f}' for w in walls)}")
    if phases:
        print("phases (medians): " + "  ".join(f"{name} {statistics.median(v):.3f}"
                                              for name, v in phases.items()))
    if args.in_process:
        compare(path)


def _timed(path: Path, root: Path) -> tuple[float, float, dict]:
    """(wall, CPU of the process and its children, JSON output) of one command run from ``root``."""
    import resource

    env = dict(os.environ, PYTHONPATH=str(root))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "checker", "repair", str(path), "-f", "json"],
                         capture_output=True, text=True, cwd=root, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):
        sys.exit(out.stderr)
    doc = json.loads(out.stdout)
    doc.pop("seconds", None)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, doc


def compare_copies(path: Path, other: Path, repeat: int) -> None:
    """This tree and ``other``, run alternately: medians of wall and CPU, and the same answer."""
    if not (other / "checker" / "__init__.py").exists():
        sys.exit(f"--compare: {other} holds no checker/ package")
    rows: dict = {"other": [], "this": []}
    docs: dict = {}
    for _ in range(repeat):
        for name, root in (("other", other), ("this", ROOT)):
            wall, cpu, doc = _timed(path, root)
            rows[name].append((wall, cpu))
            docs.setdefault(name, doc)
    for name, label in (("other", str(other)), ("this", str(ROOT))):
        walls = [w for w, _ in rows[name]]
        cpus = [c for _, c in rows[name]]
        print(f"{label}: wall median {statistics.median(walls):.2f} s (max {max(walls):.2f}), CPU median "
              f"{statistics.median(cpus):.2f} s   runs: {' '.join(f'{w:.2f}' for w in walls)}")
    # (among equally good repairs the one printed may differ from run to run: the cost and
    # what was repaired must not)
    same = {name: (doc["targets"], doc["optimal"], doc["verified"], _cost(doc)) for name, doc in docs.items()}
    print("same optimum" if same["other"] == same["this"] else f"DIFFERENT OPTIMA: {same}")


def _cost(doc: dict) -> tuple[int, int]:
    """(actions, sum of their days) of a repair's JSON: what the optimisation minimises first."""
    import datetime as dt

    events = doc["repairs"][0]["events"] if doc["repairs"] else []
    return len(events), sum(dt.date.fromisoformat(e["date"]).toordinal() for e in events)


def compare(path: Path) -> None:
    import datetime as dt
    from dataclasses import replace

    from checker.analysis.repair import method
    from checker.analysis.repair import reduce as reduce_module

    def cost(result):
        events = result.repairs[0].events if result.repairs else ()
        return len(events), sum(dt.date.fromisoformat(e["date"]).toordinal() for e in events)

    seen = {}
    reduce = reduce_module.reduce

    def counting(cands, *args, **kwargs):
        reduce(cands, *args, **kwargs)
        seen["candidates"], seen["kept"] = len(cands.by_key), len(cands.kept)

    reduce_module.reduce = counting
    rows = []
    for every_day, fast in ((False, True), (True, False)):
        method.TUNING = replace(method.TUNING, all_days=every_day, fast=fast)
        start = time.perf_counter()
        result = method.repair(path)
        rows.append((every_day, fast, time.perf_counter() - start, seen["kept"], cost(result),
                     result.optimal, result.verified))
    print(f"candidates: {seen['candidates']}")
    for every_day, fast, seconds, kept, (n, days), optimal, verified in rows:
        how = "every day, the pack's rules" if every_day else "kept days, cover of the probes"
        print(f"  {how:32} {seconds:6.2f} s  {kept:5} tried  {n} actions, day sum {days}  "
              f"optimal={optimal} verified={verified}")
    print("same optimum" if rows[0][4] == rows[1][4] else "DIFFERENT OPTIMA")


if __name__ == "__main__":
    main()
