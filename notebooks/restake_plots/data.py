"""Reading a run folder (or a sweep's folder) of restake-risk into one `Run` object.

Every file is optional except that the folder must hold at least one of them; what is missing is
recorded in `Run.missing`, and the figures that need it are skipped. Formats (docs/REPORT.md and
../shared/MODEL.md, "Output files"):

- summary.json   nested summary; `strategy_order` (v2) gives the scenario's order
- summary.csv    strategy,metric,alpha,value,ci_lo,ci_hi,se
- fan.csv        strategy,t_years,mean,p01,p05,p25,p50,p75,p95,p99
- timeline.csv   strategy,t_years,p_slashed,p_liquidated,p_exited
- distribution.csv  strategy,metric,bin_lo,bin_hi,count,density
- attribution.csv   strategy,source,kind,expected_loss,es_contribution,alpha  (v1: `avs`, no kind)
- samples.csv    strategy,path,terminal_wealth,slashing_loss,incidents[,liquidations,
                 first_liquidation_years,exit_years]
- sweep.csv      point,<one column per varied path>,strategy,metric,alpha,value,ci_lo,ci_hi,se
- sensitivity.csv  parameter,strategy,metric,alpha,base,derivative,se,low,high
                 [,param_value,bump]
- trace.csv      strategy,path,step,t_years,asset,asset_price,token,discount,health_factor,debt,equity,
                 slashing_loss,liquidations,phase  (simulate --trace-path)
"""
from __future__ import annotations

import json
import math
import pathlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

FILES = ("summary.json", "summary.csv", "fan.csv", "timeline.csv", "distribution.csv",
         "attribution.csv", "samples.csv", "sweep.csv", "sensitivity.csv", "trace.csv")

LONG_COLUMNS = ["strategy", "metric", "alpha", "value", "ci_lo", "ci_hi", "se"]
REQUIRED = {
    "summary.csv": LONG_COLUMNS,
    "fan.csv": ["strategy", "t_years", "mean", "p01", "p05", "p25", "p50", "p75", "p95", "p99"],
    "timeline.csv": ["strategy", "t_years", "p_slashed", "p_liquidated", "p_exited"],
    "distribution.csv": ["strategy", "metric", "bin_lo", "bin_hi", "count", "density"],
    "attribution.csv": ["strategy", "source", "expected_loss", "es_contribution", "alpha"],
    "samples.csv": ["strategy", "path", "terminal_wealth", "slashing_loss"],
    "sweep.csv": ["point", "strategy", "metric", "alpha", "value", "ci_lo", "ci_hi", "se"],
    "sensitivity.csv": ["parameter", "strategy", "metric", "alpha", "base", "derivative", "se"],
    "trace.csv": ["strategy", "path", "step", "t_years", "asset", "asset_price", "token", "discount",
                  "health_factor", "debt", "equity", "slashing_loss", "liquidations", "phase"],
}
TEXT_COLUMNS = {"strategy": str, "metric": str, "source": str, "avs": str, "kind": str,
                "parameter": str, "phase": str, "asset": str, "token": str}


class RunFolderError(Exception):
    """The folder is not a restake-risk run or sweep folder, or one of its files is malformed."""


def _palette():
    # tab10 without its grey (kept for `base` and reference lines), then tab20's darker half.
    import matplotlib
    base = list(matplotlib.colormaps["tab10"].colors)
    base = base[:7] + base[8:]
    return base + list(matplotlib.colormaps["tab20b"].colors[::2])


@dataclass
class Run:
    dir: pathlib.Path
    summary: dict | None = None
    long: pd.DataFrame | None = None          # summary.csv, or summary.json flattened to its form
    fan: pd.DataFrame | None = None
    timeline: pd.DataFrame | None = None
    dist: pd.DataFrame | None = None
    attr: pd.DataFrame | None = None
    samples: pd.DataFrame | None = None
    sweep: pd.DataFrame | None = None
    sweep_columns: list = field(default_factory=list)
    sensitivity: pd.DataFrame | None = None
    trace: pd.DataFrame | None = None
    order: list = field(default_factory=list)
    color: dict = field(default_factory=dict)
    present: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    # --- facts of the run -------------------------------------------------------------------
    @property
    def horizon_years(self) -> float | None:
        if self.summary and self.summary.get("horizon_years") is not None:
            return float(self.summary["horizon_years"])
        for df in (self.fan, self.timeline):
            if df is not None and len(df):
                return float(df["t_years"].max())
        return None

    @property
    def numeraire(self) -> str | None:
        return (self.summary or {}).get("numeraire")

    @property
    def paths(self) -> int | None:
        p = (self.summary or {}).get("paths")
        return int(p) if p is not None else None

    @property
    def is_sweep(self) -> bool:
        return self.sweep is not None

    def wealth_unit(self, asset_label: str = "asset units") -> str:
        return {"asset": asset_label, "usd": "USD value"}.get(self.numeraire or "", "the numeraire")

    def describe(self) -> str:
        s = self.summary or {}
        parts = []
        if s.get("scenario"):
            parts.append(f"scenario '{s['scenario']}'")
        h = self.horizon_years
        if h is not None:
            parts.append(horizon_text(h))
        if s.get("paths") is not None:
            parts.append(f"{int(s['paths']):,} paths")
        if s.get("seed") is not None:
            parts.append(f"seed {s['seed']}")
        if s.get("numeraire"):
            parts.append(f"numeraire {s['numeraire']}")
        if not parts:
            parts.append(self.dir.name)
        return ", ".join(parts)

    # --- numbers ----------------------------------------------------------------------------
    def metric(self, strategy: str, metric: str, alpha: float | None = None) -> dict | None:
        """The row of the long summary for (strategy, metric, alpha) as a dict, or None."""
        if self.long is None:
            return None
        df = self.long
        sel = (df.strategy == strategy) & (df.metric == metric)
        if alpha is None:
            sel &= df.alpha.isna()
        else:
            sel &= np.isclose(df.alpha.astype(float), float(alpha), rtol=0, atol=1e-12)
        rows = df[sel]
        if rows.empty:
            return None
        r = rows.iloc[0]
        return {k: (None if pd.isna(r[k]) else float(r[k])) for k in ("value", "ci_lo", "ci_hi", "se")}

    def value(self, strategy: str, metric: str, alpha: float | None = None) -> float | None:
        m = self.metric(strategy, metric, alpha)
        return None if m is None else m["value"]

    def alphas(self, metric: str) -> list[float]:
        if self.long is None:
            return []
        a = self.long[self.long.metric == metric].alpha.dropna().astype(float).unique()
        return sorted(a)


def horizon_text(h: float) -> str:
    days = h * 365.0
    if days < 3 - 1e-9:
        hours = days * 24
        return f"{hours:.3g} hour" + ("" if abs(hours - 1) < 1e-9 else "s")
    if h < 1 - 1e-9:
        return f"{days:.3g} days"
    return f"{h:g} year" + ("" if abs(h - 1) < 1e-9 else "s")


def _read_csv(path: pathlib.Path, name: str) -> pd.DataFrame:
    try:
        header = pd.read_csv(path, nrows=0).columns
        dtypes = {c: t for c, t in TEXT_COLUMNS.items() if c in header}
        df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise RunFolderError(f"{path}: cannot read as CSV: {e}") from e
    if name == "attribution.csv" and "source" not in df.columns and "avs" in df.columns:
        df = df.rename(columns={"avs": "source"})   # v1 engine: `avs` for the source, no kind
    need = REQUIRED.get(name, [])
    lacking = [c for c in need if c not in df.columns]
    if lacking:
        raise RunFolderError(f"{path}: missing column(s) {', '.join(lacking)} "
                             f"(expected {','.join(need)})")
    return df


def _flatten_summary(summary: dict) -> pd.DataFrame:
    """summary.json's strategies in summary.csv's long form."""
    rows = []

    def add(strategy, metric, alpha, value, lo=None, hi=None, se=None):
        rows.append((strategy, metric, alpha, value, lo, hi, se))

    def block(strategy, prefix, d):
        for key, v in d.items():
            if key in ("var_ci", "es_se"):
                continue
            m = f"{prefix}.{key}" if prefix else key
            if key == "quantiles" and isinstance(v, dict):
                for q, x in v.items():
                    add(strategy, f"{prefix}.quantile", float(q), x)
            elif key == "var" and isinstance(v, dict):
                cis = d.get("var_ci") or {}
                for a, x in v.items():
                    ci = cis.get(a) or [None, None]
                    add(strategy, m, float(a), x, ci[0], ci[1])
            elif key == "es" and isinstance(v, dict):
                ses = d.get("es_se") or {}
                for a, x in v.items():
                    add(strategy, m, float(a), x, se=ses.get(a))
            elif key == "attribution" and isinstance(v, dict):
                for src, parts in v.items():
                    for k, x in parts.items():
                        add(strategy, f"attribution.{src}.{k}", 0.99, x)
            elif isinstance(v, dict):
                block(strategy, m, v)
            elif v is None or isinstance(v, (int, float)) and not isinstance(v, bool):
                add(strategy, m, None, v)

    for name, st in (summary.get("strategies") or {}).items():
        block(name, "", st)
    df = pd.DataFrame(rows, columns=LONG_COLUMNS)
    for c in LONG_COLUMNS[2:]:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def load_run(folder) -> Run:
    folder = pathlib.Path(folder).expanduser()
    if not folder.is_dir():
        raise RunFolderError(f"{folder}: no such folder")
    folder = folder.resolve()
    present = [f for f in FILES if (folder / f).is_file()]
    if not present:
        raise RunFolderError(
            f"{folder} is not a restake-risk run folder: it holds none of {', '.join(FILES)} "
            "(make one with `restake-risk simulate --out DIR` or `restake-risk sweep ... --out DIR`)")
    run = Run(dir=folder, present=present, missing=[f for f in FILES if f not in present])
    if "summary.json" in present:
        try:
            run.summary = json.loads((folder / "summary.json").read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise RunFolderError(f"{folder / 'summary.json'}: not valid JSON: {e}") from e
    frames = {}
    for name in present:
        if name.endswith(".csv"):
            frames[name] = _read_csv(folder / name, name)
    run.long = frames.get("summary.csv")
    if run.long is None and run.summary is not None:
        run.long = _flatten_summary(run.summary)
    if run.long is not None:
        run.long = run.long.copy()
        run.long["alpha"] = pd.to_numeric(run.long["alpha"], errors="coerce")
    run.fan = frames.get("fan.csv")
    run.timeline = frames.get("timeline.csv")
    run.dist = frames.get("distribution.csv")
    attr = frames.get("attribution.csv")
    if attr is not None and "kind" not in attr.columns:
        attr = attr.assign(kind=np.where(attr.source == "base", "base", "avs"))
    run.attr = attr
    run.samples = frames.get("samples.csv")
    run.sweep = frames.get("sweep.csv")
    if run.sweep is not None:
        cols = list(run.sweep.columns)
        run.sweep_columns = cols[cols.index("point") + 1:cols.index("strategy")]
    run.sensitivity = frames.get("sensitivity.csv")
    run.trace = frames.get("trace.csv")

    order = list((run.summary or {}).get("strategy_order") or [])
    sources = [run.fan, run.long, run.timeline, run.samples, run.attr, run.dist, run.sweep,
               run.sensitivity, run.trace]
    for df in sources:
        if df is not None and "strategy" in df.columns:
            for s in dict.fromkeys(df["strategy"].dropna()):
                if s not in order:
                    order.append(s)
    if run.summary and not order:
        order = list(run.summary.get("strategies") or {})
    run.order = order
    pal = _palette()
    run.color = {s: pal[i % len(pal)] for i, s in enumerate(order)}
    return run


def finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)
