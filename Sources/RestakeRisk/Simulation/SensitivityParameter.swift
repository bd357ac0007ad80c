import Foundation

/// A numeric scenario parameter, addressed by the field path error messages use (with names in
/// place of indices), that sweeps and sensitivities read and set on a loaded `Scenario`.
///
/// Editing the loaded value, never the file, is what lets a sweep or a bump compile many
/// variants from one parse. A severity is addressed by its law: `….severity.fixed` is the fixed
/// fraction; `….severity.mean` is a Beta's mean `a / (a + b)` moved at a fixed concentration
/// `a + b` (the shape is kept, only the location moves).
public struct SensitivityParameter {
    /// E.g. `avs[bridge].incident_rate`, `strategies[lrt-loop-3x].leverage.ratio`.
    public let path: String
    /// Whether `sensitivity` bumps it when no parameter is named: every rate, severity mean,
    /// APR, fee, loading and leverage parameter.
    public let isDefault: Bool
    let read: (Scenario) -> Double
    let write: (inout Scenario, Double) -> Void

    init(_ path: String, isDefault: Bool, read: @escaping (Scenario) -> Double,
         write: @escaping (inout Scenario, Double) -> Void) {
        self.path = path; self.isDefault = isDefault; self.read = read; self.write = write
    }

    init(_ path: String, isDefault: Bool, _ key: WritableKeyPath<Scenario, Double>) {
        self.init(path, isDefault: isDefault, read: { $0[keyPath: key] }, write: { $0[keyPath: key] = $1 })
    }

    /// The parameter's value in a scenario.
    public func value(in scenario: Scenario) -> Double { read(scenario) }

    /// The scenario with this parameter set to `value` (not validated: call `validate()`).
    public func applying(_ value: Double, to scenario: Scenario) -> Scenario {
        precondition(value.isFinite, "\(path): \(value) is not a finite number")
        var edited = scenario
        write(&edited, value)
        return edited
    }
}

/// A sweep or sensitivity request that cannot be carried out, naming the flag or path at fault.
public struct WhatIfError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension SensitivityParameter {
    /// The parameter at `path` in `scenario`; an error lists what was expected when there is none.
    public static func find(_ path: String, in scenario: Scenario) throws(WhatIfError) -> SensitivityParameter {
        let all = catalog(of: scenario)
        if let p = all.first(where: { $0.path == path }) { return p }
        if path.contains("[*]") {
            let tied = Self.tied(path, matching: all)
            if !tied.isEmpty { return Self.tie(path, tied) }
        }
        // Indices are accepted where names are expected: `avs[2]` is the third AVS.
        let named = Self.replacingIndices(in: path, scenario: scenario)
        if named != path, let p = all.first(where: { $0.path == named }) { return p }
        let prefix = path.split(separator: ".").first.map(String.init) ?? path
        let near = all.map(\.path).filter { $0.hasPrefix(prefix) }.prefix(8)
        throw WhatIfError("\(path): not a numeric parameter of scenario \(scenario.name)"
            + (near.isEmpty ? "" : " (numeric parameters there include \(near.joined(separator: ", ")))"))
    }

    /// The parameters a path with one `[*]` stands for: `avs[*].incident_rate` is every AVS's.
    static func tied(_ path: String, matching all: [SensitivityParameter]) -> [SensitivityParameter] {
        let parts = path.components(separatedBy: "[*]")
        guard parts.count == 2 else { return [] }
        return all.filter { p in
            guard p.path.hasPrefix(parts[0] + "["), p.path.hasSuffix("]" + parts[1]),
                  p.path.count > parts[0].count + parts[1].count + 2 else { return false }
            let middle = p.path.dropFirst(parts[0].count + 1).dropLast(parts[1].count + 1)
            return !middle.contains("[") && !middle.contains("]")
        }
    }

    /// Several parameters moved together by one factor: the value is the first one's, and setting
    /// it to v scales every member by `v / first` (so equal members all become v), which is what
    /// a relative bump of all of them at once means.
    static func tie(_ path: String, _ members: [SensitivityParameter]) -> SensitivityParameter {
        SensitivityParameter(path, isDefault: false, read: { members[0].read($0) }, write: { s, v in
            let first = members[0].read(s)
            let current = members.map { $0.read(s) }
            for (m, x) in zip(members, current) { m.write(&s, first == 0 ? v : x * v / first) }
        })
    }

    /// `avs[2].incident_rate` -> `avs[bridge].incident_rate` for the top-level lists.
    static func replacingIndices(in path: String, scenario: Scenario) -> String {
        let lists: [(String, [String])] = [
            ("assets", scenario.assets.map(\.name)), ("avs", scenario.avs.map(\.name)),
            ("tokens", scenario.tokens.map(\.name)), ("operators", scenario.operators.map(\.name)),
            ("strategies", scenario.strategies.map(\.name)),
        ]
        for (list, names) in lists where path.hasPrefix(list + "[") {
            let rest = path.dropFirst(list.count + 1)
            guard let close = rest.firstIndex(of: "]"), let i = Int(rest[..<close]), names.indices.contains(i) else {
                return path
            }
            return "\(list)[\(names[i])]" + rest[rest.index(after: close)...]
        }
        return path
    }

    /// Every numeric parameter of the scenario, in file order.
    public static func catalog(of scenario: Scenario) -> [SensitivityParameter] {
        var out: [SensitivityParameter] = []
        for (i, a) in scenario.assets.enumerated() {
            let p = "assets[\(a.name)]"
            out.append(.init("\(p).price", isDefault: false, \Scenario.assets[i].price))
            out.append(.init("\(p).drift", isDefault: false, \Scenario.assets[i].drift))
            out.append(.init("\(p).volatility", isDefault: false, \Scenario.assets[i].volatility))
            if a.jumps != nil {
                out.append(.init("\(p).jumps.rate", isDefault: true, \Scenario.assets[i].jumps!.rate))
                out.append(.init("\(p).jumps.mean", isDefault: false, \Scenario.assets[i].jumps!.mean))
                out.append(.init("\(p).jumps.sd", isDefault: false, \Scenario.assets[i].jumps!.sd))
            }
        }
        for (i, s) in scenario.avs.enumerated() {
            let p = "avs[\(s.name)]"
            out.append(.init("\(p).incident_rate", isDefault: true, \Scenario.avs[i].incidentRate))
            out.append(severity("\(p).severity", \Scenario.avs[i].severity, s.severity))
            out.append(.init("\(p).reward_apr", isDefault: true, \Scenario.avs[i].rewardApr))
            out.append(.init("\(p).veto_probability", isDefault: true, \Scenario.avs[i].vetoProbability))
        }
        for (i, t) in scenario.tokens.enumerated() where t.depeg != nil {
            let p = "tokens[\(t.name)].depeg"
            out.append(.init("\(p).rate", isDefault: true, \Scenario.tokens[i].depeg!.rate))
            out.append(severity("\(p).severity", \Scenario.tokens[i].depeg!.severity, t.depeg!.severity))
            out.append(.init("\(p).half_life_days", isDefault: false, \Scenario.tokens[i].depeg!.halfLifeDays))
            out.append(.init("\(p).incident_jump", isDefault: false, \Scenario.tokens[i].depeg!.incidentJump))
            out.append(.init("\(p).max", isDefault: false, \Scenario.tokens[i].depeg!.max))
        }
        for (i, o) in scenario.operators.enumerated() {
            let p = "operators[\(o.name)]"
            out.append(.init("\(p).fault_rate", isDefault: true, \Scenario.operators[i].faultRate))
            out.append(severity("\(p).fault_severity", \Scenario.operators[i].faultSeverity, o.faultSeverity))
        }
        out += correlationParameters(scenario)
        for (i, s) in scenario.strategies.enumerated() {
            out += strategyParameters(s, index: i)
        }
        return out
    }

    /// A severity's location: the fixed fraction, or a Beta's mean at a fixed `a + b`.
    static func severity(_ path: String, _ key: WritableKeyPath<Scenario, Scenario.Severity>,
                         _ current: Scenario.Severity) -> SensitivityParameter {
        switch current {
        case .fixed:
            return .init("\(path).fixed", isDefault: true, read: { $0[keyPath: key].mean },
                         write: { $0[keyPath: key] = .fixed($1) })
        case .beta:
            return .init("\(path).mean", isDefault: true, read: { $0[keyPath: key].mean }, write: { s, m in
                guard case .beta(let a, let b) = s[keyPath: key] else { return }
                s[keyPath: key] = .beta(a: m * (a + b), b: (1 - m) * (a + b))
            })
        }
    }

    /// Systemic and latent loadings (a full matrix's entries are not single parameters: moving one
    /// alone rarely stays positive semidefinite).
    static func correlationParameters(_ scenario: Scenario) -> [SensitivityParameter] {
        guard let correlation = scenario.correlation else { return [] }
        switch correlation.form {
        case .systemic(let loadings):
            // Factor order, so the list reads like the file's factor declarations.
            return scenario.factorNames.filter { loadings[$0] != nil }.map { name in
                .init("correlation.systemic.\(name)", isDefault: true, read: { s in
                    guard case .systemic(let b)? = s.correlation?.form else { return 0 }
                    return b[name] ?? 0
                }, write: { s, x in
                    guard case .systemic(var b)? = s.correlation?.form else { return }
                    b[name] = x
                    s.correlation!.form = .systemic(b)
                })
            }
        case .latent(let factors):
            var out: [SensitivityParameter] = []
            for (f, factor) in factors.enumerated() {
                for (l, loading) in factor.loadings.enumerated() {
                    out.append(.init("correlation.latent.\(factor.name).\(loading.factor)", isDefault: true, read: { s in
                        guard case .latent(let fs)? = s.correlation?.form else { return 0 }
                        return fs[f].loadings[l].loading
                    }, write: { s, x in
                        guard case .latent(var fs)? = s.correlation?.form else { return }
                        fs[f].loadings[l].loading = x
                        s.correlation!.form = .latent(fs)
                    }))
                }
            }
            return out
        case .matrix:
            return []
        }
    }

    static func strategyParameters(_ s: Scenario.Strategy, index i: Int) -> [SensitivityParameter] {
        let p = "strategies[\(s.name)]"
        var out: [SensitivityParameter] = [
            .init("\(p).base_apr", isDefault: true, \Scenario.strategies[i].baseApr),
            .init("\(p).defi_apr", isDefault: true, \Scenario.strategies[i].defiApr),
            .init("\(p).fees.lst", isDefault: true, \Scenario.strategies[i].fees.lst),
            .init("\(p).fees.operator", isDefault: true, \Scenario.strategies[i].fees.operator),
            .init("\(p).fees.platform", isDefault: true, \Scenario.strategies[i].fees.platform),
        ]
        if let base = s.baseSlashing {
            out.append(.init("\(p).base_slashing.rate", isDefault: true, \Scenario.strategies[i].baseSlashing!.rate))
            out.append(severity("\(p).base_slashing.severity", \Scenario.strategies[i].baseSlashing!.severity, base.severity))
        }
        if let r = s.restake, r.security == .isolated {
            for (j, a) in r.allocations.enumerated() {
                out.append(.init("\(p).restake.avs[\(a.avs)]", isDefault: false,
                                 \Scenario.strategies[i].restake!.allocations[j].fraction))
            }
        }
        if s.insurance != nil {
            out.append(.init("\(p).insurance.coverage", isDefault: false, \Scenario.strategies[i].insurance!.coverage))
            out.append(.init("\(p).insurance.premium_apr", isDefault: true, \Scenario.strategies[i].insurance!.premiumApr))
        }
        if s.leverage != nil {
            let l = "\(p).leverage"
            out += [
                .init("\(l).ratio", isDefault: true, \Scenario.strategies[i].leverage!.ratio),
                .init("\(l).ltv", isDefault: true, \Scenario.strategies[i].leverage!.ltv),
                .init("\(l).liquidation_threshold", isDefault: true, \Scenario.strategies[i].leverage!.liquidationThreshold),
                .init("\(l).bonus", isDefault: true, \Scenario.strategies[i].leverage!.bonus),
                .init("\(l).borrow_apr", isDefault: true, \Scenario.strategies[i].leverage!.borrowApr),
                .init("\(l).close_factor", isDefault: true, \Scenario.strategies[i].leverage!.closeFactor),
            ]
        }
        if s.exit.onIncident == .withdraw {
            out.append(.init("\(p).exit.withdrawal_delay_days", isDefault: false, \Scenario.strategies[i].exit.withdrawalDelayDays))
        }
        return out
    }
}
