internal import COpenBLAS

/// Thread control for the BLAS library.
public enum BLAS {
    /// Holds OpenBLAS to one thread, so that Dispatch alone spreads work over the cores.
    ///
    /// Two thread pools on two cores fight each other; the engine parallelises over blocks.
    ///
    /// Its server threads are also stopped: started when the library loads, they would spin for
    /// about 0.1 s at the start of each run (measured at 7% of a 1.5 s run's samples) and are
    /// not needed by single-threaded calls. Stopping them when none run costs nothing.
    public static func useSingleThread() {
        openblas_set_num_threads(1)
        restake_blas_stop_threads()
    }
}
