import Foundation
import Testing
@testable import RestakeRisk

/// Parsing `--vary`, the grid and zip orders, and the refusals with their messages.
@Suite struct WhatIfSweepPlanTests {
    @Test func rangeAndListParse() throws {
        let r = try SweepAxis(parsing: "avs[bridge].incident_rate=0.01:0.05:5")
        #expect(r.path == "avs[bridge].incident_rate")
        #expect(r.values.count == 5)
        #expect(r.values.first == 0.01 && r.values.last == 0.05)
        #expect(abs(r.values[2] - 0.03) < 1e-15)
        let l = try SweepAxis(parsing: "strategies[lrt].leverage.ratio=2,3,5")
        #expect(l.values == [2, 3, 5])
    }

    @Test func refusals() {
        #expect(throws: WhatIfError("--vary avs[a].incident_rate=0.1:0.2:1: the count n of a:b:n must be a whole number of at least 2")) {
            try SweepAxis(parsing: "avs[a].incident_rate=0.1:0.2:1")
        }
        #expect(throws: WhatIfError("--vary x=0.1,abc: \"abc\" is not a finite number")) { try SweepAxis(parsing: "x=0.1,abc") }
        #expect(throws: WhatIfError("--vary x: expected PATH=a:b:n or PATH=v1,v2,...")) { try SweepAxis(parsing: "x") }
        let a = SweepAxis(path: "a", values: [1, 2]), b = SweepAxis(path: "b", values: [1, 2, 3])
        #expect(throws: WhatIfError("--zip: --vary b has 3 values, --vary a has 2; zipped axes need the same count")) {
            try SweepPlan(axes: [a, b], zipped: true)
        }
        #expect(throws: WhatIfError("--vary a: the parameter is varied twice")) { try SweepPlan(axes: [a, a]) }
    }

    @Test func gridLastAxisFastestAndZipPairs() throws {
        let a = SweepAxis(path: "a", values: [1, 2]), b = SweepAxis(path: "b", values: [10, 20, 30])
        let grid = try SweepPlan(axes: [a, b])
        #expect(grid.count == 6)
        #expect((0..<6).map { grid.values(at: $0) } == [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]])
        let c = SweepAxis(path: "c", values: [5, 6])
        let zipped = try SweepPlan(axes: [a, c], zipped: true)
        #expect(zipped.count == 2)
        #expect(zipped.values(at: 1) == [2, 6])
    }

    @Test func parameterCatalogAndRefusal() throws {
        let scenario = try Scenario(yaml: Scenario.defaultText)
        let all = SensitivityParameter.catalog(of: scenario)
        #expect(Set(all.map(\.path)).count == all.count, "catalog paths must be unique")
        let name = scenario.avs[0].name
        let p = try SensitivityParameter.find("avs[0].incident_rate", in: scenario)
        #expect(p.path == "avs[\(name)].incident_rate")
        #expect(p.value(in: p.applying(0.123, to: scenario)) == 0.123)
        #expect(p.applying(0.123, to: scenario).avs[0].incidentRate == 0.123)
        #expect(throws: WhatIfError.self) { try SensitivityParameter.find("avs[nope].incident_rate", in: scenario) }
        // A Beta severity's mean moves at fixed a + b.
        if let j = scenario.avs.firstIndex(where: { if case .beta = $0.severity { true } else { false } }) {
            let m = try SensitivityParameter.find("avs[\(scenario.avs[j].name)].severity.mean", in: scenario)
            let edited = m.applying(0.25, to: scenario).avs[j].severity
            guard case .beta(let a, let b) = edited, case .beta(let a0, let b0) = scenario.avs[j].severity else {
                Issue.record("severity is no longer a Beta"); return
            }
            #expect(abs(a / (a + b) - 0.25) < 1e-15 && abs((a + b) - (a0 + b0)) < 1e-12)
        }
        // A tied parameter scales every member by the same factor.
        let tied = try SensitivityParameter.find("avs[*].incident_rate", in: scenario)
        let scaled = tied.applying(2 * scenario.avs[0].incidentRate, to: scenario)
        for (x, y) in zip(scaled.avs, scenario.avs) { #expect(abs(x.incidentRate - 2 * y.incidentRate) <= 1e-15 * y.incidentRate) }
    }
}
