#ifndef RESTAKE_COPENBLAS_SHIM_H
#define RESTAKE_COPENBLAS_SHIM_H
// Debian puts cblas.h in the multiarch include folder and lapacke.h in /usr/include; both are
// on the default search path.
#include <cblas.h>
#include <lapacke.h>
// OpenBLAS's thread-count control (declared in its cblas.h as well; repeated so that a cblas.h
// from another vendor still compiles).
void openblas_set_num_threads(int num_threads);

// A write prefetch, which Swift has no spelling for: the fan histograms' counters are touched at
// random, and asking for the line a few values ahead hides most of the cache misses.
static inline void restake_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

// The number of leading values at or below x in an ascending array, without data-dependent
// branches (the ternary becomes a conditional move; Swift's optimiser turned the same code back
// into a mispredicted branch). The fan histograms run it once per path, strategy and time.
static inline long restake_upper_bound(const double *values, long count, double x) {
    if (count <= 0) return 0;
    const double *base = values;
    long n = count;
    while (n > 1) {
        long half = n >> 1;
        base = (base[half - 1] <= x) ? base + half : base;
        n -= half;
    }
    return (long)(base - values) + (*base <= x);
}
#endif
