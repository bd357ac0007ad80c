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

// Turns the prefetched 64-bit values buffer[*read ..< count] into standard normals written
// from buffer[*write] on, by the 256-layer ziggurat of RandomSource (same arithmetic, same
// bits). `table` is Ziggurat.table (x[0...256] then f[0...256]); `pairs` holds the rows
// (x[i], x[i + 1]) for i in 0..<256. Stops when every value is read, or at a draw whose slow
// path needs values past the buffer: *read is then that draw's first value and *write its
// slot, for the caller to redo from the stream. `vector` (see restake_has_avx2) selects the
// AVX2 fast path; both give the same bits.
void restake_ziggurat_fill(uint64_t *buffer, long count, long *write, long *read,
                           const double *table, const double *pairs, int vector);

// Whether this CPU runs AVX2 (the vector fast path of restake_ziggurat_fill).
int restake_has_avx2(void);

#endif
