#ifndef RESTAKE_KERNELS_H
#define RESTAKE_KERNELS_H
// The engine's own C helpers: what Swift has no spelling for. Kept apart from the OpenBLAS
// module, which holds only the system library's headers.

#include <stdint.h>

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

// The ziggurat's rectangle pass over buffer[start ..< count] (64-bit values, one candidate
// each), by the 1,024-layer method of RandomSource (same arithmetic, same bits). An accepted
// candidate's slot gets its normal's bits; a rejected one keeps its value and its index is
// appended to rejects[*rejected ..< capacity]. Stops at the end of the buffer or when the list is
// full, and returns the position reached. `pairs` holds the rows (x[i], x[i + 1]) of
// Ziggurat.table for i in 0..<1024. `vector` (see restake_has_avx2) selects the AVX2 path; both
// give the same bits.
long restake_ziggurat_rectangles(uint64_t *buffer, long count, long start, const double *pairs,
                                 int32_t *rejects, long capacity, long *rejected, int vector);

// Whether this CPU runs AVX2 and FMA (the vector path of restake_ziggurat_rectangles).
int restake_has_avx2(void);

#endif
