"""One self-contained HTML page for a run or sweep folder: every figure of `figures` that the
folder's files allow, embedded as base64 PNG, plus the key numbers as a table. No script, no
stylesheet or font from outside: the file opens anywhere, offline, and can be mailed as is."""
from __future__ import annotations

import argparse
import base64
import html
import io
import os
import pathlib
import sys
import tempfile

import matplotlib.pyplot as plt

from . import figures
from .data import Run, RunFolderError, finite, horizon_text, load_run
from .style import alpha_label, pct

DESCRIPTIONS = {
    "compounding-fan": "Equity over time per strategy: the median path, the 50% (p25-p75), 90% "
                       "(p05-p95) and 98% (p01-p99) bands, and the mean (dashed). Multiples of the "
                       "initial stake; the dotted line is the initial stake.",
    "terminal-distribution": "Share of paths per bin of the change in equity over the horizon "
                             "(log scale), each strategy on its own scale. The engine's 100 bins span "
                             "the 0.1%-99.9% quantile range; the paths beyond it are counted in "
                             "words (\"off axis\") instead of being drawn as a flat bar.",
    "loss-distribution": "The same paths as the loss L = 1 - W_T, with VaR 95%/99% and ES 99%.",
    "slashing-distribution": "The slashed amount L_s over the horizon, for the paths with any "
                             "slashing and those without (the bin at 0).",
    "var-es": "VaR with its 95% order-statistics interval and ES with +-1.96 standard errors, for "
              "the total loss and the slashing loss at every reported level. An open whisker "
              "marked \"no bound\" is an interval bound that the sample cannot give.",
    "slashing-attribution": "Each source's expected slashing loss and its Euler contribution to "
                            "ES(L_s): the contributions add up to the strategy's slashing ES.",
    "risk-return": "Every strategy on one chart: ES of the loss against the median return (filled) "
                   "and the mean return (open); annualized from a one-year horizon on, over the "
                   "horizon below it.",
    "shared-vs-isolated": "samples.csv paired by path: shared minus isolated security on the same "
                          "random draws, so each difference is the security model's alone.",
    "timeline": "By each time t, the probability that a strategy has been slashed, liquidated at "
                "least once, or has exited (timeline.csv).",
    "sweep": "Each metric against the varied parameter, one line per strategy, with its 95% band "
             "(the VaR's interval, or +-1.96 standard errors). Every point has the same seed and "
             "paths, so the curve's wiggles are not independent noise.",
    "tornado": "Parameters ranked by the swing of ES 99% between the parameter bumped down (blue) "
               "and up (red), around the base case (sensitivity.csv).",
}

CSS = """
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; margin: 0 auto;
       max-width: 1040px; padding: 24px 32px 48px; color: #222; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin: 34px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
p.lead { color: #555; margin-top: 0; overflow-wrap: anywhere; }
figure { margin: 8px 0 0; }
figure img { width: 100%; max-width: 1000px; height: auto; display: block; border: 1px solid #eee; }
figcaption { font-size: 0.92em; color: #444; margin: 6px 0 0; }
table { border-collapse: collapse; font-size: 0.88em; margin: 8px 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; }
td.name, th.name { text-align: left; white-space: nowrap; }
td.name { font-weight: 600; }
td.name.long { white-space: normal; min-width: 14em; }
div.scroll { overflow-x: auto; }
table.meta td, table.meta th { text-align: left; }
table.meta td { overflow-wrap: anywhere; }
ul.toc { columns: 2; font-size: 0.95em; }
.note { color: #666; font-size: 0.9em; }
code { background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
"""


def _fig_png(fig, dpi=150) -> tuple[str, int, int]:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    w_px = int(round(fig.get_figwidth() * 100))
    h_px = int(round(fig.get_figheight() * 100))
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii"), w_px, h_px


def _fmt_ci(v, lo, hi):
    if not finite(v):
        return "n/a"
    a = "?" if not finite(lo) else pct(lo)
    b = "?" if not finite(hi) else pct(hi)
    return f"{pct(v)} <span class=note>[{a}, {b}]</span>"


def _fmt_se(v, se):
    if not finite(v):
        return "n/a"
    return f"{pct(v)} <span class=note>&plusmn; {pct(1.96 * se) if finite(se) else '?'}</span>"


def key_table(run: Run, alpha: float = 0.99) -> str:
    if run.long is None:
        return ""
    h = run.horizon_years or 1.0
    ret_head = "median annualized return" if h >= 1 - 1e-9 else f"median return over {horizon_text(h)}"
    a = alpha_label(alpha)
    head = ["strategy", "mean W<sub>T</sub>", "median W<sub>T</sub>", ret_head,
            f"VaR {a} of L [95% interval]", f"ES {a} of L &plusmn; 1.96 SE", "P(slashed)",
            f"ES {a} of L<sub>s</sub> &plusmn; 1.96 SE", "P(liquidated)"]
    rows = []
    for s in run.order:
        mean = run.value(s, "terminal_wealth.mean")
        med = run.value(s, "terminal_wealth.quantile", 0.5)
        if mean is None and med is None:
            continue
        if h >= 1 - 1e-9:
            r = run.value(s, "annualized_return.median")
        else:
            r = med - 1 if finite(med) else None
        var = run.metric(s, "loss.var", alpha) or {}
        es = run.metric(s, "loss.es", alpha) or {}
        les = run.metric(s, "slashing_loss.es", alpha) or {}
        name = html.escape(s).replace("-", "-<wbr>") if len(s) > 28 else html.escape(s)
        cells = [f"<td class='name{' long' if len(s) > 28 else ''}'>{name}</td>",
                 f"<td>{mean:.4f}</td>" if finite(mean) else "<td>n/a</td>",
                 f"<td>{med:.4f}</td>" if finite(med) else "<td>n/a</td>",
                 f"<td>{pct(r, 2)}</td>",
                 f"<td>{_fmt_ci(var.get('value'), var.get('ci_lo'), var.get('ci_hi'))}</td>",
                 f"<td>{_fmt_se(es.get('value'), es.get('se'))}</td>",
                 f"<td>{pct(run.value(s, 'slashing_loss.prob_any'), 2)}</td>",
                 f"<td>{_fmt_se(les.get('value'), les.get('se'))}</td>",
                 f"<td>{pct(run.value(s, 'liquidation_prob'), 2)}</td>"]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        return ""
    ths = "".join(f"<th{' class=name' if i == 0 else ''}>{c}</th>" for i, c in enumerate(head))
    legend = ("<p class=note>W<sub>T</sub>: terminal wealth per 1 unit staked (in the numeraire); "
              "L = 1 &minus; W<sub>T</sub> the loss (negative: a gain); L<sub>s</sub> the slashed "
              "amount over the initial stake. Percentages are of the initial stake. A "
              "<code>?</code> bound is one the sample cannot give (too few paths in the tail).</p>")
    return (f"<div class=scroll><table class=key><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table></div>{legend}")


def meta_table(run: Run) -> str:
    s = run.summary or {}
    rows = []
    if s.get("scenario"):
        rows.append(("scenario", s["scenario"]))
    if run.horizon_years is not None:
        h = run.horizon_years
        steps = f", {s['steps']} steps" if s.get("steps") else ""
        rows.append(("horizon", f"{horizon_text(h)}{steps}"))
    for k in ("paths", "seed", "numeraire", "threads"):
        if s.get(k) is not None:
            rows.append((k, f"{s[k]:,}" if isinstance(s[k], int) and k == "paths" else str(s[k])))
    prov = s.get("provenance") or {}
    for k in ("version", "scenario_sha256", "command"):
        if prov.get(k):
            rows.append((k.replace("_", " "), str(prov[k])))
    if run.sweep_columns:
        rows.append(("varied", ", ".join(run.sweep_columns)))
        rows.append(("points", str(run.sweep.point.nunique())))
    rows.append(("folder", str(run.dir)))
    rows.append(("files read", ", ".join(run.present)))
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table class=meta>{body}</table>"


def build(run_dir, out_file=None, log=None) -> tuple[pathlib.Path, list, list]:
    """Writes the report; returns (path, figures drawn, (title, needs) skipped)."""
    run = load_run(run_dir)
    out = pathlib.Path(out_file) if out_file else run.dir / "report.html"
    drawn, skipped, sections = [], [], []
    for slug, title, needs, make in figures.report_figures(run):
        fig = make()
        if fig is None:
            skipped.append((title, needs))
            continue
        b64, w, h = _fig_png(fig)
        desc = DESCRIPTIONS.get(slug, "")
        sections.append((slug, title,
                         f'<figure><img id="fig-{slug}" alt="{html.escape(title)}" width="{w}" '
                         f'height="{h}" src="data:image/png;base64,{b64}">'
                         f"<figcaption>{html.escape(desc)}</figcaption></figure>"))
        drawn.append(slug)
        if log:
            log(f"  {slug}")
    if not drawn:
        raise RunFolderError(f"{run.dir}: none of the report's figures can be drawn from "
                             f"{', '.join(run.present)}")
    s = run.summary or {}
    name = s.get("scenario") or run.dir.name
    kind = "sweep" if run.is_sweep else ("sensitivity" if run.sensitivity is not None and run.fan is None else "run")
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>restake-risk report: {html.escape(str(name))}</title>",
             f"<style>{CSS}</style></head><body>",
             f"<h1>restake-risk {kind} report: {html.escape(str(name))}</h1>",
             f"<p class=lead>{html.escape(run.describe())}. All amounts are multiples of the initial "
             f"stake W<sub>0</sub> = 1 in the run's numeraire.</p>",
             meta_table(run)]
    table = key_table(run)
    toc = [("key-numbers", "Key numbers")] if table else []
    toc += [(slug, title) for slug, title, _ in sections]
    parts.append("<ul class=toc>" + "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in toc) + "</ul>")
    if table:
        parts.append(f'<h2 id="key-numbers">Key numbers</h2>{table}')
    for slug, title, body in sections:
        parts.append(f'<section><h2 id="{slug}">{html.escape(title)}</h2>{body}</section>')
    if skipped:
        parts.append("<h2 id=not-shown>Not shown</h2><p class=note>The folder lacks what these need:</p><ul>" +
                     "".join(f"<li>{html.escape(t)}: needs {html.escape(n)}</li>" for t, n in skipped) + "</ul>")
    parts.append("<p class=note>Made by <code>restake-risk report</code> (notebooks/restake_plots).</p>")
    parts.append("</body></html>\n")
    text = "\n".join(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return out, drawn, skipped


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m restake_plots",
                                description="Self-contained HTML report of a restake-risk run or sweep folder.")
    p.add_argument("run_dir", help="a folder written by simulate, merge, sweep or sensitivity")
    p.add_argument("--out", help="the HTML file to write (default: RUN_DIR/report.html)")
    p.add_argument("--quiet", action="store_true", help="print only the path written")
    a = p.parse_args(argv)
    try:
        out, drawn, skipped = build(a.run_dir, a.out)
    except RunFolderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not a.quiet:
        note = f"; not shown (files absent): {', '.join(t for t, _ in skipped)}" if skipped else ""
        print(f"{len(drawn)} figures{note}", file=sys.stderr)
    print(out)
    return 0
