#!/usr/bin/env python3
"""nhnprice benchmarks: what a user feels, each measured beside its baseline.

    python benchmarks/run.py            # the full run
    python benchmarks/run.py --quick    # under a minute on 2 cores
    python benchmarks/run.py --json     # machine-readable results

Measured (docs/performance.md has method, machine and results):
- report_vs_import_floor: the whole process `nhnprice report specs/2024.nhp --format json`
  against `python -c "import lark, attrs, click"` (the dependency floor); goal ≤ 1.5;
  report_uncached_vs_import_floor: the same with nhnprice's cache off (NHNPRICE_NO_CACHE=1),
  as the first run after the spec and every data file changed; check_edited_vs_import_floor:
  `nhnprice check` of the spec given a new first line before every run, as a policy writer
  saving it does (its data unchanged); csv/markdown/html/xlsx_vs_import_floor: `report --format F
  -o FILE` for each other format, goals 1.5 (xlsx: 3). Each is the fastest of 15 runs (31 in a full run), the
  commands and their baseline taking turns;
- alloc_1m_seconds / alloc_1m_ratio_vs_float: exact apportionment of one pool over 1 000 000
  members by a key, against a float64 NumPy proportional split with naive rounding;
  goals ≤ 1 s and ≤ 3×, with peak memory ≤ 500 MB;
- sweep_1000_seconds: 1 000 scenarios of the 2024 spec, compiled once; goal ≤ 2 s;
- parse_check_5000_lines_seconds: parse and check a generated 5 000-line spec; goal ≤ 1 s;
- alloc_scaling: 10 k, 100 k and 1 M members, to show linear growth;
- verify_2024_seconds: the whole process `nhnprice verify specs/2024.nhp` with its default
  settings (exact bounds and 100 data sets), the fastest of 3 runs with a fixed seed; goal < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "2024.nhp"
sys.path.insert(0, str(ROOT))


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def process_env(**extra: str) -> dict:
    """The environment of the timed processes: bytecode may be written and read, as it is for a
    package pip installed (pip compiles it); without this, an editable checkout under
    PYTHONDONTWRITEBYTECODE would recompile nhnprice's source on every run, and not its
    dependencies'."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def process_seconds(commands: dict[str, tuple], repeat: int) -> dict[str, float]:
    """The fastest of `repeat` runs of each command, the commands taking turns: a machine whose
    speed drifts (other tenants, clock scaling) then slows a command and its baseline alike.
    A command is (argv, env) or (argv, env, before): `before()` runs untimed before each run."""
    def once(argv, env, before=None):
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
        return time.perf_counter() - start

    for command in commands.values():  # warm the file cache and nhnprice's cache
        once(*command)
    best = {name: float("inf") for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            best[name] = min(best[name], once(*command))
    return best


def nhnprice_command() -> list[str]:
    exe = Path(sys.executable).parent / "nhnprice"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "nhnprice"]


def bench_report_vs_floor(repeat: int) -> dict:
    """The whole process, warm (the usual re-run); with nhnprice's cache off (as after an edit
    to the spec and every data file: parse, check, read and validate everything); and `check`
    of a spec edited before every run, its data unchanged (a policy writer saving the spec)."""
    command = nhnprice_command() + ["report", str(SPEC), "--format", "json"]
    with tempfile.TemporaryDirectory() as folder:
        edited = Path(folder) / "edited.nhp"
        # the spec's data paths are relative; the link leads out of its folder, which the user allows
        (Path(folder) / "data").symlink_to(SPEC.parent / "data")
        allowed = process_env(NHNPRICE_ALLOW_DATA_DIRS=str(SPEC.parent / "data"))
        text = SPEC.read_text(encoding="utf-8")
        edits = iter(range(10**9))

        def edit() -> None:  # a new first line: every declaration below it moves
            edited.write_text(f"# edit {next(edits)}\n{text}", encoding="utf-8")

        t = process_seconds({
            "floor": ([sys.executable, "-c", "import lark, attrs, click"], process_env()),
            "report": (command, process_env()),
            "uncached": (command, process_env(NHNPRICE_NO_CACHE="1")),
            "check_edited": (nhnprice_command() + ["check", str(edited)], allowed, edit),
        }, repeat)
    return {"import_floor_seconds": t["floor"], "report_seconds": t["report"],
            "report_vs_import_floor": t["report"] / t["floor"],
            "report_uncached_seconds": t["uncached"], "report_uncached_vs_import_floor": t["uncached"] / t["floor"],
            "check_edited_seconds": t["check_edited"],
            "check_edited_vs_import_floor": t["check_edited"] / t["floor"]}


#: how many times the import floor each report format may take (a warm run of the 2024 spec)
FORMAT_GOALS = {"csv": 1.5, "markdown": 1.5, "html": 1.5, "xlsx": 3.0}


def bench_report_formats(repeat: int) -> dict:
    """`nhnprice report specs/2024.nhp --format F -o FILE`, warm, for every format but JSON (timed
    above), each against the import floor, all taking turns; goals in FORMAT_GOALS."""
    with tempfile.TemporaryDirectory() as folder:
        commands = {"floor": ([sys.executable, "-c", "import lark, attrs, click"], process_env())}
        for fmt in FORMAT_GOALS:
            commands[fmt] = (nhnprice_command() + ["report", str(SPEC), "--format", fmt, "-o",
                                                   str(Path(folder) / f"report.{fmt}")], process_env())
        t = process_seconds(commands, repeat)
    return {f"{fmt}_vs_import_floor": t[fmt] / t["floor"] for fmt in FORMAT_GOALS}


def weights(n: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    return {f"{i:09d}": rng.randint(1, 400_000) for i in range(n)}


def bench_alloc(n: int, repeat: int) -> dict:
    import numpy as np

    from nhnprice.money import apportion, apportion_array

    w = weights(n)
    keys = list(w)
    total = 12_345_678_901  # øre
    array = np.fromiter(w.values(), dtype=np.int64, count=n)
    floats = array.astype(np.float64)

    def naive():  # the float64 baseline: proportional split with naive rounding (does not even sum up)
        np.rint(total * floats / floats.sum()).astype(np.int64)

    def exact_split():
        apportion_array(total, array, 1, keys)

    exact = baseline = float("inf")
    for _ in range(max(repeat, 5)):  # taking turns, so that a drifting machine slows both alike
        exact = min(exact, best_of(exact_split, 1))
        baseline = min(baseline, best_of(naive, 1))
    from_dict = best_of(lambda: apportion(total, w), 1)  # the same split from a {id: weight} mapping
    tracemalloc.start()
    exact_split()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"members": n, "seconds": exact, "from_mapping_seconds": from_dict, "float_seconds": baseline,
            "ratio_vs_float": exact / baseline, "peak_mb": peak / 1e6}


def bench_sweep(count: int) -> dict:
    """What `nhnprice sweep specs/2024.nhp --set prisjustering=0%..99.9%:0.1%` does: compile once,
    load the data once, then evaluate the graph once per value of the price adjustment."""
    from fractions import Fraction

    from nhnprice.evaluate import evaluate
    from nhnprice.pipeline import compile_file, load_data

    start = time.perf_counter()
    graph, _ = compile_file(str(SPEC))
    tables, _ = load_data(graph)
    compiled = time.perf_counter()
    last = None
    for i in range(count):
        result, diagnostics = evaluate(graph, tables, {"prisjustering": Fraction(i, 1000)}, entities=False)
        assert result is not None, diagnostics
        last = result
    seconds = time.perf_counter() - compiled
    return {"scenarios": count, "seconds": seconds, "compile_and_load_seconds": compiled - start,
            "last_total_ore": sum(p.cost_ore for p in last.pools)}


def generated_spec(lines: int) -> str:
    out = ['title "generated"', "year 2024", "rounding groups to 0.1 mill",
           'key k { file "k.csv" id id weight w provenance synthetic "generated" }',
           "group a by k", "group b by k", "group c by k"]
    i = 0
    while len(out) < lines:
        out += [f'pool p{i} "Pool {i}" {{', f"  cost {i % 900 + 1}.{i % 10} mill", f'  reference "§ {i}"',
                "  a 30 % {", "    half", '    half "rest of a"', "  }", "  b 1/3", "  c rest", "}"]
        i += 1
    return "\n".join(out) + "\n"


def bench_parse_check(lines: int, repeat: int) -> dict:
    from nhnprice.check import check
    from nhnprice.syntax import parse

    text = generated_spec(lines)

    def once():
        spec, diagnostics = parse(text, "generated.nhp")
        assert spec is not None, diagnostics
        assert not [d for d in check(spec) if d.is_error]

    once()
    return {"lines": text.count("\n"), "seconds": best_of(once, repeat)}


def bench_verify_2024(repeat: int = 3) -> float:
    """`nhnprice verify specs/2024.nhp` as CI runs it, default settings and a fixed seed (warm caches)."""
    command = nhnprice_command() + ["verify", str(SPEC), "--seed", "1"]
    return process_seconds({"verify": (command, process_env())}, repeat)["verify"]


def main() -> None:
    parser = argparse.ArgumentParser(description="nhnprice benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repeats: under a minute on 2 cores")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    repeat = 9 if args.quick else 21
    process_repeat = 15 if args.quick else 31  # a process is short and the machine noisy: more runs to take the best of
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "platform": platform.platform()}}
    results["process"] = bench_report_vs_floor(process_repeat)
    results["formats"] = bench_report_formats(process_repeat)
    scaling = [bench_alloc(n, repeat if n < 1_000_000 else max(2, repeat // 2))
               for n in (10_000, 100_000, 1_000_000)]
    results["alloc_scaling"] = scaling
    results["sweep"] = bench_sweep(1000)
    results["parse_check"] = bench_parse_check(5000, repeat)
    one_m = scaling[-1]
    summary = {
        "report_vs_import_floor": round(results["process"]["report_vs_import_floor"], 3),
        "report_uncached_vs_import_floor": round(results["process"]["report_uncached_vs_import_floor"], 3),
        "check_edited_vs_import_floor": round(results["process"]["check_edited_vs_import_floor"], 3),
        **{key: round(value, 3) for key, value in results["formats"].items()},
        "alloc_1m_seconds": round(one_m["seconds"], 3),
        "alloc_1m_ratio_vs_float": round(one_m["ratio_vs_float"], 3),
        "alloc_1m_peak_mb": round(one_m["peak_mb"], 1),
        "sweep_1000_seconds": round(results["sweep"]["seconds"], 3),
        "parse_check_5000_lines_seconds": round(results["parse_check"]["seconds"], 3),
        "verify_2024_seconds": round(bench_verify_2024(), 3),
    }
    results["summary"] = summary
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in summary.items():
        print(f"{key:34} {value}")
    print("scaling (members: seconds):", ", ".join(f"{s['members']}: {s['seconds']:.3f}" for s in scaling))


if __name__ == "__main__":
    main()
