import Testing
@testable import RestakeRisk

/// One broken field: the edit to the base fixture, the path the error must name, and words the
/// message must contain to say what is wrong.
struct BrokenField: Sendable, CustomTestStringConvertible {
    var old: String
    var new: String
    var path: String
    var says: [String]
    var fixture: String = ScenarioFixtures.base

    var testDescription: String { "\(path): \(says.joined(separator: " / "))" }
}

private func broken(_ old: String, _ new: String, _ path: String, _ says: String...) -> BrokenField {
    BrokenField(old: old, new: new, path: path, says: says)
}

private func brokenMatrix(_ old: String, _ new: String, _ path: String, _ says: String...) -> BrokenField {
    BrokenField(old: old, new: new, path: path, says: says, fixture: ScenarioFixtures.matrixForm)
}

@Suite struct ScenarioValidationTests {
    static let unknownFields: [BrokenField] = [
        broken("horizon_years: 1", "horizon_years: 1\nhorizon_yaers: 2", "horizon_yaers",
               "unknown field 'horizon_yaers'", "did you mean 'horizon_years'"),
        broken("borrow_apr: 0.025}", "borrow_apr: 0.025, ratoi: 2}", "strategies[1].leverage.ratoi",
               "unknown field 'ratoi'", "did you mean 'ratio'"),
        broken("{name: EIGEN, price: 1.0,", "{name: EIGEN, price: 1.0, vol: 1,", "assets[1].vol", "unknown field 'vol'"),
        broken("severity: {fixed: 0.05}", "severity: {fixed: 0.05, shape: 2}", "avs[1].severity.shape", "unknown field 'shape'"),
        broken("half_life_days: 20,", "half_life_days: 20, halflife: 3,", "tokens[0].depeg.halflife", "unknown field 'halflife'"),
        broken("fees: {lst: 0.1,", "fees: {lsd: 0.2, lst: 0.1,", "strategies[1].fees.lsd", "unknown field 'lsd'", "did you mean 'lst'"),
        broken("exit: {on_incident: withdraw}", "exit: {on_incident: withdraw, delay: 7}", "strategies[2].exit.delay", "unknown field 'delay'"),
        broken("  systemic:", "  repiar: nearest\n  systemic:", "correlation.repiar", "unknown field 'repiar'", "did you mean 'repair'"),
        broken("copula: {type: student-t, dof: 4}", "copula: {type: student-t, dof: 4, df: 3}", "copula.df", "unknown field 'df'"),
        broken("    base_apr: 0.03\n", "    base_apr: 0.03\n    leverag: {ratio: 2}\n", "strategies[0].leverag",
               "unknown field 'leverag'", "did you mean 'leverage'"),
    ]

    static let wrongTypes: [BrokenField] = [
        broken("price: 3000", "price: high", "assets[0].price", "expected a number", "high"),
        broken("volatility: 1.1", "volatility: \"1.1\"", "assets[1].volatility", "expected a number", "string"),
        broken("steps_per_year: 365", "steps_per_year: 365.5", "steps_per_year", "whole number"),
        broken("horizon_years: 1", "horizon_years: .inf", "horizon_years", "finite"),
        broken("beta: [2, 38]", "beta: [2, 38, 4]", "avs[0].severity.beta", "two parameters"),
        broken("beta: [2, 38]", "beta: 2", "avs[0].severity.beta", "expected a list"),
        broken("horizon_years: 1", "horizon_years: [1]", "horizon_years", "expected a number, got a list"),
        broken("exposed_to: [bridge]", "exposed_to: bridge", "tokens[1].exposed_to", "expected a list"),
        broken("security: shared", "security: sharde", "strategies[1].restake.security", "'sharde' is not one of shared, isolated"),
        broken("exit: {on_incident: withdraw}", "exit: {on_incident: run}", "strategies[2].exit.on_incident", "not one of hold, withdraw, sell"),
        broken("borrow_apr: 0.025}", "borrow_apr: 0.025, oracle: chainlink}", "strategies[1].leverage.oracle", "not one of market, exchange_rate"),
        broken("steps_per_year: 365", "steps_per_year: 365\nnumeraire: eur", "numeraire", "not one of asset, usd"),
        broken("copula: {type: student-t, dof: 4}", "copula: {type: clayton}", "copula.type", "not one of gaussian, student-t"),
        broken("copula: {type: student-t, dof: 4}", "copula: student-t", "copula", "dof"),
        broken("copula: {type: student-t, dof: 4}", "copula: {type: gaussian, dof: 4}", "copula.dof", "only to the student-t"),
        broken("severity: {fixed: 0.05}", "severity: {fixed: 0.05, beta: [1, 2]}", "avs[1].severity", "not both"),
        broken("severity: {fixed: 0.05}", "severity: {}", "avs[1].severity", "fixed", "beta"),
        broken("  - name: native\n", "  - name: [native]\n", "strategies[0].name", "expected a string"),
    ]

    static let missingFields: [BrokenField] = [
        broken("incident_rate: 0.03, ", "", "avs[1].incident_rate", "missing required field 'incident_rate'"),
        broken("name: test\n", "", "name", "missing required field 'name'"),
        broken("horizon_years: 1\n", "", "horizon_years", "missing required field"),
        broken("    asset: ETH\n    base_apr: 0.03\n    base_slashing", "    asset: ETH\n    base_slashing",
               "strategies[0].base_apr", "missing required field 'base_apr'"),
        broken("{name: stETH, underlying: ETH, ", "{name: stETH, ", "tokens[0].underlying", "missing required field 'underlying'"),
        broken("ltv: 0.93, ", "", "strategies[1].leverage.ltv", "missing required field 'ltv'"),
        broken("{coverage: 0.5, ", "{", "strategies[2].insurance.coverage", "missing required field 'coverage'"),
        broken("restake: {security: shared, ", "restake: {", "strategies[1].restake.security", "missing required field 'security'"),
        broken("  systemic: {ETH: 0.5, da: 0.4, LRT: 0.6}", "  factors: [ETH]", "correlation.matrix", "missing required field 'matrix'"),
    ]

    static let duplicatesAndReferences: [BrokenField] = [
        broken("{name: LRT,", "{name: da,", "tokens[1].name", "duplicate name 'da'", "avs[0].name"),
        broken("{name: EIGEN,", "{name: ETH,", "assets[1].name", "duplicate name 'ETH'"),
        broken("name: isolated", "name: native", "strategies[2].name", "duplicate strategy name 'native'"),
        broken("    asset: ETH\n    token: stETH", "    asset: BTC\n    token: stETH", "strategies[2].asset", "unknown asset 'BTC'"),
        broken("token: LRT", "token: LRX", "strategies[1].token", "unknown token 'LRX'", "did you mean 'LRT'"),
        broken("{name: stETH, underlying: ETH", "{name: stETH, underlying: ETC", "tokens[0].underlying", "unknown asset 'ETC'"),
        broken("reward_asset: EIGEN", "reward_asset: EIGN", "avs[0].reward_asset", "unknown asset 'EIGN'", "did you mean 'EIGEN'"),
        broken("avs: [da, bridge]", "avs: [da, brige]", "strategies[1].restake.avs[1]", "unknown AVS 'brige'", "did you mean 'bridge'"),
        broken("{da: 0.4, bridge: 0.3}", "{da: 0.4, brdge: 0.3}", "strategies[2].restake.avs.brdge", "unknown AVS 'brdge'"),
        broken("exposed_to: [bridge]", "exposed_to: [oracle]", "tokens[1].exposed_to[0]", "unknown AVS 'oracle'"),
        broken("LRT: 0.6}", "LRTX: 0.6}", "correlation.systemic.LRTX", "unknown factor", "'LRTX'"),
        broken("avs: [da, bridge]", "avs: [da, da]", "strategies[1].restake.avs[1]", "listed twice"),
        broken("avs: [da, bridge]", "avs: []", "strategies[1].restake.avs", "at least one AVS"),
        broken("{name: stETH, underlying: ETH", "{name: stETH, underlying: EIGEN", "strategies[2].token", "backed by EIGEN"),
    ]

    static let ranges: [BrokenField] = [
        broken("incident_rate: 0.01", "incident_rate: 1.5", "avs[0].incident_rate", "must be in [0, 1]", "1.5"),
        broken("base_slashing: {rate: 0.0004", "base_slashing: {rate: -0.1", "strategies[0].base_slashing.rate", "must be in [0, 1]"),
        broken("{rate: 0.1, severity", "{rate: 1.1, severity", "tokens[0].depeg.rate", "must be in [0, 1]"),
        broken("lst: 0.1", "lst: 1.2", "strategies[1].fees.lst", "must be in [0, 1]", "fee"),
        broken("operator: 0.1", "operator: -0.1", "strategies[1].fees.operator", "must be in [0, 1]"),
        broken("platform: 0.1", "platform: 2", "strategies[1].fees.platform", "must be in [0, 1]"),
        broken("coverage: 0.5", "coverage: 1.5", "strategies[2].insurance.coverage", "must be in [0, 1]"),
        broken("fixed: 0.05", "fixed: 2", "avs[1].severity.fixed", "must be in [0, 1]"),
        broken("severity: {fixed: 0.0002}", "severity: {fixed: -0.1}", "strategies[0].base_slashing.severity.fixed", "must be in [0, 1]"),
        broken("ltv: 0.93", "ltv: 1.2", "strategies[1].leverage.ltv", "must be in [0, 1)"),
        broken("liquidation_threshold: 0.95", "liquidation_threshold: 1.5", "strategies[1].leverage.liquidation_threshold", "must be in [0, 1]"),
        broken("borrow_apr: 0.025}", "borrow_apr: 0.025, close_factor: 0}", "strategies[1].leverage.close_factor", "(0, 1]"),
        broken("borrow_apr: 0.025}", "borrow_apr: 0.025, close_factor: 1.5}", "strategies[1].leverage.close_factor", "(0, 1]"),
        broken("bonus: 0.01", "bonus: -0.01", "strategies[1].leverage.bonus", "must be in [0, 1]"),
        broken("max: 0.5", "max: 1.5", "tokens[0].depeg.max", "must be in [0, 1]"),
        broken("incident_jump: 0.01", "incident_jump: -0.01", "tokens[1].depeg.incident_jump", "must be in [0, 1]"),
        broken("jumps: {rate: 1.0", "jumps: {rate: -1.0", "assets[0].jumps.rate", "must be >= 0"),
        broken("sd: 0.08", "sd: -0.08", "assets[0].jumps.sd", "must be >= 0"),
        broken("volatility: 0.7", "volatility: -0.7", "assets[0].volatility", "must be >= 0"),
        broken("price: 3000", "price: 0", "assets[0].price", "must be > 0"),
        broken("borrow_apr: 0.025", "borrow_apr: -0.01", "strategies[1].leverage.borrow_apr", "must be >= 0"),
        broken("premium_apr: 0.002", "premium_apr: -0.1", "strategies[2].insurance.premium_apr", "must be >= 0"),
        broken("reward_apr: 0.006", "reward_apr: -0.006", "avs[0].reward_apr", "must be >= 0"),
        broken("base_apr: 0.03", "base_apr: -0.03", "strategies[0].base_apr", "must be >= 0"),
        broken("base_apr: 0.03\n", "base_apr: 0.03\n    defi_apr: -0.01\n", "strategies[0].defi_apr", "must be >= 0"),
        broken("beta: [2, 38]", "beta: [0, 38]", "avs[0].severity.beta[0]", "must be > 0"),
        broken("beta: [2, 60]", "beta: [2, -1]", "tokens[0].depeg.severity.beta[1]", "must be > 0"),
        // v2: 0 < dof <= 1e6 (MODEL.md); the v1 rule dof > 2 is gone.
        broken("dof: 4", "dof: 0", "copula.dof", "must be in (0, 1e6]"),
        broken("dof: 4", "dof: -1.5", "copula.dof", "must be in (0, 1e6]"),
        broken("dof: 4", "dof: 1e16", "copula.dof", "must be in (0, 1e6]"),
        broken("horizon_years: 1", "horizon_years: 0", "horizon_years", "must be > 0"),
        broken("horizon_years: 1", "horizon_years: -1", "horizon_years", "must be > 0"),
        broken("horizon_years: 1", "horizon_years: 1e300", "horizon_years", "more than"),
        broken("horizon_years: 1", "horizon_years: 0.001", "horizon_years", "at least one step"),
        broken("steps_per_year: 365", "steps_per_year: 0", "steps_per_year", "whole number in 1...1000000"),
        broken("steps_per_year: 365", "steps_per_year: 365\nreport_every_steps: 0", "report_every_steps", "whole number in 1..."),
        broken("steps_per_year: 365", "steps_per_year: 365\ncompound_every_steps: -1", "compound_every_steps", "whole number in 0..."),
        broken("half_life_days: 20", "half_life_days: 0", "tokens[0].depeg.half_life_days", "must be > 0"),
        broken("{da: 0.4, bridge: 0.3}", "{da: 1.4, bridge: 0.3}", "strategies[2].restake.avs.da", "must be in [0, 1]"),
        broken("{da: 0.4, bridge: 0.3}", "{da: 0.7, bridge: 0.4}", "strategies[2].restake.avs", "sum to at most 1", "1.1"),
        broken("ratio: 3", "ratio: 0.5", "strategies[1].leverage.ratio", "must be >= 1"),
        broken("ratio: 3", "ratio: 20", "strategies[1].leverage.ratio", "above the looping limit 1/(1 - ltv) = 14.28"),
        broken("liquidation_threshold: 0.95", "liquidation_threshold: 0.9", "strategies[1].leverage.liquidation_threshold", "must be >= ltv"),
        broken("borrow_apr: 0.025}", "borrow_apr: 0.025}\n    exit: {on_incident: withdraw}", "strategies[1].exit.on_incident",
               "'withdraw' cannot be combined with leverage"),
        broken("exit: {on_incident: withdraw}", "exit: {on_incident: withdraw, withdrawal_delay_days: -1}",
               "strategies[2].exit.withdrawal_delay_days", "must be >= 0"),
        broken("avs: [da, bridge]", "avs: {da: 1, bridge: 1}", "strategies[1].restake.avs",
               "security: shared takes a list", "map of fractions is for security: isolated"),
        broken("{da: 0.4, bridge: 0.3}", "[da, bridge]", "strategies[2].restake.avs", "isolated takes a map"),
        broken("ETH: 0.5,", "ETH: 1.5,", "correlation.systemic.ETH", "loading must be in [-1, 1]"),
        broken("  systemic:", "  repair: always\n  systemic:", "correlation.repair", "not one of nearest"),
        broken("  systemic:", "  factors: [ETH]\n  matrix: [[1]]\n  systemic:", "correlation", "give one form"),
    ]

    static let matrixErrors: [BrokenField] = [
        brokenMatrix("[0.0, 0.2, 1.0, 0.0, 0.0, 0.0]", "[0.0, 0.2, 1.0, 0.0, 0.0]", "correlation.matrix[2]", "square", "5 entries"),
        brokenMatrix("    - [0.0, 0.4, 0.0, 0.0, 0.0, 1.0]\n", "", "correlation.matrix", "one row per factor", "6 factors, 5 rows"),
        brokenMatrix("factors: [LRT, ETH,", "factors: [ETH,", "correlation.factors", "missing: LRT"),
        brokenMatrix("factors: [LRT, ETH,", "factors: [ETH, ETH,", "correlation.factors[1]", "listed twice"),
        brokenMatrix("factors: [LRT, ETH,", "factors: [LRX, ETH,", "correlation.factors[0]", "unknown factor", "did you mean 'LRT'"),
        brokenMatrix("[0.0, 0.0, 0.0, 1.0, 0.1, 0.0]", "[0.0, 1.2, 0.0, 1.0, 0.1, 0.0]", "correlation.matrix[3][1]", "in [-1, 1]", "1.2"),
        brokenMatrix("[0.0, 0.0, 0.0, 1.0, 0.1, 0.0]", "[0.0, .nan, 0.0, 1.0, 0.1, 0.0]", "correlation.matrix[3][1]", "finite"),
        brokenMatrix("[0.0, 0.0, 0.0, 1.0, 0.1, 0.0]", "[0.0, x, 0.0, 1.0, 0.1, 0.0]", "correlation.matrix[3][1]", "expected a number"),
    ]

    private func expectBroken(_ c: BrokenField) {
        let yaml = ScenarioFixtures.replacing(c.old, with: c.new, in: c.fixture)
        guard let e = ScenarioFixtures.error(yaml) else {
            Issue.record("loaded, expected an error at \(c.path)")
            return
        }
        #expect(e.path == c.path, "\(e)")
        for words in c.says { #expect(e.message.contains(words), "message lacks '\(words)': \(e)") }
    }

    @Test(arguments: unknownFields) func unknownField(_ c: BrokenField) { expectBroken(c) }
    @Test(arguments: wrongTypes) func wrongType(_ c: BrokenField) { expectBroken(c) }
    @Test(arguments: missingFields) func missingField(_ c: BrokenField) { expectBroken(c) }
    @Test(arguments: duplicatesAndReferences) func duplicateOrUnknownReference(_ c: BrokenField) { expectBroken(c) }
    @Test(arguments: ranges) func outOfRange(_ c: BrokenField) { expectBroken(c) }
    @Test(arguments: matrixErrors) func correlationMatrix(_ c: BrokenField) { expectBroken(c) }

    @Test func fixturesAreValid() throws {
        _ = try Scenario(yaml: ScenarioFixtures.base)
        _ = try Scenario(yaml: ScenarioFixtures.matrixForm)
    }

    @Test func ratioAtTheLimitIsAccepted() throws {
        let s = try Scenario(yaml: ScenarioFixtures.replacing("ratio: 3, ltv: 0.93", with: "ratio: 4, ltv: 0.75"))
        #expect(s.strategies[1].leverage?.maxRatio == 4)
    }

    @Test func validateCatchesProgrammaticEdits() throws {
        var s = try Scenario(yaml: ScenarioFixtures.base)
        s.strategies[1].leverage?.ratio = 15
        #expect(throws: ScenarioError(path: "strategies[1].leverage.ratio",
                                      message: "15.0 is above the looping limit 1/(1 - ltv) = \(1 / (1 - 0.93)) for ltv 0.93")) {
            try s.validate()
        }
    }
}
