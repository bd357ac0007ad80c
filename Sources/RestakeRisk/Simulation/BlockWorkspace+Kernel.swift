import RealModule

/// Where one block's per-path results go: the run's columns, already offset to the block's first path.
struct BlockSink {
    let terminalWealth: [UnsafeMutablePointer<Double>]
    let slashingLoss: [UnsafeMutablePointer<Double>]
    let incidents: [UnsafeMutablePointer<UInt32>]
}

/// What one block hands back besides its columns: per strategy, liquidated paths and slashed paths.
struct BlockSummary {
    var liquidatedPaths: [Int]
    var attribution: [SparseAttribution]
}

extension CompiledModel.Severity {
    /// Draws one severity (a fixed severity consumes no random numbers).
    @inline(__always)
    func draw(_ rng: inout RandomStream) -> Double {
        switch self {
        case .fixed(let s): return s
        case .beta(let a, let b): return rng.nextBeta(a, b)
        }
    }
}

extension BlockWorkspace {
    /// The largest log price ratio used, either way (e^700 ~ 1e304): beyond it `exp` overflows
    /// or a ratio of two prices divides by zero.
    static let logPriceCeiling = 700.0
    /// The largest stake, accrued rewards or equity a path may hold (multiples of `W0`).
    static let positionCeiling = 1e300

    /// Simulates one block of paths over the whole horizon: MODEL.md's step order, all strategies.
    ///
    /// - Parameters:
    ///   - block: the block's index; with the seed it fixes every random number the block uses.
    ///   - recordedPaths: how many of the block's paths belong to the run (the last block of a run
    ///     may be partial: its paths are still all simulated, so path i's numbers never depend on
    ///     the run's path count, but only the first `recordedPaths` are recorded).
    func run(block: Int, model: CompiledModel, seed: UInt64, recordedPaths: Int,
             sink: BlockSink, fan: inout FanAccumulator, needsPrice: [Bool]) -> BlockSummary {
        let n = blockSize
        let sampler = CorrelatedSampler(factor: model.correlation,
                                        studentDegreesOfFreedom: model.studentDegreesOfFreedom)
        reset(model: model)
        var rng = RandomStream(seed: seed, stream: UInt64(block))
        let steps = model.steps
        let timeCount = model.reportingSteps.count
        var nextReport = 1  // index into reportingSteps; t = 0 is exact (W = 1) and not recorded
        let usesBaseSlashing = model.strategies.contains { $0.baseSlashingProbability > 0 }
        let plans = model.strategies.map { StrategyPlan($0, serviceCount: model.services.count) }

        for t in 0..<steps {
            sampler.fill(draws, paths: n, rng: &rng, scratch: scratch, mixing: mixing)

            // 1. Prices.
            for (a, asset) in model.assets.enumerated() where needsPrice[a] {
                let z = draws + asset.factorIndex * n
                let lp = logPrice + a * n, rp = relativePrice + a * n
                for p in 0..<n { lp[p] += asset.logDriftPerStep + asset.shockScale * z[p] }
                if asset.jumpProbability > 0 {
                    rng.fillUniforms(uniforms, count: n)
                    for p in 0..<n where uniforms[p] < asset.jumpProbability {
                        lp[p] += asset.jumpMean + asset.jumpSD * rng.nextNormal()
                    }
                }
                // Capped so the ratio stays finite: Student-t log returns are heavy tailed.
                for p in 0..<n { rp[p] = Double.exp(min(max(lp[p], -Self.logPriceCeiling), Self.logPriceCeiling)) }
            }

            // 2. Incidents of every AVS (shared by all strategies), with their severities; the
            // mask lets a strategy skip its AVS loop on the (usual) paths without an incident.
            incidentMask.update(repeating: 0, count: n)
            for (j, service) in model.services.enumerated() {
                let z = draws + service.factorIndex * n
                let inc = incident + j * n, sev = severity + j * n
                let threshold = service.threshold
                for p in 0..<n {
                    if z[p] < threshold {
                        inc[p] = 1; sev[p] = service.severity.draw(&rng)
                        incidentMask[p] |= j < 64 ? 1 << UInt64(j) : ~0
                    } else {
                        inc[p] = 0; sev[p] = 0
                    }
                }
            }
            if usesBaseSlashing { rng.fillUniforms(baseUniforms, count: n) }

            // 4. Depeg of every token (shared by every strategy that holds it).
            for (i, token) in model.tokens.enumerated() {
                let z = draws + token.factorIndex * n
                let d = depeg + i * n, r = ratio + i * n
                let threshold = token.threshold
                for p in 0..<n {
                    var x = d[p] * token.decayPerStep
                    if z[p] < threshold { x += token.severity.draw(&rng) }
                    d[p] = x
                }
                if token.incidentJump != 0 {
                    for j in token.exposedTo {
                        let inc = incident + j * n
                        for p in 0..<n { d[p] += token.incidentJump * inc[p] }
                    }
                }
                for p in 0..<n {
                    let x = min(max(d[p], 0), token.maximum)
                    d[p] = x; r[p] = 1 - x
                }
            }

            // 2, 3, 5, 6 per strategy.
            for (s, strategy) in model.strategies.enumerated() {
                stepStrategy(strategy, state: strategies[s], step: t, plan: plans[s], rng: &rng)
            }

            // The fan at reporting times strictly inside the horizon; t = T comes from the exact
            // terminal values.
            if nextReport < timeCount - 1 && model.reportingSteps[nextReport] == t + 1 {
                for s in model.strategies.indices {
                    computeEquity(model: model, strategy: s, count: recordedPaths)
                    fan.record(strategy: s, time: nextReport, values: wealth, count: recordedPaths, scratch: binScratch)
                }
                nextReport += 1
            }
        }

        // Terminal values and the slashed paths' attribution.
        var summary = BlockSummary(liquidatedPaths: [], attribution: [])
        for (s, strategy) in model.strategies.enumerated() {
            let st = strategies[s]
            let sources = st.sourceCount
            var liquidated = 0
            var attribution = SparseAttribution(sources: model.attributionSources(of: s))
            computeEquity(model: model, strategy: s, count: recordedPaths)
            let terminal = sink.terminalWealth[s], slashing = sink.slashingLoss[s]
            let incidents = sink.incidents[s]
            for p in 0..<recordedPaths {
                terminal[p] = wealth[p]
                var total = 0.0
                for a in 0..<sources { total += st.slashed[a * n + p] }
                slashing[p] = total
                incidents[p] = st.incidents[p]
                liquidated += Int(st.liquidated[p])
                if total > 0 {
                    attribution.paths.append(block * n + p)
                    for a in 0..<sources { attribution.values.append(st.slashed[a * n + p]) }
                }
            }
            summary.liquidatedPaths.append(liquidated)
            summary.attribution.append(attribution)
        }
        return summary
    }

    /// Writes `W_t` of the block's first `count` paths in the numeraire into `wealth`:
    /// `(stake + accrued) R - debt` floored at 0, or the idle proceeds after an exit.
    func computeEquity(model: CompiledModel, strategy s: Int, count: Int) {
        let strategy = model.strategies[s]
        let st = strategies[s]
        let r = strategy.token.map { ratio + $0 * blockSize } ?? par
        for p in 0..<count {
            wealth[p] = st.phase[p] == 2
                ? st.idle[p]
                : max(0, (st.stake[p] + st.accrued[p]) * r[p] - st.debt[p])
        }
        if model.numeraireIsUSD {
            let price = relativePrice + strategy.asset * blockSize
            for p in 0..<count { wealth[p] = min(wealth[p] * price[p], Self.positionCeiling) }
        }
    }

    /// Steps 2 (slashing), 3 (rewards, compounding), 5 (leverage) and 6 (exit) of one strategy.
    ///
    /// One pass over the block's paths; everything the loop reads is hoisted into locals first so
    /// the loop touches only unsafe buffers.
    @inline(__always)
    func stepStrategy(_ strategy: CompiledModel.Strategy, state st: StrategyState, step t: Int,
                      plan: StrategyPlan, rng: inout RandomStream) {
        let n = blockSize
        let r = strategy.token.map { ratio + $0 * n } ?? par
        let ownPrice = relativePrice + strategy.asset * n
        let baseSlot = strategy.allocations.count * n
        let compounds = strategy.compoundEverySteps > 0 && (t + 1) % strategy.compoundEverySteps == 0
        let coverage = strategy.insuranceCoverage
        let ownRate = plan.ownRewardPerStep
        let foreign = plan.foreignRewards
        let keep = strategy.platformKeep
        let premium = strategy.premiumPerStep
        let baseProbability = strategy.baseSlashingProbability
        let baseSeverity = strategy.baseSlashingSeverity
        let mask = plan.serviceMask
        let incidentMask = self.incidentMask
        let incident = self.incident, severity = self.severity, baseUniforms = self.baseUniforms
        let relativePrice = self.relativePrice
        let stakes = st.stake, accrueds = st.accrued, debts = st.debt, phases = st.phase
        let slashed = st.slashed, incidents = st.incidents
        let hasLeverage = strategy.leverage != nil
        let lev = strategy.leverage ?? CompiledModel.Leverage(
            ratio: 1, liquidationThreshold: 1, bonus: 0, debtGrowthPerStep: 1, closeFactor: 1, oracleIsMarket: true)
        let exitPolicy = strategy.exit
        strategy.allocations.withUnsafeBufferPointer { allocations in
            for p in 0..<n {
                var phase = phases[p]
                if phase == 2 { continue }
                var stake = stakes[p]
                var accrued = accrueds[p]

                // 2. Slashing: each hitting AVS takes its share of what is left.
                var hit = false
                if incidentMask[p] & mask != 0 {
                    for a in 0..<allocations.count {
                        let allocation = allocations[a]
                        let j = allocation.service * n + p
                        if incident[j] != 0 {
                            let loss = stake * severity[j] * allocation.fraction
                            stake -= loss
                            slashed[a * n + p] += loss
                            accrued += coverage * loss
                            incidents[p] &+= 1
                            hit = true
                        }
                    }
                }
                if baseProbability > 0 && baseUniforms[p] < baseProbability {
                    // The event is common to all strategies; the severity is drawn per strategy.
                    let loss = stake * baseSeverity.draw(&rng)
                    stake -= loss
                    slashed[baseSlot + p] += loss
                    accrued += coverage * loss
                }

                // 3. Rewards, only while fully staked.
                if phase == 0 {
                    var rate = ownRate
                    for f in foreign {
                        rate += f.rate * relativePrice[f.asset * n + p] / ownPrice[p]
                    }
                    accrued += stake * (rate * keep - premium)
                    if compounds { stake += accrued; accrued = 0 }
                    // A blow-up (rewards valued at a heavy-tailed price ratio, compounded) is
                    // held at a huge finite ceiling, so no later step turns it into inf - inf.
                    stake = min(stake, Self.positionCeiling)
                    accrued = min(accrued, Self.positionCeiling)
                }

                // 5. Leverage: borrow accrual, then liquidations while unhealthy.
                var debt = debts[p]
                if hasLeverage {
                    debt *= lev.debtGrowthPerStep
                    let oracle = lev.oracleIsMarket ? r[p] : 1
                    var rounds = 0
                    while debt > 0 && rounds < 64 {
                        let collateral = stake + accrued
                        if collateral <= 0 { break }
                        if oracle <= 0 {
                            stake = 0; accrued = 0; st.liquidated[p] = 1
                            break
                        }
                        if collateral * oracle * lev.liquidationThreshold >= debt { break }
                        st.liquidated[p] = 1
                        var repaid = lev.closeFactor * debt
                        var seized = repaid * (1 + lev.bonus) / oracle
                        if seized >= collateral {
                            seized = collateral
                            repaid = collateral * oracle / (1 + lev.bonus)
                        }
                        let fromAccrued = min(max(accrued, 0), seized)
                        accrued -= fromAccrued
                        stake -= seized - fromAccrued
                        debt -= repaid
                        rounds += 1
                    }
                }

                // 6. Exit after the first AVS incident that hit the strategy.
                if phase == 0 && hit {
                    switch exitPolicy {
                    case .hold:
                        break
                    case .sell:
                        st.idle[p] = max(0, (stake + accrued) * r[p] - debt)
                        phase = 2
                    case .withdraw(let delay):
                        if delay == 0 {
                            st.idle[p] = stake + accrued
                            phase = 2
                        } else {
                            phase = 1
                            st.countdown[p] = Int32(delay)
                        }
                    }
                } else if phase == 1 {
                    st.countdown[p] -= 1
                    if st.countdown[p] == 0 {
                        st.idle[p] = stake + accrued
                        phase = 2
                    }
                }
                if phase == 2 { stake = 0; accrued = 0; debt = 0 }
                phases[p] = phase
                stakes[p] = stake
                accrueds[p] = accrued
                debts[p] = debt
            }
        }
    }
}

/// A strategy's per-step constants, derived once per block from the compiled model.
struct StrategyPlan {
    let ownRewardPerStep: Double
    let foreignRewards: [(asset: Int, rate: Double)]
    let serviceMask: UInt64

    init(_ strategy: CompiledModel.Strategy, serviceCount: Int) {
        ownRewardPerStep = strategy.ownRewardPerStep
        foreignRewards = strategy.foreignRewardsPerStep
        serviceMask = strategy.serviceMask(serviceCount: serviceCount)
    }
}
