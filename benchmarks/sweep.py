"""How fast `checker sweep` is: one grounding per sweep against a grounding per point, against
the floor, on one core, on every core and on a Dask cluster; and its memory at 100 000 points.

Measured side by side in one run (a busy machine slows every side alike):

1. the bundled hybrid-grid.yaml over `consult-1.date=-10..+10 × arms-uk.date=0..9` (210
   points), alternated run by run: each point edited in the file and checked from scratch
   (a fresh grounding: what every sweep did before), and the whole grid on one grounding;
2. the floor: solving one point of the already grounded program (clingo's solve call and
   nothing else), timed on the grounding the sweep just used;
3. a 10 000-point grid (`× report-uk.date=0..49`), on one process, on every core, and on a
   LocalCluster of two worker processes (when dask.distributed is installed);
4. a 100 000-point grid (`× param.assistance_days=1..10`), as the command runs it
   (`checker sweep ... -f csv` in a child process, its rows thrown away), with the child's peak
   resident memory, beside the 10 000-point grid's.

    python benchmarks/sweep.py                 # everything (a few minutes)
    python benchmarks/sweep.py --repeat 5 --skip-big --json out.json

Exits 1 when a target is missed: 10x the points per second of a grounding per point, a
point within 3x of the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.analysis.sweep import default_jobs, plan_sweep, reference_cells, run  # noqa: E402

GRID = ROOT / "facts" / "istanbul-2022" / "hybrid-grid.yaml"
SMALL = ["consult-1.date=-10..+10", "arms-uk.date=0..9"]
TEN_THOUSAND = ["consult-1.date=-10..+9", "arms-uk.date=0..9", "report-uk.date=0..49"]
HUNDRED_THOUSAND = TEN_THOUSAND + ["param.assistance_days=1..10"]


def regrounding(points: list[tuple], dims) -> tuple[float, float]:
    """Wall and CPU seconds to check every point the old way: the file edited, validated and
    grounded anew."""
    start, cpu = time.perf_counter(), time.process_time()
    for point in points:
        reference_cells(GRID, dims, point)
    return time.perf_counter() - start, time.process_time() - cpu


def multishot(plan) -> tuple[float, float, float, float]:
    """Wall and CPU seconds for the whole grid on one grounding (one process), and the
    grounding's own wall and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    run(plan, jobs=1)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    from checker.analysis.sweep import _LOCAL

    family = _LOCAL.family[1]
    grounding = next(iter(family._groundings.values()))
    return seconds, cpu, grounding.ground_seconds, grounding.ground_cpu_seconds


def floor(repeat: int = 400) -> tuple[float, float]:
    """The wall and CPU seconds of clingo's solve call on the grounding last used (its
    externals as the last point left them), means of ``repeat`` calls."""
    from checker.analysis.sweep import _LOCAL

    grounding = next(iter(_LOCAL.family[1]._groundings.values()))
    walls, cpus = [], []
    for _ in range(repeat):
        cpu = time.process_time()
        walls.append(grounding.solve_only())
        cpus.append(time.process_time() - cpu)
    # means, as a sweep's own time per point is (a busy machine's pauses count on both sides)
    return statistics.mean(walls), statistics.mean(cpus)


def child_sweep(varies: list[str], jobs: int | None) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of `checker sweep GRID --vary ... -f csv` in a child."""
    args = [sys.executable, "-m", "checker", "sweep", str(GRID), "-f", "csv", "--max-points", "1000000"]
    for v in varies:
        args += ["--vary", v]
    if jobs:
        args += ["-j", str(jobs)]
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, kib, returncode = out.stdout.split()
    if int(returncode) not in (0, 1):
        raise SystemExit(f"checker sweep failed ({returncode}): {out.stderr}")
    return float(seconds), int(kib) / 1024


def _children_cpu() -> float:
    """CPU seconds of the child processes this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def on_cluster(plan) -> float | None:
    """Seconds for ``plan`` on a LocalCluster of two worker processes, or None without dask."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run(plan_sweep(GRID, SMALL), cluster=cluster.scheduler_address)  # the workers' imports, once
        start = time.perf_counter()
        run(plan, cluster=cluster.scheduler_address)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side of the 210-point comparison")
    parser.add_argument("--skip-big", action="store_true", help="leave out the 100 000-point grid")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    figures: dict = {"cores": default_jobs(), "load": os.getloadavg()[0]}

    plan = plan_sweep(GRID, SMALL)
    points = [plan.values(i) for i in range(plan.size)]
    old, old_cpu, new, new_cpu, ground, ground_cpu, floors, floors_cpu = [], [], [], [], [], [], [], []
    for _ in range(args.repeat):
        wall, cpu = regrounding(points, plan.dims)
        old.append(wall)
        old_cpu.append(cpu)
        wall, cpu, grounding, grounding_cpu = multishot(plan_sweep(GRID, SMALL))
        new.append(wall)
        new_cpu.append(cpu)
        ground.append(grounding)
        ground_cpu.append(grounding_cpu)
        wall, cpu = floor()
        floors.append(wall)
        floors_cpu.append(cpu)
    n, med = plan.size, statistics.median
    per_point = (med(new) - med(ground)) / n
    per_point_cpu = (med(new_cpu) - med(ground_cpu)) / n
    figures["small"] = {
        "points": n, "regrounding_s": med(old), "regrounding_cpu_s": med(old_cpu),
        "multishot_s": med(new), "multishot_cpu_s": med(new_cpu), "grounding_s": med(ground),
        "grounding_cpu_s": med(ground_cpu),
        "floor_ms": med(floors) * 1000, "floor_cpu_ms": med(floors_cpu) * 1000,
        "speedup": med(old) / med(new), "speedup_cpu": med(old_cpu) / med(new_cpu),
        "per_point_ms": per_point * 1000, "per_point_cpu_ms": per_point_cpu * 1000,
        "per_point_over_floor": per_point / med(floors), "per_point_over_floor_cpu": per_point_cpu / med(floors_cpu),
    }
    s = figures["small"]
    print(f"hybrid-grid.yaml, {n} points ({', '.join(SMALL)}), medians of {args.repeat} alternated runs, "
          "one process:")
    print("                            wall s   points/s     CPU s   points/s")
    print(f"  a grounding per point   {s['regrounding_s']:8.3f} {n / s['regrounding_s']:10.0f} "
          f"{s['regrounding_cpu_s']:9.3f} {n / s['regrounding_cpu_s']:10.0f}")
    print(f"  one grounding           {s['multishot_s']:8.3f} {n / s['multishot_s']:10.0f} "
          f"{s['multishot_cpu_s']:9.3f} {n / s['multishot_cpu_s']:10.0f}")
    print(f"    of which grounding    {s['grounding_s']:8.3f} {'':10} {s['grounding_cpu_s']:9.3f}")
    print(f"  ratio                   {s['speedup']:7.1f}x {'':10} {s['speedup_cpu']:8.1f}x   (target 10x)")
    print(f"  a point, grounding left out: {s['per_point_ms']:.3f} ms wall, {s['per_point_cpu_ms']:.3f} ms CPU; "
          f"the floor (clingo's solve call on the grounded program): {s['floor_ms']:.3f} ms wall, "
          f"{s['floor_cpu_ms']:.3f} ms CPU;")
    print(f"  {s['per_point_over_floor']:.2f}x the floor (wall), {s['per_point_over_floor_cpu']:.2f}x (CPU)  "
          "(target 3x)")

    big = plan_sweep(GRID, TEN_THOUSAND)
    start, cpu = time.perf_counter(), time.process_time()
    run(big, jobs=1)
    one, one_cpu = time.perf_counter() - start, time.process_time() - cpu
    # every core: the CPU of this process and of its worker processes (waited for when the pool
    # closes), so a busy machine's wall clock can be told from the work done
    start, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    result = run(big, jobs=default_jobs())
    every = time.perf_counter() - start
    every_cpu = time.process_time() - cpu + _children_cpu() - children
    cluster = on_cluster(big)
    figures["ten_thousand"] = {"points": big.size, "one_core_s": one, "one_core_cpu_s": one_cpu,
                               "all_cores_s": every, "all_cores_cpu_s": every_cpu,
                               "workers": result.workers, "cluster_s": cluster}
    print(f"\n{big.size} points ({', '.join(TEN_THOUSAND)}):")
    print("                            wall s   points/s     CPU s   points/s per CPU second")
    print(f"  one process             {one:8.2f} {big.size / one:10.0f} {one_cpu:9.2f} {big.size / one_cpu:10.0f}")
    print(f"  {result.workers} processes             {every:8.2f} {big.size / every:10.0f} {every_cpu:9.2f} "
          f"{big.size / every_cpu:10.0f}")
    if cluster is None:
        print("  Dask LocalCluster       (dask.distributed is not installed: pip install 'treaty-checker[cluster]')")
    else:
        print(f"  Dask, 2 worker processes{cluster:7.2f} {big.size / cluster:10.0f}")

    if not args.skip_big:
        seconds10, peak10 = child_sweep(TEN_THOUSAND, None)
        seconds100, peak100 = child_sweep(HUNDRED_THOUSAND, None)
        figures["memory"] = {"ten_thousand": {"s": seconds10, "peak_mib": peak10},
                             "hundred_thousand": {"s": seconds100, "peak_mib": peak100}}
        print("\n`checker sweep ... -f csv` as a command (rows written as they come, thrown away), every core:")
        print(f"  10 000 points    {seconds10:7.1f} s  peak resident {peak10:6.1f} MiB (largest process)")
        print(f"  100 000 points   {seconds100:7.1f} s  peak resident {peak100:6.1f} MiB (largest process)")
    figures["targets"] = {"speedup_10x": s["speedup"] >= 10 and s["speedup_cpu"] >= 10,
                          "floor_3x": s["per_point_over_floor"] <= 3 and s["per_point_over_floor_cpu"] <= 3}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if all(figures["targets"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
