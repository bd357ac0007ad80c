#!/usr/bin/env python3
"""An independent NumPy reference implementation of the restaking model (../shared/MODEL.md v2).

Why it exists: the Swift engine is fast because it is clever (keyed Philox draws, compacted event
lists, SIMD lanes, BLAS). A second implementation that is written straight from the contract, in
the most obvious vectorised form, checks the engine's *law* (not its bits: the two use different
random streams) and gives a fair baseline for the engine's speed. Nothing here is copied from the
engine's sources; every step follows MODEL.md's "A strategy, one step" and the project's own
choices in docs/MODEL.md ("Choices where the contract is silent").

What it covers (anything else is refused with an error that names it, never ignored):
  * assets with drift, volatility and jumps; AVSs with fixed or Beta severities, rewards in any
    asset, veto probabilities; tokens with depeg processes and `exposed_to`;
  * correlation `systemic`, `latent` or a full `factors`/`matrix` (no `repair`);
  * copula gaussian or student-t with an even integer dof (closed-form CDF; see `t_upper_tail`),
    or dof > 10^6 (treated as gaussian, as MODEL.md says);
  * strategies with base slashing, shared or isolated restaking, insurance, leverage with
    liquidations (market or exchange_rate oracle), exits hold / withdraw / sell,
    compound_every_steps, numeraire asset or usd.
  Not implemented (refused): `operators`, `restake.operators`, `stress`, `repair: nearest`,
  odd or non-integer Student-t dof.

Paths are simulated in chunks, vectorised over the paths of a chunk, with a loop over steps;
the random numbers come from NumPy's SFC64 generator.

Usage:
    python scripts/reference/numpy_reference.py data/scenarios/example.yaml --paths 40000 \
        --seed 1 --out /tmp/ref-summary.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np


class ScenarioError(ValueError):
    """A scenario the reference cannot read or does not implement (never silently ignored)."""


# =============================================================================================
# A minimal YAML reader
# =============================================================================================
#
# The venv has no PyYAML and the engine has no command that prints a scenario as JSON, so this
# reads the subset of YAML the shipped scenarios use: block mappings and sequences (including
# `- key: value` items), single-line or multi-line flow collections `{...}` / `[...]`, plain and
# quoted scalars with YAML 1.2 core-schema resolution, and comments. JSON input (itself YAML) is
# read with the json module. Anchors, aliases, tags, block scalars and multiple documents are
# refused: a reference that misread a scenario would "agree" with the wrong model.

_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _resolve_plain(token: str, line: int):
    """YAML 1.2 core schema for a plain (unquoted) scalar; non-finite numbers are refused."""
    if token in ("", "~", "null", "Null", "NULL"):
        return None
    if token in ("true", "True", "TRUE"):
        return True
    if token in ("false", "False", "FALSE"):
        return False
    if _INT_RE.match(token):
        return int(token)
    if _FLOAT_RE.match(token):
        return float(token)
    if token.lower().lstrip("+-") in (".inf", ".nan"):
        raise ScenarioError(f"line {line}: non-finite number {token!r}")
    if token[0] in "&*!|>%@`":
        raise ScenarioError(f"line {line}: YAML feature {token[0]!r} (anchor, alias, tag, block "
                            f"scalar, directive) is not supported by the reference's reader")
    return token


def _strip_comment(raw: str) -> str:
    """Removes a `#` comment (at line start or after whitespace, outside quotes)."""
    quote = None
    for i, c in enumerate(raw):
        if quote:
            if c == quote:
                quote = None
            continue
        if c in "\"'":
            quote = c
        elif c == "#" and (i == 0 or raw[i - 1] in " \t"):
            return raw[:i]
    return raw


class _Flow:
    """Recursive-descent reader for one flow node (`{...}`, `[...]` or a scalar)."""

    def __init__(self, text: str, line: int):
        self.s, self.i, self.line = text, 0, line

    def _ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\n":
            self.i += 1

    def _err(self, msg):
        raise ScenarioError(f"line {self.line}: {msg} in {self.s.strip()!r}")

    def parse_all(self, block_context: bool):
        self._ws()
        if block_context and self.s[self.i:self.i + 1] not in ("{", "[", '"', "'"):
            value = _resolve_plain(self.s.strip(), self.line)
            self.i = len(self.s)
            return value
        value = self.node()
        self._ws()
        if self.i != len(self.s):
            self._err("unexpected text after a value")
        return value

    def node(self):
        self._ws()
        if self.i >= len(self.s):
            self._err("missing value")
        c = self.s[self.i]
        if c == "{":
            return self.mapping()
        if c == "[":
            return self.sequence()
        if c in "\"'":
            return self.quoted()
        return _resolve_plain(self.plain(key=False), self.line)

    def quoted(self) -> str:
        q = self.s[self.i]
        self.i += 1
        out = []
        while self.i < len(self.s):
            c = self.s[self.i]
            if q == "'" and c == "'":
                if self.s[self.i + 1:self.i + 2] == "'":
                    out.append("'")
                    self.i += 2
                    continue
                self.i += 1
                return "".join(out)
            if q == '"' and c == "\\":
                nxt = self.s[self.i + 1:self.i + 2]
                out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/"}.get(nxt, None) or self._err(
                    f"unsupported escape \\{nxt}"))
                self.i += 2
                continue
            if q == '"' and c == '"':
                self.i += 1
                return "".join(out)
            out.append(c)
            self.i += 1
        self._err("unterminated quoted string")

    def plain(self, key: bool) -> str:
        start = self.i
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in ",[]{}":
                break
            if key and c == ":" and self.s[self.i + 1:self.i + 2] in ("", " ", ",", "}", "]"):
                break
            self.i += 1
        return self.s[start:self.i].strip()

    def mapping(self):
        self.i += 1
        out = {}
        while True:
            self._ws()
            if self.s[self.i:self.i + 1] == "}":
                self.i += 1
                return out
            if self.s[self.i:self.i + 1] in ("\"", "'"):
                k = self.quoted()
            else:
                k = self.plain(key=True)
            self._ws()
            if self.s[self.i:self.i + 1] != ":":
                self._err(f"expected ':' after key {k!r}")
            self.i += 1
            if k in out:
                self._err(f"duplicate key {k!r}")
            out[k] = self.node()
            self._ws()
            c = self.s[self.i:self.i + 1]
            if c == ",":
                self.i += 1
            elif c != "}":
                self._err("expected ',' or '}'")

    def sequence(self):
        self.i += 1
        out = []
        while True:
            self._ws()
            if self.s[self.i:self.i + 1] == "]":
                self.i += 1
                return out
            out.append(self.node())
            self._ws()
            c = self.s[self.i:self.i + 1]
            if c == ",":
                self.i += 1
            elif c != "]":
                self._err("expected ',' or ']'")


def _split_key(text: str):
    """(key, rest) when `text` is a block mapping entry `key: rest`, else None."""
    if text[:1] in ("{", "["):
        return None
    if text[:1] in ("\"", "'"):
        f = _Flow(text, 0)
        key = f.quoted()
        rest = text[f.i:]
        if rest.startswith(":") and (len(rest) == 1 or rest[1] == " "):
            return key, rest[1:].strip()
        return None
    for i, c in enumerate(text):
        if c == ":" and (i + 1 == len(text) or text[i + 1] == " "):
            return text[:i].strip(), text[i + 1:].strip()
        if c in "{[\"'":
            return None
    return None


def _is_seq_line(text: str) -> bool:
    return text == "-" or text.startswith("- ")


class _Block:
    """Indentation-driven reader of block mappings and sequences."""

    def __init__(self, lines):
        self.lines, self.i = lines, 0

    def _inline(self, rest: str, line: int):
        # A flow collection may continue on the next lines until its brackets balance.
        if rest[:1] in ("{", "["):
            text = rest
            while _unbalanced(text):
                if self.i >= len(self.lines):
                    raise ScenarioError(f"line {line}: unterminated flow collection")
                text += " " + self.lines[self.i][1]
                self.i += 1
            return _Flow(text, line).parse_all(block_context=False)
        return _Flow(rest, line).parse_all(block_context=True)

    def node(self, indent: int):
        ind, text, line = self.lines[self.i]
        if _is_seq_line(text):
            return self.sequence(ind)
        if _split_key(text) is not None:
            return self.mapping(ind)
        self.i += 1
        return self._inline(text, line)

    def sequence(self, ind: int):
        items = []
        while self.i < len(self.lines) and self.lines[self.i][0] == ind and _is_seq_line(self.lines[self.i][1]):
            _, text, line = self.lines[self.i]
            rest = text[1:]
            offset = 1 + len(rest) - len(rest.lstrip(" "))
            rest = rest.strip()
            if not rest:
                self.i += 1
                if self.i < len(self.lines) and self.lines[self.i][0] > ind:
                    items.append(self.node(self.lines[self.i][0]))
                else:
                    items.append(None)
            else:
                self.lines[self.i] = (ind + offset, rest, line)
                items.append(self.node(ind + offset))
        if self.i < len(self.lines) and self.lines[self.i][0] > ind:
            raise ScenarioError(f"line {self.lines[self.i][2]}: unexpected indentation")
        return items

    def mapping(self, ind: int):
        out = {}
        while self.i < len(self.lines) and self.lines[self.i][0] == ind and not _is_seq_line(self.lines[self.i][1]):
            _, text, line = self.lines[self.i]
            kv = _split_key(text)
            if kv is None:
                raise ScenarioError(f"line {line}: expected 'key: value', got {text!r}")
            key, rest = kv
            if key in out:
                raise ScenarioError(f"line {line}: duplicate key {key!r}")
            if key == "<<":
                raise ScenarioError(f"line {line}: merge keys are not supported by the reference's reader")
            self.i += 1
            if rest == "":
                nxt = self.lines[self.i] if self.i < len(self.lines) else None
                if nxt is not None and (nxt[0] > ind or (nxt[0] == ind and _is_seq_line(nxt[1]))):
                    out[key] = self.node(nxt[0])
                else:
                    out[key] = None
            else:
                out[key] = self._inline(rest, line)
        if self.i < len(self.lines) and self.lines[self.i][0] > ind:
            raise ScenarioError(f"line {self.lines[self.i][2]}: unexpected indentation")
        return out


def _unbalanced(text: str) -> bool:
    depth, quote = 0, None
    for c in text:
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
    return depth > 0


def parse_yaml(text: str):
    """Parses the YAML subset described above (or JSON) into dicts, lists and scalars."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith(("{", "[")):
        def pairs(items):
            out = {}
            for k, v in items:
                if k in out:
                    raise ScenarioError(f"duplicate key {k!r}")
                out[k] = v
            return out
        try:
            return json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError:
            pass  # flow-style YAML that is not JSON: read it below
    lines = []
    for no, raw in enumerate(text.splitlines(), 1):
        s = _strip_comment(raw).rstrip()
        if not s.strip():
            continue
        lead = s[:len(s) - len(s.lstrip(" \t"))]
        if "\t" in lead:
            raise ScenarioError(f"line {no}: tab in indentation")
        content = s.strip()
        if content in ("---", "..."):
            if not lines and content == "---":
                continue
            raise ScenarioError(f"line {no}: multiple YAML documents are not supported")
        if content.startswith("%"):
            raise ScenarioError(f"line {no}: YAML directives are not supported")
        lines.append((len(lead), content, no))
    if not lines:
        raise ScenarioError("empty scenario")
    block = _Block(lines)
    value = block.node(lines[0][0])
    if block.i != len(lines):
        raise ScenarioError(f"line {lines[block.i][2]}: unexpected indentation")
    return value


# =============================================================================================
# Special functions (vectorised, no scipy)
# =============================================================================================

_AS241_A = (3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
            1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
            3.3430575583588128105e4, 2.5090809287301226727e3)
_AS241_B = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
            2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
            5.2264952788528545610e3)
_AS241_C = (1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
            3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
            2.27238449892691845833e-2, 7.74545014278341407640e-4)
_AS241_D = (1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
            1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
            1.05075007164441684324e-9)
_AS241_E = (6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
            2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
            2.71155556874348757815e-5, 2.01033439929228813265e-7)
_AS241_F = (1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
            7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
            2.04426310338993978564e-15)


def _horner(coef, x):
    acc = np.full_like(x, coef[-1])
    for c in coef[-2::-1]:
        acc *= x
        acc += c
    return acc


def ndtri(p):
    """Phi^-1(p), Wichura's AS241 (PPND16, ~1e-16 relative), vectorised over p in (0, 1).

    Values of 0 and 1 give -inf and +inf. The tails are computed from min(p, 1-p), so a small p
    keeps its full relative precision (the callers pass the smaller tail probability)."""
    p = np.asarray(p, dtype=float)
    scalar = p.ndim == 0
    p = np.atleast_1d(p)
    out = np.empty_like(p)
    q = p - 0.5
    central = np.abs(q) <= 0.425
    if central.any():
        qc = q[central]
        r = 0.180625 - qc * qc
        out[central] = qc * _horner(_AS241_A, r) / _horner(_AS241_B, r)
    tail = ~central
    if tail.any():
        pt = p[tail]
        r = np.minimum(pt, 1.0 - pt)
        with np.errstate(divide="ignore"):
            r = np.sqrt(-np.log(r))
        x = np.empty_like(r)
        near = r <= 5.0
        if near.any():
            rn = r[near] - 1.6
            x[near] = _horner(_AS241_C, rn) / _horner(_AS241_D, rn)
        far = ~near
        if far.any():
            rf = r[far] - 5.0
            with np.errstate(invalid="ignore"):
                x[far] = _horner(_AS241_E, rf) / _horner(_AS241_F, rf)
            x[far & ~np.isfinite(r)] = np.inf
        out[tail] = np.where(q[tail] < 0, -x, x)
    return out[0] if scalar else out


class StudentT:
    """Student-t distribution with an even integer dof nu, in closed form.

    For even nu = 2a, with x = nu / (nu + t^2) and s = |t| / sqrt(nu + t^2) (MODEL.md's F_nu):
        P(|T| > t) = 1 - s * S(x),   S(x) = sum_{k<a} c_k x^k,  c_0 = 1, c_k = c_{k-1} (2k-1)/(2k)
    (Abramowitz & Stegun 26.7.3). The subtraction loses everything in the tail, where the copula's
    events live (q(p) ~ 1e-5 per step), so it is rewritten as
        1 - s S = (1 - (1-x) S^2) / (1 + s S) = x^a Q(x) / (1 + s S),
    where N(x) = 1 - (1-x) S(x)^2 has no terms below x^a (S is (1-x)^-1/2 truncated at degree
    a-1) and non-negative coefficients: Q's coefficients are computed once in exact rational
    arithmetic. The result has full relative precision in both tails."""

    def __init__(self, nu: int):
        if nu != int(nu) or nu < 2 or nu % 2:
            raise ScenarioError(f"copula dof {nu}: the reference implements even integer dof only")
        self.nu = int(nu)
        a = self.nu // 2
        c = [Fraction(1)]
        for k in range(1, a):
            c.append(c[-1] * Fraction(2 * k - 1, 2 * k))
        s2 = [Fraction(0)] * (2 * a - 1)
        for i, ci in enumerate(c):
            for j, cj in enumerate(c):
                s2[i + j] += ci * cj
        # N(x) = 1 - (1 - x) S^2: coefficient k is delta_k0 - s2[k] + s2[k-1].
        n = [(1 if k == 0 else 0) - (s2[k] if k < len(s2) else 0) + (s2[k - 1] if 0 < k <= len(s2) else 0)
             for k in range(2 * a)]
        assert all(v == 0 for v in n[:a]) and all(v >= 0 for v in n[a:])
        self.a = a
        self.s_coef = tuple(float(v) for v in c)
        self.q_coef = tuple(float(v) for v in n[a:])

    def upper_tail(self, t):
        """P(T > |t|): the smaller tail, with full relative precision."""
        t = np.abs(np.asarray(t, dtype=float))
        with np.errstate(over="ignore"):
            t2 = t * t
        den = self.nu + t2
        x = self.nu / den                      # 0 where t^2 overflows: the tail is then 0
        s = np.where(np.isfinite(den), t / np.sqrt(den), 1.0)
        S = _horner(self.s_coef, x)
        Q = _horner(self.q_coef, x)
        return 0.5 * x ** self.a * Q / (1.0 + s * S)

    def cdf(self, t):
        t = np.asarray(t, dtype=float)
        up = self.upper_tail(np.atleast_1d(t))
        out = np.where(np.atleast_1d(t) < 0, up, 1.0 - up)
        return out[0] if t.ndim == 0 else out

    def to_normal(self, t):
        """Phi^-1(F_nu(t)) (MODEL.md v2: copula marginals stay Gaussian), precise in both tails."""
        p = np.maximum(self.upper_tail(t), np.finfo(float).tiny)
        x = ndtri(p)                          # <= 0
        return np.where(t > 0, -x, x)

    def ppf(self, q: float) -> float:
        """F_nu^-1(q) for one q, by bisection (used once per factor for event thresholds)."""
        if q <= 0:
            return -math.inf
        if q >= 1:
            return math.inf
        if q > 0.5:
            return -self.ppf(1.0 - q)
        lo, hi = -1.0, 0.0
        while self.upper_tail(np.array([lo]))[0] > q:
            lo *= 2.0
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if mid == lo or mid == hi:
                break
            if self.upper_tail(np.array([mid]))[0] > q:   # F(mid) > q: the quantile is below
                hi = mid
            else:
                lo = mid
        return 0.5 * (lo + hi)


# =============================================================================================
# The scenario, compiled to arrays
# =============================================================================================

@dataclass
class Severity:
    kind: str
    a: float
    b: float = 0.0

    def draw(self, rng, n: int):
        if self.kind == "fixed":
            return np.full(n, self.a)
        return rng.beta(self.a, self.b, n)


@dataclass
class StrategySpec:
    name: str
    asset: int
    token: int | None
    base_rate: float              # base_apr dt (1 - lst) + defi_apr dt, per step
    platform: float
    avs: list                     # AVS indices in declaration order (zero allocations dropped)
    source_order: list            # attribution sources in the strategy's order, then "base"
    isolated: bool
    fractions: np.ndarray         # m_j of `avs` (1 under shared)
    reward_coef: np.ndarray       # reward_apr_j dt (1 - operator fee), aligned with `avs`
    reward_asset: np.ndarray      # reward asset index, aligned with `avs`
    coverage: float
    premium_dt: float
    base_q: float | None
    base_severity: Severity | None
    compound_every: int
    leverage: dict | None
    exit_mode: str
    exit_delay: int


@dataclass
class Model:
    name: str
    horizon: float
    steps: int
    dt: float
    numeraire: str
    factor_names: list
    asset_names: list
    asset_drift_dt: np.ndarray
    asset_vol_sqdt: np.ndarray
    asset_jumps: list             # (p_jump, mean, sd) or None per asset
    avs_names: list
    avs_threshold: np.ndarray     # event iff t_j < threshold (F^-1(q(p)))
    avs_severity: list
    avs_veto: np.ndarray
    token_names: list
    token_depeg: list             # dict or None per token
    loadings: np.ndarray | None   # k x d (systemic / latent)
    idio: np.ndarray | None       # sqrt(1 - sum_f b_if^2)
    chol: np.ndarray | None       # full-matrix factor
    student: StudentT | None
    strategies: list = field(default_factory=list)


def _fields(obj, where, allowed, required=(), refused=None):
    if not isinstance(obj, dict):
        raise ScenarioError(f"{where}: expected a mapping, got {type(obj).__name__}")
    for k in obj:
        if refused and k in refused:
            raise ScenarioError(f"{where}.{k}: {refused[k]}")
        if k not in allowed:
            raise ScenarioError(f"{where}: unknown field {k!r} (the reference reads {sorted(allowed)})")
    for k in required:
        if obj.get(k) is None:
            raise ScenarioError(f"{where}: {k} is required")
    return {k: v for k, v in obj.items() if v is not None}


def _num(v, where, lo=-math.inf, hi=math.inf):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ScenarioError(f"{where}: expected a finite number, got {v!r}")
    if not lo <= v <= hi:
        raise ScenarioError(f"{where}: {v} is outside [{lo}, {hi}]")
    return float(v)


def _severity(v, where) -> Severity:
    v = _fields(v, where, {"fixed", "beta"})
    if len(v) != 1:
        raise ScenarioError(f"{where}: give exactly one of fixed or beta")
    if "fixed" in v:
        return Severity("fixed", _num(v["fixed"], where + ".fixed", 0, 1))
    ab = v["beta"]
    if not isinstance(ab, list) or len(ab) != 2:
        raise ScenarioError(f"{where}.beta: expected [a, b]")
    a, b = (_num(x, where + ".beta", 0) for x in ab)
    if a <= 0 or b <= 0:
        raise ScenarioError(f"{where}.beta: a and b must be > 0")
    return Severity("beta", a, b)


_NOT_IMPLEMENTED = "not implemented by the NumPy reference (it refuses rather than ignores it)"


def compile_scenario(doc) -> Model:
    """Turns the parsed scenario into per-step constants, refusing what the reference lacks."""
    top = _fields(doc, "scenario",
                  {"name", "horizon_years", "steps_per_year", "numeraire", "report_every_steps",
                   "compound_every_steps", "assets", "avs", "tokens", "correlation", "copula",
                   "strategies"},
                  required=("name", "horizon_years", "assets", "strategies"),
                  refused={"operators": _NOT_IMPLEMENTED, "stress": _NOT_IMPLEMENTED})
    H = _num(top["horizon_years"], "horizon_years", 0)
    spy = top.get("steps_per_year", 365)
    if not isinstance(spy, int) or spy < 1:
        raise ScenarioError("steps_per_year: expected a positive integer")
    steps = int(math.floor(H * spy + 0.5))
    if steps < 1:
        raise ScenarioError("horizon_years x steps_per_year rounds to 0 steps")
    dt = 1.0 / spy
    q = lambda p: 1.0 - (1.0 - p) ** dt          # noqa: E731  (MODEL.md's q(p))
    numeraire = top.get("numeraire", "asset")
    if numeraire not in ("asset", "usd"):
        raise ScenarioError(f"numeraire: {numeraire!r} (asset or usd)")
    compound_default = top.get("compound_every_steps", 1)

    # Copula first: every event threshold depends on it.
    cop = top.get("copula", "gaussian")
    student = None
    if isinstance(cop, str):
        if cop != "gaussian":
            raise ScenarioError(f"copula: {cop!r}")
    else:
        cop = _fields(cop, "copula", {"type", "dof"}, required=("type",))
        if cop["type"] == "student-t":
            nu = _num(cop.get("dof"), "copula.dof", 0, math.inf)
            if nu <= 2:
                raise ScenarioError("copula.dof must be > 2")
            if nu <= 1e6:
                student = StudentT(nu)
        elif cop["type"] != "gaussian" or "dof" in cop:
            raise ScenarioError(f"copula: {cop}")
    inv = student.ppf if student else (lambda p: -math.inf if p <= 0 else math.inf if p >= 1 else float(ndtri(p)))

    assets = top["assets"]
    a_names, drift, vol, jumps = [], [], [], []
    for i, a in enumerate(assets):
        w = f"assets[{i}]"
        a = _fields(a, w, {"name", "price", "drift", "volatility", "jumps"}, required=("name", "price", "volatility"))
        a_names.append(a["name"])
        _num(a["price"], w + ".price", 0)
        mu, sig = _num(a.get("drift", 0), w + ".drift"), _num(a["volatility"], w + ".volatility", 0)
        drift.append((mu - 0.5 * sig * sig) * dt)
        vol.append(sig * math.sqrt(dt))
        j = a.get("jumps")
        if j is None:
            jumps.append(None)
        else:
            j = _fields(j, w + ".jumps", {"rate", "mean", "sd"}, required=("rate", "mean", "sd"))
            rate = _num(j["rate"], w + ".jumps.rate", 0)
            jumps.append((1.0 - math.exp(-rate * dt), _num(j["mean"], w + ".jumps.mean"),
                          _num(j["sd"], w + ".jumps.sd", 0)) if rate > 0 else None)

    v_names, v_thr, v_sev, v_veto, v_reward, v_rasset = [], [], [], [], [], []
    for i, v in enumerate(top.get("avs") or []):
        w = f"avs[{i}]"
        v = _fields(v, w, {"name", "incident_rate", "severity", "reward_apr", "reward_asset", "veto_probability"},
                    required=("name", "incident_rate", "severity"))
        v_names.append(v["name"])
        v_thr.append(inv(q(_num(v["incident_rate"], w + ".incident_rate", 0, 1))))
        v_sev.append(_severity(v["severity"], w + ".severity"))
        v_veto.append(_num(v.get("veto_probability", 0), w + ".veto_probability", 0, 1))
        v_reward.append(_num(v.get("reward_apr", 0), w + ".reward_apr"))
        ra = v.get("reward_asset")
        if ra is not None and ra not in a_names:
            raise ScenarioError(f"{w}.reward_asset: unknown asset {ra!r}")
        v_rasset.append(ra)

    t_names, t_depeg, t_under = [], [], []
    for i, t in enumerate(top.get("tokens") or []):
        w = f"tokens[{i}]"
        t = _fields(t, w, {"name", "underlying", "depeg", "exposed_to"}, required=("name", "underlying"))
        t_names.append(t["name"])
        t_under.append(t["underlying"])
        exposed = t.get("exposed_to", v_names)
        for e in exposed:
            if e not in v_names:
                raise ScenarioError(f"{w}.exposed_to: unknown AVS {e!r}")
        d = t.get("depeg")
        if d is None:
            t_depeg.append(None)
            continue
        d = _fields(d, w + ".depeg", {"rate", "severity", "half_life_days", "incident_jump", "max"},
                    required=("rate", "severity", "half_life_days"))
        hl = _num(d["half_life_days"], w + ".depeg.half_life_days", 0)
        if hl <= 0:
            raise ScenarioError(f"{w}.depeg.half_life_days must be > 0")
        t_depeg.append({
            "threshold": inv(q(_num(d["rate"], w + ".depeg.rate", 0, 1))),
            "severity": _severity(d["severity"], w + ".depeg.severity"),
            "decay": 2.0 ** (-dt * 365.0 / hl),
            "jump": _num(d.get("incident_jump", 0), w + ".depeg.incident_jump", 0, 1),
            "max": _num(d.get("max", 1), w + ".depeg.max", 0, 1),
            "exposed": [v_names.index(e) for e in exposed],
        })

    factors = a_names + v_names + t_names
    if len(set(factors)) != len(factors):
        raise ScenarioError("factor names must be unique across assets, avs and tokens")
    k = len(factors)

    loadings = idio = chol = None
    corr = top.get("correlation")
    if corr is not None:
        corr = _fields(corr, "correlation", {"systemic", "latent", "factors", "matrix"},
                       refused={"repair": _NOT_IMPLEMENTED})
        forms = [f for f in ("systemic", "latent", "matrix") if f in corr]
        if len(forms) != 1:
            raise ScenarioError("correlation: give exactly one of systemic, latent, factors+matrix")
        if forms[0] in ("systemic", "latent"):
            latent = {"systemic": corr["systemic"]} if "systemic" in corr else corr["latent"]
            loadings = np.zeros((k, len(latent)))
            for f, (lname, loads) in enumerate(latent.items()):
                if lname in factors:
                    raise ScenarioError(f"correlation: latent name {lname!r} clashes with a factor")
                for name, b in _fields(loads, f"correlation.{lname}", set(factors)).items():
                    loadings[factors.index(name), f] = _num(b, f"correlation.{lname}.{name}", -1, 1)
            ss = (loadings ** 2).sum(axis=1)
            bad = np.flatnonzero(ss > 1 + 1e-12)
            if bad.size:
                raise ScenarioError(f"correlation: {factors[bad[0]]} has sum of squared loadings {ss[bad[0]]} > 1")
            idio = np.sqrt(np.maximum(0.0, 1.0 - ss))
        else:
            names = corr.get("factors")
            if sorted(names or []) != sorted(factors):
                raise ScenarioError("correlation.factors must list every declared factor once")
            m = np.array(corr["matrix"], dtype=float)
            order = [names.index(f) for f in factors]
            m = m[np.ix_(order, order)]
            if not np.allclose(m, m.T, atol=0, rtol=0) or not np.all(np.diag(m) == 1):
                raise ScenarioError("correlation.matrix must be symmetric with unit diagonal")
            lam, vec = np.linalg.eigh(m)
            if lam.min() < -1e-10:
                raise ScenarioError(f"correlation.matrix is not positive semidefinite (smallest eigenvalue {lam.min()})")
            try:
                chol = np.linalg.cholesky(m)
            except np.linalg.LinAlgError:
                chol = vec * np.sqrt(np.maximum(lam, 0.0))   # semidefinite: an eigen factor

    model = Model(top["name"], H, steps, dt, numeraire, factors, a_names, np.array(drift), np.array(vol), jumps,
                  v_names, np.array(v_thr, dtype=float), v_sev, np.array(v_veto, dtype=float), t_names, t_depeg,
                  loadings, idio, chol, student)

    names = set()
    for i, s in enumerate(top["strategies"]):
        w = f"strategies[{i}]"
        s = _fields(s, w, {"name", "asset", "token", "base_apr", "defi_apr", "base_slashing", "fees", "restake",
                           "insurance", "leverage", "exit", "compound_every_steps"},
                    required=("name", "asset", "base_apr"))
        if s["name"] in names:
            raise ScenarioError(f"{w}: duplicate strategy name {s['name']!r}")
        names.add(s["name"])
        w = f"strategies[{s['name']}]"
        if s["asset"] not in a_names:
            raise ScenarioError(f"{w}.asset: unknown asset {s['asset']!r}")
        asset = a_names.index(s["asset"])
        token = None
        if "token" in s:
            if s["token"] not in t_names:
                raise ScenarioError(f"{w}.token: unknown token {s['token']!r}")
            token = t_names.index(s["token"])
            if t_under[token] != s["asset"]:
                raise ScenarioError(f"{w}: token {s['token']} has underlying {t_under[token]}, not {s['asset']}")
        fees = _fields(s.get("fees", {}), w + ".fees", {"lst", "operator", "platform"})
        f_lst, f_op, f_pl = (_num(fees.get(x, 0), f"{w}.fees.{x}", 0, 1) for x in ("lst", "operator", "platform"))
        base_rate = (_num(s["base_apr"], w + ".base_apr", 0) * (1 - f_lst) + _num(s.get("defi_apr", 0), w + ".defi_apr")) * dt

        avs_idx, fractions, order, isolated = [], [], [], False
        if "restake" in s:
            r = _fields(s["restake"], w + ".restake", {"security", "avs"}, required=("security", "avs"),
                        refused={"operators": _NOT_IMPLEMENTED})
            if r["security"] == "shared":
                if not isinstance(r["avs"], list):
                    raise ScenarioError(f"{w}.restake.avs: shared takes a list of AVS names")
                alloc = {n: 1.0 for n in r["avs"]}
                if len(alloc) != len(r["avs"]):
                    raise ScenarioError(f"{w}.restake.avs: an AVS is listed twice")
            elif r["security"] == "isolated":
                if not isinstance(r["avs"], dict):
                    raise ScenarioError(f"{w}.restake.avs: isolated takes a map name -> fraction")
                alloc = {n: _num(f, f"{w}.restake.avs.{n}", 0, 1) for n, f in r["avs"].items()}
                if sum(alloc.values()) > 1 + 1e-9:
                    raise ScenarioError(f"{w}.restake.avs: fractions sum to more than 1")
                isolated = True
            else:
                raise ScenarioError(f"{w}.restake.security: {r['security']!r}")
            for n in alloc:
                if n not in v_names:
                    raise ScenarioError(f"{w}.restake.avs: unknown AVS {n!r}")
            # docs/MODEL.md: an AVS with fraction 0 under isolated is removed from the strategy.
            order = [n for n, f in alloc.items() if f > 0]
            avs_idx = sorted(v_names.index(n) for n in order)       # declaration order
            fractions = [alloc[v_names[j]] for j in avs_idx]
        ins = _fields(s.get("insurance", {}), w + ".insurance", {"coverage", "premium_apr"})
        if "insurance" in s and "coverage" not in ins:
            raise ScenarioError(f"{w}.insurance.coverage is required")
        bs = s.get("base_slashing")
        base_q = base_sev = None
        if bs is not None:
            bs = _fields(bs, w + ".base_slashing", {"rate", "severity"}, required=("rate", "severity"))
            base_q = q(_num(bs["rate"], w + ".base_slashing.rate", 0, 1))
            base_sev = _severity(bs["severity"], w + ".base_slashing.severity")
        lev = None
        if "leverage" in s:
            l = _fields(s["leverage"], w + ".leverage",  # noqa: E741
                        {"ratio", "ltv", "liquidation_threshold", "bonus", "borrow_apr", "close_factor", "oracle"},
                        required=("ratio", "ltv", "liquidation_threshold", "borrow_apr"))
            ltv = _num(l["ltv"], w + ".leverage.ltv", 0, 1)
            if ltv >= 1:
                raise ScenarioError(f"{w}.leverage.ltv must be below 1")
            ratio = _num(l["ratio"], w + ".leverage.ratio", 1, 1 / (1 - ltv) * (1 + 1e-12))
            lev = {"ratio": ratio,
                   "lt": _num(l["liquidation_threshold"], w + ".leverage.liquidation_threshold", ltv, 1),
                   "bonus": _num(l.get("bonus", 0), w + ".leverage.bonus", 0, 1),
                   "borrow_dt": _num(l["borrow_apr"], w + ".leverage.borrow_apr") * dt,
                   "close": _num(l.get("close_factor", 0.5), w + ".leverage.close_factor", 0, 1),
                   "oracle": l.get("oracle", "market")}
            if lev["oracle"] not in ("market", "exchange_rate") or lev["close"] <= 0:
                raise ScenarioError(f"{w}.leverage: oracle {lev['oracle']!r} / close_factor {lev['close']}")
        ex = _fields(s.get("exit", {}), w + ".exit", {"on_incident", "withdrawal_delay_days"})
        mode = ex.get("on_incident", "hold")
        if mode not in ("hold", "withdraw", "sell"):
            raise ScenarioError(f"{w}.exit.on_incident: {mode!r}")
        if mode == "withdraw" and lev is not None:
            raise ScenarioError(f"{w}: exit withdraw with leverage is an error (MODEL.md)")
        days = _num(ex.get("withdrawal_delay_days", 14), w + ".exit.withdrawal_delay_days", 0)
        ce = s.get("compound_every_steps", compound_default)
        if not isinstance(ce, int) or ce < 0:
            raise ScenarioError(f"{w}.compound_every_steps: expected an integer >= 0")
        model.strategies.append(StrategySpec(
            name=s["name"], asset=asset, token=token, base_rate=base_rate, platform=f_pl,
            avs=avs_idx, source_order=order + ["base"], isolated=isolated, fractions=np.array(fractions),
            reward_coef=np.array([v_reward[j] * dt * (1 - f_op) for j in avs_idx]),
            reward_asset=np.array([a_names.index(v_rasset[j]) if v_rasset[j] else asset for j in avs_idx], dtype=int),
            coverage=_num(ins.get("coverage", 0), w + ".insurance.coverage", 0, 1),
            premium_dt=_num(ins.get("premium_apr", 0), w + ".insurance.premium_apr") * dt,
            base_q=base_q, base_severity=base_sev, compound_every=ce, leverage=lev,
            exit_mode=mode, exit_delay=int(math.floor(days * spy / 365.0 + 0.5))))
    return model


def load_scenario(path: str) -> Model:
    with open(path, encoding="utf-8") as f:
        return compile_scenario(parse_yaml(f.read()))


# =============================================================================================
# Simulation
# =============================================================================================

STAKED, WITHDRAWING, EXITED = 0, 1, 2
CAP = 1e300


def _law(sev: Severity):
    return (sev.kind, sev.a, sev.b)


class _State:
    """One strategy's per-path state over one chunk of paths."""

    def __init__(self, spec: StrategySpec, n: int):
        self.spec = spec
        ratio = spec.leverage["ratio"] if spec.leverage else 1.0
        self.stake = np.full(n, ratio)
        self.accrued = np.zeros(n)
        self.debt = np.full(n, ratio - 1.0) if spec.leverage else None
        # Isolated: the allocations' amounts a_j (rows aligned with spec.avs). Compounding and
        # base slashing scale them with the stake; an AVS's slash lowers its own row only.
        self.alloc = spec.fractions[:, None] * self.stake[None, :] if spec.isolated else None
        self.status = np.zeros(n, dtype=np.int8)
        self.exit_step = np.full(n, -1, dtype=np.int64)
        self.proceeds = np.zeros(n)
        self.loss = np.zeros((len(spec.avs) + 1, n))        # per AVS (declaration order), then base
        self.incidents = np.zeros(n, dtype=np.int64)
        self.liquidations = np.zeros(n, dtype=np.int64)

    def _convert(self, idx, value):
        self.proceeds[idx] = value
        self.status[idx] = EXITED
        self.stake[idx] = 0.0
        self.accrued[idx] = 0.0
        if self.debt is not None:
            self.debt[idx] = 0.0
        if self.alloc is not None:
            self.alloc[:, idx] = 0.0

    def step(self, t, events, base, ratio_of, R):
        sp = self.spec
        # ---- 2. Slashing: AVS incidents in declaration order, then base-layer slashing ----
        hit = []
        for row, j in enumerate(sp.avs):
            idx, sev = events[j]
            if idx.size == 0:
                continue
            live = self.status[idx] != EXITED
            idx, sev = idx[live], sev[live]
            if idx.size == 0:
                continue
            if sp.isolated:
                loss = self.alloc[row, idx] * sev
                self.alloc[row, idx] -= loss
            else:
                loss = self.stake[idx] * sev
            self.stake[idx] -= loss
            self.loss[row, idx] += loss
            if sp.coverage:
                self.accrued[idx] += sp.coverage * loss
            self.incidents[idx] += 1
            hit.append(idx)
        if sp.base_q is not None and base[0].size:
            # One uniform and one severity per path and step, shared by every strategy with the
            # same law (docs/MODEL.md, "Base-layer slashing").
            cand, u, sev_by_law = base
            keep = (u < sp.base_q) & (self.status[cand] != EXITED)
            idx, sev = cand[keep], sev_by_law[_law(sp.base_severity)][keep]
            if idx.size:
                loss = self.stake[idx] * sev
                if self.alloc is not None:
                    self.alloc[:, idx] *= 1.0 - sev
                self.stake[idx] -= loss
                self.loss[-1, idx] += loss

        # ---- 3. Rewards (not while withdrawing) and compounding ----
        staked = self.status == STAKED
        all_staked = sp.exit_mode == "hold" or staked.all()
        if sp.isolated:
            # AVS j pays on its own allocation a_j; the base yield on the whole stake.
            rew = self.stake * sp.base_rate
            for row in range(len(sp.avs)):
                rew += sp.reward_coef[row] * self.alloc[row] * ratio_of(sp.reward_asset[row], sp.asset)
        else:
            # Shared: every AVS pays on the whole stake; rewards in the staked asset have ratio 1.
            per_stake = sp.base_rate
            for row in range(len(sp.avs)):
                r = ratio_of(sp.reward_asset[row], sp.asset)
                per_stake = per_stake + sp.reward_coef[row] * r
            rew = self.stake * per_stake
        rew *= 1.0 - sp.platform
        if sp.premium_dt:
            rew -= self.stake * sp.premium_dt
        if not all_staked:
            rew[~staked] = 0.0
        self.accrued += rew
        np.minimum(self.stake, CAP, out=self.stake)
        np.minimum(self.accrued, CAP, out=self.accrued)
        if sp.compound_every and (t + 1) % sp.compound_every == 0:
            if all_staked:
                if self.alloc is not None:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        g = np.where(self.stake > 0, (self.stake + self.accrued) / self.stake, 1.0)
                    self.alloc *= g
                self.stake += self.accrued
                self.accrued[:] = 0.0
            else:
                idx = np.flatnonzero(staked)
                if self.alloc is not None:
                    s0 = self.stake[idx]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        g = np.where(s0 > 0, (s0 + self.accrued[idx]) / s0, 1.0)
                    self.alloc[:, idx] *= g
                self.stake[idx] += self.accrued[idx]
                self.accrued[idx] = 0.0

        # ---- 5. Leverage: interest, then liquidations while HF < 1 ----
        lev = sp.leverage
        if lev is not None:
            self.debt *= 1.0 + lev["borrow_dt"]
            oracle_all = R if lev["oracle"] == "market" and R is not None else None
            coll = self.stake + self.accrued
            orc = oracle_all if oracle_all is not None else 1.0
            need = np.flatnonzero((self.debt > 0) & (coll > 0) & ((coll * orc * lev["lt"] < self.debt) | (orc <= 0)))
            rounds = 0
            while need.size and rounds < 64:
                rounds += 1
                o = oracle_all[need] if oracle_all is not None else np.ones(need.size)
                st, ac, db = self.stake[need], self.accrued[need], self.debt[need]
                c = st + ac
                repaid = lev["close"] * db
                with np.errstate(divide="ignore", invalid="ignore"):
                    seized = np.where(o > 0, repaid * (1.0 + lev["bonus"]) / o, np.inf)
                short = seized >= c
                # Collateral short (or oracle <= 0): everything goes, repaid is what it pays for.
                repaid = np.where(short, np.where(o > 0, c * o / (1.0 + lev["bonus"]), 0.0), repaid)
                seized = np.where(short, c, seized)
                from_acc = np.minimum(np.maximum(ac, 0.0), seized)
                ac = np.where(short, 0.0, ac - from_acc)
                st = np.where(short, 0.0, st - (seized - from_acc))
                db = db - repaid
                self.stake[need], self.accrued[need], self.debt[need] = st, ac, db
                self.liquidations[need] += 1
                c = st + ac
                keep = (db > 0) & (c > 0) & ((c * o * lev["lt"] < db) | (o <= 0))
                need = need[keep]

        # ---- 6. Exit: due withdrawals convert at par, then this step's triggers ----
        if sp.exit_mode == "withdraw":
            due = np.flatnonzero((self.status == WITHDRAWING) & (self.exit_step == t))
            if due.size:
                self._convert(due, self.stake[due] + self.accrued[due])
        if sp.exit_mode != "hold" and hit:
            trig = np.unique(np.concatenate(hit))
            trig = trig[self.status[trig] == STAKED]
            if trig.size:
                if sp.exit_mode == "sell":
                    r = R[trig] if R is not None else 1.0
                    d = self.debt[trig] if self.debt is not None else 0.0
                    self._convert(trig, np.maximum(0.0, (self.stake[trig] + self.accrued[trig]) * r - d))
                elif sp.exit_delay == 0:
                    self._convert(trig, self.stake[trig] + self.accrued[trig])
                else:
                    self.status[trig] = WITHDRAWING
                    self.exit_step[trig] = t + sp.exit_delay

    def terminal(self, R, price_ratio):
        """W_T: idle proceeds after an exit, else max(0, (stake + accrued) R - debt), in the numeraire."""
        r = R if R is not None else 1.0
        w = (self.stake + self.accrued) * r
        if self.debt is not None:
            w = w - self.debt
        w = np.maximum(w, 0.0)
        w = np.where(self.status == EXITED, self.proceeds, w)
        if price_ratio is not None:
            w = np.minimum(w * price_ratio, CAP)
        return w


def _simulate_chunk(model: Model, n: int, rng):
    A, m, K = len(model.asset_names), len(model.avs_names), len(model.token_names)
    k = A + m + K
    logp = np.zeros((A, n))
    D = np.zeros((K, n))
    states = [_State(s, n) for s in model.strategies]
    need_base = any(s.base_q is not None for s in model.strategies)
    base_qmax = max((s.base_q for s in model.strategies if s.base_q is not None), default=0.0)
    base_laws = {_law(s.base_severity): s.base_severity for s in model.strategies if s.base_q is not None}
    nu = model.student.nu if model.student else None
    for t in range(model.steps):
        # 0. Factor draws: z = B g + D e (or L e); under the t copula t_i = z_i / sqrt(W / nu).
        e = rng.standard_normal((k, n))
        if model.loadings is not None:
            g = rng.standard_normal((model.loadings.shape[1], n))
            z = model.loadings @ g if model.loadings.shape[1] > 1 else model.loadings[:, :1] * g
            e *= model.idio[:, None]
            z += e
        elif model.chol is not None:
            z = model.chol @ e
        else:
            z = e
        if nu is not None:
            w = 2.0 * rng.standard_gamma(0.5 * nu, n)
            z *= np.sqrt(nu / w)

        # 1. Prices. Log returns use x = Phi^-1(F_nu(t)) (Gaussian marginal); jumps independent.
        x = model.student.to_normal(z[:A]) if nu is not None else z[:A]
        logp += model.asset_drift_dt[:, None] + model.asset_vol_sqdt[:, None] * x
        for a, jmp in enumerate(model.asset_jumps):
            if jmp is None:
                continue
            idx = np.flatnonzero(rng.random(n) < jmp[0])
            if idx.size:
                logp[a, idx] += rng.normal(jmp[1], jmp[2], idx.size)
        np.clip(logp, -700.0, 700.0, out=logp)

        # 2. Events shared by every strategy: incident iff t_j < F^-1(q(p_j)), then the veto;
        #    a severity per non-vetoed incident (entity, path and step: shared by strategies).
        drawn = z[A:A + m] < model.avs_threshold[:, None]
        drawn_idx, events = [], []
        for j in range(m):
            idx = np.flatnonzero(drawn[j])
            drawn_idx.append(idx)
            if idx.size and model.avs_veto[j] > 0:
                idx = idx[rng.random(idx.size) >= model.avs_veto[j]]
            events.append((idx, model.avs_severity[j].draw(rng, idx.size)))
        base = None
        if need_base:
            # Candidates: paths below the largest strategy rate; one severity per law there.
            u = rng.random(n)
            cand = np.flatnonzero(u < base_qmax)
            base = (cand, u[cand], {key: sev.draw(rng, cand.size) for key, sev in base_laws.items()})

        # 4. Depeg (depends on no strategy's state, so it is computed once, before them): decay,
        #    the token's shock, incident jumps (vetoed incidents included), clip to [0, max].
        for kk, dp in enumerate(model.token_depeg):
            if dp is None:
                continue
            Dk = D[kk]
            Dk *= dp["decay"]
            idx = np.flatnonzero(z[A + m + kk] < dp["threshold"])
            if idx.size:
                Dk[idx] += dp["severity"].draw(rng, idx.size)
            if dp["jump"]:
                for j in dp["exposed"]:
                    if drawn_idx[j].size:
                        Dk[drawn_idx[j]] += dp["jump"]
            np.clip(Dk, 0.0, dp["max"], out=Dk)

        cache = {}

        def ratio_of(r, a):
            if r == a:
                return 1.0
            if (r, a) not in cache:
                cache[(r, a)] = np.exp(logp[r] - logp[a])
            return cache[(r, a)]

        for st in states:
            R = 1.0 - D[st.spec.token] if st.spec.token is not None else None
            st.step(t, events, base, ratio_of, R)

    out = {}
    for st in states:
        sp = st.spec
        R = 1.0 - D[sp.token] if sp.token is not None else None
        pr = np.exp(logp[sp.asset]) if model.numeraire == "usd" else None
        out[sp.name] = {
            "terminal_wealth": st.terminal(R, pr),
            "loss_by_source": st.loss,
            "incidents": st.incidents,
            "liquidations": st.liquidations,
            "exited": st.status == EXITED,
        }
    return out


def simulate(model: Model, paths: int, seed: int, chunk: int = 20000):
    """Per-strategy per-path results of `paths` paths, chunk by chunk (vectorised over a chunk)."""
    rng = np.random.Generator(np.random.SFC64(seed))
    parts = []
    for start in range(0, paths, chunk):
        parts.append(_simulate_chunk(model, min(chunk, paths - start), rng))
    res = {}
    for s in model.strategies:
        d = {key: np.concatenate([p[s.name][key] for p in parts], axis=-1) for key in parts[0][s.name]}
        lb = d["loss_by_source"]
        d["slashing_loss"] = lb.sum(axis=0)
        # Attribution rows in the strategy's order (as the engine lists them), then base.
        rows = [model.avs_names[j] for j in s.avs]
        d["source_loss"] = {src: lb[rows.index(src)] if src != "base" else lb[-1] for src in s.source_order}
        res[s.name] = d
    return res


# =============================================================================================
# Statistics (the engine's definitions, docs/MODEL.md "Statistics")
# =============================================================================================

def _whole(x: float):
    """round(x) when x is within a few ulps of an integer (0.99 x 100 is 99), else None."""
    r = round(x)
    return r if abs(x - r) <= 1e-9 * max(1.0, abs(x)) else None


def rank(a: float, n: int) -> int:
    """ceil(a N), a product within a few ulps of an integer counting as that integer; in 1..N."""
    x = a * n
    r = _whole(x)
    r = r if r is not None else math.ceil(x)
    return min(max(r, 1), n)


def var_es(losses: np.ndarray, a: float):
    """(VaR, ES, ES standard error by the engine's formula, CI lo, CI hi) of one sample.

    VaR_a = L_(ceil(aN)); ES_a = mean of L_(i) for i > floor(aN), the worst N - floor(aN)
    outcomes (MODEL.md v2, item 7: the VaR point is no longer averaged in when aN is whole). The
    ES standard error is sqrt((s^2_tail + a (ES - VaR)^2) / n_tail) over that tail, missing with
    fewer than 10 paths in it (docs/MODEL.md); the VaR interval is the order-statistic one."""
    n = losses.size
    srt = np.sort(losses, kind="stable")
    r = rank(a, n)
    var = srt[r - 1]
    whole = _whole(a * n)
    k = min(max(whole if whole is not None else math.floor(a * n), 0), n - 1)
    tail = srt[k:]
    es = tail.mean()
    se = math.sqrt((tail.var(ddof=1) + a * (es - var) ** 2) / tail.size) if tail.size >= 10 else None
    h = 1.96 * math.sqrt(n * a * (1 - a))
    lo, hi = math.floor(a * n - h), math.ceil(a * n + h)
    return var, es, se, (srt[lo - 1] if 1 <= lo <= n else None), (srt[hi - 1] if 1 <= hi <= n else None)


def batch_se(values: np.ndarray, stat, batches: int) -> float:
    """SE of a full-sample statistic from `batches` contiguous batches: sd(batch stats)/sqrt(B)."""
    parts = np.array_split(values, batches)
    s = np.array([stat(p) for p in parts])
    return float(s.std(ddof=1) / math.sqrt(batches))


def summarize(model: Model, res, alphas=(0.95, 0.99), batches: int = 20):
    """Rows (strategy, metric, alpha, value, ci_lo, ci_hi, se) in the engine's summary.csv names.

    `se` is the standard error of the value: sd/sqrt(N) for means, sqrt(p(1-p)/N) for
    probabilities, and for VaR and ES a batch estimate (`batches` contiguous batches); VaR rows
    also carry the engine's order-statistic 95% interval in ci_lo/ci_hi. `timeline.p_exited` is
    the share of paths converted by the horizon (the last row of the engine's timeline.csv)."""
    rows = []
    for s in model.strategies:
        d = res[s.name]
        n = d["terminal_wealth"].size

        def mean_row(metric, v):
            v = np.asarray(v, dtype=float)
            rows.append((s.name, metric, None, float(v.mean()), None, None, float(v.std(ddof=1) / math.sqrt(n))))

        def prob_row(metric, flags):
            p = float(np.mean(flags))
            rows.append((s.name, metric, None, p, None, None, math.sqrt(p * (1 - p) / n)))

        w = d["terminal_wealth"]
        mean_row("terminal_wealth.mean", w)
        rows.append((s.name, "terminal_wealth.sd", None, float(w.std(ddof=1)), None, None, None))
        mean_row("slashing_loss.mean", d["slashing_loss"])
        prob_row("slashing_loss.prob_any", d["slashing_loss"] > 0)
        mean_row("incidents_mean", d["incidents"])
        prob_row("liquidation_prob", d["liquidations"] > 0)
        prob_row("timeline.p_exited", d["exited"])
        for label, L in (("loss", 1.0 - w), ("slashing_loss", d["slashing_loss"])):
            for a in alphas:
                var, es, _, lo, hi = var_es(L, a)
                rows.append((s.name, f"{label}.var", a, float(var), lo, hi,
                             batch_se(L, lambda x: var_es(x, a)[0], batches)))
                rows.append((s.name, f"{label}.es", a, float(es), None, None,
                             batch_se(L, lambda x: var_es(x, a)[1], batches)))
        for src, v in d["source_loss"].items():
            mean_row(f"attribution.{src}.expected_loss", v)
    return rows


def _fmt(v):
    return "" if v is None else repr(float(v))


def write_csv(path: str, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["strategy", "metric", "alpha", "value", "ci_lo", "ci_hi", "se"])
        for r in rows:
            wr.writerow([r[0], r[1], "" if r[2] is None else repr(r[2])] + [_fmt(x) for x in r[3:]])


def run(scenario: str, paths: int, seed: int, chunk: int = 20000, batches: int = 20):
    """Loads, simulates and summarizes; returns (model, rows, simulation seconds, total seconds)."""
    t0 = time.perf_counter()
    model = load_scenario(scenario)
    t1 = time.perf_counter()
    res = simulate(model, paths, seed, chunk)
    t2 = time.perf_counter()
    rows = summarize(model, res, batches=batches)
    t3 = time.perf_counter()
    return model, rows, t2 - t1, t3 - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="data/scenarios/example.yaml")
    ap.add_argument("--paths", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=20000, help="paths simulated together (default 20000)")
    ap.add_argument("--batches", type=int, default=20, help="batches for the VaR/ES standard errors")
    ap.add_argument("--out", default=None, help="summary CSV (long form, as the engine's summary.csv)")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        model, rows, sim_s, _ = run(args.scenario, args.paths, args.seed, args.chunk, args.batches)
    except ScenarioError as e:
        print(f"error: {args.scenario}: {e}", file=sys.stderr)
        return 2
    if args.out:
        write_csv(args.out, rows)
    wall = time.perf_counter() - start
    ps = args.paths * model.steps
    print(f"reference: {args.paths} paths x {model.steps} steps, {len(model.strategies)} strategies, seed {args.seed}")
    print(f"reference: simulation {sim_s:.3f} s, wall {wall:.3f} s (load + simulate + statistics + CSV)")
    print(f"reference: {ps / wall:.4g} path-steps/s (wall), {ps / sim_s:.4g} path-steps/s (simulation only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
