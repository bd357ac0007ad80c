#ifndef RESTAKE_COPENBLAS_SHIM_H
#define RESTAKE_COPENBLAS_SHIM_H
// Debian puts cblas.h in the multiarch include folder and lapacke.h in /usr/include; both are
// on the default search path.
#include <cblas.h>
#include <lapacke.h>
// OpenBLAS's thread-count control (declared in its cblas.h as well; repeated so that a cblas.h
// from another vendor still compiles).
void openblas_set_num_threads(int num_threads);

// Stops OpenBLAS's server threads: they are started when the library loads and spin on
// sched_yield for ~0.1 s before they sleep, taking a core from the engine's workers at the
// start of every run. The threaded builds export `blas_thread_shutdown_` (not in any header);
// it is weak here so that a serial OpenBLAS, which has no threads to stop, still links.
int blas_thread_shutdown_(void) __attribute__((weak));
static inline void restake_blas_stop_threads(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}

#endif
