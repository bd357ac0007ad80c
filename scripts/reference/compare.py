#!/usr/bin/env python3
"""Engine vs NumPy reference: statistical agreement, or a timed end-to-end benchmark.

Why: the two implementations share no code and no random stream, so agreement of every common
statistic within a few standard errors is evidence that both implement the law of MODEL.md v2
(and a disagreement points at a step of one of them). The benchmark times both as the user would
run them, end to end, in one invocation, so that the ratio is measured under the same load.

Comparison (default): runs `restake-risk simulate SCENARIO --paths N --seed S --samples N` and
the reference (in this process) on the same scenario and number of paths; for every metric both
report, z = (engine - reference) / sqrt(se_engine^2 + se_reference^2), and the exit status is 1
if any |z| > --z-max (default 4). Standard errors:
  * means: sd / sqrt(N); the engine's sd comes from summary.json (terminal wealth) or from its
    per-path samples.csv (slashing loss, incidents); attribution's per-source expected losses have
    no per-path engine output, so the reference's SE stands in for the engine's (same law, same N);
  * probabilities: sqrt(p (1 - p) / N) with each side's own p (P(exited) is the engine's
    timeline.csv at the horizon);
  * VaR: the engine's order-statistic 95% interval, (hi - lo) / (2 x 1.96); ES: the engine's
    standard error; the reference's VaR and ES: a batch estimate (--batches contiguous batches).
  A floor of 1e-12 x max(1, |values|) is added to the combined SE so that deterministic numbers
  (native staking's unslashed wealth) compare by their rounding, not by 0/0.

Benchmark (--bench): runs the engine (plain `simulate --out`, no samples) and the reference
script as separate processes, timing each process's wall clock, and prints both wall times, both
path-steps/s (paths x steps / wall seconds) and the ratio. No comparison is made then, so neither
timing includes the other's work. On a shared machine the ratio is only indicative.

Usage:
    python scripts/reference/compare.py data/scenarios/example.yaml --paths 40000 --seed 1
    python scripts/reference/compare.py data/scenarios/example.yaml --paths 40000 --bench
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402

import numpy_reference as ref  # noqa: E402

DEFAULT_BIN = os.environ.get("RESTAKE_RISK_BIN", str(ROOT / ".build" / "release" / "restake-risk"))


def _float(s):
    return None if s in ("", None) else float(s)


def _alpha_key(a):
    return None if a in (None, "") else round(float(a), 12)


def run_engine(binary, scenario, paths, seed, out, samples=True):
    """Runs the engine; returns its wall seconds (the whole process)."""
    cmd = [binary, "simulate", str(scenario), "--paths", str(paths), "--seed", str(seed), "--out", str(out), "--quiet"]
    if samples:
        cmd += ["--samples", str(paths)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"engine failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return wall


def read_engine(out, paths):
    """{(strategy, metric, alpha): (value, se, se_source)} from an engine output folder."""
    out = pathlib.Path(out)
    rows = {}
    summary = json.loads((out / "summary.json").read_text())
    n = summary["paths"]
    assert n == paths, (n, paths)
    sd_from_samples = defaultdict(dict)
    sp = out / "samples.csv"
    if sp.exists():
        cols = defaultdict(lambda: defaultdict(list))
        with sp.open() as f:
            for r in csv.DictReader(f):
                c = cols[r["strategy"]]
                c["slashing_loss"].append(float(r["slashing_loss"]))
                c["incidents"].append(float(r["incidents"]))
        for s, c in cols.items():
            if len(c["incidents"]) == n:          # every path, so the sd is the run's own
                sd_from_samples[s] = {k: float(np.std(v, ddof=1)) for k, v in c.items()}
    with (out / "summary.csv").open() as f:
        for r in csv.DictReader(f):
            s, m, a = r["strategy"], r["metric"], _alpha_key(r["alpha"])
            v = _float(r["value"])
            se, src = None, "ref"
            if m == "terminal_wealth.mean":
                se, src = summary["strategies"][s]["terminal_wealth"]["sd"] / math.sqrt(n), "sd"
            elif m == "slashing_loss.mean" and "slashing_loss" in sd_from_samples[s]:
                se, src = sd_from_samples[s]["slashing_loss"] / math.sqrt(n), "samples"
            elif m == "incidents_mean" and "incidents" in sd_from_samples[s]:
                se, src = sd_from_samples[s]["incidents"] / math.sqrt(n), "samples"
            elif m in ("slashing_loss.prob_any", "liquidation_prob"):
                se, src = math.sqrt(v * (1 - v) / n), "binomial"
            elif m.endswith(".var"):
                lo, hi = _float(r["ci_lo"]), _float(r["ci_hi"])
                if lo is not None and hi is not None:
                    se, src = (hi - lo) / (2 * 1.959963984540054), "ci"
            elif m.endswith(".es"):
                se = _float(r["se"])
                src = "se" if se is not None else "ref"
            rows[(s, m, a)] = (v, se, src)
    with (out / "timeline.csv").open() as f:
        last = {}
        for r in csv.DictReader(f):
            last[r["strategy"]] = r
    for s, r in last.items():
        p = float(r["p_exited"])
        rows[(s, "timeline.p_exited", None)] = (p, math.sqrt(p * (1 - p) / n), "binomial")
    return rows


def compare(engine_rows, ref_rows, z_max=4.0):
    """Rows (strategy, metric, alpha, engine, se_e, reference, se_r, z, ok, se_source) of the common metrics."""
    table = []
    for s, m, a, v, lo, hi, se_r in ref_rows:
        key = (s, m, _alpha_key(a))
        if key not in engine_rows or se_r is None:
            continue
        ve, se_e, src = engine_rows[key]
        if ve is None:
            continue
        if se_e is None:
            se_e, src = se_r, "ref"
        floor = 1e-12 * max(1.0, abs(ve), abs(v))
        z = (ve - v) / math.sqrt(se_e ** 2 + se_r ** 2 + floor ** 2)
        table.append((s, m, a, ve, se_e, v, se_r, z, abs(z) <= z_max, src))
    return table


def run_comparison(scenario, paths, seed, binary=DEFAULT_BIN, batches=20, chunk=20000, z_max=4.0, keep=None):
    """Runs both and returns (table, info); `keep` keeps the engine's output folder there."""
    with tempfile.TemporaryDirectory(prefix="ref-compare-") as tmp:
        out = pathlib.Path(keep) if keep else pathlib.Path(tmp) / "engine"
        engine_wall = run_engine(binary, scenario, paths, seed, out, samples=True)
        engine_rows = read_engine(out, paths)
    model, ref_rows, sim_s, ref_total = ref.run(str(scenario), paths, seed, chunk, batches)
    table = compare(engine_rows, ref_rows, z_max)
    return table, {"engine_wall": engine_wall, "reference_seconds": ref_total, "steps": model.steps,
                   "compared": len(table)}


def print_table(table, file=sys.stdout):
    head = f"{'strategy':<18} {'metric':<38} {'alpha':>5} {'engine':>13} {'se_e':>9} {'reference':>13} {'se_r':>9} {'z':>7}  se_e from"
    print(head, file=file)
    print("-" * len(head), file=file)
    for s, m, a, ve, se_e, vr, se_r, z, ok, src in table:
        al = "" if a is None else f"{a:g}"
        flag = "" if ok else "   <-- |z| too large"
        print(f"{s:<18} {m:<38} {al:>5} {ve:>13.6g} {se_e:>9.2g} {vr:>13.6g} {se_r:>9.2g} {z:>7.2f}  {src}{flag}", file=file)


def bench(scenario, paths, seed, binary, repeat=1):
    """Times the engine and the reference as separate processes; returns a dict of timings."""
    steps = ref.load_scenario(str(scenario)).steps
    ps = paths * steps
    eng, rf = [], []
    with tempfile.TemporaryDirectory(prefix="ref-bench-") as tmp:
        for _ in range(repeat):
            eng.append(run_engine(binary, scenario, paths, seed, pathlib.Path(tmp) / "engine", samples=False))
            cmd = [sys.executable, str(HERE / "numpy_reference.py"), str(scenario), "--paths", str(paths),
                   "--seed", str(seed), "--out", str(pathlib.Path(tmp) / "reference.csv")]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            rf.append(time.perf_counter() - t0)
        internal = json.loads((pathlib.Path(tmp) / "engine" / "summary.json").read_text())
    # The median of the runs, as docs/PERFORMANCE.md reports every figure; each run's times too.
    e, r = statistics.median(eng), statistics.median(rf)
    return {"engine_runs": eng, "reference_runs": rf, "paths": paths, "steps": steps, "engine_wall": e, "reference_wall": r,
            "engine_ps": ps / e, "reference_ps": ps / r, "ratio": r / e,
            "engine_internal": internal["elapsed_seconds"], "engine_threads": internal["threads"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "data" / "scenarios" / "example.yaml"))
    ap.add_argument("--paths", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=DEFAULT_BIN, help="restake-risk binary (default: $RESTAKE_RISK_BIN or .build/release)")
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--chunk", type=int, default=20000)
    ap.add_argument("--z-max", type=float, default=4.0)
    ap.add_argument("--keep", default=None, help="keep the engine's output folder here")
    ap.add_argument("--bench", action="store_true", help="time both end to end instead of comparing")
    ap.add_argument("--repeat", type=int, default=1, help="--bench: runs of each, the median counts")
    args = ap.parse_args(argv)
    if not os.access(args.bin, os.X_OK):
        print(f"error: engine binary {args.bin} not found (make build)", file=sys.stderr)
        return 2
    if args.bench:
        b = bench(args.scenario, args.paths, args.seed, args.bin, args.repeat)
        print(f"benchmark: {b['paths']} paths x {b['steps']} steps of {pathlib.Path(args.scenario).name}, seed {args.seed}")
        print(f"  engine     wall {b['engine_wall']:8.3f} s  {b['engine_ps']:12.4g} path-steps/s"
              f"  (its own elapsed_seconds {b['engine_internal']:.3f} s on {b['engine_threads']} threads)")
        print(f"  reference  wall {b['reference_wall']:8.3f} s  {b['reference_ps']:12.4g} path-steps/s  (NumPy, one thread)")
        print(f"  ratio      reference / engine = {b['ratio']:.1f}x (medians of {len(b['engine_runs'])} runs)")
        print("  runs       engine " + ", ".join(f"{x:.3f}" for x in b["engine_runs"])
              + " s; reference " + ", ".join(f"{x:.3f}" for x in b["reference_runs"]) + " s")
        return 0
    table, info = run_comparison(args.scenario, args.paths, args.seed, args.bin, args.batches, args.chunk,
                                 args.z_max, args.keep)
    print(f"engine vs reference: {args.paths} paths x {info['steps']} steps, seed {args.seed}; "
          f"{info['compared']} metrics; engine {info['engine_wall']:.2f} s, reference {info['reference_seconds']:.2f} s")
    print_table(table)
    bad = [r for r in table if not r[8]]
    worst = max(table, key=lambda r: abs(r[7]))
    print(f"\nlargest |z| = {abs(worst[7]):.2f} ({worst[0]} {worst[1]} {worst[2] or ''}); "
          f"{len(bad)} metric(s) beyond {args.z_max:g} SE")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
