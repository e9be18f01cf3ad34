#!/usr/bin/env python3
"""nhnprice benchmarks: what a user feels, each measured beside its baseline and its goal.

    python benchmarks/run.py            # the full run
    python benchmarks/run.py --quick    # fewer repeats (a few minutes on 2 cores)
    python benchmarks/run.py --json     # machine-readable results, with each goal and whether it holds

Each figure comes from one function below and has its goal in GOALS; the run
prints every figure beside its goal (docs/performance.md has method, machine
and results):
- report_vs_import_floor, check_edited_vs_import_floor: the whole process `nhnprice report
  specs/2024.nhp --format json` (cache warm) and `nhnprice check` of the spec given a new first line
  before every run (a policy writer saving it), against `python -c "import lark, attrs, click"`;
  report_uncached_vs_import_floor with nhnprice's cache off. The fastest of 15 runs (31 in a full
  run), the commands and their baseline taking turns;
- csv_report_vs_fraction_script: the warm `report --format csv` against a plain-Python Fraction
  script that prints the same CSV without checking anything (benchmarks/baselines/fraction_2024.py);
  float_script_wrong_rows: the rows a pandas/float script gets wrong (baselines/pandas_2024.py;
  skipped with a note when pandas is not installed);
- csv/markdown/html/xlsx_vs_import_floor: `report --format F -o FILE` for each other format, warm,
  against the same floor (goals in FORMAT_GOALS);
- alloc_1m_seconds / alloc_1m_ratio_vs_float: exact apportionment of one pool over 1 000 000
  members by a key, against a float64 NumPy proportional split with naive rounding;
- sweep_1000_seconds: 1 000 scenarios of the 2024 spec, compiled once;
- parse_check_5000_lines_seconds: parse and check a generated 5 000-line spec;
- lsp_diagnostics_after_edit_ms: a warm `nhnprice lsp` with the 2024 spec open, from an edit to
  the diagnostics published for it (the median of the edits; best beside it);
- big_1m_*: a generated register of 1 000 000 members and a key of 1 000 000 organisations, read from
  CSV and validated by `nhnprice check` with an empty cache (time and peak memory), then the warm
  CSV report against the warm JSON report; big_scaling: the same cold check at 10 k, 100 k and 1 M.
- serve_edit_report_seconds / serve_edit_view_seconds: `nhnprice serve` answering `POST /api/report`
  and `POST /api/view` for specs/2024.nhp edited before every request (median, warm); goal ≤ 0.15 s.
- verify_2024_seconds: the whole process `nhnprice verify specs/2024.nhp` with its default
  settings (exact bounds and 100 data sets), the fastest of 3 runs with a fixed seed.
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


def bench_lsp_diagnostics(repeat: int) -> dict:
    """A warm `nhnprice lsp` with specs/2024.nhp open: from an edit sent to the diagnostics
    it publishes for it (parse, check, group-level evaluation and `expect` lines, data kept
    in memory). The edits alternate a changed comment and a changed VKP cost, as typing does."""
    sys.path.insert(0, str(ROOT / "tests"))
    from lsp_client import LspClient

    text = SPEC.read_text(encoding="utf-8")
    uri = SPEC.as_uri()
    client = LspClient(timeout=60)
    try:
        client.request("initialize", {"processId": None, "rootUri": ROOT.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "nhnprice",
                                                                "version": 0, "text": text}})
        client.wait_notification("textDocument/publishDiagnostics", lambda p: p.get("version") == 0)
        times = []
        for version in range(1, 2 * repeat + 6):
            edited = (f"# edit {version}\n{text}" if version % 2 else
                      text.replace("cost 27.1 mill", f"cost 27.{version % 9} mill"))
            start = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": edited}]})
            client.wait_notification("textDocument/publishDiagnostics", lambda p, v=version: p.get("version") == v)
            if version > 5:  # the first edits warm the server
                times.append(time.perf_counter() - start)
    finally:
        client.close()
    times.sort()
    return {"edits": len(times), "best_seconds": times[0], "median_seconds": times[len(times) // 2]}


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


def bench_serve_edit(repeat: int) -> dict:
    """`nhnprice serve` as the page uses it: specs/2024.nhp edited (a cost changed) before every request,
    then `POST /api/report` (the whole report/1 JSON) and `POST /api/view` (what the page shows), over
    HTTP on 127.0.0.1, warm (data sets loaded once, as in a running session); goal ≤ 0.15 s each."""
    import http.client
    import statistics
    import threading

    from nhnprice.serve.server import TOKEN_HEADER, Server
    from nhnprice.serve.workspace import Workspace

    server = Server(Workspace(str(SPEC)), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    text = SPEC.read_text(encoding="utf-8")
    headers = {"Host": f"127.0.0.1:{server.server_address[1]}", TOKEN_HEADER: server.token,
               "Content-Type": "application/json"}

    edits = iter(range(1_000_000))

    def ask(path: str) -> float:
        """One request, for a text no request had before (the server keeps its last evaluation)."""
        edit = next(edits)
        body = json.dumps({"text": text.replace("cost 27.1 mill", f"cost {edit // 10 % 90 + 10}.{edit % 10} mill")})
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
        start = time.perf_counter()
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        response.read()
        seconds = time.perf_counter() - start
        connection.close()
        assert response.status == 200, response.status
        return seconds

    try:
        for _ in range(3):  # warm: the data sets, the parser, the renderers
            ask("/api/report")
            ask("/api/view")
        times: dict[str, list[float]] = {"/api/report": [], "/api/view": []}
        for _ in range(repeat):  # taking turns, each after an edit
            for path in times:
                times[path].append(ask(path))
    finally:
        server.shutdown()
        server.server_close()
    return {path: {"median_seconds": statistics.median(t), "best_seconds": min(t), "worst_seconds": max(t)}
            for path, t in times.items()}


def bench_verify_2024(repeat: int = 3) -> float:
    """`nhnprice verify specs/2024.nhp` as CI runs it, default settings and a fixed seed (warm caches)."""
    command = nhnprice_command() + ["verify", str(SPEC), "--seed", "1"]
    return process_seconds({"verify": (command, process_env())}, repeat)["verify"]


# ---- real inputs at scale: a generated register and key of a million rows each

_MOD11_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def organisation_numbers(count: int, first: int) -> list[int]:
    """`count` valid organisation numbers (MOD11), the first at or after `first` × 10."""
    import numpy as np

    bases = np.arange(first, first + count + count // 8 + 20, dtype=np.int64)
    digits = (bases[:, None] // 10 ** np.arange(7, -1, -1, dtype=np.int64)) % 10
    check = (11 - (digits @ np.array(_MOD11_WEIGHTS, dtype=np.int64)) % 11) % 11
    valid = check != 10  # no number has the check digit 10
    return (bases[valid] * 10 + check[valid])[:count].tolist()


BIG_SPEC = """title "Syntetisk register og nøkkel for ytelsesmåling"
year 2024
rounding groups to 0.1 mill
rounding entities to 1 øre
register medlemmer "Syntetiske medlemmer" {
  file "register.csv"
  id organisasjonsnummer
  name navn
  entities organisations
  provenance synthetic "generert av benchmarks/run.py"
}
key oppslag "Syntetiske oppslag" {
  file "key.csv"
  id organisasjonsnummer
  name navn
  weight oppslag_med_salg
  entities organisations
  provenance synthetic "generert av benchmarks/run.py"
}
group ovrige "Medlemmer" fee solve per member per month from medlemmer
group apotek "Apotek" by oppslag
pool drift "Drift" {
  cost 264.9 mill
  ovrige 1/3
  apotek rest
}
"""


def write_big_inputs(folder: Path, rows: int, seed: int = 16) -> Path:
    """A synthetic register of `rows` members (the columns of the 2024 register) and a key of `rows`
    organisations with integer weights, as CSV beside a spec that uses both; the spec's path."""
    import numpy as np

    rng = np.random.default_rng(seed)
    with open(folder / "register.csv", "w", encoding="utf-8") as f:
        f.write("organisasjonsnummer,navn,organisasjonsform,kategori,omsetning_kr,arsverk,lokasjoner\n")
        turnover = rng.integers(100_000, 200_000_000, rows).tolist()
        f.writelines(f"{o},Syntetisk medlem {i:07d} AS,AS,tannlege,{t},1.0,1\n"
                     for i, (o, t) in enumerate(zip(organisation_numbers(rows, 80_000_000), turnover)))
    with open(folder / "key.csv", "w", encoding="utf-8") as f:
        f.write("organisasjonsnummer,navn,type,oppslag_med_salg\n")
        lookups = rng.integers(1, 400_000, rows).tolist()
        f.writelines(f"{o},Syntetisk apotek {i:07d},apotek,{w}\n"
                     for i, (o, w) in enumerate(zip(organisation_numbers(rows, 90_000_000), lookups)))
    spec = folder / "big.nhp"
    spec.write_text(BIG_SPEC, encoding="utf-8")
    return spec


def measured_run(argv: list[str], env: dict) -> dict:
    """One process: its wall time, its CPU time and its peak memory (resident set, MiB).

    The peak is the process's own high-water mark (`VmHWM`), read while it runs: the `ru_maxrss`
    of a child also counts its parent's memory at the fork (here, the benchmark's)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    peak_kib = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(f"/proc/{process.pid}/status", encoding="ascii") as f:
                peak_kib = next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), peak_kib)
        except OSError:  # not Linux, or the process is ending
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_mib": (peak_kib if peak_kib is not None else usage.ru_maxrss) / 1024}


def bench_big(rows: int, warm_repeat: int) -> dict:
    """`nhnprice check` of a spec with a register and a key of `rows` rows each, read from CSV and
    validated with an empty cache (the first run on new data), then the warm reports (the cache
    holds the data): CSV against JSON, taking turns."""
    with tempfile.TemporaryDirectory() as folder:
        spec = write_big_inputs(Path(folder), rows)
        env = process_env(NHNPRICE_CACHE_DIR=str(Path(folder) / "cache"))
        cold = measured_run(nhnprice_command() + ["check", str(spec)], env)
        out = {"rows": rows, "cold_seconds": cold["seconds"], "cold_cpu_seconds": cold["cpu_seconds"],
               "cold_peak_mib": cold["peak_mib"]}
        if warm_repeat:
            report = nhnprice_command() + ["report", str(spec), "--format"]
            warm = {"json": [], "csv": []}
            for _ in range(warm_repeat):
                for fmt in warm:
                    warm[fmt].append(measured_run(report + [fmt], env))
            for fmt, runs in warm.items():
                out[f"warm_{fmt}_seconds"] = min(r["seconds"] for r in runs)
                out[f"warm_{fmt}_peak_mib"] = max(r["peak_mib"] for r in runs)
        return out


# ---- the hand-written alternatives (benchmarks/baselines/)

BASELINES = Path(__file__).resolve().parent / "baselines"


def bench_baselines(repeat: int) -> dict:
    """nhnprice's warm CSV report of 2024 against the Fraction script that prints the same CSV, taking
    turns; and the rows a pandas/float script gets wrong (when pandas is installed)."""
    fraction = [sys.executable, str(BASELINES / "fraction_2024.py")]
    csv_report = nhnprice_command() + ["report", str(SPEC), "--format", "csv"]
    env = process_env()
    exact = subprocess.run(csv_report, check=True, capture_output=True, cwd=ROOT, env=env).stdout
    assert subprocess.run(fraction, check=True, capture_output=True, env=env).stdout == exact, \
        "the Fraction script no longer prints nhnprice's CSV"
    t = process_seconds({"fraction": (fraction, env), "csv_report": (csv_report, env)}, repeat)
    out = {"fraction_script_seconds": t["fraction"], "csv_report_seconds": t["csv_report"],
           "csv_report_vs_fraction_script": t["csv_report"] / t["fraction"]}
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("note: pandas is not installed; the pandas/float baseline is skipped", file=sys.stderr)
        return out
    pandas_script = [sys.executable, str(BASELINES / "pandas_2024.py")]
    floats = subprocess.run(pandas_script, check=True, capture_output=True, env=env).stdout
    out.update(float_rows_compared(exact, floats))
    out["pandas_script_seconds"] = process_seconds({"pandas": (pandas_script, env)}, max(3, repeat // 5))["pandas"]
    return out


def float_rows_compared(exact: bytes, floats: bytes) -> dict:
    """How many rows the float script gets wrong, and how many of its key splits do not add up to
    what nhnprice's add up to (the group's amount)."""
    import csv
    import io

    mine = list(csv.reader(io.StringIO(exact.decode())))[1:]
    theirs = list(csv.reader(io.StringIO(floats.decode())))[1:]
    assert [r[:3] for r in mine] == [r[:3] for r in theirs], "the float script's rows are not nhnprice's"
    totals: dict = {}
    for a, b in zip(mine, theirs):
        exact_total, float_total = totals.get((a[0], a[1]), (0, 0))
        totals[a[0], a[1]] = (exact_total + int(a[4]), float_total + int(b[4]))
    return {"float_script_rows": len(theirs), "float_script_wrong_rows": sum(a[4] != b[4] for a, b in zip(mine, theirs)),
            "float_script_splits": len(totals),
            "float_script_splits_not_adding_up": sum(e != f for e, f in totals.values())}


# ---- goals: each figure beside what it should be

#: figure -> (comparison, goal); figures without a goal are reported
GOALS = {
    "report_vs_import_floor": ("<=", 1.5),
    "check_edited_vs_import_floor": ("<=", 1.3),
    "report_uncached_vs_import_floor": None,
    **{f"{fmt}_vs_import_floor": ("<=", goal) for fmt, goal in FORMAT_GOALS.items()},
    "csv_report_vs_fraction_script": ("<=", 1.0),
    "float_script_wrong_rows": None,
    "float_script_splits_not_adding_up": None,
    "alloc_1m_seconds": ("<=", 1.0),
    "alloc_1m_ratio_vs_float": ("<=", 3.0),
    "alloc_1m_peak_mb": ("<=", 500),
    "sweep_1000_seconds": ("<=", 2.0),
    "parse_check_5000_lines_seconds": ("<=", 1.0),
    "lsp_diagnostics_after_edit_ms": ("<=", 50),
    "big_1m_cold_seconds": ("<=", 10.0),
    "big_1m_cold_cpu_seconds": None,
    "big_1m_cold_peak_mib": ("<=", 1024),
    "big_1m_warm_csv_vs_json": ("<=", 1.0),
    "big_per_row_1m_vs_100k": ("<=", 1.5),  # linear: a row costs no more at 1 M than at 100 k
    "serve_edit_report_seconds": ("<=", 0.15),  # the page's figures after an edit
    "serve_edit_view_seconds": ("<=", 0.15),
    "verify_2024_seconds": ("<=", 3.0),
}


def judged(summary: dict) -> dict:
    """Each figure with its goal and whether it holds."""
    out = {}
    for name, value in summary.items():
        goal = GOALS.get(name)
        entry = {"value": value, "goal": None, "ok": None}
        if goal is not None and value is not None:
            op, bound = goal
            entry["goal"] = f"{op} {bound}"
            entry["ok"] = value <= bound if op == "<=" else value >= bound
        out[name] = entry
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="nhnprice benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    repeat = 9 if args.quick else 21
    process_repeat = 15 if args.quick else 31  # a process is short and the machine noisy: more runs to take the best of
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "platform": platform.platform(), "load_average": os.getloadavg()}}
    results["process"] = bench_report_vs_floor(process_repeat)
    results["baselines"] = bench_baselines(process_repeat)
    results["formats"] = bench_report_formats(process_repeat)
    scaling = [bench_alloc(n, repeat if n < 1_000_000 else max(2, repeat // 2))
               for n in (10_000, 100_000, 1_000_000)]
    results["alloc_scaling"] = scaling
    results["sweep"] = bench_sweep(1000)
    results["parse_check"] = bench_parse_check(5000, repeat)
    results["serve_edit"] = bench_serve_edit(15 if args.quick else 41)
    results["lsp"] = bench_lsp_diagnostics(repeat * 2)
    results["big_scaling"] = [bench_big(n, 0) for n in (10_000, 100_000)] + [bench_big(1_000_000, 1 if args.quick else 3)]
    one_m, big = scaling[-1], results["big_scaling"]
    per_row = [b["cold_seconds"] / b["rows"] for b in big]
    process, baselines = results["process"], results["baselines"]
    summary = {
        "report_vs_import_floor": round(process["report_vs_import_floor"], 3),
        "check_edited_vs_import_floor": round(process["check_edited_vs_import_floor"], 3),
        "report_uncached_vs_import_floor": round(process["report_uncached_vs_import_floor"], 3),
        "csv_report_vs_fraction_script": round(baselines["csv_report_vs_fraction_script"], 3),
        "float_script_wrong_rows": baselines.get("float_script_wrong_rows"),
        "float_script_splits_not_adding_up": baselines.get("float_script_splits_not_adding_up"),
        **{key: round(value, 3) for key, value in results["formats"].items()},
        "alloc_1m_seconds": round(one_m["seconds"], 3),
        "alloc_1m_ratio_vs_float": round(one_m["ratio_vs_float"], 3),
        "alloc_1m_peak_mb": round(one_m["peak_mb"], 1),
        "sweep_1000_seconds": round(results["sweep"]["seconds"], 3),
        "parse_check_5000_lines_seconds": round(results["parse_check"]["seconds"], 3),
        "lsp_diagnostics_after_edit_ms": round(results["lsp"]["median_seconds"] * 1000, 1),
        "big_1m_cold_seconds": round(big[-1]["cold_seconds"], 2),
        "big_1m_cold_cpu_seconds": round(big[-1]["cold_cpu_seconds"], 2),  # beside the wall time, under load
        "big_1m_cold_peak_mib": round(big[-1]["cold_peak_mib"]),
        "big_1m_warm_csv_vs_json": round(big[-1]["warm_csv_seconds"] / big[-1]["warm_json_seconds"], 3),
        "big_per_row_1m_vs_100k": round(per_row[-1] / per_row[-2], 3),
        "serve_edit_report_seconds": round(results["serve_edit"]["/api/report"]["median_seconds"], 3),
        "serve_edit_view_seconds": round(results["serve_edit"]["/api/view"]["median_seconds"], 3),
        "verify_2024_seconds": round(bench_verify_2024(), 3),
    }
    results["summary"] = summary
    results["goals"] = judged(summary)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'figure':34} {'value':>10}  {'goal':10} holds")
    for name, entry in results["goals"].items():
        ok = {True: "yes", False: "NO", None: ""}[entry["ok"]]
        print(f"{name:34} {entry['value']!s:>10}  {entry['goal'] or '':10} {ok}")
    print("alloc scaling (members: seconds):", ", ".join(f"{s['members']}: {s['seconds']:.3f}" for s in scaling))
    print("big scaling (rows: cold seconds, CPU seconds, peak MiB):",
          ", ".join(f"{b['rows']}: {b['cold_seconds']:.2f} s, {b['cold_cpu_seconds']:.2f} s, {b['cold_peak_mib']:.0f}"
                    for b in big))
    print("load average:", ", ".join(f"{x:.1f}" for x in results["machine"]["load_average"]))


if __name__ == "__main__":
    main()
