"""Tests of the NumPy reference (scripts/reference/) and of its agreement with the engine.

Run with `make reference-test`:

    RESTAKE_RISK_BIN=.build/release/restake-risk PYTHONPATH=scripts/reference \
        .venv/bin/python -m unittest discover -s Tests/reference -v

Why these tests: the reference is only worth something as an *independent* check if its own
pieces are right, so its special functions are held to published values (the tails to full
relative precision, where the copula's events live), its YAML reader to the shipped scenario's
contents, and its step order to paths whose outcome is known in closed form. The agreement test
then compares every common statistic of the engine and the reference on example.yaml
(REF_TEST_PATHS paths, default 100,000: well under two minutes on two cores) and fails if one
differs by more than 4 combined standard errors. It is skipped when RESTAKE_RISK_BIN is not an
executable (the unit tests still run).

Reference values: Phi^-1 and the Student-t tails are from SciPy 1.17 (scipy.special.ndtri,
scipy.stats.t.sf), which the venv does not have; the t4 CDF is also checked against its closed
form 1/2 + t (t^2 + 6) / (2 (t^2 + 4)^(3/2)).
"""
import math
import os
import pathlib
import sys
import unittest

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "reference"))

import numpy_reference as ref  # noqa: E402
import compare  # noqa: E402

EXAMPLE = ROOT / "data" / "scenarios" / "example.yaml"


class SpecialFunctionTests(unittest.TestCase):
    def assertRel(self, got, want, rel):
        self.assertLessEqual(abs(got - want), rel * abs(want), f"{got!r} vs {want!r}")

    def test_ndtri_known_values(self):
        self.assertRel(ref.ndtri(0.975), 1.959963984540054, 1e-15)
        self.assertEqual(ref.ndtri(0.5), 0.0)
        self.assertRel(ref.ndtri(0.3), -0.5244005127080409, 1e-15)
        self.assertRel(ref.ndtri(1e-10), -6.361340902404056, 1e-15)
        self.assertRel(ref.ndtri(1e-300), -37.0470962993612, 1e-14)
        self.assertEqual(ref.ndtri(0.0), -math.inf)
        self.assertEqual(ref.ndtri(1.0), math.inf)

    def test_ndtri_is_odd_and_vectorised(self):
        q = 1 - np.array([1e-12, 1e-6, 0.01, 0.2, 0.4, 0.49])
        p = 1 - q                                     # exact (Sterbenz), unlike the literal 1e-12
        np.testing.assert_allclose(ref.ndtri(q), -ref.ndtri(p), rtol=1e-15)

    def test_t4_cdf_against_closed_form(self):
        t4 = ref.StudentT(4)
        t = np.linspace(-8, 8, 1601)
        closed = 0.5 + t * (t * t + 6) / (2 * (t * t + 4) ** 1.5)
        np.testing.assert_allclose(t4.cdf(t), closed, rtol=0, atol=5e-16)
        self.assertEqual(t4.cdf(0.0), 0.5)

    def test_t_tails_keep_full_relative_precision(self):
        t4, t6 = ref.StudentT(4), ref.StudentT(6)
        self.assertRel(t4.upper_tail(np.array([2.776445105197799]))[0], 0.025, 1e-13)
        self.assertRel(t4.upper_tail(np.array([10.0]))[0], 2.810018113579955e-04, 1e-14)
        self.assertRel(t4.upper_tail(np.array([1e3]))[0], 2.999980000104999e-12, 1e-14)
        self.assertRel(t4.upper_tail(np.array([1e5]))[0], 2.9999999979999997e-20, 1e-14)
        self.assertRel(t6.upper_tail(np.array([10.0]))[0], 2.8959913774768117e-05, 1e-14)
        self.assertRel(t6.upper_tail(np.array([1e5]))[0], 3.374999994684374e-29, 1e-13)
        # the lower tail of the CDF is the same number, not 1 minus something
        self.assertRel(t4.cdf(-1e5), 2.9999999979999997e-20, 1e-14)

    def test_t_quantile(self):
        t4 = ref.StudentT(4)
        self.assertRel(t4.ppf(0.975), 2.776445105197799, 1e-13)
        q = 1 - (1 - 0.01) ** (1 / 365)              # an AVS at 1%/year, daily steps
        self.assertRel(t4.ppf(q), -18.07621700169101, 1e-12)

    def test_copula_marginal_is_gaussian(self):
        t4 = ref.StudentT(4)
        self.assertRel(t4.to_normal(np.array([2.776445105197799]))[0], 1.959963984540054, 1e-12)
        self.assertRel(t4.to_normal(np.array([-30.0]))[0], -4.483209837960081, 1e-13)
        self.assertRel(t4.to_normal(np.array([-1e5]))[0], -9.144331134180732, 1e-13)
        x = np.array([-7.0, -1.0, 0.0, 0.5, 3.0])
        np.testing.assert_allclose(t4.to_normal(-x), -t4.to_normal(x), rtol=1e-13, atol=0)

    def test_unsupported_dof_is_refused(self):
        for nu in (3, 5, 4.5):
            with self.assertRaises(ref.ScenarioError):
                ref.StudentT(nu)


class ReaderTests(unittest.TestCase):
    def test_example_scenario(self):
        doc = ref.parse_yaml(EXAMPLE.read_text())
        self.assertEqual(doc["name"], "eth-restaking-example")
        self.assertEqual(doc["assets"][0]["jumps"], {"rate": 1.0, "mean": -0.10, "sd": 0.08})
        self.assertEqual(doc["avs"][2]["severity"], {"beta": [1.5, 6]})
        self.assertEqual(doc["correlation"]["systemic"]["LRT"], 0.6)
        self.assertEqual(doc["copula"], {"type": "student-t", "dof": 4})
        self.assertEqual([s["name"] for s in doc["strategies"]],
                         ["native-staking", "lst", "restaked-shared", "restaked-isolated", "lrt", "lrt-loop-3x"])
        self.assertEqual(doc["strategies"][3]["restake"]["avs"],
                         {"da-layer": 0.4, "oracle-net": 0.3, "bridge": 0.1, "sequencer": 0.2})
        self.assertEqual(doc["strategies"][5]["leverage"]["oracle"], "market")

    def test_yaml_details(self):
        doc = ref.parse_yaml('a: "0.5"  # a string\nb: [1, 2,\n    3]\nc:\n- {x: ~}\n- y: true\n  z: 1e-3\n')
        self.assertEqual(doc, {"a": "0.5", "b": [1, 2, 3], "c": [{"x": None}, {"y": True, "z": 0.001}]})
        self.assertEqual(ref.parse_yaml('{"a": [1, {"b": 2}]}'), {"a": [1, {"b": 2}]})

    def test_yaml_refusals(self):
        for text in ("a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: |\n  text\n", "a: 1\n---\nb: 2\n", "a: .inf\n"):
            with self.assertRaises(ref.ScenarioError, msg=text):
                ref.parse_yaml(text)

    def test_unimplemented_features_are_refused(self):
        doc = ref.parse_yaml(EXAMPLE.read_text())
        for mutate, word in ((lambda d: d.update(operators=[]), "operators"),
                             (lambda d: d.update(stress=[]), "stress"),
                             (lambda d: d["correlation"].update(repair="nearest"), "repair"),
                             (lambda d: d["strategies"][2]["restake"].update(operators={"op": 1}), "operators"),
                             (lambda d: d["strategies"][0].update(typo=1), "typo")):
            d = ref.parse_yaml(EXAMPLE.read_text())
            mutate(d)
            with self.assertRaises(ref.ScenarioError) as cm:
                ref.compile_scenario(d)
            self.assertIn(word, str(cm.exception))
        ref.compile_scenario(doc)


def _scenario(strategy, avs=None, steps=10, **extra):
    """A tiny deterministic scenario: no volatility, optional sure-thing AVS incidents."""
    doc = {"name": "t", "horizon_years": steps / 365, "steps_per_year": 365,
           "assets": [{"name": "ETH", "price": 1, "volatility": 0.0}],
           "avs": avs or [], "strategies": [dict({"name": "s", "asset": "ETH"}, **strategy)]}
    doc.update(extra)
    return ref.compile_scenario(doc)


class DeterministicPathTests(unittest.TestCase):
    """Paths whose outcome is known in closed form, so each step's order is checked exactly."""

    def one(self, model, paths=7):
        return ref.simulate(model, paths, seed=3)["s"]

    def test_native_compounding(self):
        d = self.one(_scenario({"base_apr": 0.05}, steps=365))
        # 365 multiplications, each rounded, against one pow: a few 1e-14 apart at most
        np.testing.assert_allclose(d["terminal_wealth"], (1 + 0.05 / 365) ** 365, rtol=1e-13)

    def test_isolated_slashes_only_its_own_allocation(self):
        avs = [{"name": "A", "incident_rate": 1.0, "severity": {"fixed": 0.1}},
               {"name": "B", "incident_rate": 0.0, "severity": {"fixed": 0.5}}]
        d = self.one(_scenario({"base_apr": 0.0, "restake": {"security": "isolated", "avs": {"A": 0.5, "B": 0.5}}}, avs))
        np.testing.assert_allclose(d["terminal_wealth"], 0.5 + 0.5 * 0.9 ** 10, rtol=1e-14)
        np.testing.assert_allclose(d["source_loss"]["A"], 0.5 * (1 - 0.9 ** 10), rtol=1e-14)
        np.testing.assert_array_equal(d["incidents"], 10)
        shared = self.one(_scenario({"base_apr": 0.0, "restake": {"security": "shared", "avs": ["A", "B"]}}, avs))
        np.testing.assert_allclose(shared["terminal_wealth"], 0.9 ** 10, rtol=1e-14)

    def test_withdraw_delay_slashable_and_unrewarded(self):
        avs = [{"name": "A", "incident_rate": 1.0, "severity": {"fixed": 0.1}}]
        r = 0.05 / 365
        d = self.one(_scenario({"base_apr": 0.05, "restake": {"security": "shared", "avs": ["A"]},
                                "exit": {"on_incident": "withdraw", "withdrawal_delay_days": 3}}, avs))
        # step 0: slash, reward, trigger; steps 1-3: slashed, unrewarded; converts at par after step 3
        np.testing.assert_allclose(d["terminal_wealth"], 0.9 ** 4 * (1 + r), rtol=1e-14)
        np.testing.assert_array_equal(d["incidents"], 4)
        self.assertTrue(d["exited"].all())

    def test_insurance_and_premium(self):
        avs = [{"name": "A", "incident_rate": 1.0, "severity": {"fixed": 0.1}}]
        d = self.one(_scenario({"base_apr": 0.0, "restake": {"security": "shared", "avs": ["A"]},
                                "insurance": {"coverage": 0.5, "premium_apr": 0.365}}, avs, steps=1))
        # slash 0.1, payout 0.05 into accrued, premium 0.9 * 0.365/365, then compounding
        np.testing.assert_allclose(d["terminal_wealth"], 0.9 + 0.05 - 0.9 * 0.001, rtol=1e-14)
        np.testing.assert_allclose(d["slashing_loss"], 0.1, rtol=1e-14)

    def test_liquidations_match_a_scalar_reading_of_model_md(self):
        avs = [{"name": "A", "incident_rate": 1.0, "severity": {"fixed": 0.3}}]
        lev = {"ratio": 3, "ltv": 0.9, "liquidation_threshold": 0.95, "bonus": 0.02, "borrow_apr": 0.1,
               "close_factor": 0.5}
        d = self.one(_scenario({"base_apr": 0.0, "restake": {"security": "shared", "avs": ["A"]}, "leverage": lev},
                               avs, steps=4))
        stake, debt, count = 3.0, 2.0, 0
        for _ in range(4):
            stake *= 0.7
            debt *= 1 + 0.1 / 365
            for _ in range(64):
                if debt <= 0 or stake <= 0 or stake * 0.95 >= debt:
                    break
                repaid, seized = 0.5 * debt, 0.5 * debt * 1.02
                if seized >= stake:
                    repaid, seized = stake / 1.02, stake
                stake, debt, count = stake - seized, debt - repaid, count + 1
        np.testing.assert_allclose(d["terminal_wealth"], max(0.0, stake - debt), atol=1e-15)
        np.testing.assert_array_equal(d["liquidations"], count)
        self.assertGreater(count, 1)


class StatisticsTests(unittest.TestCase):
    def test_rank_and_tail_set(self):
        self.assertEqual(ref.rank(0.99, 100), 99)
        self.assertEqual(ref.rank(0.99, 100000), 99000)
        self.assertEqual(ref.rank(0.95, 7), 7)
        losses = np.arange(1.0, 101.0)[::-1].copy()
        var, es, se, lo, hi = ref.var_es(losses, 0.95)
        self.assertEqual(var, 95.0)
        self.assertEqual(es, np.mean(np.arange(96.0, 101.0)))   # the worst N - floor(aN) = 5 (MODEL.md v2)
        self.assertIsNone(se)                                    # fewer than 10 paths in the tail
        var, es, se, lo, hi = ref.var_es(losses, 0.955)         # aN = 95.5: rank 96, tail 96..100
        self.assertEqual((var, es), (96.0, 98.0))
        var, es, se, lo, hi = ref.var_es(np.arange(1000.0), 0.99)
        self.assertEqual((var, es), (989.0, 994.5))
        self.assertIsNotNone(se)


@unittest.skipUnless(os.access(os.environ.get("RESTAKE_RISK_BIN", ""), os.X_OK),
                     "RESTAKE_RISK_BIN is not set to an executable engine")
class EngineAgreementTest(unittest.TestCase):
    def test_every_common_metric_within_4_se(self):
        paths = int(os.environ.get("REF_TEST_PATHS", "100000"))
        table, info = compare.run_comparison(EXAMPLE, paths, seed=11, binary=os.environ["RESTAKE_RISK_BIN"])
        compare.print_table(table, file=sys.stderr)
        self.assertGreaterEqual(info["compared"], 90)
        bad = [f"{r[0]} {r[1]} {r[2] or ''}: engine {r[3]:.6g} (se {r[4]:.2g}) vs reference {r[5]:.6g} "
               f"(se {r[6]:.2g}), z = {r[7]:.2f}" for r in table if not r[8]]
        self.assertEqual(bad, [])


if __name__ == "__main__":
    unittest.main()
