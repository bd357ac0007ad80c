import RealModule

extension BlockWorkspace {
    /// The largest log price ratio used, either way (e^700 ~ 1e304): beyond it `exp` overflows
    /// or a ratio of two prices divides by zero.
    static let logPriceCeiling = 700.0

    /// Step 1: every needed asset's log return, from its factor mapped to a Gaussian marginal
    /// (MODEL.md v2: `x = Phi^-1(F_nu(t))` under the t copula), plus jumps and stress returns.
    func movePrices(model: CompiledModel, keys: DrawKeys, firstPath: Int, step t: Int, stress: CompiledModel.StressStep?) {
        let n = blockSize
        for (a, asset) in model.assets.enumerated() where model.needsPrice[a] {
            let drawn = draws + asset.factorIndex * n
            let x: UnsafePointer<Double>
            if let transform = marginal {
                transform.apply(drawn, into: normals, count: n)
                x = UnsafePointer(normals)
            } else {
                x = UnsafePointer(drawn)
            }
            let lp = logPrice + a * n, rp = relativePrice + a * n
            let drift = asset.logDriftPerStep, scale = asset.shockScale
            for p in 0..<n { lp[p] += drift + scale * x[p] }
            if asset.jumpProbability > 0 {
                KeyedStream.fillUniforms(keys.jumpOccurrence[a], firstPath: firstPath, count: n, step: t, into: uniforms)
                let probability = asset.jumpProbability
                Self.forEachPath(below: probability, in: uniforms, count: n) { p in
                    var stream = KeyedStream(keys.jumpSize[a], path: firstPath + p, step: t)
                    lp[p] += asset.jumpMean + asset.jumpSD * stream.nextNormal()
                }
            }
            if let stress {
                for shock in stress.assetReturns where shock.asset == a {
                    for p in 0..<n { lp[p] += shock.logReturn }
                }
            }
            let ceiling = Self.logPriceCeiling
            for p in 0..<n { rp[p] = min(max(lp[p], -ceiling), ceiling) }
            VectorMath.exp(rp, into: rp, count: n)
        }
    }

    /// Step 2's draws: every AVS's incidents (vetoes applied) and every operator's faults, as
    /// compacted lists shared by all strategies.
    func drawEvents(model: CompiledModel, keys: DrawKeys, firstPath: Int, step t: Int, stress: CompiledModel.StressStep?) {
        let n = blockSize
        for (j, service) in model.services.enumerated() {
            hits[j].count = 0
            incidents[j].count = 0
            let z = draws + service.factorIndex * n
            let threshold = service.threshold
            let veto = service.vetoProbability
            Self.forEachPath(below: threshold, in: z, count: n) { p in
                incidents[j].append(p, 0)
                if veto > 0 {
                    var stream = KeyedStream(keys.veto[j], path: firstPath + p, step: t)
                    if stream.nextUniform() < veto { return }
                }
                hits[j].append(p, service.severity.draw(keys.severity[j], path: firstPath + p, step: t))
            }
            if let stress {
                // A forced incident is never vetoed; it comes after any drawn one of the step.
                for forced in stress.incidents where forced.service == j {
                    for p in 0..<n { hits[j].append(p, forced.severity); incidents[j].append(p, 0) }
                }
            }
        }
        for (o, op) in model.operators.enumerated() {
            faults[o].count = 0
            let z = draws + op.factorIndex * n
            let threshold = op.threshold
            Self.forEachPath(below: threshold, in: z, count: n) { p in
                faults[o].append(p, op.severity.draw(keys.fault[o], path: firstPath + p, step: t))
            }
            if let stress {
                for forced in stress.faults where forced.operator == o {
                    for p in 0..<n { faults[o].append(p, forced.severity) }
                }
            }
        }
    }

    /// Step 4: every token's discount (shared by every strategy that holds it): decay, stress
    /// floor, drawn shock, incident jumps (vetoed incidents included), clip.
    func moveDepegs(model: CompiledModel, keys: DrawKeys, firstPath: Int, step t: Int, stress: CompiledModel.StressStep?) {
        let n = blockSize
        for (i, token) in model.tokens.enumerated() {
            let z = draws + token.factorIndex * n
            let d = depeg + i * n, r = ratio + i * n
            let decay = token.decayPerStep
            for p in 0..<n { d[p] *= decay }
            if let stress {
                for floor in stress.depegs where floor.token == i {
                    let x = floor.discount
                    for p in 0..<n { d[p] = max(d[p], x) }
                }
            }
            let threshold = token.threshold
            Self.forEachPath(below: threshold, in: z, count: n) { p in
                d[p] += token.severity.draw(keys.depegSize[i], path: firstPath + p, step: t)
            }
            if token.incidentJump != 0 {
                let jump = token.incidentJump
                for j in token.exposedTo {
                    let list = incidents[j]
                    for k in 0..<list.count { d[Int(list.paths[k])] += jump }
                }
            }
            let maximum = token.maximum
            for p in 0..<n {
                let x = min(max(d[p], 0), maximum)
                d[p] = x; r[p] = 1 - x
            }
        }
    }
}
