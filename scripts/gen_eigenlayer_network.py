#!/usr/bin/env python3
"""Generates data/scenarios/eigenlayer-network.yaml, the network-scale scenario (model v2).

    python3 scripts/gen_eigenlayer_network.py > data/scenarios/eigenlayer-network.yaml
    python3 scripts/gen_eigenlayer_network.py --check data/scenarios/eigenlayer-network.yaml

Python standard library only, and deterministic: the only randomness is a SplitMix64 stream with
a fixed seed written out here (not Python's `random`, whose derived methods may change between
versions), so the same script always writes the same bytes. `--check` exits 1 when the committed
file differs from what the script writes now.

What it builds (the reasons are in the comments it writes, and in docs/MODEL-v2-scenarios.md):
- 48 AVSs of eight types (DA, oracle, bridge, sequencer, coprocessor, zk-prover, keeper, appchain),
  with incident rates, severities and rewards drawn per type inside assumed ranges;
- 200 operators in three tiers (10 large, 40 mid, 150 small), each with a cloud provider and a
  consensus client, serving a set of AVSs that grows with its tier;
- latent factors: one market factor, one per AVS type, one per infrastructure provider and one per
  client, so that the full 252 x 252 correlation is given by 20 x 252 loadings;
- five strategies: an LST baseline, a 12-AVS basket delegated to 2 large operators vs 32 mid
  operators (shared), the same 32 operators under unique stake (isolated), and an LRT over 24 AVSs
  and 64 operators.
Operator fractions are powers of two (1/2, 1/32, 1/64) so that they sum to exactly 1 in binary.
"""

import sys

SEED = 0x5EED_2026_0001


class SplitMix64:
    """Sebastiano Vigna's SplitMix64: a tiny, fully specified generator."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def uniform(self):
        """A double in [0, 1) from the top 53 bits."""
        return (self.next() >> 11) / float(1 << 53)

    def between(self, lo, hi):
        return lo + (hi - lo) * self.uniform()

    def index(self, n):
        return int(self.uniform() * n)

    def pick_weighted(self, items):
        """items: [(value, weight)]."""
        total = sum(w for _, w in items)
        x = self.uniform() * total
        for value, w in items:
            x -= w
            if x < 0:
                return value
        return items[-1][0]

    def sample(self, population, k):
        """k distinct items, in population order (a partial Fisher-Yates on indices)."""
        idx = list(range(len(population)))
        for i in range(k):
            j = i + self.index(len(idx) - i)
            idx[i], idx[j] = idx[j], idx[i]
        return [population[i] for i in sorted(idx[:k])]


def num(x, digits=4):
    """A short decimal that YAML reads back as the same value."""
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


# AVS types: count, incident-rate range (per year), severity, reward range (APR in EIGEN),
# latent loading on the type factor. All assumptions (EigenLayer slashing live only since
# 2025-04-17, so there is no loss history per AVS type); the ordering (bridges and appchains riskier
# and more severe, DA and proving milder) follows how much stake each type puts behind a single
# signed statement.
AVS_TYPES = [
    # name,        n, rate lo, rate hi, severity,           reward lo, reward hi, type loading
    ("da",          6, 0.005, 0.010, "{beta: [2, 38]}",     0.0005, 0.0010, 0.45),
    ("oracle",      8, 0.010, 0.020, "{beta: [2, 18]}",     0.0006, 0.0012, 0.45),
    ("bridge",      8, 0.020, 0.040, "{beta: [1.5, 6]}",    0.0008, 0.0016, 0.50),
    ("sequencer",   6, 0.010, 0.020, "{fixed: 0.05}",       0.0005, 0.0010, 0.40),
    ("coprocessor", 6, 0.010, 0.020, "{beta: [2, 28]}",     0.0004, 0.0009, 0.40),
    ("zk-prover",   6, 0.005, 0.015, "{beta: [2, 38]}",     0.0004, 0.0008, 0.35),
    ("keeper",      4, 0.010, 0.020, "{beta: [2, 48]}",     0.0003, 0.0006, 0.35),
    ("appchain",    4, 0.015, 0.030, "{beta: [2, 14]}",     0.0006, 0.0012, 0.45),
]

# Operator infrastructure: cloud provider and consensus client, with assumed shares (loosely shaped
# like public hosting and client-diversity dashboards; the shares are unverified) and the latent
# loading of an operator on its provider's and its client's factor (assumption).
PROVIDERS = [("aws", 0.35), ("gcp", 0.15), ("azure", 0.05), ("hetzner", 0.15), ("ovh", 0.10), ("bare-metal", 0.20)]
CLIENTS = [("prysm", 0.35), ("lighthouse", 0.35), ("teku", 0.15), ("nimbus", 0.10), ("lodestar", 0.05)]
PROVIDER_LOADING = 0.35
CLIENT_LOADING = 0.35
MARKET_AVS_LOADING = 0.15

# Operator tiers: count, fault-rate range, how many AVSs beyond the core basket each serves.
# Fault rates are assumptions (no public operator-level history): 0.2-0.6%/yr, i.e. 5-15x the
# ~0.04% of Ethereum validators ever slashed by Feb 2023 (secondary), larger for small operators.
TIERS = [
    # name,  n,   rate lo, rate hi, extra AVSs lo, hi, serves the core basket
    ("large", 10, 0.0020, 0.0030, 16, 30, True),
    ("mid",   40, 0.0025, 0.0040, 4, 16, True),
    ("small", 150, 0.0030, 0.0060, 2, 8, False),
]

CORE_BASKET_PER_TYPE = {"da": 2, "oracle": 2, "bridge": 2, "sequencer": 2, "coprocessor": 1,
                        "zk-prover": 1, "keeper": 1, "appchain": 1}   # 12 AVSs
WIDE_BASKET_EXTRA_PER_TYPE = {"da": 2, "oracle": 2, "bridge": 2, "sequencer": 1, "coprocessor": 2,
                              "zk-prover": 1, "keeper": 1, "appchain": 1}  # +12: 24 AVSs


def build():
    rng = SplitMix64(SEED)
    avs = []   # (name, type, rate, severity, reward)
    for tname, n, lo, hi, sev, rlo, rhi, _ in AVS_TYPES:
        for i in range(n):
            avs.append((f"{tname}-{i + 1:02d}", tname, rng.between(lo, hi), sev, rng.between(rlo, rhi)))
    by_type = {}
    for a in avs:
        by_type.setdefault(a[1], []).append(a[0])
    core = [name for t, k in CORE_BASKET_PER_TYPE.items() for name in by_type[t][:k]]
    wide = core + [name for t, k in WIDE_BASKET_EXTRA_PER_TYPE.items()
                   for name in by_type[t][CORE_BASKET_PER_TYPE[t]:CORE_BASKET_PER_TYPE[t] + k]]
    avs_names = [a[0] for a in avs]
    order = {name: i for i, name in enumerate(avs_names)}

    operators = []  # (name, tier, rate, provider, client, serves)
    count = 0
    for tier, n, lo, hi, elo, ehi, serves_core in TIERS:
        for _ in range(n):
            count += 1
            name = f"op-{count:03d}"
            rate = rng.between(lo, hi)
            provider = rng.pick_weighted(PROVIDERS)
            client = rng.pick_weighted(CLIENTS)
            extra_n = elo + rng.index(ehi - elo + 1)
            base = set(core) if serves_core else set()
            rest = [a for a in avs_names if a not in base]
            serves = base | set(rng.sample(rest, min(extra_n, len(rest))))
            operators.append((name, tier, rate, provider, client, sorted(serves, key=order.get)))
    return avs, operators, core, wide


def render(avs, operators, core, wide):
    out = []
    w = out.append
    large = [o for o in operators if o[1] == "large"]
    mid = [o for o in operators if o[1] == "mid"]
    small = [o for o in operators if o[1] == "small"]
    w("# yaml-language-server: $schema=../../docs/scenario.schema.json")
    w("# GENERATED by scripts/gen_eigenlayer_network.py: edit the script, not this file, then run")
    w("#   python3 scripts/gen_eigenlayer_network.py > data/scenarios/eigenlayer-network.yaml")
    w("#")
    w("# EigenLayer at network scale (model v2): 48 AVSs of eight types and 200 operators in three")
    w("# tiers, coupled by 20 latent factors (market, AVS type, cloud provider, consensus client).")
    w("# The question it answers: how much of a restaker's tail comes from whom it delegates to")
    w("# (2 large operators vs 32 mid ones), and from shared vs unique (isolated) stake.")
    w("# Scale: public dashboards listed dozens of AVSs on mainnet and on the order of a thousand or")
    w("# more registered operators in 2025 (secondary, unverified counts); stake is concentrated in few")
    w("# operators (HHI studies of the top 30 AVSs, MinterGMT/restaking-research-visuals). 200 operators")
    w("# stand for the ones holding most of the stake; the long tail is left out (assumption).")
    w("# Per-AVS and per-operator numbers are drawn by the script inside per-type ranges that are")
    w("# assumptions (slashing live on mainnet only since 2025-04-17, secondary: no loss history).")
    w("name: eigenlayer-network")
    w("horizon_years: 1")
    w("# Weekly steps: 252 factors x 52 steps keeps 100k paths well under a minute. Slashing risk, the")
    w("# subject here, is annual-rate driven and q(p) = 1 - (1-p)^dt keeps the annual probabilities")
    w("# exact at any step; no strategy is leveraged, so nothing needs daily liquidation checks. The")
    w("# cost: depeg decay and the 14-day withdrawal are resolved to whole weeks (14 days = 2 steps).")
    w("steps_per_year: 52")
    w("numeraire: asset")
    w("report_every_steps: 1             # weekly fan")
    w("")
    w("assets:")
    w("  # ETH realized vol 50-100%/yr, implied ~74% Oct 2020-2023 (secondary); one ~-10% jump a year")
    w("  # (assumption, scaled on ETH's -21% day of 2024-08-05, secondary).")
    w("  - {name: ETH, price: 3000, drift: 0.0, volatility: 0.70, jumps: {rate: 1.0, mean: -0.10, sd: 0.08}}")
    w("  - {name: EIGEN, price: 1.0, drift: 0.0, volatility: 1.10}   # reward token (assumption, no source)")
    w("")
    w("avs:")
    w("  # reward_apr in EIGEN: programmatic incentives worth ~0.3-1% a year in ETH terms (ether.fi")
    w("  # ~8.7 EIGEN/ETH/yr, secondary; range unverified): the 12-AVS core basket pays ~1% in all.")
    w("  # No veto: EigenLayer's core contracts have none (ELIP-002).")
    current = None
    for name, tname, rate, sev, reward in avs:
        if tname != current:
            current = tname
            spec = next(t for t in AVS_TYPES if t[0] == tname)
            w(f"  # {tname}: incident rate {num(spec[2], 3)}-{num(spec[3], 3)}/yr, severity {sev}, "
              f"reward {num(spec[5])}-{num(spec[6])} (assumptions)")
        w(f"  - {{name: {name}, incident_rate: {num(rate)}, severity: {sev}, "
          f"reward_apr: {num(reward, 5)}, reward_asset: EIGEN}}")
    w("")
    w("operators:")
    w("  # Fault: a leaked or misused key, a double-signing bug; it slashes the stake the operator runs")
    w("  # on every AVS it serves (compounded slashing, design seeds). Severity mean 25% (beta [2, 6]);")
    w("  # EigenLayer lets an operator set slash up to 100% of its allocation (ELIP-002).")
    for tier, n, lo, hi, elo, ehi, serves_core in TIERS:
        group = [o for o in operators if o[1] == tier]
        w(f"  # {tier} ({n}): fault rate {num(lo * 100, 2)}-{num(hi * 100, 2)}%/yr (assumption: 5-15x the ~0.04%")
        w(f"  # of Ethereum validators slashed by Feb 2023, secondary); serves "
          + ("the 12-AVS core basket plus " if serves_core else "") + f"{elo}-{ehi} other AVSs.")
        for name, _, rate, provider, client, serves in group:
            w(f"  - {{name: {name}, fault_rate: {num(rate, 5)}, fault_severity: {{beta: [2, 6]}}, "
              f"serves: [{', '.join(serves)}]}}   # {provider}, {client}")
    w("")
    w("tokens:")
    w("  # stETH: June 2022 low ~0.935 (~6.5% discount; CoinDesk up to 8%), ~4% in July 2022 (secondary).")
    w("  - {name: stETH, underlying: ETH, depeg: {rate: 0.10, severity: {beta: [2, 60]}, half_life_days: 20, incident_jump: 0.0, max: 0.5}, exposed_to: []}")
    w("  # LRT: ezETH fell to ~0.22 ETH on DEXes for about an hour on 2024-04-24 (secondary: Bankless,")
    w("  # CryptoSlate); incidents of the AVSs it restakes to shake it by 1% each (assumption).")
    w(f"  - {{name: LRT, underlying: ETH, depeg: {{rate: 0.30, severity: {{beta: [2, 30]}}, half_life_days: 2, incident_jump: 0.01, max: 0.8}}, exposed_to: [{', '.join(wide)}]}}")
    w("")
    w("correlation:")
    w("  # All loadings are assumptions (no public estimate). Each factor's squared loadings sum to at")
    w(f"  # most {num(MARKET_AVS_LOADING ** 2 + 0.5 ** 2)} (AVS) and {num(PROVIDER_LOADING ** 2 + CLIENT_LOADING ** 2)} (operator), well inside 1.")
    w("  latent:")
    w(f"    market: {{ETH: 0.6, EIGEN: 0.6, stETH: 0.5, LRT: 0.6, " +
      ", ".join(f"{a[0]}: {num(MARKET_AVS_LOADING)}" for a in avs) + "}")
    w("    # AVS type: AVSs of one type share designs, middleware and failure modes.")
    for tname, *_rest in AVS_TYPES:
        loading = next(t[7] for t in AVS_TYPES if t[0] == tname)
        names = [a[0] for a in avs if a[1] == tname]
        w(f"    type-{tname}: {{" + ", ".join(f"{n}: {num(loading)}" for n in names) + "}")
    w("    # Operator infrastructure: a provider outage or compromise, a client bug.")
    for p, _ in PROVIDERS:
        names = [o[0] for o in operators if o[3] == p]
        if names:
            w(f"    infra-{p}: {{" + ", ".join(f"{n}: {num(PROVIDER_LOADING)}" for n in names) + "}")
    for c, _ in CLIENTS:
        names = [o[0] for o in operators if o[4] == c]
        if names:
            w(f"    client-{c}: {{" + ", ".join(f"{n}: {num(CLIENT_LOADING)}" for n in names) + "}")
    w("")
    w("# Student-t with 4 dof: joint crashes (tail dependence ~0.25 at rho 0.5, FACTS closed forms).")
    w("copula: {type: student-t, dof: 4}")
    w("")
    few = [large[0][0], large[1][0]]
    many = [o[0] for o in mid[:32]]
    lrt_ops = [o[0] for o in large] + [o[0] for o in mid] + [o[0] for o in small[:14]]
    assert len(lrt_ops) == 64
    common = [
        "    asset: ETH",
        "    token: stETH",
        "    # stETH ~2.98% after Lido's 10% fee, 180-day average to Sept 2025 (secondary): ~3.3% gross.",
        "    base_apr: 0.033",
        "    # ~0.04% of validators slashed by Feb 2023 (secondary); penalty EB/4096 (consensus-specs, Electra).",
        "    base_slashing: {rate: 0.0004, severity: {fixed: 0.000244}}",
    ]
    w("strategies:")
    w("  - name: lst")
    out.extend(common)
    w("    fees: {lst: 0.10}               # Lido fee 10% (secondary)")
    w("")
    w(f"  # The 12-AVS core basket, delegated half and half to the two largest operators: a fault of either")
    w(f"  # slashes half the position once per AVS (12 times, compounded).")
    w("  - name: few-operators-shared")
    out.extend(common)
    w("    fees: {lst: 0.10, operator: 0.10}   # operator split default 10% (ELIP-001)")
    w(f"    restake: {{security: shared, avs: [{', '.join(core)}], operators: {{{few[0]}: 0.5, {few[1]}: 0.5}}}}")
    w("")
    w("  # Same basket, spread over 32 mid-tier operators (1/32 each): the same expected fault loss, a")
    w("  # thinner tail unless their shared provider or client fails them together.")
    w("  - name: many-operators-shared")
    out.extend(common)
    w("    fees: {lst: 0.10, operator: 0.10}   # ELIP-001 default operator split 10%")
    w(f"    restake: {{security: shared, avs: [{', '.join(core)}], operators: {{" +
      ", ".join(f"{o}: 0.03125" for o in many) + "}}")
    w("")
    w("  # The same 32 operators under unique stake (ELIP-002): each AVS slashes only its 8% allocation.")
    w("  - name: many-operators-isolated")
    out.extend(common)
    w("    fees: {lst: 0.10, operator: 0.10}   # ELIP-001 default operator split 10%")
    w(f"    restake: {{security: isolated, avs: {{" + ", ".join(f"{a}: 0.08" for a in core) + "}, operators: {" +
      ", ".join(f"{o}: 0.03125" for o in many) + "}}")
    w("")
    w("  # An LRT restaking to 24 AVSs through 64 operators (all large and mid ones, 14 small ones;")
    w("  # 1/64 each), exiting through the withdrawal queue after its first incident.")
    w("  - name: lrt-wide")
    w("    asset: ETH")
    w("    token: LRT")
    w("    base_apr: 0.033                  # as above (secondary)")
    w("    base_slashing: {rate: 0.0004, severity: {fixed: 0.000244}}")
    w("    # Lido-like 10% (secondary), ELIP-001 operator split 10%, Renzo-like platform fee 10% (LlamaRisk, secondary).")
    w("    fees: {lst: 0.10, operator: 0.10, platform: 0.10}")
    w(f"    restake: {{security: shared, avs: [{', '.join(wide)}], operators: {{" +
      ", ".join(f"{o}: 0.015625" for o in lrt_ops) + "}}")
    w("    # EigenLayer WITHDRAWAL_DELAY ~14 days, slashable meanwhile (Layr-Labs docs, ELIP-002).")
    w("    exit: {on_incident: withdraw, withdrawal_delay_days: 14}")
    return "\n".join(out) + "\n"


def main(argv):
    text = render(*build())
    if len(argv) == 3 and argv[1] == "--check":
        with open(argv[2], encoding="utf-8") as f:
            if f.read() != text:
                sys.stderr.write(f"{argv[2]} differs from what {argv[0]} writes: regenerate it\n")
                return 1
        return 0
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
