"""Tests of the plotting module and the HTML report on the synthetic fixtures of
Tests/fixtures/report/ (formats of ../shared/MODEL.md v2). Run with `make report-test`:

    PYTHONPATH=notebooks .venv/bin/python -m unittest discover -s Tests/report -v

With RESTAKE_RISK_BIN set (make report-test does it when the binary exists), the `restake-risk
report` command is tested too: its output and its exit codes.
"""
import base64
import html.parser
import io
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIX = ROOT / "Tests" / "fixtures" / "report"
sys.path.insert(0, str(ROOT / "notebooks"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from restake_plots import figures, load_run, style  # noqa: E402
from restake_plots.data import RunFolderError  # noqa: E402
from restake_plots import report  # noqa: E402


class Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.ids, self.external = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a.get("src", ""))
            self.ids.append(a.get("id", ""))
        for k in ("src", "href"):
            v = a.get(k) or ""
            if v and not v.startswith(("data:", "#")):
                self.external.append(v)


def parse(path):
    p = Images()
    p.feed(pathlib.Path(path).read_text(encoding="utf-8"))
    return p


def png_ok(src):
    assert src.startswith("data:image/png;base64,"), src[:40]
    data = base64.b64decode(src.split(",", 1)[1])
    from PIL import Image
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return im.size


class TimeAxis(unittest.TestCase):
    def test_units_follow_the_horizon(self):
        self.assertEqual(style.time_unit(1 / (365 * 24))[1], "hours")   # one hour
        self.assertEqual(style.time_unit(2 / 365)[1], "hours")
        self.assertEqual(style.time_unit(30 / 365)[1], "days")
        self.assertEqual(style.time_unit(1.0)[1], "days")
        self.assertEqual(style.time_unit(10.0)[1], "years")

    def test_names_wrap_never_cut(self):
        name = "lrt-loop-3x-dex-priced-market-oracle-with-a-very-long-name"
        w = style.wrap(name, 20)
        self.assertEqual(w.replace("\n", ""), name)
        self.assertTrue(all(len(line) <= 20 for line in w.split("\n")))
        self.assertEqual(style.wrap("averyveryveryverylongnamewithnohyphen", 10).replace("\n", ""),
                         "averyveryveryverylongnamewithnohyphen")

    def test_log_share_axis_spans_two_decades_with_decade_ticks(self):
        fig, ax = plt.subplots()
        style.log_share_axis(ax, 0.3, 0.9)
        lo, hi = ax.get_ylim()
        self.assertAlmostEqual(hi, 1.0)
        self.assertLessEqual(lo, 0.01 + 1e-12)
        plt.close(fig)


class Loading(unittest.TestCase):
    def test_v2_run_reads_every_file(self):
        run = load_run(FIX / "run-v2")
        self.assertEqual(run.missing, ["sweep.csv", "sensitivity.csv", "trace.csv"])
        self.assertEqual(run.order[0], "native-staking")           # strategy_order, not sorted
        self.assertAlmostEqual(run.horizon_years, 30 / 365)
        v = run.metric("restaked-shared", "loss.var", 0.99)
        self.assertIsNotNone(v["ci_lo"])
        self.assertEqual(run.samples.columns[-1], "exit_years")

    def test_summary_json_alone_flattens_to_the_long_form(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(FIX / "run-v2" / "summary.json", d)
            j = load_run(d)
        csv = load_run(FIX / "run-v2")
        for s in csv.order:
            for m, a in (("loss.var", 0.99), ("loss.es", 0.95), ("slashing_loss.prob_any", None),
                         ("terminal_wealth.quantile", 0.5), ("liquidation_prob", None)):
                self.assertEqual(j.metric(s, m, a), csv.metric(s, m, a), (s, m, a))

    def test_v1_attribution_column(self):
        with tempfile.TemporaryDirectory() as d:
            src = (FIX / "run-v2" / "attribution.csv").read_text().splitlines()
            rows = [l.split(",") for l in src]
            v1 = [",".join([r[0], r[1]] + r[3:]) for r in rows]
            v1[0] = "strategy,avs,expected_loss,es_contribution,alpha"
            pathlib.Path(d, "attribution.csv").write_text("\n".join(v1) + "\n")
            run = load_run(d)
            self.assertIn("source", run.attr.columns)
            self.assertIsNotNone(figures.attribution(run))

    def test_not_a_run_folder(self):
        with self.assertRaises(RunFolderError) as e:
            load_run(FIX / "not-a-run")
        self.assertIn("not a restake-risk run folder", str(e.exception))
        with self.assertRaises(RunFolderError):
            load_run(FIX / "no-such-folder")

    def test_a_missing_column_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            pathlib.Path(d, "fan.csv").write_text("strategy,t_years,mean\nx,0,1\n")
            with self.assertRaises(RunFolderError) as e:
                load_run(d)
            self.assertIn("p01", str(e.exception))

    def test_sweep_columns(self):
        self.assertEqual(load_run(FIX / "sweep").sweep_columns, ["avs[bridge].incident_rate"])
        self.assertEqual(load_run(FIX / "sweep-grid").sweep_columns,
                         ["avs[bridge].incident_rate", "correlation.systemic.ETH"])

    def test_security_pairs(self):
        run = load_run(FIX / "run-v2")
        self.assertEqual(figures.security_pairs(run), [("restaked-shared", "restaked-isolated")])


class Figures(unittest.TestCase):
    def test_every_figure_of_the_v2_run(self):
        _, drawn, skipped = built("run-v2")
        self.assertEqual(len(drawn), 9)
        self.assertEqual([t for t, _ in skipped], ["Sweep curves", "Tornado: sensitivities",
                                                   "One path step by step"])

    def test_time_axis_of_a_30_day_run_reads_days(self):
        fig = figures.timeline(load_run(FIX / "run-v2"))
        labels = {ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()}
        self.assertEqual(labels, {"time (days)"})
        plt.close(fig)

    def test_outer_bins_are_not_drawn_as_density(self):
        run = load_run(FIX / "run-v2")
        fig = figures.distribution(run, "terminal_wealth")
        texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
        self.assertIn("off axis", texts)
        plt.close(fig)

    def test_long_names_are_whole_in_titles(self):
        run = load_run(FIX / "run-v2")
        long = [s for s in run.order if len(s) > 40][0]
        fig = figures.fan(run)
        titles = [ax.get_title().replace("\n", "") for ax in fig.axes]
        self.assertIn(long, titles)
        plt.close(fig)

    def test_missing_files_give_none(self):
        run = load_run(FIX / "sweep")
        self.assertIsNone(figures.fan(run))
        self.assertIsNone(figures.timeline(run))
        self.assertIsNone(figures.tornado(run))


_BUILT = {}
_TMP = tempfile.TemporaryDirectory(prefix="report-test-")


def built(name):
    """Each fixture's report, built once for every test that reads it."""
    if name not in _BUILT:
        _BUILT[name] = report.build(FIX / name, pathlib.Path(_TMP.name) / f"{name}.html")
    return _BUILT[name]


class Report(unittest.TestCase):
    def build(self, name, expect_ids):
        if True:
            out, drawn, skipped = built(name)
            p = parse(out)
            self.assertEqual(p.external, [])
            self.assertEqual(len(p.imgs), len(drawn))
            for src in p.imgs:
                w, h = png_ok(src)
                self.assertGreater(w, 100)
                self.assertGreater(h, 100)
            for slug in expect_ids:
                self.assertIn(f"fig-{slug}", p.ids)
            return drawn, skipped, out.read_text() if out.exists() else ""

    def test_run_report(self):
        drawn, skipped, _ = self.build("run-v2", ["compounding-fan", "timeline", "shared-vs-isolated",
                                                  "risk-return", "var-es", "slashing-attribution"])
        self.assertEqual([t for t, _ in skipped], ["Sweep curves", "Tornado: sensitivities",
                                                   "One path step by step"])

    def test_sweep_reports(self):
        self.build("sweep", ["sweep"])
        self.build("sweep-grid", ["sweep"])

    def test_sensitivity_report(self):
        self.build("sensitivity", ["tornado", "var-es"])

    def test_default_output_is_report_html_in_the_folder(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copytree(FIX / "sweep", pathlib.Path(d) / "s")
            out, _, _ = report.build(pathlib.Path(d) / "s")   # the smallest fixture
            self.assertEqual(out, pathlib.Path(d, "s", "report.html").resolve())
            self.assertEqual(sorted(p.name for p in (pathlib.Path(d) / "s").iterdir()),
                             ["report.html", "sweep.csv"])      # no temporary file left

    def test_module_exit_codes(self):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"))
        r = subprocess.run([sys.executable, "-m", "restake_plots", str(FIX / "not-a-run")],
                           capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a restake-risk run folder", r.stderr)


@unittest.skipUnless(os.environ.get("RESTAKE_RISK_BIN"), "RESTAKE_RISK_BIN not set")
class Command(unittest.TestCase):
    bin = os.environ.get("RESTAKE_RISK_BIN", "")

    def run_cmd(self, *args, env=None):
        return subprocess.run([self.bin, "report", *args], capture_output=True, text=True,
                              env=dict(os.environ, **(env or {})), cwd="/")

    def test_writes_the_report(self):
        with tempfile.TemporaryDirectory() as d:
            out = pathlib.Path(d) / "x.html"
            r = self.run_cmd(str(FIX / "run-v2"), "--out", str(out), "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip(), str(out.resolve()))
            self.assertGreaterEqual(len(parse(out).imgs), 9)

    def test_not_a_run_folder_exits_2(self):
        r = self.run_cmd(str(FIX / "not-a-run"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a restake-risk run folder", r.stderr)
        r = self.run_cmd(str(FIX / "no-such-folder"))
        self.assertEqual(r.returncode, 2)

    def test_missing_python_or_matplotlib_exits_2_naming_the_target(self):
        r = self.run_cmd(str(FIX / "sweep"), env={"RESTAKE_RISK_PYTHON": "/nonexistent/python"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("make plots-venv", r.stderr)
        bare = shutil.which("python3", path="/usr/bin:/bin")
        if bare:
            probe = subprocess.run([bare, "-c", "import matplotlib"], capture_output=True)
            if probe.returncode != 0:
                r = self.run_cmd(str(FIX / "sweep"), env={"RESTAKE_RISK_PYTHON": bare})
                self.assertEqual(r.returncode, 2)
                self.assertIn("make plots-venv", r.stderr)


@unittest.skipUnless(os.environ.get("RESTAKE_RISK_BIN"), "RESTAKE_RISK_BIN not set")
class EngineOutputs(unittest.TestCase):
    """Real runs of the engine: every CSV it writes loads in one line in pandas and in Polars
    with its numbers as numbers, and the report of a traced replay draws the replay's path."""
    bin = os.environ.get("RESTAKE_RISK_BIN", "")
    tmp = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="engine-outputs-")
        d = pathlib.Path(cls.tmp.name)
        scen = ROOT / "data" / "scenarios"
        runs = [["simulate", "--paths", "3000", "--samples", "200", "--trace-path", "5", "--out", str(d / "run")],
                ["simulate", str(scen / "replay-ezeth-2024-04.yaml"), "--paths", "1", "--trace-path", "0",
                 "--out", str(d / "replay")],
                ["sweep", "--vary", "avs[bridge].incident_rate=0.01,0.05", "--paths", "2000",
                 "--out", str(d / "sweep")],
                ["sensitivity", "--param", "avs[bridge].incident_rate", "--paths", "2000",
                 "--out", str(d / "sensitivity")]]
        for args in runs:
            r = subprocess.run([cls.bin, *args, "--quiet"], capture_output=True, text=True)
            if r.returncode != 0:
                raise AssertionError(f"{args}: exit {r.returncode}: {r.stderr}")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    TEXT = {"strategy", "metric", "source", "kind", "parameter", "asset", "token", "phase"}

    def csvs(self):
        files = sorted(pathlib.Path(self.tmp.name).glob("*/*.csv"))
        names = {f.name for f in files}
        for need in ("summary.csv", "fan.csv", "timeline.csv", "distribution.csv", "attribution.csv",
                     "samples.csv", "trace.csv", "sweep.csv", "sensitivity.csv"):
            self.assertIn(need, names)
        return files

    def test_every_csv_loads_in_pandas_with_numeric_columns(self):
        import pandas as pd
        for f in self.csvs():
            df = pd.read_csv(f)
            self.assertGreater(len(df), 0, f)
            for c in df.columns:
                if c in self.TEXT:
                    continue
                kind = df[c].dtype.kind
                # a column empty on every row (e.g. no path was liquidated) reads as float NaN
                self.assertIn(kind, "fiu", f"{f.parent.name}/{f.name}: {c} is {df[c].dtype}")

    def test_every_csv_loads_in_polars_with_numeric_columns(self):
        import polars as pl
        for f in self.csvs():
            df = pl.read_csv(f, infer_schema_length=None)
            self.assertGreater(df.height, 0, f)
            for c, t in df.schema.items():
                if c in self.TEXT:
                    continue
                # a column empty on every row (a one-path replay's densities) has no values to type
                ok = t.is_numeric() or df[c].null_count() == df.height
                self.assertTrue(ok, f"{f.parent.name}/{f.name}: {c} is {t}")

    def test_report_of_a_traced_replay_draws_its_path(self):
        out = pathlib.Path(self.tmp.name) / "replay.html"
        r = subprocess.run([self.bin, "report", str(pathlib.Path(self.tmp.name) / "replay"), "--out", str(out),
                            "--quiet"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        p = parse(out)
        self.assertIn("fig-replay-path", p.ids)
        for src in p.imgs:
            w, h = png_ok(src)
            self.assertGreater(w, 100)

    def test_replay_path_figure_reads_the_trace(self):
        run = load_run(pathlib.Path(self.tmp.name) / "replay")
        fig = figures.replay_path(run)
        self.assertIsNotNone(fig)
        titles = " ".join(ax.get_title() for ax in fig.axes)
        for word in ("price", "discount", "health factor", "equity"):
            self.assertIn(word, titles)
        # the ezETH discount reaches the 78% low of the replay (trace.csv, by the scenario's events)
        self.assertAlmostEqual(float(run.trace.discount.max()), 0.78, places=12)
        plt.close(fig)


if __name__ == "__main__":
    unittest.main()
