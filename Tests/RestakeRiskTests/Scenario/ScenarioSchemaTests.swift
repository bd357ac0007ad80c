import Foundation
import Testing
@testable import RestakeRisk

/// The committed JSON Schema is the generated one, and schema and loader agree on every name.
@Suite struct ScenarioSchemaTests {
    static var committed: URL { ScenarioFixtures.repositoryRoot.appendingPathComponent("docs/scenario.schema.json") }

    @Test func committedSchemaIsTheGeneratedOne() throws {
        let generated = Scenario.jsonSchema()
        if ProcessInfo.processInfo.environment["RESTAKE_WRITE_SCHEMA"] == "1" {
            try generated.write(to: Self.committed, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(onDisk == generated, "docs/scenario.schema.json is stale: rerun this test with RESTAKE_WRITE_SCHEMA=1")
    }

    @Test func everyTableIsDescribedWithExactlyItsFields() throws {
        let json = try JSONSerialization.jsonObject(with: Data(Scenario.jsonSchema().utf8)) as! [String: Any]
        let defs = json["$defs"] as! [String: Any]
        #expect(Set(defs.keys) == Set(ScenarioFields.all.map(\.title)))
        for table in ScenarioFields.all {
            let def = defs[table.title] as! [String: Any]
            let properties = def["properties"] as! [String: Any]
            #expect(Set(properties.keys) == Set(table.names), "\(table.title)")
            #expect(def["additionalProperties"] as? Bool == false)
        }
    }

    /// The loader's unknown-field message lists its known names: they must be the table's.
    @Test(arguments: [
        ("name: test", "name: test\nbogus: 1", ""),
        ("{name: ETH, price: 3000,", "{name: ETH, bogus: 1, price: 3000,", "asset"),
        ("severity: {fixed: 0.05}", "severity: {fixed: 0.05, bogus: 1}", "severity"),
        ("insurance: {coverage: 0.5,", "insurance: {bogus: 1, coverage: 0.5,", "insurance"),
        ("exit: {on_incident: withdraw", "exit: {bogus: 1, on_incident: withdraw", "exit"),
        ("restake: {security: shared,", "restake: {bogus: 1, security: shared,", "restake"),
        ("systemic: {ETH", "bogus: 1\n  systemic: {ETH", "correlation"),
        ("copula: {type: student-t,", "copula: {bogus: 1, type: student-t,", "copula"),
    ] as [(String, String, String)])
    func loaderListsTheTablesNames(old: String, new: String, table: String) {
        let e = ScenarioFixtures.error(ScenarioFixtures.replacing(old, with: new))
        let t = table.isEmpty ? ScenarioFields.top : ScenarioFields.all.first { $0.title == table }!
        #expect(e?.message.hasSuffix("known fields: \(t.names.joined(separator: ", "))") == true, "\(String(describing: e))")
    }
}
