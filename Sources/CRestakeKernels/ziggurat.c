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

// Swift never fuses a * b + c; neither may this file, or the bits would differ.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

// Ziggurat.layerMask, signBit and signShift: layer bits 0-9, sign bit 10, abscissa bits 11-63.
#define LAYER_MASK 0x3FFu
#define SIGN_BIT 0x400u
#define SIGN_SHIFT 53

static inline uint64_t double_to_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

// The candidate abscissa of a draw: 53 bits times the layer's width (UniformBits.closedOpen01).
static inline double candidate(uint64_t b, const double *pairs) {
    return (double)(int64_t)(b >> 11) * 0x1p-53 * pairs[2 * (b & LAYER_MASK)];
}

static long rectangles_scalar(uint64_t *buf, long count, long r, const double *pairs,
                              int32_t *rejects, long capacity, long *n_io) {
    long n = *n_io;
    while (r < count && n < capacity) {
        uint64_t b = buf[r];
        double z = candidate(b, pairs);
        if (z < pairs[2 * (b & LAYER_MASK) + 1]) {
            buf[r] = double_to_bits(z) | ((b & SIGN_BIT) << SIGN_SHIFT);
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
__attribute__((target("avx2"), always_inline))
static inline int quad(uint64_t *buf, long r, const double *pairs) {
    const __m256i sign_bit = _mm256_set1_epi64x(SIGN_BIT);
    const __m256i one = _mm256_set1_epi64x(1);
    const __m256i exponent = _mm256_set1_epi64x(0x4330000000000000LL);  // the bits of 2^52
    const __m256d two52 = _mm256_set1_pd(0x1p52);
    const __m256d scale = _mm256_set1_pd(0x1p-53);
    __m256i b = _mm256_loadu_si256((const __m256i *)(buf + r));
    // Rows (x[i], x[i + 1]) as one 16-byte load each, transposed into x and x-next.
    __m128d p0 = _mm_loadu_pd(pairs + 2 * (buf[r] & LAYER_MASK));
    __m128d p1 = _mm_loadu_pd(pairs + 2 * (buf[r + 1] & LAYER_MASK));
    __m128d p2 = _mm_loadu_pd(pairs + 2 * (buf[r + 2] & LAYER_MASK));
    __m128d p3 = _mm_loadu_pd(pairs + 2 * (buf[r + 3] & LAYER_MASK));
    __m256d a02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(p0), p2, 1);
    __m256d a13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(p1), p3, 1);
    __m256d x = _mm256_unpacklo_pd(a02, a13);
    __m256d xnext = _mm256_unpackhi_pd(a02, a13);
    // b >> 11 (below 2^53) as a double, exactly: its halves through the 2^52 trick.
    __m256i k = _mm256_srli_epi64(b, 11);
    __m256d half = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(k, 1), exponent)), two52);
    __m256d odd = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(k, one), exponent)), two52);
    __m256d kd = _mm256_add_pd(_mm256_add_pd(half, half), odd);
    __m256d z = _mm256_mul_pd(_mm256_mul_pd(kd, scale), x);
    __m256i signed_z = _mm256_or_si256(
        _mm256_castpd_si256(z), _mm256_slli_epi64(_mm256_and_si256(b, sign_bit), SIGN_SHIFT));
    __m256d inside = _mm256_cmp_pd(z, xnext, _CMP_LT_OQ);
    __m256i out = _mm256_castpd_si256(_mm256_blendv_pd(
        _mm256_castsi256_pd(b), _mm256_castsi256_pd(signed_z), inside));
    _mm256_storeu_si256((__m256i *)(buf + r), out);
    return (~_mm256_movemask_pd(inside)) & 15;
}

__attribute__((target("avx2")))
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
    return __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}
