internal import COpenBLAS

/// Thread control for the BLAS library.
public enum BLAS {
    /// Holds OpenBLAS to one thread, so that Dispatch alone spreads work over the cores.
    ///
    /// Two thread pools on two cores fight each other; the engine parallelises over blocks.
    ///
    /// Its server threads are also stopped: started when the library loads, they would spin on
    /// `sched_yield` at the start of each run (docs/PERFORMANCE.md, fourth round), and
    /// single-threaded calls never use them.
    public static func useSingleThread() {
        openblas_set_num_threads(1)
        restake_blas_stop_threads()
    }
}
