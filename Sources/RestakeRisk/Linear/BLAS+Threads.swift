internal import COpenBLAS

/// Thread control for the BLAS library.
public enum BLAS {
    /// Holds OpenBLAS to one thread, so that Dispatch alone spreads work over the cores.
    ///
    /// Two thread pools on two cores fight each other; the engine parallelises over blocks.
    public static func useSingleThread() {
        openblas_set_num_threads(1)
    }
}
