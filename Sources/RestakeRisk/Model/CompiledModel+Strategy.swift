extension CompiledModel {
    /// Compiles one strategy: its sub-positions (one per operator), their exposures to AVSs,
    /// reward slots and attribution sources.
    static func compileStrategy(
        _ s: Scenario.Strategy, scenario: Scenario, dt: Double, assetIndex: [String: Int],
        serviceIndex: [String: Int], tokenIndex: [String: Int], operatorIndex: [String: Int]
    ) -> Strategy {
        let shared = s.restake?.security != .isolated
        // An isolated allocation of 0 cannot be slashed and earns nothing: the AVS is not in
        // the strategy's set (its incidents neither count nor trigger an exit). The set is kept
        // in scenario order, whatever order the strategy lists it in.
        let listed = (s.restake?.allocations ?? []).filter { shared || $0.fraction > 0 }
        let fractionByService = Dictionary(listed.map { (serviceIndex[$0.avs]!, shared ? 1.0 : $0.fraction) },
                                           uniquingKeysWith: { a, _ in a })
        let serviceOrder = fractionByService.keys.sorted()
        var rewardAssets: [Int] = []
        let allocations = serviceOrder.map { j in
            let service = scenario.avs[j]
            let reward = assetIndex[service.rewardAsset(stakedAsset: s.asset)]!
            let own = reward == assetIndex[s.asset]!
            if !own && !rewardAssets.contains(reward) { rewardAssets.append(reward) }
            return Allocation(service: j, fraction: fractionByService[j]!,
                              rewardPerStep: service.rewardApr * dt * (1 - s.fees.operator),
                              rewardAsset: own ? nil : reward)
        }
        rewardAssets.sort()

        // Operators in scenario order; none listed: one implicit operator serving every AVS.
        let shares = (s.restake?.operators ?? []).map { (operatorIndex[$0.operator]!, $0.fraction) }.sorted { $0.0 < $1.0 }
        let operatorSources = shares.map { scenario.operators[$0.0].name }
        let sources = allocations.map { scenario.avs[$0.service].name } + operatorSources + ["base"]
        let kinds = allocations.map { _ in SourceKind.avs } + shares.map { _ in SourceKind.operator } + [.base]
        func exposures(serving: Set<String>?) -> [Exposure] {
            allocations.enumerated().compactMap { a, allocation in
                let name = scenario.avs[allocation.service].name
                if let serving, !serving.contains(name) { return nil }
                return Exposure(service: allocation.service, source: a, fraction: allocation.fraction,
                                rewardPerStep: allocation.rewardPerStep,
                                rewardSlot: allocation.rewardAsset.map { rewardAssets.firstIndex(of: $0)! })
            }
        }
        let subPositions: [SubPosition] = shares.isEmpty
            ? [SubPosition(operator: nil, source: nil, fraction: 1, exposures: exposures(serving: nil))]
            : shares.enumerated().map { i, share in
                SubPosition(operator: share.0, source: allocations.count + i, fraction: share.1,
                            exposures: exposures(serving: Set(scenario.operators[share.0].serves)))
            }
        var byService = [[(subPosition: Int, exposure: Int)]](repeating: [], count: scenario.avs.count)
        for (o, sub) in subPositions.enumerated() {
            for (e, exposure) in sub.exposures.enumerated() { byService[exposure.service].append((o, e)) }
        }

        let exit: Exit = switch s.exit.onIncident {
        case .hold: .hold
        case .sell: .sell
        // MODEL.md v2: conversion at the end of the step round(days * steps_per_year / 365)
        // steps after the trigger.
        case .withdraw: .withdraw(delaySteps: Int((s.exit.withdrawalDelayDays * Double(scenario.stepsPerYear) / 365).rounded()))
        }
        return Strategy(
            name: s.name, asset: assetIndex[s.asset]!, token: s.token.map { tokenIndex[$0]! },
            isolated: !shared,
            baseRewardPerStep: s.baseApr * dt * (1 - s.fees.lst), allocations: allocations,
            subPositions: subPositions, rewardAssets: rewardAssets,
            defiRewardPerStep: s.defiApr * dt, platformKeep: 1 - s.fees.platform,
            baseSlashingProbability: s.baseSlashing.map { -Double.expMinusOne(dt * Double.log(onePlus: -$0.rate)) } ?? 0,
            baseSlashingSeverity: Severity(s.baseSlashing?.severity ?? .fixed(0)),
            insuranceCoverage: s.insurance?.coverage ?? 0,
            premiumPerStep: (s.insurance?.premiumApr ?? 0) * dt,
            compoundEverySteps: s.compoundEverySteps,
            leverage: s.leverage.map { l in
                Leverage(ratio: l.ratio, liquidationThreshold: l.liquidationThreshold, bonus: l.bonus,
                         borrowPerStep: l.borrowApr * dt, closeFactor: l.closeFactor,
                         oracleIsMarket: l.oracle == .market)
            },
            exit: exit, sources: sources, sourceKinds: kinds, exposuresByService: byService)
    }

    /// Compiles the stress events into one entry per affected step, ascending (MODEL.md v2:
    /// step `max(1, ceil(x * steps_per_year / 365))`, 1-based).
    static func compileStress(_ scenario: Scenario, assetIndex: [String: Int], serviceIndex: [String: Int],
                              tokenIndex: [String: Int], operatorIndex: [String: Int]) -> [StressStep] {
        var bySteps: [Int: StressStep] = [:]
        let last = scenario.totalSteps
        for event in scenario.stress {
            // A hair below so that day 120 at 365 steps a year is step 120, not 121.
            let oneBased = max(1, Int((event.atDays * Double(scenario.stepsPerYear) / 365 - 1e-9).rounded(.up)))
            let t = min(oneBased, last) - 1
            var step = bySteps[t] ?? StressStep(step: t, assetReturns: [], depegs: [], incidents: [], faults: [], borrowApr: nil)
            step.assetReturns += event.assetReturns.map { (assetIndex[$0.name]!, $0.value) }
            step.depegs += event.depegs.map { (tokenIndex[$0.name]!, $0.value) }
            step.incidents += event.incidents.map { (serviceIndex[$0.name]!, $0.value) }
            step.faults += event.operatorFaults.map { (operatorIndex[$0.name]!, $0.value) }
            if let b = event.borrowApr { step.borrowApr = b }
            bySteps[t] = step
        }
        return bySteps.keys.sorted().map { bySteps[$0]! }
    }
}
