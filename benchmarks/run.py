"""How close `checker check` comes to its floor: clingo alone on the same rules and facts.

    python benchmarks/run.py                 # 5 alternated runs of each side (medians)
    python benchmarks/run.py --repeat 9      # steadier on a busy machine
    python benchmarks/run.py --json out.json

For each scenario, two commands are timed, alternated run by run so that a busy machine
slows both alike, and their medians compared, wall-clock (what a user waits; the targets)
and CPU (user + system: the work done, which a busy machine disturbs less):

- ``checker check FILE -f json`` in a new process, as a user runs it (start-up, loading and
  validating, facts, grounding, solving, decoding, the report, exit);
- the floor: the ``clingo`` executable of the clingo wheel (``python -m clingo``, or a
  ``clingo`` script beside the interpreter) grounding and solving the same rule files over
  the same facts, written as an ``.lp`` file (``--models=2``, as the checker asks for one
  model and a proof that there is no second).

The scenarios: a small bundled one (facts/istanbul-2022/hybrid-grid.yaml, where start-up is
most of the time) and generated histories of 1 000 and 10 000 events (benchmarks/generate.py,
fixed seed) as JSON, the form of machine-made histories; the 10 000-event history as YAML
too, quoted without a target. Then, in one process, where the CPU time of the 10 000-event
check goes, phase by phase, and the time of ``checker --help``.

Both commands run with Python's bytecode cache, as an installed package has it
(PYTHONDONTWRITEBYTECODE is dropped from their environment).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
PY = sys.executable
SMALL = ROOT / "facts" / "istanbul-2022" / "hybrid-grid.yaml"

# the most end to end may take, as a multiple of the floor measured beside it
TARGETS = {"small": 2.5, "10000 events": 1.5}


def _checker() -> list[str]:
    exe = shutil.which("checker", path=str(Path(PY).parent))
    return [exe] if exe else [PY, "-m", "checker"]


def _clingo() -> list[str]:
    exe = shutil.which("clingo", path=str(Path(PY).parent))
    return [exe] if exe else [PY, "-m", "clingo"]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(cmd: list[str], ok=(0, 1)) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark: {' '.join(map(str, cmd))} exited {proc.returncode}:\n"
                         f"{err.decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime


def write_facts(scenario_path: Path, lp_path: Path) -> list[str]:
    """Write the input facts of a scenario as an .lp file (clingo's own printing of the
    symbols the engine adds); return the pack's rule files."""
    from checker.engine.facts import fact_symbols
    from checker.io.pack import rule_files
    from checker.io.scenario import load_scenario

    scenario, pack = load_scenario(scenario_path)
    with open(lp_path, "w", encoding="utf-8") as f:
        f.writelines(f"{symbol}.\n" for symbol in fact_symbols(scenario, pack))
    return [str(p) for p in rule_files(pack)]


def history(events: int, work: Path, seed: int, fmt: str) -> Path:
    """The generated history of ``events`` events, written once into ``work``."""
    from generate import generate, write

    stem = work / f"history-{events}-seed{seed}"
    path = stem.with_suffix("." + fmt)
    if not path.exists():
        write(generate(events, seed), stem, formats=("yaml", "json"))
    return path


def side_by_side(scenario: Path, lp: Path, rules: list[str], repeat: int) -> dict:
    """End to end and the floor, alternated, ``repeat`` runs each: their medians and ratios."""
    check = _checker() + ["check", str(scenario), "-f", "json"]
    floor = _clingo() + ["--models=2", "--warn=none", *rules, str(lp)]
    ends, floors = [], []
    _run(check), _run(floor, ok=(0, 10, 20, 30))   # warm the caches, unmeasured
    for _ in range(repeat):
        ends.append(_run(check))
        floors.append(_run(floor, ok=(0, 10, 20, 30)))
    out = {"checker_runs": ends, "floor_runs": floors}
    for i, unit in enumerate(("wall", "cpu")):
        end, low = statistics.median(r[i] for r in ends), statistics.median(r[i] for r in floors)
        out[unit] = {"checker": end, "floor": low, "ratio": end / low}
    return out


# --- where the time goes, in one process -------------------------------------------------------

def phases(path: Path) -> dict:
    """CPU seconds of each phase of checking ``path`` as `checker check -f json` runs them."""
    from dataclasses import replace

    mark = [time.process_time()]
    out: dict = {}

    def done(phase: str) -> None:
        now = time.process_time()
        out[phase] = now - mark[0]
        mark[0] = now

    import clingo  # noqa: F401 - what `checker check` imports
    import yaml  # noqa: F401

    import checker.cli.main  # noqa: F401
    from checker.engine.decode import decode
    from checker.engine.solve import prepare, solve_prepared
    from checker.io.scenario import load_scenario
    from checker.render.json import iter_json

    done("imports")
    scenario, pack = load_scenario(path)
    done("load")
    counts: dict = {}

    def on_phase(name: str, ctl) -> None:
        if name == "solve":
            lp = ctl.statistics["problem"]["lp"]
            counts["ground rules"] = int(lp["rules"])
            counts["ground atoms"] = int(lp["atoms"])
        done(name)

    problem = prepare(scenario, pack, on_phase=on_phase)
    scenario = replace(scenario, events=())   # as `checker check` does
    solution = solve_prepared(problem, on_phase=on_phase)
    shown = list(solution.shown)
    counts["terms read"] = len(shown)
    mark[0] = time.process_time()
    verdicts = decode(shown, scenario, pack)
    done("decode")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sink.writelines(iter_json([verdicts]))
    done("report")
    counts["duties"] = len(verdicts.obligations) + len(verdicts.not_fired)
    return {"seconds": out, "counts": counts}


def phases_apart(path: Path) -> dict:
    """``phases`` of ``path`` in a process of its own, with what it cannot time of itself:
    the interpreter's start and exit (its CPU time less the phases')."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([PY, __file__, "--phases-of", str(path)], stdout=subprocess.PIPE, stderr=err,
                                cwd=ROOT, env=ENV)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"benchmark: phases failed:\n{err.read().decode()[-3000:]}")
    split = json.loads(out)
    seconds = split["seconds"]
    seconds["start and exit"] = usage.ru_utime + usage.ru_stime - sum(seconds.values())
    return split


def start_up(repeat: int) -> dict:
    """Medians (wall) of a bare interpreter and of `checker --help`."""
    bare = [_run([PY, "-c", "pass"])[0] for _ in range(repeat)]
    helps = [_run(_checker() + ["--help"], ok=(0,))[0] for _ in range(repeat)]
    return {"python": statistics.median(bare), "help": statistics.median(helps)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    import clingo
    import yaml

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, clingo {clingo.__version__}, PyYAML {yaml.__version__}; "
            f"load average at start {load:.1f}")


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def table(rows: dict, split: dict, starts: dict) -> list[str]:
    lines = ["", "seconds, medians; ratio = checker / clingo",
             f"{'scenario':<21} {'checker':>8} {'clingo':>8} {'ratio':>6}  {'CPU ratio':>9}  target",
             f"{'':<21} {'wall':>8} {'wall':>8} {'':>6}  {'':>9}"]
    for name, r in rows.items():
        wall, cpu = r["wall"], r["cpu"]
        target = TARGETS.get(name)
        verdict = "" if target is None else f"{target}x {'met' if wall['ratio'] <= target else 'MISSED'}"
        lines.append(f"{name:<21} {_fmt(wall['checker']):>8} {_fmt(wall['floor']):>8} {wall['ratio']:>5.2f}x  "
                     f"{cpu['ratio']:>8.2f}x  {verdict}")
    seconds, counts = split["seconds"], split["counts"]
    total = sum(seconds.values())
    lines += ["", "10 000 events (JSON), CPU by phase: " +
              ", ".join(f"{k} {_fmt(v)} s ({v / total:.0%})" for k, v in seconds.items()),
              "  " + ", ".join(f"{k} {v}" for k, v in counts.items()),
              f"python -c pass {_fmt(starts['python'])} s; checker --help {_fmt(starts['help'])} s (wall)"]
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side per scenario (medians)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="folder for generated files (kept)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    parser.add_argument("--phases-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases_of:
        print(json.dumps(phases(args.phases_of)))
        return
    work = args.work or Path(tempfile.gettempdir()) / "treaty-checker-bench"
    work.mkdir(parents=True, exist_ok=True)
    print("machine:", machine())
    print(f"{args.repeat} alternated runs of each side; files in {work}", flush=True)

    cases = {"small": SMALL,
             "1000 events": history(1000, work, args.seed, "json"),
             "10000 events": history(10000, work, args.seed, "json"),
             "10000 events (YAML)": history(10000, work, args.seed, "yaml")}
    rows = {}
    for name, path in cases.items():
        lp = work / (path.stem + ".lp")
        rules = write_facts(path, lp)
        rows[name] = side_by_side(path, lp, rules, args.repeat)
        print(f"  {name}: {rows[name]['wall']['ratio']:.2f}x", flush=True)
    split = phases_apart(cases["10000 events"])
    starts = start_up(args.repeat)
    print("\n".join(table(rows, split, starts)))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "end_to_end": rows, "phases": split,
                                         "start_up": starts}, indent=1))
    missed = [name for name, target in TARGETS.items() if rows[name]["wall"]["ratio"] > target]
    if missed:
        raise SystemExit(f"benchmark: over target: {', '.join(missed)}")


if __name__ == "__main__":
    main()
