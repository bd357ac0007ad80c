import Foundation
import Yams

extension Scenario {
    /// Reads and validates a scenario file (YAML or JSON), within `limits`, with `overrides`
    /// applied to the document before it is decoded.
    public static func load(
        contentsOf url: URL, limits: LoadLimits = .default, overrides: [ScenarioOverride] = []
    ) throws(ScenarioError) -> Scenario {
        try ScenarioDocument(contentsOf: url, limits: limits).scenario(overrides: overrides)
    }

    /// Parses and validates a scenario from YAML (or JSON) text, with `overrides` applied to the
    /// document before it is decoded.
    public init(yaml: String, overrides: [ScenarioOverride] = [], limits: LoadLimits = .default) throws(ScenarioError) {
        self = try ScenarioDocument(yaml: yaml, limits: limits).scenario(overrides: overrides)
    }

    /// Decodes and validates a composed document; errors carry the line and column of their node.
    init(node: Node) throws(ScenarioError) {
        do {
            self = try Scenario.read(NodeReader(node: node, path: ""))
            try validate()
        } catch {
            throw error.located(in: node)
        }
    }

    // MARK: - Readers, one per MODEL.md block (field names from `ScenarioFields`)

    /// Reads every top-level block, collecting the problems of each (up to
    /// `ScenarioError.maxReported`) so that one pass over a file reports them all; a block that
    /// fails is replaced by an empty value, and blocks that name its entries are skipped rather
    /// than reported again.
    static func read(_ r: NodeReader) throws(ScenarioError) -> Scenario {
        var problems = ScenarioProblems()
        let f = try r.fields(ScenarioFields.top.names, problems: &problems)
        func take<T>(_ fallback: T, _ body: () throws(ScenarioError) -> T) -> T {
            var out = fallback
            problems.check { () throws(ScenarioError) in out = try body() }
            return out
        }
        let name = take("") { () throws(ScenarioError) in try f.required("name").name() }
        let horizon = take(1.0) { () throws(ScenarioError) in try f.required("horizon_years").double() }
        let stepsPerYear = take(365) { () throws(ScenarioError) in
            try f.optional("steps_per_year")?.int(in: 1...Scenario.maxStepsPerYear) ?? 365
        }
        let numeraire = take(Numeraire.asset) { () throws(ScenarioError) in
            try f.optional("numeraire").map { n throws(ScenarioError) in
                Numeraire(rawValue: try n.word(ScenarioFields.numeraires))!
            } ?? .asset
        }
        let report = take(Int?.none) { () throws(ScenarioError) in
            try f.optional("report_every_steps")?.int(in: 1...Int(Scenario.maxTotalSteps))
        }
        let compound = take(1) { () throws(ScenarioError) in
            try f.optional("compound_every_steps")?.int(in: 0...Int(Scenario.maxTotalSteps)) ?? 1
        }
        let assets = take([Asset]()) { () throws(ScenarioError) in try readList(f.required("assets"), readAsset) }
        let before = problems.errors.count
        let avs = take([AVS]()) { () throws(ScenarioError) in
            try f.optional("avs").map { n throws(ScenarioError) in try readList(n, readAVS) } ?? []
        }
        // Tokens and operators name AVSs: after a bad `avs` block they would only echo its errors.
        let avsRead = problems.errors.count == before
        let allAVS = avs.map(\.name)
        let tokens = !avsRead ? [] : take([Token]()) { () throws(ScenarioError) in
            try f.optional("tokens").map { n throws(ScenarioError) in
                try readList(n) { t throws(ScenarioError) in try readToken(t, allAVS: allAVS) }
            } ?? []
        }
        let operators = !avsRead ? [] : take([Operator]()) { () throws(ScenarioError) in
            try f.optional("operators").map { n throws(ScenarioError) in
                try readList(n) { o throws(ScenarioError) in try readOperator(o, allAVS: allAVS) }
            } ?? []
        }
        let correlation = take(Correlation?.none) { () throws(ScenarioError) in
            try f.optional("correlation").map { n throws(ScenarioError) in try readCorrelation(n) }
        }
        let copula = take(Copula.gaussian) { () throws(ScenarioError) in
            try f.optional("copula").map { n throws(ScenarioError) in try readCopula(n) } ?? .gaussian
        }
        let stress = take([StressEvent]()) { () throws(ScenarioError) in
            try f.optional("stress").map { n throws(ScenarioError) in try readList(n, readStress) } ?? []
        }
        let strategies = take([Strategy]()) { () throws(ScenarioError) in
            try readList(f.required("strategies")) { s throws(ScenarioError) in
                try readStrategy(s, defaultCompound: compound)
            }
        }
        if let error = problems.error { throw error }
        return Scenario(
            name: name, horizonYears: horizon, stepsPerYear: stepsPerYear, numeraire: numeraire,
            reportEverySteps: report, compoundEverySteps: compound, assets: assets, avs: avs, tokens: tokens,
            operators: operators, correlation: correlation, copula: copula, stress: stress, strategies: strategies)
    }

    /// A list of blocks, every element read and the problems of all of them reported; an empty
    /// list is allowed here and judged by validation.
    static func readList<T>(_ r: NodeReader, _ read: (NodeReader) throws(ScenarioError) -> T) throws(ScenarioError) -> [T] {
        var out: [T] = []
        var problems = ScenarioProblems()
        for element in try r.list() {
            problems.check { () throws(ScenarioError) in out.append(try read(element)) }
        }
        if let error = problems.error { throw error }
        return out
    }

    /// A map from names to numbers, in file order.
    static func readPairs(_ r: NodeReader) throws(ScenarioError) -> [StressEvent.Pair] {
        var out: [StressEvent.Pair] = []
        for (name, value) in try r.entries() { out.append(.init(name: name, value: try value.double())) }
        return out
    }

    static func readAsset(_ r: NodeReader) throws(ScenarioError) -> Asset {
        let f = try r.fields(ScenarioFields.asset)
        return Asset(
            name: try f.required("name").name(),
            price: try f.required("price").double(),
            drift: try f.optional("drift")?.double() ?? 0,
            volatility: try f.required("volatility").double(),
            jumps: try f.optional("jumps").map { j throws(ScenarioError) in
                let g = try j.fields(ScenarioFields.jumps)
                return Jumps(rate: try g.required("rate").double(), mean: try g.required("mean").double(),
                             sd: try g.required("sd").double())
            })
    }

    static func readSeverity(_ r: NodeReader) throws(ScenarioError) -> Severity {
        let f = try r.fields(ScenarioFields.severity)
        switch (f.optional("fixed"), f.optional("beta")) {
        case (let fixed?, nil):
            return .fixed(try fixed.double())
        case (nil, let beta?):
            let ab = try beta.doubles()
            guard ab.count == 2 else { throw beta.error("beta takes two parameters [a, b], got \(ab.count)") }
            return .beta(a: ab[0], b: ab[1])
        case (.some, .some):
            throw r.error("give either 'fixed' or 'beta', not both")
        case (nil, nil):
            throw r.error("missing severity: give {fixed: s} or {beta: [a, b]}")
        }
    }

    static func readAVS(_ r: NodeReader) throws(ScenarioError) -> AVS {
        let f = try r.fields(ScenarioFields.avs)
        return AVS(
            name: try f.required("name").name(),
            incidentRate: try f.required("incident_rate").double(),
            severity: try readSeverity(f.required("severity")),
            rewardApr: try f.optional("reward_apr")?.double() ?? 0,
            rewardAsset: try f.optional("reward_asset")?.string(),
            vetoProbability: try f.optional("veto_probability")?.double() ?? 0)
    }

    static func readToken(_ r: NodeReader, allAVS: [String]) throws(ScenarioError) -> Token {
        let f = try r.fields(ScenarioFields.token)
        return Token(
            name: try f.required("name").name(),
            underlying: try f.required("underlying").string(),
            depeg: try f.optional("depeg").map { d throws(ScenarioError) in
                let g = try d.fields(ScenarioFields.depeg)
                return Depeg(
                    rate: try g.required("rate").double(),
                    severity: try readSeverity(g.required("severity")),
                    halfLifeDays: try g.required("half_life_days").double(),
                    incidentJump: try g.optional("incident_jump")?.double() ?? 0,
                    max: try g.optional("max")?.double() ?? 1)
            },
            exposedTo: try f.optional("exposed_to")?.strings() ?? allAVS)
    }

    static func readOperator(_ r: NodeReader, allAVS: [String]) throws(ScenarioError) -> Operator {
        let f = try r.fields(ScenarioFields.operator)
        return Operator(
            name: try f.required("name").name(),
            faultRate: try f.required("fault_rate").double(),
            faultSeverity: try readSeverity(f.required("fault_severity")),
            serves: try f.optional("serves")?.strings() ?? allAVS)
    }

    static func readCorrelation(_ r: NodeReader) throws(ScenarioError) -> Correlation {
        let f = try r.fields(ScenarioFields.correlation)
        let repair = try f.optional("repair").map { n throws(ScenarioError) in _ = try n.word(["nearest"]); return true } ?? false
        let forms = ["factors", "systemic", "latent"].filter { f.has($0) }
        if forms.count > 1 {
            throw r.error("give one form: 'systemic' loadings, 'latent' factors, or 'factors' with 'matrix'; got \(forms.joined(separator: " and "))")
        }
        if let latent = f.optional("latent") {
            if let m = f.optional("matrix") { throw m.error("'matrix' goes with 'factors', not with 'latent'") }
            var factors: [LatentFactor] = []
            for (name, loadings) in try latent.entries() {
                var pairs: [(factor: String, loading: Double)] = []
                for (factor, value) in try loadings.entries() { pairs.append((factor, try value.double())) }
                factors.append(LatentFactor(name: name, loadings: pairs))
            }
            return Correlation(form: .latent(factors), repair: repair)
        }
        switch (f.optional("factors"), f.optional("matrix"), f.optional("systemic")) {
        case (let factors?, let matrix?, nil):
            let names = try factors.strings()
            var rows: [[Double]] = []
            for row in try matrix.list() { rows.append(try row.doubles()) }
            return Correlation(form: .matrix(factors: names, matrix: rows), repair: repair)
        case (nil, nil, let systemic?):
            var loadings: [String: Double] = [:]
            for (name, value) in try systemic.entries() { loadings[name] = try value.double() }
            return Correlation(form: .systemic(loadings), repair: repair)
        case (_, let m?, .some):
            throw m.error("'matrix' goes with 'factors', not with 'systemic'")
        case (nil, .some, nil):
            throw ScenarioError(path: FieldPath.key(r.path, "factors"), message: "missing required field 'factors' (the order of the matrix rows)")
        case (.some, nil, _):
            throw ScenarioError(path: FieldPath.key(r.path, "matrix"), message: "missing required field 'matrix'")
        case (nil, nil, nil):
            throw r.error("give 'systemic' loadings, 'latent' factors, or 'factors' with 'matrix'")
        }
    }

    static func readCopula(_ r: NodeReader) throws(ScenarioError) -> Copula {
        let types = ScenarioFields.copulaTypes
        if !r.isMapping {
            switch try r.word(types) {
            case "gaussian": return .gaussian
            default: throw r.error("student-t needs degrees of freedom: write {type: student-t, dof: 4}")
            }
        }
        let f = try r.fields(ScenarioFields.copula)
        let type = try f.required("type").word(types)
        if type == "gaussian" {
            if let dof = f.optional("dof") { throw dof.error("'dof' applies only to the student-t copula") }
            return .gaussian
        }
        return .studentT(dof: try f.required("dof").double())
    }

    static func readStress(_ r: NodeReader) throws(ScenarioError) -> StressEvent {
        let f = try r.fields(ScenarioFields.stressEvent)
        return StressEvent(
            atDays: try f.required("at_days").double(),
            assetReturns: try f.optional("asset_return").map(readPairs) ?? [],
            depegs: try f.optional("depeg").map(readPairs) ?? [],
            incidents: try f.optional("incident").map(readPairs) ?? [],
            operatorFaults: try f.optional("operator_fault").map(readPairs) ?? [],
            borrowApr: try f.optional("borrow_apr")?.double())
    }

    static func readStrategy(_ r: NodeReader, defaultCompound: Int) throws(ScenarioError) -> Strategy {
        let f = try r.fields(ScenarioFields.strategy)
        return Strategy(
            name: try f.required("name").name(),
            asset: try f.required("asset").string(),
            token: try f.optional("token")?.string(),
            baseApr: try f.required("base_apr").double(),
            defiApr: try f.optional("defi_apr")?.double() ?? 0,
            baseSlashing: try f.optional("base_slashing").map { b throws(ScenarioError) in
                let g = try b.fields(ScenarioFields.baseSlashing)
                return BaseSlashing(rate: try g.required("rate").double(), severity: try readSeverity(g.required("severity")))
            },
            fees: try f.optional("fees").map { b throws(ScenarioError) in
                let g = try b.fields(ScenarioFields.fees)
                return Fees(lst: try g.optional("lst")?.double() ?? 0,
                            operator: try g.optional("operator")?.double() ?? 0,
                            platform: try g.optional("platform")?.double() ?? 0)
            } ?? Fees(),
            restake: try f.optional("restake").map { n throws(ScenarioError) in try readRestake(n) },
            insurance: try f.optional("insurance").map { b throws(ScenarioError) in
                let g = try b.fields(ScenarioFields.insurance)
                return Insurance(coverage: try g.required("coverage").double(),
                                 premiumApr: try g.optional("premium_apr")?.double() ?? 0)
            },
            leverage: try f.optional("leverage").map { b throws(ScenarioError) in
                let g = try b.fields(ScenarioFields.leverage)
                return Leverage(
                    ratio: try g.required("ratio").double(),
                    ltv: try g.required("ltv").double(),
                    liquidationThreshold: try g.required("liquidation_threshold").double(),
                    bonus: try g.optional("bonus")?.double() ?? 0,
                    borrowApr: try g.required("borrow_apr").double(),
                    closeFactor: try g.optional("close_factor")?.double() ?? 0.5,
                    oracle: try g.optional("oracle").map { o throws(ScenarioError) in
                        Oracle(rawValue: try o.word(ScenarioFields.oracles))!
                    } ?? .market)
            },
            exit: try f.optional("exit").map { b throws(ScenarioError) in
                let g = try b.fields(ScenarioFields.exit)
                return Exit(
                    onIncident: try g.optional("on_incident").map { o throws(ScenarioError) in
                        ExitPolicy(rawValue: try o.word(ScenarioFields.exitPolicies))!
                    } ?? .hold,
                    withdrawalDelayDays: try g.optional("withdrawal_delay_days")?.double() ?? 14,
                    allowDelayBeyondHorizon: try g.optional("allow_delay_beyond_horizon")?.bool() ?? false)
            } ?? Exit(),
            compoundEverySteps: try f.optional("compound_every_steps")?.int(in: 0...Int(Scenario.maxTotalSteps)) ?? defaultCompound)
    }

    static func readRestake(_ r: NodeReader) throws(ScenarioError) -> Restake {
        let f = try r.fields(ScenarioFields.restake)
        let securityNode = try f.required("security")
        let security = Security(rawValue: try securityNode.word(ScenarioFields.securities))!
        let avsNode = try f.required("avs")
        let operators = try f.optional("operators").map { n throws(ScenarioError) -> [Restake.OperatorShare] in
            if n.isSequence { throw n.error("takes a map of operator name -> fraction of the position (summing to 1); got a list") }
            return try readPairs(n).map { Restake.OperatorShare(operator: $0.name, fraction: $0.value) }
        } ?? []
        switch security {
        case .shared:
            if avsNode.isMapping {
                throw avsNode.error(
                    "security: shared takes a list of AVS names (each can slash the whole stake); "
                        + "a map of fractions is for security: isolated")
            }
            return Restake(security: .shared, allocations: try avsNode.strings().map { Restake.Allocation(avs: $0, fraction: 1) },
                           operators: operators)
        case .isolated:
            if avsNode.isSequence {
                throw avsNode.error(
                    "security: isolated takes a map of AVS name -> allocated fraction (unique stake); got a list")
            }
            var allocations: [Restake.Allocation] = []
            for (name, value) in try avsNode.entries() {
                allocations.append(Restake.Allocation(avs: name, fraction: try value.double()))
            }
            return Restake(security: .isolated, allocations: allocations, operators: operators)
        }
    }
}
