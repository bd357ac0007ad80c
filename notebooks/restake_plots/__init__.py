"""Figures and the HTML report of restake-risk runs.

One module serves the notebook (`notebooks/restaking-risk.ipynb`) and the `restake-risk report`
command (`python -m restake_plots RUN_DIR --out FILE`): every chart is drawn here, once.

    from restake_plots import load_run, figures
    run = load_run("out/default")
    fig = figures.fan(run)

Every figure function takes a `Run` (see `data.load_run`) and returns a matplotlib Figure, or
None when the files it needs are not in the run folder. The names below are imported lazily, so
that `python -m restake_plots` can say which dependency is missing instead of a traceback.
"""
import importlib

__all__ = ["Run", "RunFolderError", "load_run", "figures", "report", "style", "data"]
_FROM_DATA = {"Run", "RunFolderError", "load_run"}


def __getattr__(name):
    if name in _FROM_DATA:
        return getattr(importlib.import_module(".data", __name__), name)
    if name in ("figures", "report", "style", "data"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
