import Foundation
import RestakeRisk
import Synchronization

/// A progress line on stderr: paths done of total, elapsed time, a rate in units that show, and
/// the time left estimated from the start; redrawn up to ten times a second.
final class ProgressDisplay: Sendable {
    private let done = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Whether a progress line is on screen, so an interrupt knows to clear it.
    private static let visible = Atomic<Bool>(false)

    /// Starts drawing on a background thread; nil when disabled (stderr not a terminal, --quiet).
    static func start(progress: SimulationProgress, totalBlocks: Int, totalPaths: Int,
                      enabled: Bool) -> ProgressDisplay? {
        guard enabled else { return nil }
        let display = ProgressDisplay()
        let start = Date()
        Thread.detachNewThread {
            while !display.done.load(ordering: .acquiring) {
                let elapsed = Date().timeIntervalSince(start)
                let line = Self.line(blocks: progress.completedBlocks, totalBlocks: totalBlocks,
                                     totalPaths: totalPaths, elapsed: elapsed)
                visible.store(true, ordering: .releasing)
                FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
                Thread.sleep(forTimeInterval: 0.1)
            }
            clearLine()
            display.finished.signal()
        }
        return display
    }

    /// One progress line, e.g. `[####      ]  40%  40,960/102,400 paths  12 s  3.4 k paths/s  ETA 18 s`.
    static func line(blocks: Int, totalBlocks: Int, totalPaths: Int, elapsed: Double) -> String {
        let fraction = min(1, Double(blocks) / Double(max(totalBlocks, 1)))
        let pathsDone = min(totalPaths, blocks * Simulation.blockSize)
        let width = 20
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        var parts = ["[\(bar)] \(String(format: "%3.0f%%", fraction * 100))",
                     "\(grouped(pathsDone))/\(grouped(totalPaths)) paths",
                     duration(elapsed)]
        if blocks > 0 && elapsed > 0 {
            parts.append(rate(Double(pathsDone) / elapsed))
            // From the start: the rate so far, applied to what is left.
            parts.append("ETA " + duration(elapsed * (1 - fraction) / fraction))
        } else {
            parts.append("ETA -")
        }
        return parts.joined(separator: "  ")
    }

    /// A rate with a unit that keeps three significant digits: `850 paths/s`, `11.2 k paths/s`.
    static func rate(_ perSecond: Double) -> String {
        if perSecond >= 1e6 { return String(format: "%.2f M paths/s", perSecond / 1e6) }
        if perSecond >= 1e3 { return String(format: "%.1f k paths/s", perSecond / 1e3) }
        return String(format: "%.0f paths/s", perSecond)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }

    /// Clears the progress line if one is showing.
    static func clearLine() {
        if visible.exchange(false, ordering: .acquiringAndReleasing) {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }

    /// Stops drawing and clears the line.
    func finish() {
        done.store(true, ordering: .releasing)
        finished.wait()
    }
}
