"""Every chart of a restake-risk run. Each function takes a `Run` and returns a matplotlib
Figure, or None when the run folder lacks the file the chart needs (the caller says so)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from . import style
from .data import Run, finite
from .style import GREY, WIDTH, alpha_label, framed_figure, footer_legend, pct, wrap

style.apply()

QUANTILE_COLUMNS = ["p01", "p05", "p25", "p50", "p75", "p95", "p99"]


def _grid(n, per_row_height, max_cols=3):
    ncols = n if n <= max_cols else (2 if n == 4 else max_cols)
    nrows = math.ceil(n / ncols)
    return nrows, ncols, per_row_height * nrows + 0.9


def _title_width(ncols):
    # characters of a panel title that fit a panel of an 8-inch figure at 10.5 pt bold
    return max(12, int(WIDTH / ncols * 72 / (10.5 * 0.66)) - 2)


def _suptitle(fig, title, run):
    import textwrap
    lines = textwrap.wrap(title, 70) + textwrap.wrap(run.describe(), 85)
    fig.suptitle("\n".join(lines), fontsize=12)


def _pick_alpha(run, metric, preferred=0.99):
    alphas = run.alphas(metric)
    if not alphas:
        return None
    for a in alphas:
        if abs(a - preferred) < 1e-12:
            return a
    return min(alphas, key=lambda a: abs(a - preferred))


# --- 1. fan ---------------------------------------------------------------------------------
def fan(run: Run, asset_label="asset units"):
    """Equity over time per strategy: median, 50/90/98% bands, mean, initial stake."""
    if run.fan is None or run.fan.empty:
        return None
    df, order = run.fan, [s for s in run.order if s in set(run.fan.strategy)]
    h = run.horizon_years
    scale, unit = style.time_unit(h)
    nrows, ncols, height = _grid(len(order), 2.15)
    labels = ["median", "mean", "50% band (p25-p75)", "90% band (p05-p95)",
              "98% band (p01-p99)", "initial stake"]
    fig, main, foot, ncol = framed_figure(height + 0.4, labels, fontsize=8.5)
    axes = main.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    tw = _title_width(ncols)
    for ax, name in zip(axes.flat, order):
        g = df[df.strategy == name].sort_values("t_years")
        x = g.t_years.to_numpy(dtype=float) * scale
        c = run.color[name]
        ax.fill_between(x, g.p01, g.p99, color=c, alpha=0.13, lw=0)
        ax.fill_between(x, g.p05, g.p95, color=c, alpha=0.22, lw=0)
        ax.fill_between(x, g.p25, g.p75, color=c, alpha=0.38, lw=0)
        ax.plot(x, g.p50, color=c, lw=1.9)
        ax.plot(x, g["mean"], color="0.15", lw=0.9, ls=(0, (4, 2)))
        ax.axhline(1.0, color="0.35", lw=0.8, ls=":")
        ax.set_title(wrap(name, tw), fontweight="bold", color=c)
        m, lo, hi = g.p50.iloc[-1], g.p05.iloc[-1], g.p95.iloc[-1]
        ax.text(0.03, 0.05, f"median at T: {m:.3f} ({pct(m - 1)})\n90% band: {lo:.2f} to {hi:.2f}",
                transform=ax.transAxes, fontsize=8, va="bottom",
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.8))
        ax.set_xlim(x[0], x[-1])
        style.set_time_axis(ax, h, label=False)
    for ax in axes.flat[len(order):]:
        ax.set_visible(False)
    lo_all, hi_all = float(df.p01.min()), float(df.p99.max())
    span = max(hi_all - lo_all, 1e-6)
    axes[0, 0].set_ylim(max(0.0, lo_all - 0.04 * span), hi_all + 0.06 * span)
    main.supxlabel(f"time ({unit})", fontsize=10)
    main.supylabel(f"equity $W_t$ (x initial stake, in {run.wealth_unit(asset_label)})", fontsize=10)
    _suptitle(main, "Compounding fan: equity over time per strategy", run)
    handles = [Line2D([], [], color=GREY, lw=1.9, label=labels[0]),
               Line2D([], [], color="0.15", lw=0.9, ls=(0, (4, 2)), label=labels[1]),
               Patch(color=GREY, alpha=0.73, lw=0, label=labels[2]),
               Patch(color=GREY, alpha=0.35, lw=0, label=labels[3]),
               Patch(color=GREY, alpha=0.13, lw=0, label=labels[4]),
               Line2D([], [], color="0.35", lw=0.8, ls=":", label=labels[5])]
    footer_legend(foot, handles, ncol, fontsize=8.5)
    return fig


# --- 2. distributions -----------------------------------------------------------------------
DIST_TITLES = {
    "terminal_wealth": ("Terminal distribution of gains and losses, with VaR markers",
                        "change in equity over {h}, $W_T - 1$ (% of initial stake)"),
    "loss": ("Distribution of the loss $L = 1 - W_T$, with VaR and ES markers",
             "loss over {h}, $L$ (% of initial stake; negative: a gain)"),
    "slashing_loss": ("Distribution of the slashing loss $L_s$",
                      "slashed over {h}, $L_s$ (% of initial stake)"),
}


def _regular_bins(lo, hi):
    """Mask of the central bins. The engine spans [x_(0.001), x_(0.999)] with equal-width bins
    and adds one outer bin on each side, from the minimum and up to the maximum: drawn as a
    density such a bin looks like real mass spread over its width, so it is told in words."""
    w = hi - lo
    reg = w > 0
    pos = w[reg]
    if pos.size == 0:
        return reg
    typical = np.median(pos)
    tol = 1e-6 * typical
    if len(w) >= 3:
        if abs(w[0] - typical) > tol:
            reg[0] = False
        if abs(w[-1] - typical) > tol:
            reg[-1] = False
    return reg


def distribution(run: Run, metric: str = "terminal_wealth"):
    """Share of paths per bin (log scale), one panel per strategy on its own x range; the paths
    of wide outer bins are written as text at the panel's edge instead of drawn as a flat bar."""
    if run.dist is None:
        return None
    d = run.dist[run.dist.metric == metric]
    if d.empty:
        return None
    order = [s for s in run.order if s in set(d.strategy)]
    title, xlabel = DIST_TITLES.get(metric, (f"Distribution of {metric}", metric + " over {h}"))
    shift = -1.0 if metric == "terminal_wealth" else 0.0
    var_sign = -1.0 if metric == "terminal_wealth" else 1.0
    nrows, ncols, height = _grid(len(order), 2.0)
    var_styles = {0.95: (0, (1.5, 1.5)), 0.99: (0, (5, 2))}
    labels = ["share of paths per bin"]
    has_var = metric in ("terminal_wealth", "loss") and run.long is not None
    if has_var:
        labels += [("-" if var_sign < 0 else "") + "VaR 95%", ("-" if var_sign < 0 else "") + "VaR 99%"]
    if metric == "loss" and run.long is not None:
        labels.append("ES 99%")
    fig, main, foot, ncol = framed_figure(height + 0.5, labels)
    axes = main.subplots(nrows, ncols, squeeze=False)
    tw = _title_width(ncols)
    total_paths = run.paths
    for ax, name in zip(axes.flat, order):
        g = d[d.strategy == name].sort_values("bin_lo")
        c = run.color[name]
        lo = g.bin_lo.to_numpy(dtype=float) + shift
        hi = g.bin_hi.to_numpy(dtype=float) + shift
        cnt = g["count"].to_numpy(dtype=float)
        n = total_paths or cnt.sum()
        share = cnt / n if n else cnt
        ax.set_title(wrap(name, tw), fontweight="bold", color=c)
        reg = _regular_bins(lo, hi)
        note = []
        if (hi - lo <= 0).any() or not reg.any():
            # the central range is one value (a zero-width bin): a stem at it, on the same axis
            central = np.flatnonzero(hi - lo <= 0)
            k = central[np.argmax(cnt[central])] if central.size else int(cnt.argmax())
            x0, s0 = lo[k], share[k]
            style.log_share_axis(ax, max(s0, 1e-6) / 100, max(s0, 1e-6) * 1.5)
            ax.vlines([x0], ax.get_ylim()[0], [s0], color=c, lw=4)
            ax.set_xlim(x0 - max(0.01, abs(x0) * 0.2), x0 + max(0.01, abs(x0) * 0.2))
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(ax.get_xlim()[1] - ax.get_xlim()[0])))
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.text(0.5, 0.5, f"{pct(s0, 2)} of paths\nat exactly {pct(x0, 2)}", transform=ax.transAxes,
                    ha="left", fontsize=8, color="0.2",
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.8"))
            left = share[:k].sum()
            right = share[k + 1:].sum()
            if left > 0:
                note.append(("left", f"{pct(left, 2)} below, down to {pct(lo[:k].min(), 2)}"))
            if right > 0:
                note.append(("right", f"{pct(right, 2)} above, up to {pct(hi[k + 1:].max(), 2)}"))
        else:
            first, last = np.argmax(reg), len(reg) - 1 - np.argmax(reg[::-1])
            inner = slice(first, last + 1)
            edges = np.r_[lo[inner], hi[inner][-1]]
            s = share[inner]
            positive = s[s > 0]
            floor_v = positive.min() / 2.0 if positive.size else 1e-6
            style.log_share_axis(ax, floor_v, max(positive.max() if positive.size else 1.0, floor_v) * 1.5)
            base = ax.get_ylim()[0]
            ax.stairs(np.where(s > 0, s, np.nan), edges, baseline=base, fill=True, color=c, alpha=0.45)
            ax.stairs(np.where(s > 0, s, np.nan), edges, baseline=base, color=c, lw=0.9)
            x_lo, x_hi = edges[0], edges[-1]
            left = share[:first].sum()
            right = share[last + 1:].sum()
            if left > 0:
                note.append(("left", f"off axis: {pct(left, 2)} down to {pct(lo[:first].min(), 1)}"))
            if right > 0:
                note.append(("right", f"off axis: {pct(right, 2)} up to {pct(hi[last + 1:].max(), 1)}"))
            pad = 0.02 * (x_hi - x_lo)
            ax.set_xlim(x_lo - pad, x_hi + pad)
            span = x_hi - x_lo
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(span)))
            ax.xaxis.set_major_locator(MaxNLocator(4))
        info = []
        if has_var:
            for a, ls in var_styles.items():
                v = run.value(name, "loss.var", a)
                if finite(v):
                    ax.axvline(var_sign * v, color="crimson", lw=1.1, ls=ls)
            v99 = run.value(name, "loss.var", 0.99)
            if finite(v99):
                info.append(f"VaR 99%: {pct(v99)}")
            if metric == "loss":
                es = run.value(name, "loss.es", 0.99)
                if finite(es):
                    ax.axvline(es, color="black", lw=1.0)
                    info.append(f"ES 99%: {pct(es)}")
        if metric == "terminal_wealth":
            med = run.value(name, "terminal_wealth.quantile", 0.5)
            if finite(med):
                info.append(f"median: {pct(med - 1)}")
        if metric == "slashing_loss":
            p = run.value(name, "slashing_loss.prob_any")
            if finite(p):
                info.append(f"P(slashed): {pct(p, 2)}")
            es = run.value(name, "slashing_loss.es", 0.99)
            if finite(es):
                info.append(f"ES 99%: {pct(es)}")
        info += [t.replace("\n", " ") for _, t in note]
        if info:
            ax.text(0.03, 0.96, "\n".join(info), transform=ax.transAxes, fontsize=8, va="top",
                    bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.85))
    for ax in axes.flat[len(order):]:
        ax.set_visible(False)
    h = run.horizon_years
    from .data import horizon_text
    main.supxlabel(xlabel.format(h=horizon_text(h) if h else "the horizon") +
                   "; each panel on its own scale", fontsize=10)
    main.supylabel("share of paths per bin (log scale)", fontsize=10)
    _suptitle(main, title, run)
    handles = [Patch(color="0.5", alpha=0.45, label=labels[0])]
    if has_var:
        handles += [Line2D([], [], color="crimson", lw=1.1, ls=var_styles[0.95], label=labels[1]),
                    Line2D([], [], color="crimson", lw=1.1, ls=var_styles[0.99], label=labels[2])]
    if metric == "loss" and run.long is not None:
        handles.append(Line2D([], [], color="black", lw=1.0, label="ES 99%"))
    footer_legend(foot, handles, ncol)
    return fig


def _pct_decimals(span):
    if span >= 0.2:
        return 0
    if span >= 0.02:
        return 1
    if span >= 0.002:
        return 2
    return 3


# --- 3. VaR / ES ----------------------------------------------------------------------------
def var_es(run: Run):
    """VaR (with its order-statistics interval) and ES (with +-1.96 SE) of the loss and the
    slashing loss, per strategy and alpha. Missing bounds are drawn as open whiskers."""
    if run.long is None:
        return None
    metrics = [m for m in (("loss", "Loss $L = 1 - W_T$ (negative: a gain)"),
                           ("slashing_loss", "Slashing loss $L_s$ (slashed amount / initial stake)"))
               if run.alphas(f"{m[0]}.var") or run.alphas(f"{m[0]}.es")]
    if not metrics:
        return None
    alphas = sorted(set(run.alphas("loss.var")) | set(run.alphas("slashing_loss.var")))[:4]
    order = run.order
    labels = ["VaR (whiskers: 95% order-statistics interval)", "ES (whiskers: $\\pm$1.96 standard errors)"]
    per = 0.34 * len(order) + 0.9
    fig, main, foot, ncol = framed_figure(per * len(metrics) + 0.8, labels)
    rows = main.subfigures(len(metrics), 1, squeeze=False)[:, 0] if len(metrics) > 1 else [main]
    y = np.arange(len(order))[::-1].astype(float)
    hh = 0.38
    names = [wrap(s, 24) for s in order]
    for row, (metric, title) in zip(rows, metrics):
        axes = np.atleast_1d(row.subplots(1, len(alphas), sharey=True))
        if len(metrics) > 1:
            row.suptitle(title, fontsize=10.5, fontweight="bold")
        for ax, a in zip(axes, alphas):
            var = [run.metric(s, f"{metric}.var", a) for s in order]
            es = [run.metric(s, f"{metric}.es", a) for s in order]
            vals = []
            for yi, v in zip(y, var):
                if v is None or not finite(v["value"]):
                    continue
                x = v["value"]
                ax.barh(yi + hh / 2, x, height=hh, color=style.VAR_COLOR)
                lo, hi = v.get("ci_lo"), v.get("ci_hi")
                _whisker(ax, yi + hh / 2, x, lo, hi)
                vals += [x] + [b for b in (lo, hi) if finite(b)]
            for yi, e in zip(y, es):
                if e is None or not finite(e["value"]):
                    continue
                x = e["value"]
                ax.barh(yi - hh / 2, x, height=hh, color=style.ES_COLOR)
                se = e.get("se")
                if finite(se):
                    _whisker(ax, yi - hh / 2, x, x - 1.96 * se, x + 1.96 * se)
                    vals += [x - 1.96 * se, x + 1.96 * se]
                else:
                    _whisker(ax, yi - hh / 2, x, None, None)
                vals.append(x)
            ax.axvline(0, color="0.3", lw=0.8)
            ax.set_title(f"$\\alpha$ = {alpha_label(a)}")
            lo_x = min([0.0] + vals)
            hi_x = max([0.0] + vals)
            span = max(hi_x - lo_x, 1e-9)
            ax.set_xlim(lo_x - 0.06 * span, hi_x + 0.10 * span)
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(span)))
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.grid(axis="y", alpha=0)
            ax.set_xlabel("% of initial stake")
        axes[0].set_yticks(y, names)
    _suptitle(main, f"Value at Risk and Expected Shortfall per strategy (in {run.wealth_unit()})", run)
    handles = [Patch(color=style.VAR_COLOR, label=labels[0]), Patch(color=style.ES_COLOR, label=labels[1])]
    footer_legend(foot, handles, ncol)
    return fig


def _whisker(ax, y, x, lo, hi):
    """An interval; a missing bound (the order statistic falls outside the sample) is drawn as
    a dotted open end so no one reads it as a bound."""
    kw = dict(color="0.15", lw=0.9)
    if finite(lo):
        ax.plot([lo, x], [y, y], **kw)
        ax.plot([lo, lo], [y - 0.08, y + 0.08], **kw)
    if finite(hi):
        ax.plot([x, hi], [y, y], **kw)
        ax.plot([hi, hi], [y - 0.08, y + 0.08], **kw)
    if not finite(lo) or not finite(hi):
        ax.annotate("no bound" if not finite(hi) else "", (x, y), xytext=(4, 0),
                    textcoords="offset points", fontsize=6.5, va="center", color="0.35")


# --- 4. attribution -------------------------------------------------------------------------
def attribution(run: Run, alpha: float = 0.99):
    """Expected slashing loss and the Euler contribution to ES(L_s) per source (AVS, operator,
    base), stacked per strategy."""
    if run.attr is None or run.attr.empty:
        return None
    at = run.attr[np.isclose(run.attr.alpha.astype(float), alpha, rtol=0, atol=1e-12)]
    if at.empty:
        avail = sorted(run.attr.alpha.unique())
        alpha = min(avail, key=lambda a: abs(a - alpha))
        at = run.attr[np.isclose(run.attr.alpha.astype(float), alpha, rtol=0, atol=1e-12)]
    order = [s for s in run.order if s in set(at.strategy)]
    kinds = at.groupby("source").kind.first().to_dict()
    totals = at.groupby("source").es_contribution.sum() + 1e-300 * at.groupby("source").expected_loss.sum()
    src_order = []
    for kind in ("avs", "operator", "base"):
        src_order += [s for s in totals.sort_values(ascending=False).index if kinds.get(s, "avs") == kind]
    src_order += [s for s in totals.index if s not in src_order]
    colors, used = {}, {}
    for s in src_order:
        k = kinds.get(s, "avs")
        pal = style.KIND_PALETTES.get(k, style.KIND_PALETTES["avs"])
        colors[s] = pal[used.get(k, 0) % len(pal)]
        used[k] = used.get(k, 0) + 1
    labels = [f"{s} ({kinds.get(s, 'avs')})" if kinds.get(s) != "base" else "base (base-layer slashing)"
              for s in src_order]
    fig, main, foot, ncol = framed_figure(1.6 + 0.42 * len(order), labels)
    axes = main.subplots(1, 2, sharey=True)
    y = np.arange(len(order))[::-1]
    table = at.pivot_table(index="strategy", columns="source", values=["expected_loss", "es_contribution"],
                           aggfunc="sum", fill_value=0.0)
    panels = [("expected_loss", "Expected slashing loss $E[L_{s,j}]$"),
              ("es_contribution", f"Contribution to slashing ES at $\\alpha$ = {alpha_label(alpha)}")]
    for ax, (col, title) in zip(axes, panels):
        left = np.zeros(len(order))
        for src in src_order:
            v = np.array([float(table[col][src].get(s, 0.0)) if src in table[col] else 0.0 for s in order])
            ax.barh(y, v, left=left, height=0.62, color=colors[src], edgecolor="white", linewidth=0.5)
            left += v
        span = left.max() if left.max() > 0 else 1.0
        for yi, tot in zip(y, left):
            ax.text(tot + 0.015 * span, yi, pct(tot), va="center", fontsize=8)
        ax.set_xlim(0, span * 1.25)
        ax.set_title(title)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(span)))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.grid(axis="y", alpha=0)
        ax.set_xlabel("% of initial stake")
    axes[0].set_yticks(y, [wrap(s, 24) for s in order])
    _suptitle(main, "Where the slashing tail comes from: attribution per source", run)
    handles = [Patch(color=colors[s], label=l) for s, l in zip(src_order, labels)]
    footer_legend(foot, handles, ncol)
    return fig


# --- 5. risk against return -----------------------------------------------------------------
def _return_of(run, w):
    h = run.horizon_years or 1.0
    if w is None or not finite(w):
        return None
    if h >= 1.0 - 1e-9:
        return -1.0 if w <= 0 else float(math.exp(math.log(w) / h) - 1.0)
    return w - 1.0


def risk_return(run: Run, alpha: float = 0.99):
    """Every strategy on one chart: ES of the loss (with +-1.96 SE) against the median return
    (filled) and the mean return (open), annualized from a year on, over the horizon below."""
    if run.long is None:
        return None
    a = _pick_alpha(run, "loss.es", alpha)
    if a is None:
        return None
    h = run.horizon_years or 1.0
    rlabel = "annualized return, $W^{1/H} - 1$" if h >= 1 - 1e-9 else \
        f"return over the horizon, $W_T - 1$"
    pts = []
    for s in run.order:
        es = run.metric(s, "loss.es", a)
        med = _return_of(run, run.value(s, "terminal_wealth.quantile", 0.5))
        mean = _return_of(run, run.value(s, "terminal_wealth.mean"))
        if es is None or not finite(es["value"]) or med is None:
            continue
        pts.append((s, es["value"], es.get("se"), med, mean))
    if not pts:
        return None
    labels = [p[0] for p in pts] + ["median (filled), mean (open)"]
    fig, main, foot, ncol = framed_figure(4.6, labels)
    ax = main.subplots()
    markers = ["o", "s", "D", "^", "v", "P", "X", "<", ">", "h"]
    handles = []
    ys = []
    for i, (s, es, se, med, mean) in enumerate(pts):
        c, m = run.color[s], markers[i % len(markers)]
        if finite(se):
            ax.errorbar(es, med, xerr=1.96 * se, fmt="none", ecolor=c, elinewidth=1.0, capsize=3)
        ax.plot(es, med, marker=m, ms=8, color=c, ls="none", zorder=3)
        ys.append(med)
        if mean is not None and finite(mean):
            ax.plot(es, mean, marker=m, ms=8, mfc="white", mec=c, ls="none", zorder=3)
            ax.plot([es, es], [med, mean], color=c, lw=0.7, alpha=0.6)
            ys.append(mean)
        handles.append(Line2D([], [], marker=m, color=c, ls="none", ms=7, label=s))
    handles.append(Line2D([], [], marker="o", mfc="white", mec="0.3", ls="none", ms=7,
                          label=labels[-1]))
    ys = np.array(ys)
    lo, hi = np.nanmin(ys), np.nanmax(ys)
    q = np.nanpercentile(ys, [10, 90]) if len(ys) > 3 else (lo, hi)
    top = hi if hi - lo < 5 * max(q[1] - q[0], 0.02) else q[1] + 2 * max(q[1] - q[0], 0.02)
    if top < hi:
        ax.text(0.99, 0.98, "some means are off the chart (heavy right tail)", transform=ax.transAxes,
                ha="right", va="top", fontsize=7.5, color="0.35")
    pad = 0.08 * max(top - lo, 1e-4)
    ax.set_ylim(lo - pad, top + pad)
    ax.axhline(0, color="0.3", lw=0.8)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(ax.get_xlim()[1] - ax.get_xlim()[0])))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(top - lo)))
    ax.set_xlabel(f"risk: ES {alpha_label(a)} of the loss $L$ (% of initial stake; whiskers $\\pm$1.96 SE)")
    ax.set_ylabel(rlabel)
    _suptitle(main, "Risk against return, all strategies", run)
    footer_legend(foot, handles, ncol)
    return fig


# --- 6. shared minus isolated, path by path ---------------------------------------------------
def security_pairs(run: Run):
    """(shared, isolated) strategy pairs whose names differ only by `shared`/`isolated`."""
    pairs = []
    names = set(run.order)
    for s in run.order:
        if "shared" in s:
            t = s.replace("shared", "isolated")
            if t in names:
                pairs.append((s, t))
    return pairs


def shared_vs_isolated(run: Run, pairs=None):
    """Per path (samples.csv paired by `path`): shared minus isolated terminal wealth and
    slashing loss. Same random draws, so the differences are the security model's alone."""
    if run.samples is None:
        return None
    pairs = pairs or security_pairs(run)
    sm = run.samples
    pairs = [(a, b) for a, b in pairs if a in set(sm.strategy) and b in set(sm.strategy)]
    if not pairs:
        return None
    panels = [("terminal_wealth", "terminal wealth $W_T$: shared $-$ isolated"),
              ("slashing_loss", "slashing loss $L_s$: shared $-$ isolated")]
    labels = ["paths (histogram, log scale)", "mean difference", "zero"]
    fig, main, foot, ncol = framed_figure(0.9 + 2.3 * len(pairs), labels)
    axes = main.subplots(len(pairs), 2, squeeze=False)
    for row, (a, b) in zip(axes, pairs):
        A = sm[sm.strategy == a].set_index("path")
        B = sm[sm.strategy == b].set_index("path")
        common = A.index.intersection(B.index)
        for ax, (col, title) in zip(row, panels):
            diff = (A.loc[common, col] - B.loc[common, col]).to_numpy(dtype=float)
            diff = diff[np.isfinite(diff)]
            c = run.color[a]
            if diff.size == 0:
                ax.set_visible(False)
                continue
            lo, hi = diff.min(), diff.max()
            if hi - lo < 1e-12:
                ax.axvline(lo, color=c, lw=3)
                ax.set_xlim(lo - 0.01, lo + 0.01)
            else:
                ax.hist(diff, bins=60, color=c, alpha=0.6, log=True)
                ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(hi - lo)))
                ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.axvline(diff.mean(), color="black", lw=1.0)
            ax.axvline(0, color="0.3", lw=0.8, ls=":")
            worse = (diff < 0).mean() if col == "terminal_wealth" else (diff > 0).mean()
            same = (np.abs(diff) <= 1e-12).mean()
            ax.text(0.02, 0.97, f"{len(diff):,} paired paths\nshared worse on {pct(worse, 1)}\n"
                    f"equal on {pct(same, 1)}\nmean {diff.mean():+.4f}",
                    transform=ax.transAxes, fontsize=7.5, va="top",
                    bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.85))
            ax.set_title(f"{wrap(a, 30)} $-$ {wrap(b, 30)}\n{title}", fontsize=9.5)
            ax.set_ylabel("paths")
    _suptitle(main, "Shared minus isolated security, path by path (common random numbers)", run)
    handles = [Patch(color="0.5", alpha=0.6, label=labels[0]),
               Line2D([], [], color="black", lw=1.0, label=labels[1]),
               Line2D([], [], color="0.3", lw=0.8, ls=":", label=labels[2])]
    footer_legend(foot, handles, ncol)
    return fig


# --- 7. timeline ----------------------------------------------------------------------------
def timeline(run: Run):
    """Probability that a strategy has been slashed, liquidated or has exited by time t."""
    if run.timeline is None or run.timeline.empty:
        return None
    tl = run.timeline
    h = run.horizon_years
    scale, unit = style.time_unit(h)
    cols = [("p_slashed", "P(slashed by t)"), ("p_liquidated", "P(liquidated by t)"),
            ("p_exited", "P(exited by t)")]
    order = [s for s in run.order if s in set(tl.strategy)]
    fig, main, foot, ncol = framed_figure(3.3, order)
    axes = main.subplots(1, 3, sharex=True)
    for ax, (col, title) in zip(axes, cols):
        zero = []
        top = 0.0
        for s in order:
            g = tl[tl.strategy == s].sort_values("t_years")
            v = g[col].to_numpy(dtype=float)
            if np.nanmax(np.abs(v), initial=0) == 0:
                zero.append(s)
                continue
            ax.plot(g.t_years.to_numpy(dtype=float) * scale, v, color=run.color[s], lw=1.6,
                    drawstyle="steps-post")
            top = max(top, np.nanmax(v))
        ax.set_title(title)
        ax.set_ylim(0, max(top * 1.12, 1e-3))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(top)))
        ax.set_xlim(0, (h or tl.t_years.max()) * scale)
        style.set_time_axis(ax, h)
        if zero:
            txt = "zero throughout:\n" + "\n".join(wrap(z, 26) for z in zero[:8])
            if len(zero) > 8:
                txt += f"\n... and {len(zero) - 8} more"
            ax.text(0.03, 0.97, txt, transform=ax.transAxes, fontsize=7, va="top", color="0.35")
    _suptitle(main, "When things happen: slashing, liquidation and exit over time", run)
    handles = [Line2D([], [], color=run.color[s], lw=1.6, label=s) for s in order]
    footer_legend(foot, handles, ncol)
    return fig


# --- 8. sweep -------------------------------------------------------------------------------
SWEEP_METRICS = [("loss.es", 0.99, "ES 99% of the loss $L$"),
                 ("slashing_loss.es", 0.99, "ES 99% of the slashing loss $L_s$"),
                 ("loss.var", 0.99, "VaR 99% of the loss $L$"),
                 ("terminal_wealth.mean", None, "mean terminal wealth $E[W_T]$"),
                 ("liquidation_prob", None, "P(liquidated)"),
                 ("slashing_loss.prob_any", None, "P(slashed)")]


def sweep(run: Run, metrics=None):
    """Each metric against the first varied parameter, one line per strategy (and per value of
    any other varied parameter), with its 95% band: the VaR's interval, or +-1.96 SE."""
    if run.sweep is None or run.sweep.empty or not run.sweep_columns:
        return None
    sw = run.sweep
    xcol = run.sweep_columns[0]
    others = run.sweep_columns[1:]
    chosen = []
    for m, a, title in (metrics or SWEEP_METRICS):
        sel = sw[sw.metric == m]
        if a is not None and not sel.empty:
            alphas = sel.alpha.dropna().astype(float).unique()
            if alphas.size == 0:
                continue
            a = min(alphas, key=lambda v: abs(v - a))
            title = title.replace("99%", alpha_label(a))
            sel = sel[np.isclose(sel.alpha.astype(float), a, rtol=0, atol=1e-12)]
        elif a is None:
            sel = sel[sel.alpha.isna()] if sel.alpha.notna().any() else sel
        if not sel.empty and sel.value.notna().any():
            chosen.append((m, title, sel))
    if not chosen:
        return None
    chosen = chosen[:4]
    order = [s for s in run.order if s in set(sw.strategy)]
    groups = [()] if not others else list(dict.fromkeys(
        tuple(r) for r in sw[others].itertuples(index=False, name=None)))
    dashes = ["-", (0, (5, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2))]
    labels = list(order) + ([f"{', '.join(others)} = {', '.join(map(str, g))}" for g in groups] if others else [])
    labels.append("95% band (VaR interval or $\\pm$1.96 SE)")
    ncols = 2 if len(chosen) > 1 else 1
    nrows = math.ceil(len(chosen) / ncols)
    fig, main, foot, ncol = framed_figure(0.9 + 2.6 * nrows, labels)
    axes = main.subplots(nrows, ncols, squeeze=False, sharex=True)
    numeric_x = pd.api.types.is_numeric_dtype(sw[xcol])
    for ax, (m, title, sel) in zip(axes.flat, chosen):
        for s in order:
            for gi, g in enumerate(groups):
                q = sel[sel.strategy == s]
                for col, val in zip(others, g):
                    q = q[q[col] == val]
                q = q.sort_values(xcol) if numeric_x else q.sort_values("point")
                if q.empty:
                    continue
                x = q[xcol].to_numpy(dtype=float) if numeric_x else np.arange(len(q))
                v = q.value.to_numpy(dtype=float)
                lo = q.ci_lo.to_numpy(dtype=float)
                hi = q.ci_hi.to_numpy(dtype=float)
                se = q.se.to_numpy(dtype=float)
                lo = np.where(np.isfinite(lo), lo, v - 1.96 * se)
                hi = np.where(np.isfinite(hi), hi, v + 1.96 * se)
                c = run.color[s]
                ax.fill_between(x, lo, hi, color=c, alpha=0.18, lw=0)
                ax.plot(x, v, color=c, lw=1.6, ls=dashes[gi % len(dashes)], marker="o", ms=3)
                if not numeric_x:
                    ax.set_xticks(x, [wrap(str(t), 12) for t in q[xcol]])
        ax.set_title(title)
        if m.endswith((".es", ".var", "prob_any")) or m == "liquidation_prob":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        ax.set_xlabel(wrap(xcol, 60))
    for ax in axes.flat[len(chosen):]:
        ax.set_visible(False)
    _suptitle(main, f"Sweep over {', '.join(run.sweep_columns)} (same seed and paths at every point)", run)
    handles = [Line2D([], [], color=run.color[s], lw=1.6, label=s) for s in order]
    if others:
        handles += [Line2D([], [], color="0.3", lw=1.4, ls=dashes[i % len(dashes)], label=l)
                    for i, l in enumerate(labels[len(order):-1])]
    handles.append(Patch(color="0.5", alpha=0.25, label=labels[-1]))
    footer_legend(foot, handles, ncol)
    return fig


# --- 9. tornado -----------------------------------------------------------------------------
TORNADO_METRICS = [("slashing_loss.es", "ES 99% of the slashing loss $L_s$"),
                   ("loss.es", "ES 99% of the loss $L$")]


def _tornado_rows(sens, strategy, metric, alpha):
    q = sens[(sens.strategy == strategy) & (sens.metric == metric)]
    if alpha is not None and q.alpha.notna().any():
        q = q[np.isclose(q.alpha.astype(float), alpha, rtol=0, atol=1e-12)]
    q = q.copy()
    base = q["base"].astype(float)
    if "low" in q and "high" in q and q["low"].notna().any():
        lo, hi = q["low"].astype(float) - base, q["high"].astype(float) - base
        width = None
        if "bump" in q:
            width = 2 * q["bump"].astype(float) * q["se"].astype(float) / 2
    elif "bump" in q:
        d = q.derivative.astype(float) * q["bump"].astype(float)
        lo, hi, width = -d, d, q["bump"].astype(float) * q["se"].astype(float)
    else:
        return None
    q["d_lo"], q["d_hi"] = lo, hi
    q["half_se"] = width
    q["swing"] = (hi - lo).abs()
    return q.sort_values("swing", ascending=True)


def tornado(run: Run, strategies=None, max_params=12):
    """Parameters ranked by their effect on ES 99% of the slashing loss and of the total loss:
    each bar runs from the metric with the parameter bumped down to it bumped up, around the
    base case (sensitivity.csv)."""
    if run.sensitivity is None or run.sensitivity.empty:
        return None
    sens = run.sensitivity
    strategies = strategies or [s for s in run.order if s in set(sens.strategy)]
    panels = []
    for s in strategies:
        for m, title in TORNADO_METRICS:
            sel = sens[(sens.strategy == s) & (sens.metric == m)]
            if sel.empty:
                continue
            alphas = sel.alpha.dropna().astype(float).unique()
            a = min(alphas, key=lambda v: abs(v - 0.99)) if alphas.size else None
            rows = _tornado_rows(sens, s, m, a)
            if rows is None or rows.empty:
                continue
            rows = rows.tail(max_params)
            panels.append((s, m, title.replace("99%", alpha_label(a)) if a else title, rows))
    if not panels:
        return None
    labels = ["parameter bumped down", "parameter bumped up"]
    heights = [0.5 + 0.28 * len(p[3]) for p in panels]
    ncols = 2 if len(panels) > 1 else 1
    nrows = math.ceil(len(panels) / ncols)
    row_h = [max(heights[i * ncols:(i + 1) * ncols]) for i in range(nrows)]
    fig, main, foot, ncol = framed_figure(sum(row_h) + 0.9, labels)
    axes = main.subplots(nrows, ncols, squeeze=False, gridspec_kw=dict(height_ratios=row_h))
    for ax, (s, m, title, rows) in zip(axes.flat, panels):
        y = np.arange(len(rows))
        ax.barh(y, rows.d_lo, color="#4E79A7", height=0.62)
        ax.barh(y, rows.d_hi, color="#E15759", height=0.62)
        ax.axvline(0, color="0.2", lw=0.9)
        ax.set_yticks(y, [wrap(p, 30) for p in rows.parameter])
        base = float(rows["base"].iloc[0])
        ax.set_title(f"{wrap(s, 30 if ncols > 1 else 70)}\n" + wrap(f"{title} (base {pct(base)})", 30 if ncols > 1 else 70),
                     fontsize=9.5)
        span = max(float(np.nanmax(np.abs(np.r_[rows.d_lo, rows.d_hi]))), 1e-9)
        ax.set_xlim(-span * 1.15, span * 1.15)
        dec = _pct_decimals(span * 2)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _, dec=dec: f"{v * 100:+.{dec}f}" if v else "0"))
        ax.xaxis.set_major_locator(MaxNLocator(4, symmetric=True))
        ax.grid(axis="y", alpha=0)
        ax.set_xlabel("change from base (pp of stake)")
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    _suptitle(main, "Which parameter drives the tail: sensitivities (central differences, common random numbers)", run)
    handles = [Patch(color="#4E79A7", label=labels[0]), Patch(color="#E15759", label=labels[1])]
    footer_legend(foot, handles, ncol)
    return fig


# --- 10. long-horizon compounding --------------------------------------------------------------
def implied_rate(w, years):
    if w is None or not finite(w) or w <= 0:
        return -1.0
    with np.errstate(over="ignore"):
        return float(np.exp(np.log(w) / years) - 1.0)


def sci_pct(x):
    return f"{x:.1%}" if abs(x) < 10 else f"{x * 100:.2g}%".replace("e+", "e")


def long_horizon(run: Run, headline_rates=(0.04, 0.07), asset_label="asset units"):
    """Median (and mean) growth of each strategy against deterministic compounding at headline
    rates, and the annualized rate implied by the median, the mean and the 5% quantile."""
    if run.fan is None or run.long is None:
        return None
    fan_df, order = run.fan, [s for s in run.order if s in set(run.fan.strategy)]
    H = run.horizon_years
    scale, unit = style.time_unit(H)
    labels = ["median path", "mean", "headline rate, compounded", "bar: 5% quantile (bad case)",
              "bar: median path", "bar: mean wealth"]
    fig, main, foot, ncol = framed_figure(4.6 + 0.12 * len(order), labels, fontsize=8.5)
    ax, bx = main.subplots(1, 2, width_ratios=[1.45, 1])
    t_grid = np.linspace(0, H, 200)
    for k, rate in enumerate(sorted(headline_rates)):
        ax.plot(t_grid * scale, (1 + rate) ** t_grid, color=GREY, lw=1.0, ls=":")
        tx = 0.36 * H
        ax.annotate(f"{rate:.0%}/yr headline", (tx * scale, (1 + rate) ** tx),
                    xytext=(0, -4 if k == 0 else 4), textcoords="offset points", color="0.4",
                    fontsize=8, ha="center", va="top" if k == 0 else "bottom")
    top = max([(1 + r) ** H for r in headline_rates] + [1.0])
    bottom = 1.0
    ends, off_scale = [], []
    for name in order:
        g = fan_df[fan_df.strategy == name].sort_values("t_years")
        c = run.color[name]
        ax.plot(g.t_years * scale, g.p50, color=c, lw=2.0)
        ax.plot(g.t_years * scale, g["mean"], color=c, lw=1.0, ls=(0, (4, 2)), alpha=0.9)
        top = max(top, g.p50.max())
        bottom = min(bottom, g.p50.min())
        ends.append((g.p50.iloc[-1], name, c))
    ylim_top = 1.0 + (top - 1.0) * 1.18
    ylim_bot = min(0.95, bottom - 0.05 * (top - bottom))
    for name in order:
        m = run.value(name, "terminal_wealth.mean")
        if finite(m) and m > ylim_top:
            off_scale.append(f"{name}: {m:.2g}x")
    ax.set_ylim(ylim_bot, ylim_top)
    ax.set_xlim(0, H * scale * 1.02)
    # end labels: the strategies' names are in the right panel; here the value, spread apart
    ends.sort()
    min_gap = 0.055 * (ylim_top - ylim_bot)
    placed = []
    for w, name, c in ends:
        yy = max(w, placed[-1] + min_gap) if placed else w
        placed.append(yy)
        ax.annotate(f"{w:.2f}x", (H * scale, w), (H * scale * 1.01, yy), color=c, fontsize=8,
                    va="center", fontweight="bold", annotation_clip=False)
    if off_scale:
        ax.text(0.03, 0.97, "mean wealth at T, off scale\n(heavy right tail):\n" + "\n".join(off_scale),
                transform=ax.transAxes, fontsize=7.5, va="top", color="0.25",
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.8"))
    style.set_time_axis(ax, H)
    ax.set_ylabel(f"equity $W_t$ (x initial stake, in {run.wealth_unit(asset_label)})")
    ax.set_title(f"Growth of 1 {run.wealth_unit(asset_label)} staked")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}x"))
    kinds = [("p05", 0.35), ("median", 1.0), ("mean", 0.65)]
    y = np.arange(len(order))[::-1].astype(float)
    hgt = 0.26
    vals = {}
    for name in order:
        vals[name] = {"p05": implied_rate(run.value(name, "terminal_wealth.quantile", 0.05), H),
                      "median": implied_rate(run.value(name, "terminal_wealth.quantile", 0.5), H),
                      "mean": implied_rate(run.value(name, "terminal_wealth.mean"), H)}
    finite_hi = max(max(v["median"], v["p05"]) for v in vals.values())
    cap = max(0.12, finite_hi * 1.6)
    lo = min(-0.02, min(v["p05"] for v in vals.values()) * 1.15)
    for k, (kind, alpha) in enumerate(kinds):
        offs = (1 - k) * hgt
        for yi, name in zip(y, order):
            v = vals[name][kind]
            c = run.color[name]
            shown = min(v, cap)
            bx.barh(yi + offs, shown, height=hgt * 0.92, color=c, alpha=alpha,
                    hatch="///" if v > cap else None, edgecolor="white" if v <= cap else c, linewidth=0.4)
            text = f"{v:.1%}" if v <= cap else f"off scale: {sci_pct(v)}"
            bx.text(max(shown, 0) + 0.01 * (cap - lo), yi + offs, text, va="center", fontsize=7,
                    color="0.15", clip_on=False)
    bx.axvline(0, color="0.3", lw=0.8)
    bx.set_xlim(lo, cap * 1.7)
    bx.set_yticks(y, [wrap(s, 20) for s in order])
    for t, name in zip(bx.get_yticklabels(), order):
        t.set_color(run.color[name])
    bx.tick_params(axis="y", length=0)
    bx.grid(axis="y", alpha=0)
    bx.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bx.xaxis.set_major_locator(MaxNLocator(4))
    bx.set_xlabel("%/yr, $W^{1/H} - 1$")
    bx.set_title("Implied annualized rate")
    handles = [Line2D([], [], color="0.3", lw=2.0, label=labels[0]),
               Line2D([], [], color="0.3", lw=1.0, ls=(0, (4, 2)), label=labels[1]),
               Line2D([], [], color=GREY, lw=1.0, ls=":", label=labels[2])]
    handles += [Patch(color="0.3", alpha=a, label=l) for (_, a), l in zip(kinds, labels[3:])]
    footer_legend(foot, handles, ncol, fontsize=8.5)
    _suptitle(main, "Long-horizon compounding: staking vs restaking vs LRT strategies", run)
    return fig, vals


# --- 10. a path, step by step (trace.csv) ---------------------------------------------------
def replay_path(run: Run, path=None):
    """One path step by step (`simulate --trace-path`): each asset's price and each token's
    discount (shared by the strategies that hold them), then every strategy's health factor and
    equity, on shared time axes. A pure replay's paths are all this path."""
    tr = run.trace
    if tr is None or tr.empty:
        return None
    path = int(tr.path.iloc[0]) if path is None else int(path)
    tr = tr[tr.path == path]
    order = [s for s in run.order if s in set(tr.strategy)]
    h = run.horizon_years or float(tr.t_years.max())
    scale, unit = style.time_unit(h)
    fig, main, foot, ncol = framed_figure(5.6, order)
    axes = main.subplots(2, 2, sharex=True, squeeze=False)
    by = {s: tr[tr.strategy == s].sort_values("step") for s in order}
    greys = ["0.15", "0.45", "0.65", "0.3", "0.55"]

    def shared(ax, key, col):
        """One line per asset (or token): the first strategy that holds it gives its values."""
        names = []
        for s in order:
            g = by[s]
            name = g[key].iloc[0]
            if not isinstance(name, str) or not name or name in names:
                continue
            ax.plot(g.t_years.to_numpy(dtype=float) * scale, g[col].to_numpy(dtype=float),
                    color=greys[len(names) % len(greys)], lw=1.6, drawstyle="steps-post", label=name)
            names.append(name)
        if names:
            ax.legend(loc="best", fontsize=8, frameon=False)
        return names

    def per_strategy(ax, col):
        # earlier lines drawn wider, so strategies that coincide for a while stay visible
        top, drawn = 0.0, 0
        for i, s in enumerate(order):
            y = by[s][col].to_numpy(dtype=float)
            if not np.isfinite(y).any():
                continue
            ax.plot(by[s].t_years.to_numpy(dtype=float) * scale, y, color=run.color[s],
                    lw=max(1.0, 3.4 - 0.5 * i), drawstyle="steps-post")
            top, drawn = max(top, float(np.nanmax(y))), drawn + 1
        return top, drawn

    ax = axes[0, 0]
    shared(ax, "asset", "asset_price")
    ax.set_title("asset price $P(t)/P(0)$, USD")
    ax = axes[0, 1]
    if not shared(ax, "token", "discount"):
        ax.text(0.5, 0.5, "no token (native staking)", transform=ax.transAxes, ha="center", color="0.4")
    top = float(np.nanmax(tr.discount.to_numpy(dtype=float), initial=0.0))
    ax.set_ylim(0, max(top * 1.1, 0.01))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=_pct_decimals(top)))
    ax.set_title("token discount $D$ (traded at $1 - D$)")
    ax = axes[1, 0]
    top, drawn = per_strategy(ax, "health_factor")
    ax.axhline(1.0, color="0.25", lw=0.9, ls="--")
    ax.set_ylim(0, min(max(top * 1.1, 1.5), 4.0))
    if not drawn:
        ax.text(0.5, 0.5, "no leveraged strategy", transform=ax.transAxes, ha="center", color="0.4")
    ax.set_title("health factor (liquidated below the dashed 1)")
    ax = axes[1, 1]
    per_strategy(ax, "equity")
    ax.axhline(1.0, color="0.35", lw=0.8, ls=":")
    ax.set_ylim(bottom=0)
    ax.set_title(f"equity $W_t$ (x initial stake, {run.wealth_unit()})")
    for ax in axes.flat:
        ax.set_xlim(0, h * scale)
        style.set_time_axis(ax, h, label=False)
    main.supxlabel(f"time ({unit})", fontsize=10)
    paths = sorted(set(run.trace.path))
    note = f"path {path}" + (f" of the traced {', '.join(map(str, paths))}" if len(paths) > 1 else "")
    _suptitle(main, f"One path step by step ({note}): price, discount, health factor, equity", run)
    handles = [Line2D([], [], color=run.color[s], lw=1.6, label=s) for s in order]
    footer_legend(foot, handles, ncol)
    return fig

# --- the report's list ------------------------------------------------------------------------
def report_figures(run: Run):
    """(slug, title, what it needs, figure or None) in the report's order."""
    yield "compounding-fan", "Compounding fan", "fan.csv", lambda: fan(run)
    yield "terminal-distribution", "Terminal distribution", "distribution.csv", \
        lambda: distribution(run, "terminal_wealth")
    yield "loss-distribution", "Loss distribution", "distribution.csv", lambda: distribution(run, "loss")
    yield "slashing-distribution", "Slashing-loss distribution", "distribution.csv", \
        lambda: distribution(run, "slashing_loss")
    yield "var-es", "VaR and ES with their intervals", "summary.csv or summary.json", lambda: var_es(run)
    yield "slashing-attribution", "Attribution per source", "attribution.csv", lambda: attribution(run)
    yield "risk-return", "Risk against return", "summary.csv or summary.json", lambda: risk_return(run)
    yield "shared-vs-isolated", "Shared minus isolated, path by path", \
        "samples.csv with a shared and an isolated strategy", lambda: shared_vs_isolated(run)
    yield "timeline", "Timeline", "timeline.csv", lambda: timeline(run)
    yield "sweep", "Sweep curves", "sweep.csv", lambda: sweep(run)
    yield "tornado", "Tornado: sensitivities", "sensitivity.csv", lambda: tornado(run)
    yield "replay-path", "One path step by step", "trace.csv (simulate --trace-path)", lambda: replay_path(run)
