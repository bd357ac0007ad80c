import Foundation
import RestakeRisk

/// SIGINT, SIGTERM and SIGHUP end a run cleanly: the progress line is cleared, every staging
/// folder is removed (the output folder keeps what it held), and the exit code is 128 + signal
/// (130, 143, 129) as shells expect.
///
/// The signals are blocked in every thread and taken by one thread with `sigwait`, so the
/// clean-up runs as ordinary code, not in a signal handler.
enum Signals {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Blocks the signals and starts the thread that waits for them. Call before any other thread
    /// starts, so that every thread inherits the mask.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in handled { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waited = set
        let waiter = Thread {
            var signal: Int32 = 0
            var set = waited
            while sigwait(&set, &signal) != 0 {}
            ProgressDisplay.clearLine()
            OutputDirectory.abandonAll()
            let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGHUP"
            FileHandle.standardError.write(Data("interrupted (\(name)): run stopped, no partial output left behind\n".utf8))
            fflush(nil)
            _exit(128 + signal)
        }
        waiter.start()
    }
}
