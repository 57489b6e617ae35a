"""Speed and memory of the checker at scale, as the figures of issue 6 ask for.

    python benchmarks/run.py                      # 1 000, 10 000 and 100 000 events
    python benchmarks/run.py --quick              # 1 000 and 10 000, a small corpus, one repeat
    python benchmarks/run.py --sizes 1000,30000 --repeat 5 --corpus 200

For each size it generates a history (benchmarks/generate.py, YAML and JSON, fixed seed) and
prints, per phase (load: parse and validate, event by event; build facts; ground; solve and
read the verdict atoms; decode; report), the time and the peak resident memory of that phase,
each size measured in a fresh process. Then, run side
by side and alternating so that a noisy machine moves both sides of a ratio alike (medians of
``--repeat`` runs):

- YAML end to end (``checker check FILE -f json``, a new process) against PyYAML's C loader
  merely parsing the same file (``yaml.load(f, Loader=yaml.CSafeLoader)``);
- JSON end to end against the ``clingo`` executable grounding and solving the same rules over
  the same facts written out as an ``.lp`` file (the engine's floor). The pip package ships no
  ``clingo`` binary, so the floor is ``python -m clingo`` when there is none on PATH;
- growth from one size to the next: time (JSON end to end of both sizes, alternated run by
  run) and ground program size (clingo's statistics);
- ``checker --help`` start-up time; a corpus of small scenarios through ``checker test``, one
  worker against every core; ``checker explain`` of one breached duty of the 10 000-event
  history.

Timing is wall-clock; memory is the peak resident set size (VmHWM, reset between phases
through /proc/self/clear_refs), so it counts clingo's C++ memory too.
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
CHECKER = [PY, "-m", "checker"]

# the targets of issue 6, each a ratio measured side by side in one run
TARGETS = {
    "yaml_vs_cparse": 1.5,
    "json_vs_clingo": 2.0,
    "growth": 11.0,
    "peak_mb": 1024,
    "help_s": 0.3,
    "corpus_speedup": 1.6,
}


# --- one size, phase by phase, in a process of its own ---------------------------------------

def _hwm_kb() -> int:
    with open("/proc/self/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))


def _reset_peak() -> None:
    # writing 5 resets the peak RSS (Linux >= 4.0); without it phases report the running peak
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def phases(path: Path) -> dict:
    """Time (s) and peak memory (MB) of each phase of checking ``path``, in this process."""
    from checker.engine.check import paused_gc

    with paused_gc():  # as `checker check` runs them
        return _phases(path)


def _phases(path: Path) -> dict:
    from dataclasses import replace

    from checker.engine.decode import OUTPUTS, decode
    from checker.engine.solve import prepare, solve_prepared
    from checker.io import scenario as loader
    from checker.render.json import iter_json

    out: dict = {"time": {}, "peak_mb": {}}
    mark = [time.perf_counter()]

    def done(phase: str) -> None:
        now = time.perf_counter()
        out["time"][phase] = now - mark[0]
        out["peak_mb"][phase] = _hwm_kb() / 1024
        _reset_peak()
        mark[0] = time.perf_counter()

    import clingo  # noqa: F401 - imported before timing: start-up is measured on its own

    _reset_peak()
    mark[0] = time.perf_counter()
    # read and checked event by event, as `checker check` does (one phase: they interleave)
    scenario, pack = loader.load_scenario(path)
    done("load")

    def on_phase(name: str, ctl) -> None:
        if name == "solve":
            lp = ctl.statistics["problem"]["lp"]
            out["ground_rules"] = int(lp["rules"])
            out["ground_atoms"] = int(lp["atoms"])
        done({"facts": "build facts"}.get(name, name))

    # as `checker check` does: the events are let go of once the facts are built
    problem = prepare(scenario, pack, on_phase=on_phase)
    scenario = replace(scenario, events=())
    solution = solve_prepared(problem, read=OUTPUTS, on_phase=on_phase)
    mark[0] = time.perf_counter()
    verdicts = decode(solution.symbols, scenario, pack)
    out["atoms_read"] = sum(block.count for block in solution.symbols)
    del solution
    done("decode")
    # written in pieces, as `checker check` writes it
    with open(os.devnull, "w", encoding="utf-8") as sink:
        out["report_bytes"] = sum(sink.write(piece) for piece in iter_json([verdicts]))
    done("report")
    out["obligations"] = len(verdicts.obligations)
    out["not_fired"] = len(verdicts.not_fired)
    return out


# --- helpers ---------------------------------------------------------------------------------

def _wall(cmd: list[str], stdout=subprocess.DEVNULL, ok=(0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark: {' '.join(map(str, cmd))} exited {proc.returncode}:\n"
                         f"{proc.stderr.decode(errors='replace')[-2000:]}")
    return seconds


def _cparse(path: Path) -> float:
    import yaml

    start = time.perf_counter()
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def _clingo_cmd() -> list[str]:
    exe = shutil.which("clingo", path=f"{Path(PY).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return [exe] if exe else [PY, "-m", "clingo"]


def _write_facts(json_path: Path, lp_path: Path) -> None:
    """The scenario's input facts as an .lp file: the same symbols the engine adds."""
    import clingo

    from checker.engine.facts import fact_symbols
    from checker.io.scenario import load_scenario

    scenario, pack = load_scenario(json_path)
    with open(lp_path, "w", encoding="utf-8") as f:
        for symbol in fact_symbols(scenario, pack, clingo):
            f.write(f"{symbol}.\n")


def _rule_files() -> list[str]:
    from checker.io.pack import load_pack, rule_files

    return [str(p) for p in rule_files(load_pack("istanbul-2022", ROOT / "rules"))]


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


def _fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


# --- the benchmark ---------------------------------------------------------------------------

def bench_size(n: int, work: Path, repeat: int, seed: int) -> dict:
    from generate import generate, write

    stem = work / f"history-{n}-seed{seed}"
    if not (stem.with_suffix(".yaml").exists() and stem.with_suffix(".json").exists()):
        write(generate(n, seed), stem)
    yaml_path, json_path = stem.with_suffix(".yaml"), stem.with_suffix(".json")
    lp_path = stem.with_suffix(".lp")
    if not lp_path.exists():
        _write_facts(json_path, lp_path)

    result: dict = {"events": n, "yaml_mb": yaml_path.stat().st_size / 2**20}
    for fmt, path in (("yaml", yaml_path), ("json", json_path)):
        proc = subprocess.run([PY, __file__, "--phases-of", str(path)], capture_output=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"benchmark: phases of {path} failed:\n{proc.stderr.decode()[-3000:]}")
        result[fmt] = json.loads(proc.stdout)

    rules = _rule_files()
    floor_cmd = _clingo_cmd() + ["--models=2", "--warn=none"] + rules + [str(lp_path)]
    samples: dict[str, list[float]] = {"cparse": [], "yaml_e2e": [], "json_e2e": [], "clingo": []}
    for _ in range(repeat):  # alternate, so that load on the machine falls on every side
        samples["cparse"].append(_cparse(yaml_path))
        samples["yaml_e2e"].append(_wall(CHECKER + ["check", str(yaml_path), "-f", "json"]))
        samples["clingo"].append(_wall(floor_cmd, ok=(0, 10, 20, 30)))
        samples["json_e2e"].append(_wall(CHECKER + ["check", str(json_path), "-f", "json"]))
    for key, xs in samples.items():
        result[key] = _median(xs)
        result[key + "_all"] = xs
    return result


def bench_growth(small: dict, large: dict, work: Path, repeat: int, seed: int) -> dict:
    """End to end (JSON) of two sizes alternated run by run, so that the growth from one to
    the other is a ratio measured side by side like the others: taken size by size, minutes
    apart, it moved with the machine's speed (x10.6 to x13.1 for the same code)."""
    paths = [work / f"history-{r['events']}-seed{seed}.json" for r in (small, large)]
    ratios, walls = [], ([], [])
    for _ in range(repeat):
        pair = [_wall(CHECKER + ["check", str(path), "-f", "json"]) for path in paths]
        for wall, got in zip(pair, walls):
            got.append(wall)
        ratios.append(pair[1] / pair[0])
    return {"small": small["events"], "large": large["events"], "ratio": _median(ratios),
            "small_e2e": _median(walls[0]), "large_e2e": _median(walls[1]), "ratios_all": ratios}


def bench_help(repeat: int) -> float:
    exe = shutil.which("checker", path=str(Path(PY).parent)) or "checker"
    return _median([_wall([exe, "--help"], ok=(0,)) for _ in range(max(5, repeat))])


def bench_corpus(count: int, work: Path, seed: int) -> dict:
    from generate import write_corpus

    folder = work / f"corpus-{count}-seed{seed}"
    if not folder.exists() or len(list(folder.glob("*.yaml"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, count, seed)
    help_text = subprocess.run(CHECKER + ["test", "--help"], capture_output=True, text=True, cwd=ROOT)
    cores = os.cpu_count() or 1
    if help_text.returncode == 0 and "--jobs" in help_text.stdout:
        how = "checker test -j 1 / -j %d" % cores
        serial = _wall(CHECKER + ["test", str(folder), "-j", "1"])
        parallel = _wall(CHECKER + ["test", str(folder), "-j", str(cores)])
    else:  # `checker test` not there yet: the same work through a process pool
        how = "ProcessPoolExecutor over check_file (checker test has no --jobs)"
        serial = _pool(folder, 1)
        parallel = _pool(folder, cores)
    return {"count": count, "how": how, "serial": serial, "parallel": parallel, "cores": cores,
            "speedup": serial / parallel if parallel else float("nan")}


def _pool(folder: Path, workers: int) -> float:
    from concurrent.futures import ProcessPoolExecutor

    from checker.engine.check import check_file

    files = sorted(folder.glob("*.yaml"))
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(check_file, files, chunksize=8))
    return time.perf_counter() - start


def bench_explain(work: Path, seed: int) -> dict | None:
    help_text = subprocess.run(CHECKER + ["explain", "--help"], capture_output=True, cwd=ROOT)
    if help_text.returncode != 0:
        return None
    path = work / f"history-10000-seed{seed}.yaml"
    if not path.exists():
        from generate import generate, write

        write(generate(10000, seed), path.with_suffix(""))
    report = subprocess.run(CHECKER + ["check", str(path), "-f", "json"], capture_output=True, cwd=ROOT)
    obligations = json.loads(report.stdout)["scenarios"][0]["obligations"]
    target = next((o["id"] for o in obligations if o["status"] == "breached" and o["trigger"]),
                  obligations[-1]["id"])
    seconds = _wall(CHECKER + ["explain", str(path), target])
    return {"obligation": target, "seconds": seconds}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    import clingo
    import yaml

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, clingo {clingo.__version__}, PyYAML {yaml.__version__} "
            f"(libyaml {'yes' if yaml.__with_libyaml__ else 'no'}); load average at start {load:.1f}")


PHASES = ("load", "build facts", "ground", "solve", "decode", "report")


def print_table(sizes: list[dict], growth: list[dict], help_s: float | None, corpus: dict | None,
                explain: dict | None) -> list[str]:
    lines = []
    say = lines.append
    for fmt in ("yaml", "json"):
        say(f"\n{fmt.upper()}: time in s (peak memory in MB) per phase, one fresh process per size")
        head = f"{'events':>8} " + " ".join(f"{p:>15}" for p in PHASES) + f" {'sum':>8}"
        say(head)
        for r in sizes:
            ph = r[fmt]
            cells = [f"{_fmt_s(ph['time'][p]):>7} ({ph['peak_mb'][p]:>5.0f})" for p in PHASES]
            say(f"{r['events']:>8} " + " ".join(f"{c:>15}" for c in cells) + f" {_fmt_s(sum(ph['time'].values())):>8}")
    say("\nEnd to end (a new `checker check FILE -f json` process; medians) and the ratios of issue 6")
    say(f"{'events':>8} {'MB yaml':>8} {'C-parse':>8} {'yaml e2e':>9} {'ratio':>6} {'clingo':>8} "
        f"{'json e2e':>9} {'ratio':>6} {'peak MB':>8} {'ground rules':>13} {'obligations':>12}")
    for r in sizes:
        peak = max(max(r[f]["peak_mb"].values()) for f in ("yaml", "json"))
        say(f"{r['events']:>8} {r['yaml_mb']:>8.1f} {_fmt_s(r['cparse']):>8} {_fmt_s(r['yaml_e2e']):>9} "
            f"{r['yaml_e2e'] / r['cparse']:>6.2f} {_fmt_s(r['clingo']):>8} {_fmt_s(r['json_e2e']):>9} "
            f"{r['json_e2e'] / r['clingo']:>6.2f} {peak:>8.0f} {r['json']['ground_rules']:>13} "
            f"{r['json']['obligations']:>12}")
    for (a, b), g in zip(zip(sizes, sizes[1:]), growth):
        f = b["events"] / a["events"]
        say(f"growth {a['events']} -> {b['events']} (x{f:g} events): "
            f"json e2e x{g['ratio']:.1f} (side by side: {_fmt_s(g['small_e2e'])} s / {_fmt_s(g['large_e2e'])} s), "
            f"ground x{b['json']['time']['ground'] / a['json']['time']['ground']:.1f}, "
            f"ground rules x{b['json']['ground_rules'] / a['json']['ground_rules']:.1f}, "
            f"ground atoms x{b['json']['ground_atoms'] / a['json']['ground_atoms']:.1f}")
    if help_s is not None:
        say(f"\n`checker --help`: {help_s:.3f} s (median)")
    if corpus is not None:
        say(f"corpus of {corpus['count']} scenarios ({corpus['how']}): serial {corpus['serial']:.1f} s, "
            f"{corpus['cores']} workers {corpus['parallel']:.1f} s, speed-up x{corpus['speedup']:.2f}")
    if explain is not None:
        say(f"`checker explain` of {explain['obligation']} in the 10 000-event history: {explain['seconds']:.2f} s")
    elif explain is None:
        say("`checker explain`: not available")
    say("\nTargets (issue 6):")
    big = sizes[-1]
    checks = [
        (f"YAML {big['events']} events: end to end <= {TARGETS['yaml_vs_cparse']}x C-loader parse",
         big["yaml_e2e"] / big["cparse"], TARGETS["yaml_vs_cparse"]),
        (f"JSON {big['events']} events: end to end <= {TARGETS['json_vs_clingo']}x clingo ground+solve",
         big["json_e2e"] / big["clingo"], TARGETS["json_vs_clingo"]),
        (f"peak memory at {big['events']} events <= {TARGETS['peak_mb']} MB",
         max(max(big[f]["peak_mb"].values()) for f in ("yaml", "json")), TARGETS["peak_mb"]),
    ]
    if len(sizes) > 1:
        a, b = sizes[-2], sizes[-1]
        scale = (b["events"] / a["events"]) * TARGETS["growth"] / 10
        checks.append((f"growth {a['events']} -> {b['events']}: time <= x{scale:g}",
                       growth[-1]["ratio"], scale))
        checks.append((f"growth {a['events']} -> {b['events']}: ground size <= x{scale:g}",
                       b["json"]["ground_rules"] / a["json"]["ground_rules"], scale))
    if help_s is not None:
        checks.append(("`checker --help` < 0.3 s", help_s, TARGETS["help_s"]))
    if corpus is not None:
        checks.append((f"corpus speed-up on {corpus['cores']} cores >= x{TARGETS['corpus_speedup']}",
                       corpus["speedup"], -TARGETS["corpus_speedup"]))
    for text, value, limit in checks:
        ok = value >= -limit if limit < 0 else value <= limit
        say(f"  [{'met' if ok else 'MISSED'}] {text}: {value:.2f}")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated event counts")
    parser.add_argument("--quick", action="store_true", help="1000 and 10000 events, corpus of 100, one repeat")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side-by-side figure (median)")
    parser.add_argument("--corpus", type=int, default=1000, help="scenarios in the corpus (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="folder for generated files (kept)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    parser.add_argument("--phases-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases_of:
        print(json.dumps(phases(args.phases_of)))
        return
    if args.quick:
        args.sizes, args.repeat, args.corpus = "1000,10000", 1, min(args.corpus, 100)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.work or Path(tempfile.gettempdir()) / "treaty-checker-bench"
    work.mkdir(parents=True, exist_ok=True)
    print("machine:", machine())
    print(f"sizes {sizes}, {args.repeat} repeat(s), files in {work}", flush=True)
    results = []
    for n in sizes:
        results.append(bench_size(n, work, args.repeat, args.seed))
        print(f"  {n} events done", flush=True)
    growth = [bench_growth(a, b, work, args.repeat, args.seed) for a, b in zip(results, results[1:])]
    help_s = bench_help(args.repeat)
    corpus = bench_corpus(args.corpus, work, args.seed) if args.corpus else None
    explain = bench_explain(work, args.seed) if 10000 in sizes or not args.quick else None
    lines = print_table(results, growth, help_s, corpus, explain)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "sizes": results, "growth": growth,
                                         "help_s": help_s, "corpus": corpus, "explain": explain}, indent=1))


if __name__ == "__main__":
    main()
