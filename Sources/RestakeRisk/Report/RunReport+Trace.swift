extension RunReport {
    /// `trace.csv`'s columns.
    public static let traceHeader =
        "strategy,path,step,t_years,asset,asset_price,token,discount,health_factor,debt,equity,slashing_loss,liquidations,phase"

    /// `trace.csv`: one row per traced path, strategy and step (t = 0 included), paths in the
    /// order asked for, strategies in the scenario's order; `token` is empty for native staking,
    /// `health_factor` where there is no debt.
    public func traceCSV() -> String {
        var out = Self.traceHeader + "\n"
        for trace in traces {
            for (s, points) in trace.strategies.enumerated() {
                let name = CSV.field(strategies[s].name), asset = CSV.field(trace.assetNames[s])
                let token = trace.tokenNames[s].map(CSV.field) ?? ""
                for p in points {
                    out += [name, String(trace.path), String(p.step), NumberText.csv(p.tYears),
                            asset, NumberText.csv(p.assetPrice), token, NumberText.csv(p.discount),
                            NumberText.csv(p.healthFactor), NumberText.csv(p.debt), NumberText.csv(p.equity),
                            NumberText.csv(p.slashingLoss), String(p.liquidations), p.phase.rawValue]
                        .joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }
}
