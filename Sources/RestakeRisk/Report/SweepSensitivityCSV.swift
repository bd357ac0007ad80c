extension Sensitivity.Result {
    /// `sensitivity.csv`: `parameter,strategy,metric,alpha,base,derivative,se,low,high`, one row
    /// per parameter, strategy and number (low/high: the number at the down/up bump).
    public func csv() -> String {
        var out = "parameter,strategy,metric,alpha,base,derivative,se,low,high\n"
        for r in rows {
            out += [CSV.field(r.parameter), CSV.field(r.strategy), CSV.field(r.metric),
                    r.alpha.map(NumberText.level) ?? "", NumberText.csv(r.base), NumberText.csv(r.derivative),
                    NumberText.csv(r.se), NumberText.csv(r.low), NumberText.csv(r.high)].joined(separator: ",") + "\n"
        }
        return out
    }

    /// The tornado rankings for the terminal: per strategy and metric, the `top` parameters that
    /// move ES99 most, with the value at each bump and the derivative's standard error.
    public func tornadoText(top: Int = 8) -> String {
        var out = ""
        for t in tornado where !t.bars.isEmpty && t.bars.contains(where: { $0.swing > 0 }) {
            out += "\(t.strategy): \(t.metric) at \(NumberText.level(t.alpha)), base \(baseValue(t).map(Sweep.fixed) ?? "-")\n"
            var table = [["rank", "parameter", "low", "high", "swing", "d/dx", "se"]]
            for (k, bar) in t.bars.prefix(top).enumerated() where bar.swing > 0 {
                let match = self.row(for: t, parameter: bar.parameter)
                table.append([String(k + 1), bar.parameter, Sweep.fixed(bar.low), Sweep.fixed(bar.high),
                             Sweep.fixed(bar.swing), match?.derivative.map(Sweep.fixed) ?? "",
                             match?.se.map(Sweep.fixed) ?? ""])
            }
            out += TextTable.render(table, leftColumns: 2) + "\n"
        }
        return out.isEmpty ? "no parameter moves ES99 of the slashing or total loss\n" : out
    }

    func row(for t: Sensitivity.Tornado, parameter: String) -> Sensitivity.Row? {
        rows.first { $0.strategy == t.strategy && $0.metric == t.metric && $0.alpha == t.alpha && $0.parameter == parameter }
    }

    func baseValue(_ t: Sensitivity.Tornado) -> Double? {
        rows.first { $0.strategy == t.strategy && $0.metric == t.metric && $0.alpha == t.alpha }?.base
    }
}
