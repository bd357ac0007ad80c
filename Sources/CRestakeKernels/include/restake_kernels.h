#ifndef RESTAKE_KERNELS_H
#define RESTAKE_KERNELS_H
// The engine's own C helpers: what Swift has no spelling for. Kept apart from the OpenBLAS
// module, which holds only the system library's headers.

// The number of leading values at or below x in an ascending array, written without a
// data-dependent branch (the ternary is meant as a conditional move; Swift's optimiser turned
// the same code back into a mispredicted branch). The fan histograms run it when a guide slot
// spans many edges.
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
