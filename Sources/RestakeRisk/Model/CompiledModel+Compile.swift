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
        let (sampling, repair) = try compileCorrelation(scenario, names: names, path: path)

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
        func severity(_ s: Scenario.Severity) -> Severity { Severity(s) }
        let factorIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let assetIndex = Dictionary(uniqueKeysWithValues: scenario.assets.enumerated().map { ($1.name, $0) })
        let serviceIndex = Dictionary(uniqueKeysWithValues: scenario.avs.enumerated().map { ($1.name, $0) })
        let tokenIndex = Dictionary(uniqueKeysWithValues: scenario.tokens.enumerated().map { ($1.name, $0) })
        let operatorIndex = Dictionary(uniqueKeysWithValues: scenario.operators.enumerated().map { ($1.name, $0) })

        // v2: asset returns are Gaussian under either copula (the t draw is mapped through
        // Phi^-1(F_nu(t)) in the kernel), so no variance correction here.
        let assets = scenario.assets.map { a in
            Asset(name: a.name, factorIndex: factorIndex[a.name]!,
                  logDriftPerStep: (a.drift - a.volatility * a.volatility / 2) * dt,
                  shockScale: a.volatility * dt.squareRoot(),
                  jumpProbability: a.jumps.map { -Double.expMinusOne(-$0.rate * dt) } ?? 0,
                  jumpMean: a.jumps?.mean ?? 0, jumpSD: a.jumps?.sd ?? 0)
        }
        let services = scenario.avs.map { s in
            Service(name: s.name, factorIndex: factorIndex[s.name]!, threshold: threshold(s.incidentRate),
                    severity: severity(s.severity), vetoProbability: s.vetoProbability)
        }
        let operators = scenario.operators.map { o in
            Operator(name: o.name, factorIndex: factorIndex[o.name]!, threshold: threshold(o.faultRate),
                     severity: severity(o.faultSeverity))
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
            compileStrategy(s, scenario: scenario, dt: dt, assetIndex: assetIndex, serviceIndex: serviceIndex,
                            tokenIndex: tokenIndex, operatorIndex: operatorIndex)
        }
        let stress = compileStress(scenario, assetIndex: assetIndex, serviceIndex: serviceIndex,
                                   tokenIndex: tokenIndex, operatorIndex: operatorIndex)
        let steps = scenario.totalSteps
        var reporting = Array(stride(from: 0, to: steps, by: scenario.reportEverySteps))
        reporting.append(steps)
        let model = CompiledModel(
            steps: steps, stepsPerYear: scenario.stepsPerYear, horizonYears: scenario.horizonYears,
            reportingSteps: reporting, numeraireIsUSD: scenario.numeraire == .usd, factorNames: names,
            correlation: sampling, studentDegreesOfFreedom: dof, assets: assets, services: services,
            tokens: tokens, operators: operators, strategies: strategies, stress: stress)
        return (model, repair)
    }
}

extension CompiledModel.Severity {
    init(_ s: Scenario.Severity) {
        switch s {
        case .fixed(let x): self = .fixed(x)
        case .beta(let a, let b): self = .beta(a, b)
        }
    }
}

extension CompiledModel {
    /// The sampler's form of the correlation: none (independent factors), a Cholesky factor of a
    /// full matrix, or latent loadings (`systemic` is one latent factor): O(k d) per path-step
    /// instead of O(k^2), one GEMM per block and step.
    static func compileCorrelation(_ scenario: Scenario, names: [String], path: String) throws(ScenarioError)
        -> (CorrelatedSampler.Correlation, NearestCorrelationReport?) {
        func latent(_ rows: [[Double]], _ latentNames: [String]) throws(ScenarioError) -> CorrelatedSampler.Correlation {
            do {
                return .latent(try LatentFactorModel(loadings: rows, names: names, latentNames: latentNames))
            } catch {
                throw ScenarioError(path: path, message: error.description)
            }
        }
        switch scenario.correlation?.form {
        case nil:
            return (.identity(dimension: names.count), nil)
        case .systemic(let loadings)?:
            return (try latent(names.map { [loadings[$0] ?? 0] }, ["systemic"]), nil)
        case .latent(let factors)?:
            let rows = names.map { name in
                factors.map { f in f.loadings.first(where: { $0.factor == name })?.loading ?? 0 }
            }
            return (try latent(rows, factors.map(\.name)), nil)
        case .matrix?:
            var matrix = CorrelationMatrix(matrix: scenario.correlationMatrix(), names: names)
            var repair: NearestCorrelationReport?
            if scenario.repairCorrelation {
                let nearest = matrix.nearestCorrelation()
                if nearest.report.iterations > 0 { repair = nearest.report }
                matrix = nearest.matrix
            }
            do {
                return (.cholesky(try CholeskyFactor(matrix)), repair)
            } catch {
                var message = error.description
                if !scenario.repairCorrelation { message += " (add `repair: nearest` under `correlation` to use the nearest valid matrix)" }
                throw ScenarioError(path: path, message: message)
            }
        }
    }
}
