import RealModule

extension CompiledModel {
    /// Compiles a loaded scenario, checking its correlation matrix (symmetric, unit diagonal,
    /// positive semidefinite) or repairing it when the scenario asks for `repair: nearest`.
    ///
    /// - Returns: the model and, when the matrix was repaired, how far it moved.
    public static func compile(_ scenario: Scenario) throws(ScenarioError)
        -> (model: CompiledModel, repair: NearestCorrelationReport?) {
        let names = scenario.factorNames
        let path: String
        switch scenario.correlation?.form {
        case .matrix?: path = "correlation.matrix"
        case .systemic?: path = "correlation.systemic"
        case .latent?: path = "correlation.latent"
        case nil: path = "correlation"
        }
        var matrix = CorrelationMatrix(matrix: scenario.correlationMatrix(), names: names)
        var repair: NearestCorrelationReport?
        if scenario.repairCorrelation {
            let nearest = matrix.nearestCorrelation()
            if nearest.report.iterations > 0 { repair = nearest.report }
            matrix = nearest.matrix
        }
        let factor: CholeskyFactor
        do {
            factor = try CholeskyFactor(matrix)
        } catch {
            var message = error.description
            if !scenario.repairCorrelation { message += " (add `repair: nearest` under `correlation` to use the nearest valid matrix)" }
            throw ScenarioError(path: path, message: message)
        }

        let dt = scenario.dt
        let dof: Double? = if case .studentT(let nu) = scenario.copula { nu } else { nil }
        let student = dof.map { StudentT(dof: $0) }
        /// `F^-1(q(p))`, `q(p) = 1 - (1 - p)^dt`: the draw below which an event with annual
        /// probability p happens in one step.
        func threshold(_ p: Double) -> Double {
            if p <= 0 { return -.infinity }
            if p >= 1 { return .infinity }
            let q = -Double.expMinusOne(dt * Double.log(onePlus: -p))
            return student?.quantile(q) ?? StandardNormal.quantile(q)
        }
        func severity(_ s: Scenario.Severity) -> Severity {
            switch s {
            case .fixed(let x): .fixed(x)
            case .beta(let a, let b): .beta(a, b)
            }
        }
        let factorIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let assetIndex = Dictionary(uniqueKeysWithValues: scenario.assets.enumerated().map { ($1.name, $0) })
        let serviceIndex = Dictionary(uniqueKeysWithValues: scenario.avs.enumerated().map { ($1.name, $0) })
        let tokenIndex = Dictionary(uniqueKeysWithValues: scenario.tokens.enumerated().map { ($1.name, $0) })
        // Under the t copula a factor's draw has variance nu / (nu - 2); prices use unit variance.
        let priceScale = dof.map { (($0 - 2) / $0).squareRoot() } ?? 1

        let assets = scenario.assets.map { a in
            Asset(name: a.name, factorIndex: factorIndex[a.name]!,
                  logDriftPerStep: (a.drift - a.volatility * a.volatility / 2) * dt,
                  shockScale: a.volatility * dt.squareRoot() * priceScale,
                  jumpProbability: a.jumps.map { -Double.expMinusOne(-$0.rate * dt) } ?? 0,
                  jumpMean: a.jumps?.mean ?? 0, jumpSD: a.jumps?.sd ?? 0)
        }
        let services = scenario.avs.map { s in
            Service(name: s.name, factorIndex: factorIndex[s.name]!, threshold: threshold(s.incidentRate),
                    severity: severity(s.severity))
        }
        let tokens = scenario.tokens.map { t in
            Token(name: t.name, factorIndex: factorIndex[t.name]!,
                  threshold: threshold(t.depeg?.rate ?? 0),
                  severity: severity(t.depeg?.severity ?? .fixed(0)),
                  decayPerStep: t.depeg.map { Double.exp2(-dt * 365 / $0.halfLifeDays) } ?? 1,
                  incidentJump: t.depeg?.incidentJump ?? 0, maximum: t.depeg?.max ?? 1,
                  exposedTo: t.exposedTo.map { serviceIndex[$0]! })
        }
        let strategies = scenario.strategies.map { s in
            let shared = s.restake?.security == .shared
            // An isolated allocation of 0 cannot be slashed and earns nothing: the AVS is not in
            // the strategy's set (its incidents neither count nor trigger an exit).
            let allocations = (s.restake?.allocations ?? []).filter { shared || $0.fraction > 0 }.map { a in
                let service = scenario.avs[serviceIndex[a.avs]!]
                let reward = service.rewardAsset(stakedAsset: s.asset)
                return Allocation(service: serviceIndex[a.avs]!, fraction: shared ? 1 : a.fraction,
                                  rewardPerStep: service.rewardApr * dt * (1 - s.fees.operator),
                                  rewardAsset: reward == s.asset ? nil : assetIndex[reward]!)
            }
            let exit: Exit = switch s.exit.onIncident {
            case .hold: .hold
            case .sell: .sell
            // The delay in steps, rounded up so the stake stays slashable at least that long
            // (less a hair, so that 14 days at 365 steps a year is 14 steps, not 15).
            case .withdraw: .withdraw(delaySteps: Int((s.exit.withdrawalDelayDays / 365 * Double(scenario.stepsPerYear) - 1e-9).rounded(.up)))
            }
            return Strategy(
                name: s.name, asset: assetIndex[s.asset]!, token: s.token.map { tokenIndex[$0]! },
                baseRewardPerStep: s.baseApr * dt * (1 - s.fees.lst), allocations: allocations,
                defiRewardPerStep: s.defiApr * dt, platformKeep: 1 - s.fees.platform,
                baseSlashingProbability: s.baseSlashing.map { -Double.expMinusOne(dt * Double.log(onePlus: -$0.rate)) } ?? 0,
                baseSlashingSeverity: severity(s.baseSlashing?.severity ?? .fixed(0)),
                insuranceCoverage: s.insurance?.coverage ?? 0,
                premiumPerStep: (s.insurance?.premiumApr ?? 0) * dt,
                compoundEverySteps: s.compoundEverySteps,
                leverage: s.leverage.map { l in
                    Leverage(ratio: l.ratio, liquidationThreshold: l.liquidationThreshold, bonus: l.bonus,
                             debtGrowthPerStep: 1 + l.borrowApr * dt, closeFactor: l.closeFactor,
                             oracleIsMarket: l.oracle == .market)
                },
                exit: exit)
        }
        let steps = scenario.totalSteps
        var reporting = Array(stride(from: 0, to: steps, by: scenario.reportEverySteps))
        reporting.append(steps)
        let model = CompiledModel(
            steps: steps, stepsPerYear: scenario.stepsPerYear, horizonYears: scenario.horizonYears,
            reportingSteps: reporting, numeraireIsUSD: scenario.numeraire == .usd, factorNames: names,
            correlation: factor, studentDegreesOfFreedom: dof, assets: assets, services: services,
            tokens: tokens, strategies: strategies)
        return (model, repair)
    }
}
