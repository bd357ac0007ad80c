import Foundation

/// A scalar, one-path transcription of MODEL.md's step order ("A strategy, one step") for paths
/// whose events are forced (incident rates 0 or 1, depeg rate 0 or 1, fixed severities), so the
/// engine's output can be compared to a hand computation. Written from MODEL.md, not from the
/// kernel.
struct ForcedPathReference {
    struct Allocation {
        var fraction: Double       // m_j
        var severity: Double       // fixed s_j
        var rewardApr: Double
        var hitEveryStep: Bool     // incident_rate 1 (true) or 0 (false)
    }
    enum Exit { case hold, sell, withdraw(steps: Int) }

    var steps: Int
    var stepsPerYear: Int
    var baseApr = 0.0
    var defiApr = 0.0
    var lstFee = 0.0, operatorFee = 0.0, platformFee = 0.0
    var allocations: [Allocation] = []
    /// Unique stake (MODEL.md v2): each AVS slashes and pays only its own allocation, whose
    /// amount a slash of another AVS does not change; compounding and liquidations scale every
    /// allocation with the stake. Otherwise shared security (every m_j is 1).
    var isolated = false
    var coverage = 0.0, premiumApr = 0.0
    var compoundEvery = 1
    /// Token ratio R after each step's depeg (index t = 0..<steps); nil: native (R = 1).
    var ratios: [Double]?
    /// (ratio, liquidationThreshold, bonus, borrowApr, closeFactor, oracleIsMarket)
    var leverage: (ratio: Double, lt: Double, bonus: Double, borrowApr: Double, closeFactor: Double, market: Bool)?
    var exit: Exit = .hold

    struct Outcome {
        var wealth: Double
        var slashed: [Double]      // per allocation
        var incidents: Int
        var liquidated: Bool
        var firstLiquidationStep: Int?  // 1-based
    }

    /// D after each of `steps` steps with a shock of `shock` every step (rate 1) or none, decay
    /// `2^(-dt 365 / halfLife)`, clipped to [0, max]. R = 1 - D.
    static func ratios(steps: Int, stepsPerYear: Int, shock: Double, halfLifeDays: Double,
                       maximum: Double) -> [Double] {
        let dt = 1 / Double(stepsPerYear)
        let decay = exp2(-dt * 365 / halfLifeDays)
        var d = 0.0
        var out: [Double] = []
        for _ in 0..<steps {
            d = min(max(d * decay + shock, 0), maximum)
            out.append(1 - d)
        }
        return out
    }

    func run() -> Outcome {
        let dt = 1 / Double(stepsPerYear)
        let lev = leverage
        var stake = lev?.ratio ?? 1
        var debt = (lev?.ratio ?? 1) - 1
        var accrued = 0.0
        var slashed = [Double](repeating: 0, count: allocations.count)
        var incidents = 0
        var liquidated = false
        var firstLiquidation: Int?
        var phase = 0           // 0 active, 1 withdrawing, 2 exited
        var countdown = 0
        var idle = 0.0
        // Allocated amounts a_j (isolated) or the whole stake (shared).
        var allocated = allocations.map { $0.fraction * stake }
        func rescale(_ before: Double) {
            if isolated && before > 0 { for j in allocated.indices { allocated[j] *= stake / before } }
        }
        for t in 0..<steps {
            if phase == 2 { continue }
            let r = ratios?[t] ?? 1
            // 2. Incidents.
            var hit = false
            for (j, a) in allocations.enumerated() where a.hitEveryStep && a.fraction > 0 {
                let loss = (isolated ? allocated[j] : stake) * a.severity
                if isolated { allocated[j] -= loss }
                stake -= loss
                slashed[j] += loss
                accrued += coverage * loss
                incidents += 1
                hit = true
            }
            // 3. Rewards while fully staked.
            if phase == 0 {
                var rate = baseApr * dt * (1 - lstFee) + defiApr * dt
                var avsReward = 0.0
                for (j, a) in allocations.enumerated() {
                    avsReward += (isolated ? allocated[j] : stake) * a.rewardApr * dt * (1 - operatorFee)
                }
                accrued += (stake * rate + avsReward) * (1 - platformFee) - stake * premiumApr * dt
                if compoundEvery > 0 && (t + 1) % compoundEvery == 0 {
                    let before = stake
                    stake += accrued; accrued = 0
                    rescale(before)
                }
            }
            // 5. Leverage.
            if let lev {
                debt *= 1 + lev.borrowApr * dt
                let oracle = lev.market ? r : 1
                while debt > 0 && stake + accrued > 0 && (stake + accrued) * oracle * lev.lt < debt {
                    if !liquidated { firstLiquidation = t + 1 }
                    liquidated = true
                    var repaid = lev.closeFactor * debt
                    var seized = repaid * (1 + lev.bonus) / oracle
                    if seized >= stake + accrued {
                        seized = stake + accrued
                        repaid = seized * oracle / (1 + lev.bonus)
                    }
                    let fromAccrued = min(max(accrued, 0), seized)
                    accrued -= fromAccrued
                    let before = stake
                    stake -= seized - fromAccrued
                    rescale(before)
                    debt -= repaid
                }
            }
            // 6. Exit.
            if phase == 0 && hit {
                switch exit {
                case .hold: break
                case .sell: idle = max(0, (stake + accrued) * r - debt); phase = 2
                case .withdraw(let delay):
                    if delay == 0 { idle = stake + accrued; phase = 2 } else { phase = 1; countdown = delay }
                }
            } else if phase == 1 {
                countdown -= 1
                if countdown == 0 { idle = stake + accrued; phase = 2 }
            }
            if phase == 2 { stake = 0; accrued = 0; debt = 0 }
        }
        let rT = ratios?.last ?? 1
        let wealth = phase == 2 ? idle : max(0, (stake + accrued) * rT - debt)
        return Outcome(wealth: wealth, slashed: slashed, incidents: incidents, liquidated: liquidated,
                       firstLiquidationStep: firstLiquidation)
    }
}
