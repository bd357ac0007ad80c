import Foundation
import RestakeRisk
import Synchronization

/// A progress bar on stderr with paths per second and time left, redrawn up to ten times a second.
final class ProgressDisplay: Sendable {
    private let done = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts drawing on a background thread; nil when disabled (stderr not a terminal, --quiet).
    static func start(progress: SimulationProgress, totalBlocks: Int, enabled: Bool) -> ProgressDisplay? {
        guard enabled else { return nil }
        let display = ProgressDisplay()
        let start = Date()
        Thread.detachNewThread {
            while !display.done.load(ordering: .acquiring) {
                let blocks = progress.completedBlocks
                let elapsed = Date().timeIntervalSince(start)
                let fraction = Double(blocks) / Double(max(totalBlocks, 1))
                let rate = Double(blocks * Simulation.blockSize) / max(elapsed, 1e-9)
                let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                let line = String(format: "\r[%@] %3.0f%%  %.2f M paths/s  ETA %.0fs ", bar, fraction * 100, rate / 1e6, eta)
                FileHandle.standardError.write(Data(line.utf8))
                Thread.sleep(forTimeInterval: 0.1)
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            display.finished.signal()
        }
        return display
    }

    /// Stops drawing and clears the line.
    func finish() {
        done.store(true, ordering: .releasing)
        finished.wait()
    }
}
