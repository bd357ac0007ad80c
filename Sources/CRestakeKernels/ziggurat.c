// The ziggurat's rectangle pass (RandomStream.fillNormals): every prefetched 64-bit value is one
// candidate, accepted where it falls inside its layer's rectangle (~99.6%). Swift holds the
// method's definition (RandomSource+Ziggurat.swift) and finishes the rejected candidates; this is
// the same arithmetic, operation for operation, so it gives the same bits: the tests compare it
// with a scalar Swift replica.
//
// Why C: the rows (x[i], x[i+1]) are read as 16-byte pairs and transposed into two vectors, which
// Swift's SIMD types cannot spell without lane-by-lane inserts. Why a separate pass for the
// rejections: each candidate's slot is fixed, so the pass has no data-dependent read position
// and no call inside its loop; the rare rejections are listed and finished afterwards.
#include "restake_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <string.h>

// Swift never fuses a * b + c; neither may this file, or the bits would differ (the one fused
// product below is exact by construction).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

// A draw's bits (Ziggurat.layer, candidate, signed): sign bit 0, layer bits 1-10, abscissa bits
// 12-63. `b & ROW_BITS` is the layer's row offset in `pairs` in units of 8 bytes.
#define ROW_BITS 0x7FEu

static inline uint64_t double_to_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static inline const double *row(const double *pairs, uint64_t b) {
    return (const double *)((const char *)pairs + 8 * (b & ROW_BITS));
}

// The candidate abscissa of a draw: 52 bits as a uniform in [0, 1) times the layer's width.
static inline double candidate(uint64_t b, const double *pairs) {
    return ((double)(int64_t)(b >> 12) * 0x1p-52) * row(pairs, b)[0];
}

static long rectangles_scalar(uint64_t *buf, long count, long r, const double *pairs,
                              int32_t *rejects, long capacity, long *n_io) {
    long n = *n_io;
    while (r < count && n < capacity) {
        uint64_t b = buf[r];
        double z = candidate(b, pairs);
        if (z < row(pairs, b)[1]) {
            buf[r] = double_to_bits(z) | (b << 63);
        } else {
            rejects[n++] = (int32_t)r;
        }
        r += 1;
    }
    *n_io = n;
    return r;
}

#if defined(__x86_64__)
// Four candidates from buf[r ..< r + 4], written back in place: accepted lanes as their signed
// normals, rejected lanes unchanged. Returns the rejected lanes as a 4-bit mask.
__attribute__((target("avx2,fma"), always_inline))
static inline int quad(uint64_t *buf, long r, const double *pairs) {
    const __m256i one_bits = _mm256_set1_epi64x(0x3FF0000000000000LL);  // the bits of 1.0
    __m256i b = _mm256_loadu_si256((const __m256i *)(buf + r));
    // Rows (x[i], x[i + 1]) as one 16-byte load each, transposed into x and x-next.
    __m128d p0 = _mm_loadu_pd(row(pairs, buf[r]));
    __m128d p1 = _mm_loadu_pd(row(pairs, buf[r + 1]));
    __m128d p2 = _mm_loadu_pd(row(pairs, buf[r + 2]));
    __m128d p3 = _mm_loadu_pd(row(pairs, buf[r + 3]));
    __m256d a02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(p0), p2, 1);
    __m256d a13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(p1), p3, 1);
    __m256d x = _mm256_unpacklo_pd(a02, a13);
    __m256d xnext = _mm256_unpackhi_pd(a02, a13);
    // m = 1 + u exactly (the abscissa bits under 1.0's exponent), and m x - x = u x with the
    // scalar path's single rounding.
    __m256d m = _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(b, 12), one_bits));
    __m256d z = _mm256_fmsub_pd(m, x, x);
    __m256i signed_z = _mm256_or_si256(_mm256_castpd_si256(z), _mm256_slli_epi64(b, 63));
    __m256d inside = _mm256_cmp_pd(z, xnext, _CMP_LT_OQ);
    __m256i out = _mm256_castpd_si256(_mm256_blendv_pd(
        _mm256_castsi256_pd(b), _mm256_castsi256_pd(signed_z), inside));
    _mm256_storeu_si256((__m256i *)(buf + r), out);
    return (~_mm256_movemask_pd(inside)) & 15;
}

__attribute__((target("avx2,fma")))
static long rectangles_avx2(uint64_t *buf, long count, long r, const double *pairs,
                            int32_t *rejects, long capacity, long *n_io) {
    long n = *n_io;
    // Eight candidates a step while the list has room for all of them.
    while (count - r >= 8 && capacity - n >= 8) {
        int rejected = quad(buf, r, pairs) | (quad(buf, r + 4, pairs) << 4);
        while (rejected) {  // ~3% of octets
            rejects[n++] = (int32_t)(r + __builtin_ctz(rejected));
            rejected &= rejected - 1;
        }
        r += 8;
    }
    *n_io = n;
    return rectangles_scalar(buf, count, r, pairs, rejects, capacity, n_io);
}
#endif

long restake_ziggurat_rectangles(uint64_t *buffer, long count, long start, const double *pairs,
                                 int32_t *rejects, long capacity, long *rejected, int vector) {
#if defined(__x86_64__)
    if (vector) return rectangles_avx2(buffer, count, start, pairs, rejects, capacity, rejected);
#endif
    (void)vector;
    return rectangles_scalar(buffer, count, start, pairs, rejects, capacity, rejected);
}

int restake_has_avx2(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
