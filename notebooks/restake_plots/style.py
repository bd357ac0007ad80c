"""Shared look of every figure: rcParams, names that wrap instead of being cut, time units."""
from __future__ import annotations

import math
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

RC = {
    "figure.dpi": 100,             # 8 in wide = 800 px: the README / report width
    "savefig.dpi": 200,            # PNGs at 2x for sharp display
    "savefig.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10,
    "figure.titlesize": 12.5,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "svg.hashsalt": "restake-risk",  # stable SVG ids, so regenerated figures diff cleanly
    "svg.fonttype": "path",
}
WIDTH = 8.0                          # inches: every figure is 800 px wide at 100 dpi
GREY = "0.55"
VAR_COLOR, ES_COLOR = "#3B6FB6", "#E07B39"
KIND_PALETTES = {
    "avs": ["#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#FF9DA7",
            "#9C755F", "#B6992D", "#499894"],
    "operator": ["#B07AA1", "#D37295", "#8F6D9F", "#FABFD2", "#6B4C9A"],
    "base": ["0.55"],
}


def apply():
    plt.rcParams.update(RC)


def wrap(name: str, width: int = 22) -> str:
    """A long name on several lines (at hyphens, underscores or spaces first), never cut."""
    name = str(name)
    if len(name) <= width:
        return name
    spaced = name.replace("_", "_\u200b").replace("/", "/\u200b").replace(".", ".\u200b")
    lines = textwrap.wrap(spaced, width=width, break_on_hyphens=True, break_long_words=True)
    return "\n".join(l.replace("\u200b", "") for l in lines)


def text_width_in(label: str, fontsize: float) -> float:
    # Rough width of a label in inches (DejaVu Sans averages ~0.6 em a character).
    longest = max((len(l) for l in str(label).split("\n")), default=0)
    return longest * 0.6 * fontsize / 72.0


def legend_layout(labels, width_in: float = WIDTH, fontsize: float = 9.0):
    """Columns and rows so that a footer legend of these labels fits the figure's width."""
    entries = sorted((text_width_in(l, fontsize) + 0.55 for l in labels), reverse=True)
    ncol = len(entries)
    while ncol > 1 and sum(entries[:ncol]) > width_in * 0.94:
        ncol -= 1
    ncol = max(1, ncol)
    rows = math.ceil(len(entries) / ncol) if entries else 0
    return ncol, rows


def framed_figure(height: float, legend_labels=(), width: float = WIDTH, fontsize: float = 9.0,
                  title_lines: int = 0):
    """A figure with a footer strip for the legend, sized to the legend's rows."""
    ncol, rows = legend_layout(legend_labels, width, fontsize)
    legend_h = 0.0 if rows == 0 else 0.18 + 0.22 * rows
    fig = plt.figure(figsize=(width, height + legend_h), layout="constrained")
    if legend_h == 0:
        return fig, fig, None, ncol
    main, foot = fig.subfigures(2, 1, height_ratios=[height, legend_h])
    return fig, main, foot, ncol


def footer_legend(foot, handles, ncol, **kw):
    if foot is None or not handles:
        return
    kw.setdefault("fontsize", 9)
    foot.legend(handles=handles, loc="center", ncol=ncol, frameon=False, handlelength=1.6,
                columnspacing=1.2, **kw)


def pct(x, digits=1):
    """A fraction as a percentage, with more digits for small values."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    if x != 0 and abs(x) < 0.00001:
        return "<0.001%" if x > 0 else "> -0.001%"
    if x != 0 and abs(x) < 0.001:
        return f"{x:.3%}"
    if abs(x) >= 100:
        return f"{x * 100:.3g}%".replace("e+", "e")
    return f"{x:.{digits}%}"


def alpha_label(a) -> str:
    return f"{float(a) * 100:.10g}%"


# --- time axes ------------------------------------------------------------------------------
def time_unit(horizon_years: float | None):
    """(scale from years, unit name) for a horizon: hours up to 3 days, days up to 1.5 years,
    years from there on."""
    h = horizon_years or 1.0
    if h * 365.0 <= 3.0 + 1e-9:
        return 365.0 * 24.0, "hours"
    if h <= 1.5 + 1e-9:
        return 365.0, "days"
    return 1.0, "years"


def set_time_axis(ax, horizon_years, label=True):
    scale, unit = time_unit(horizon_years)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(
        nbins=7, steps=[1, 2, 3, 5, 6, 10] if unit != "hours" else [1, 2, 3, 6, 10], integer=False))
    if label:
        ax.set_xlabel(f"time ({unit})")
    return scale, unit


# --- log axes whose ticks read plainly --------------------------------------------------------
def log_share_axis(ax, lo: float, hi: float):
    """A log y axis of shares (fractions) with ticks only at decades, labelled as percentages,
    spanning at least two decades so a narrow range never shows a lone odd tick."""
    lo_dec = math.floor(math.log10(max(lo, 1e-12)))
    hi_dec = min(0, math.ceil(math.log10(max(hi, 1e-12) - 1e-12)))   # never above 100%
    if hi_dec - lo_dec < 2:
        lo_dec = hi_dec - 2
    ax.set_yscale("log")
    ax.set_ylim(10.0 ** lo_dec, 10.0 ** hi_dec)
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=12))
    ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(2, 5), numticks=12))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FuncFormatter(_share_label))
    ax.grid(axis="y", which="minor", alpha=0)


def _share_label(v, _pos=None):
    if v <= 0:
        return ""
    p = v * 100
    if p >= 1:
        return f"{p:.0f}%"
    return f"{p:.{max(0, -math.floor(math.log10(p)))}f}%"
