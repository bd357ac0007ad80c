import Foundation
import Yams

extension Scenario {
    /// Reads and validates a scenario file (YAML or JSON).
    public static func load(contentsOf url: URL) throws(ScenarioError) -> Scenario {
        precondition(url.isFileURL, "scenario URL must be a file URL: \(url)")
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ScenarioError(path: "", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try Scenario(yaml: text)
    }

    /// Parses and validates a scenario from YAML (or JSON) text.
    public init(yaml: String) throws(ScenarioError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let e as YamlError {
            throw Scenario.syntaxError(e)
        } catch {
            throw ScenarioError(path: "", message: "YAML syntax error: \(error)")
        }
        guard let root else { throw ScenarioError(path: "", message: "the document is empty") }
        self = try Scenario.read(NodeReader(node: root, path: ""))
        try validate()
    }

    /// A syntax error located by line and column, since there is no field path yet.
    static func syntaxError(_ e: YamlError) -> ScenarioError {
        func at(_ m: Mark) -> String { "line \(m.line), column \(m.column)" }
        switch e {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at \(at($0.mark)))" } ?? ""
            return ScenarioError(path: "", message: "YAML syntax error at \(at(mark)): \(problem)\(ctx)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioError(
                path: "",
                message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a map at \(at(context.mark))")
        case .reader(let problem, let offset, _, _):
            return ScenarioError(path: "", message: "YAML read error\(offset.map { " at byte \($0)" } ?? ""): \(problem)")
        default:
            return ScenarioError(path: "", message: "YAML syntax error: \(e)")
        }
    }

    // MARK: - Readers, one per MODEL.md block

    static func read(_ r: NodeReader) throws(ScenarioError) -> Scenario {
        let f = try r.fields([
            "name", "horizon_years", "steps_per_year", "numeraire", "report_every_steps",
            "compound_every_steps", "assets", "avs", "tokens", "correlation", "copula", "strategies",
        ])
        let name = try f.required("name").string()
        let horizon = try f.required("horizon_years").double()
        let stepsPerYear = try f.optional("steps_per_year")?.int() ?? 365
        let numeraire = try f.optional("numeraire").map { n throws(ScenarioError) in
            Numeraire(rawValue: try n.word(Numeraire.allCases.map(\.rawValue)))!
        } ?? .asset
        let report = try f.optional("report_every_steps")?.int()
        let compound = try f.optional("compound_every_steps")?.int() ?? 1
        let assets = try readList(f.required("assets"), readAsset)
        let avs = try f.optional("avs").map { n throws(ScenarioError) in try readList(n, readAVS) } ?? []
        let allAVS = avs.map(\.name)
        let tokens = try f.optional("tokens").map { n throws(ScenarioError) in
            try readList(n) { t throws(ScenarioError) in try readToken(t, allAVS: allAVS) }
        } ?? []
        let correlation = try f.optional("correlation").map { n throws(ScenarioError) in try readCorrelation(n) }
        let copula = try f.optional("copula").map { n throws(ScenarioError) in try readCopula(n) } ?? .gaussian
        let strategies = try readList(f.required("strategies")) { s throws(ScenarioError) in
            try readStrategy(s, defaultCompound: compound)
        }
        return Scenario(
            name: name, horizonYears: horizon, stepsPerYear: stepsPerYear, numeraire: numeraire,
            reportEverySteps: report, compoundEverySteps: compound, assets: assets, avs: avs, tokens: tokens,
            correlation: correlation, copula: copula, strategies: strategies)
    }

    /// A list of blocks; an empty list is allowed here and judged by validation.
    static func readList<T>(_ r: NodeReader, _ read: (NodeReader) throws(ScenarioError) -> T) throws(ScenarioError) -> [T] {
        var out: [T] = []
        for element in try r.list() { out.append(try read(element)) }
        return out
    }

    static func readAsset(_ r: NodeReader) throws(ScenarioError) -> Asset {
        let f = try r.fields(["name", "price", "drift", "volatility", "jumps"])
        return Asset(
            name: try f.required("name").string(),
            price: try f.required("price").double(),
            drift: try f.optional("drift")?.double() ?? 0,
            volatility: try f.required("volatility").double(),
            jumps: try f.optional("jumps").map { j throws(ScenarioError) in
                let g = try j.fields(["rate", "mean", "sd"])
                return Jumps(rate: try g.required("rate").double(), mean: try g.required("mean").double(),
                             sd: try g.required("sd").double())
            })
    }

    static func readSeverity(_ r: NodeReader) throws(ScenarioError) -> Severity {
        let f = try r.fields(["fixed", "beta"])
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
        let f = try r.fields(["name", "incident_rate", "severity", "reward_apr", "reward_asset"])
        return AVS(
            name: try f.required("name").string(),
            incidentRate: try f.required("incident_rate").double(),
            severity: try readSeverity(f.required("severity")),
            rewardApr: try f.optional("reward_apr")?.double() ?? 0,
            rewardAsset: try f.optional("reward_asset")?.string())
    }

    static func readToken(_ r: NodeReader, allAVS: [String]) throws(ScenarioError) -> Token {
        let f = try r.fields(["name", "underlying", "depeg", "exposed_to"])
        return Token(
            name: try f.required("name").string(),
            underlying: try f.required("underlying").string(),
            depeg: try f.optional("depeg").map { d throws(ScenarioError) in
                let g = try d.fields(["rate", "severity", "half_life_days", "incident_jump", "max"])
                return Depeg(
                    rate: try g.required("rate").double(),
                    severity: try readSeverity(g.required("severity")),
                    halfLifeDays: try g.required("half_life_days").double(),
                    incidentJump: try g.optional("incident_jump")?.double() ?? 0,
                    max: try g.optional("max")?.double() ?? 1)
            },
            exposedTo: try f.optional("exposed_to")?.strings() ?? allAVS)
    }

    static func readCorrelation(_ r: NodeReader) throws(ScenarioError) -> Correlation {
        let f = try r.fields(["factors", "matrix", "systemic", "repair"])
        let repair = try f.optional("repair").map { n throws(ScenarioError) in _ = try n.word(["nearest"]); return true } ?? false
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
        case (_, _, .some):
            throw r.error("give either 'systemic' loadings or 'factors' with 'matrix', not both")
        case (nil, .some, nil):
            throw ScenarioError(path: FieldPath.key(r.path, "factors"), message: "missing required field 'factors' (the order of the matrix rows)")
        case (.some, nil, nil):
            throw ScenarioError(path: FieldPath.key(r.path, "matrix"), message: "missing required field 'matrix'")
        case (nil, nil, nil):
            throw r.error("give 'systemic' loadings or 'factors' with 'matrix'")
        }
    }

    static func readCopula(_ r: NodeReader) throws(ScenarioError) -> Copula {
        let types = ["gaussian", "student-t"]
        if !r.isMapping {
            switch try r.word(types) {
            case "gaussian": return .gaussian
            default: throw r.error("student-t needs degrees of freedom: write {type: student-t, dof: 4}")
            }
        }
        let f = try r.fields(["type", "dof"])
        let type = try f.required("type").word(types)
        if type == "gaussian" {
            if let dof = f.optional("dof") { throw dof.error("'dof' applies only to the student-t copula") }
            return .gaussian
        }
        return .studentT(dof: try f.required("dof").double())
    }

    static func readStrategy(_ r: NodeReader, defaultCompound: Int) throws(ScenarioError) -> Strategy {
        let f = try r.fields([
            "name", "asset", "token", "base_apr", "defi_apr", "base_slashing", "fees", "restake",
            "insurance", "leverage", "exit", "compound_every_steps",
        ])
        return Strategy(
            name: try f.required("name").string(),
            asset: try f.required("asset").string(),
            token: try f.optional("token")?.string(),
            baseApr: try f.required("base_apr").double(),
            defiApr: try f.optional("defi_apr")?.double() ?? 0,
            baseSlashing: try f.optional("base_slashing").map { b throws(ScenarioError) in
                let g = try b.fields(["rate", "severity"])
                return BaseSlashing(rate: try g.required("rate").double(), severity: try readSeverity(g.required("severity")))
            },
            fees: try f.optional("fees").map { b throws(ScenarioError) in
                let g = try b.fields(["lst", "operator", "platform"])
                return Fees(lst: try g.optional("lst")?.double() ?? 0,
                            operator: try g.optional("operator")?.double() ?? 0,
                            platform: try g.optional("platform")?.double() ?? 0)
            } ?? Fees(),
            restake: try f.optional("restake").map { n throws(ScenarioError) in try readRestake(n) },
            insurance: try f.optional("insurance").map { b throws(ScenarioError) in
                let g = try b.fields(["coverage", "premium_apr"])
                return Insurance(coverage: try g.required("coverage").double(),
                                 premiumApr: try g.optional("premium_apr")?.double() ?? 0)
            },
            leverage: try f.optional("leverage").map { b throws(ScenarioError) in
                let g = try b.fields(["ratio", "ltv", "liquidation_threshold", "bonus", "borrow_apr", "close_factor", "oracle"])
                return Leverage(
                    ratio: try g.required("ratio").double(),
                    ltv: try g.required("ltv").double(),
                    liquidationThreshold: try g.required("liquidation_threshold").double(),
                    bonus: try g.optional("bonus")?.double() ?? 0,
                    borrowApr: try g.required("borrow_apr").double(),
                    closeFactor: try g.optional("close_factor")?.double() ?? 0.5,
                    oracle: try g.optional("oracle").map { o throws(ScenarioError) in
                        Oracle(rawValue: try o.word(Oracle.allCases.map(\.rawValue)))!
                    } ?? .market)
            },
            exit: try f.optional("exit").map { b throws(ScenarioError) in
                let g = try b.fields(["on_incident", "withdrawal_delay_days"])
                return Exit(
                    onIncident: try g.optional("on_incident").map { o throws(ScenarioError) in
                        ExitPolicy(rawValue: try o.word(ExitPolicy.allCases.map(\.rawValue)))!
                    } ?? .hold,
                    withdrawalDelayDays: try g.optional("withdrawal_delay_days")?.double() ?? 14)
            } ?? Exit(),
            compoundEverySteps: try f.optional("compound_every_steps")?.int() ?? defaultCompound)
    }

    static func readRestake(_ r: NodeReader) throws(ScenarioError) -> Restake {
        let f = try r.fields(["security", "avs"])
        let securityNode = try f.required("security")
        let security = Security(rawValue: try securityNode.word(Security.allCases.map(\.rawValue)))!
        let avsNode = try f.required("avs")
        switch security {
        case .shared:
            if avsNode.isMapping {
                throw avsNode.error(
                    "security: shared takes a list of AVS names (each can slash the whole stake); "
                        + "a map of fractions is for security: isolated")
            }
            return Restake(security: .shared, allocations: try avsNode.strings().map { Restake.Allocation(avs: $0, fraction: 1) })
        case .isolated:
            if avsNode.isSequence {
                throw avsNode.error(
                    "security: isolated takes a map of AVS name -> allocated fraction (unique stake); got a list")
            }
            var allocations: [Restake.Allocation] = []
            for (name, value) in try avsNode.entries() {
                allocations.append(Restake.Allocation(avs: name, fraction: try value.double()))
            }
            return Restake(security: .isolated, allocations: allocations)
        }
    }
}
