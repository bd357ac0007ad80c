/// A sweep: one scenario run at every point of a plan, on the same seed and paths.
///
/// The scenario is parsed once; each point is the loaded value with the point's parameters set,
/// validated and compiled before anything runs, so a bad point is reported before any work and a
/// sweep costs its runs, not its parsing. Draws are keyed by purpose (MODEL.md, Reproducibility),
/// so every point sees the same randomness wherever the varied parameters have no effect: the
/// curve along a sweep is smooth where the truth is.
public struct Sweep {
    public let plan: SweepPlan
    /// Per point, the edited scenario and its compiled model.
    public let scenarios: [Scenario]
    public let models: [CompiledModel]

    /// Builds and compiles every point of `plan` from a loaded scenario, setting each axis
    /// through the parameter catalog (`SensitivityParameter`).
    ///
    /// An error names the point and the parameter, e.g. `--vary avs[bridge].incident_rate=1.5 (point 3): …`.
    public init(base: Scenario, plan: SweepPlan) throws(WhatIfError) {
        var parameters: [SensitivityParameter] = []
        for axis in plan.axes { parameters.append(try SensitivityParameter.find(axis.path, in: base)) }
        try self.init(plan: plan) { _, values throws(ScenarioError) in
            var scenario = base
            for (parameter, value) in zip(parameters, values) { scenario = parameter.applying(value, to: scenario) }
            try scenario.validate()
            return scenario
        }
    }

    /// Builds and compiles every point of `plan` from a parsed document: `overrides` (`--set`)
    /// first, then the point's values as overrides of the same tree, so each point is decoded and
    /// validated exactly as a file with those values would be, without reading the file again.
    /// An axis that is not a file field (a Beta's `severity.mean`) is set through the catalog.
    public init(document: ScenarioDocument, plan: SweepPlan, overrides: [ScenarioOverride] = []) throws(WhatIfError) {
        let base: Scenario
        do { base = try document.scenario(overrides: overrides) } catch { throw WhatIfError("--set: \(error)") }
        var viaDocument: [Bool] = [], parameters: [SensitivityParameter?] = []
        for axis in plan.axes {
            if (try? ScenarioOverride(path: axis.path, value: NumberText.csv(axis.values[0]))) != nil {
                viaDocument.append(true); parameters.append(nil)
            } else {
                viaDocument.append(false); parameters.append(try SensitivityParameter.find(axis.path, in: base))
            }
        }
        try self.init(plan: plan) { _, values throws(ScenarioError) in
            var edits = overrides
            for (a, axis) in plan.axes.enumerated() where viaDocument[a] {
                edits.append(try ScenarioOverride(path: axis.path, value: NumberText.csv(values[a])))
            }
            var scenario = try document.scenario(overrides: edits)
            for (a, parameter) in parameters.enumerated() {
                if let parameter { scenario = parameter.applying(values[a], to: scenario) }
            }
            try scenario.validate()
            return scenario
        }
    }

    init(plan: SweepPlan, point make: (Int, [Double]) throws(ScenarioError) -> Scenario) throws(WhatIfError) {
        var scenarios: [Scenario] = [], models: [CompiledModel] = []
        for point in 0..<plan.count {
            let values = plan.values(at: point)
            let label = zip(plan.axes, values).map { "\($0.path)=\(NumberText.csv($1))" }.joined(separator: " ")
            do {
                let scenario = try make(point, values)
                models.append(try CompiledModel.compile(scenario).model)
                scenarios.append(scenario)
            } catch {
                throw WhatIfError("--vary \(label) (point \(point)): \(error)")
            }
        }
        self.plan = plan; self.scenarios = scenarios; self.models = models
    }

    /// Blocks the whole sweep simulates, for one progress bar over every point.
    public func totalBlocks(paths: Int) -> Int { models.count * Simulation.blockCount(paths: paths) }

    /// Runs the points in order, handing each point's complete result to `body` as soon as it is
    /// done (so memory follows one point's paths, not the sweep's).
    ///
    /// - Parameter attributionLevel: the lowest level the points' reports show.
    public func run(seed: UInt64, paths: Int, threads: Int,
                    attributionLevel: Double = RunStatistics.defaultAlphas.min()!,
                    progress: SimulationProgress? = nil,
                    body: (_ point: Int, _ result: SimulationResult) throws -> Void) rethrows {
        precondition(paths > 0 && threads > 0, "paths and threads must be positive")
        for (point, model) in models.enumerated() {
            let result = Simulation.run(model: model, seed: seed, paths: paths, threads: threads,
                                        attributionLevel: attributionLevel, progress: progress)
            try body(point, result)
        }
    }
}
