import Foundation

/// The commented starting-point scenarios that `restake-risk init` writes, compiled into the binary
/// (`Sources/RestakeRisk/Resources/templates/`). Every template loads and validates as it is.
public enum ScenarioTemplate: String, CaseIterable, Sendable {
    case native
    case lst
    case restaking
    case lrtLoop = "lrt-loop"
    case network

    /// The template `init` uses when none is named.
    public static let `default`: ScenarioTemplate = .restaking

    /// One line on what the template models, for help texts.
    public var summary: String {
        switch self {
        case .native: return "solo ETH staking against holding, with consensus-layer slashing"
        case .lst: return "a liquid staking token (stETH-like) held and looped, market vs exchange-rate oracle"
        case .restaking: return "restaking to three AVSs through two operators, shared vs isolated, with a veto"
        case .lrtLoop: return "a liquid restaking token (ezETH/weETH-like) held and looped at 3x and 5x"
        case .network: return "a small network (8 AVSs, 6 operators, latent factors by AVS type and infrastructure)"
        }
    }

    /// The template's text exactly as shipped (its first line is the editor schema line).
    public var text: String {
        let bytes: [UInt8]
        switch self {
        case .native: bytes = PackageResources.template_native_yaml
        case .lst: bytes = PackageResources.template_lst_yaml
        case .restaking: bytes = PackageResources.template_restaking_yaml
        case .lrtLoop: bytes = PackageResources.template_lrt_loop_yaml
        case .network: bytes = PackageResources.template_network_yaml
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The comment that makes YAML-aware editors validate and complete a scenario file.
    public static let schemaLinePrefix = "# yaml-language-server: $schema="

    /// The template with its schema line pointing at `schemaPath` (a path relative to the written
    /// file, or a URL). Only a first line starting with `schemaLinePrefix` is replaced.
    public func text(schemaPath: String) -> String {
        let t = text
        guard t.hasPrefix(Self.schemaLinePrefix) else { return Self.schemaLinePrefix + schemaPath + "\n" + t }
        let rest = t.firstIndex(of: "\n").map { t[$0...] } ?? ""
        return Self.schemaLinePrefix + schemaPath + rest
    }
}
