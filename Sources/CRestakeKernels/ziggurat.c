// The ziggurat's normal fill (RandomStream.fillNormals) over a buffer of prefetched 64-bit
// values. Swift holds the sequence's definition (RandomSource+Ziggurat.swift); this is the same
// arithmetic, operation for operation, so it gives the same bits: the tests compare the two.
//
// Why C: the fast path checks eight candidates at once with table rows read as 16-byte pairs,
// which Swift's SIMD types cannot spell without lane-by-lane inserts, and the slow path stays in
// this loop instead of leaving it for every rejected candidate.
#include "restake_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <math.h>
#include <string.h>

// Swift never fuses a * b + c; neither may this file, or the bits would differ.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

static inline uint64_t double_to_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

// UniformBits.open01: (k + 0.5) 2^-52 from the top 52 bits.
static inline double open01(uint64_t b) { return ((double)(b >> 12) + 0.5) * 0x1p-52; }

// The candidate abscissa of a draw: 53 bits times the layer's width (UniformBits.closedOpen01).
static inline double candidate(uint64_t b, const double *x) {
    return (double)(int64_t)(b >> 11) * 0x1p-53 * x[b & 0xFF];
}

// The slow path of RandomSource.zigguratSlowPath for the candidate in `b`, reading its further
// values from buf[*cursor ..< count]. Returns 0 when those run out (the caller redoes the draw
// from the stream), else 1 with the normal's bits in *result.
static int slow_path(uint64_t b, const uint64_t *buf, long *cursor, long count, const double *t,
                     uint64_t *result) {
    const double *f = t + 257;
    const double r = t[1];  // where the tail starts (Ziggurat.r)
    long c = *cursor;
    long i = (long)(b & 0xFF);
    double z = candidate(b, t);
    for (;;) {
        int negative = (b & 0x100) != 0;
        if (i == 0) {
            double a, e;
            do {
                if (count - c < 2) return 0;
                a = -log(open01(buf[c])) / r;
                e = -log(open01(buf[c + 1]));
                c += 2;
            } while (e + e <= a * a);
            *result = double_to_bits(negative ? -(r + a) : r + a);
            *cursor = c;
            return 1;
        }
        if (c >= count) return 0;
        double y = f[i] + open01(buf[c]) * (f[i + 1] - f[i]);
        c += 1;
        if (y < exp(-0.5 * z * z)) {
            *result = double_to_bits(negative ? -z : z);
            *cursor = c;
            return 1;
        }
        if (c >= count) return 0;
        b = buf[c];
        c += 1;
        i = (long)(b & 0xFF);
        z = candidate(b, t);
        if (z < t[i + 1]) {
            *result = double_to_bits(z) | ((b & 0x100) << 55);
            *cursor = c;
            return 1;
        }
    }
}

// One value at read position *r into write position *w; 0 when its slow path ran out of values.
static inline int one_value(uint64_t *buf, long count, long *w, long *r, const double *t) {
    uint64_t b = buf[*r];
    double z = candidate(b, t);
    uint64_t out;
    long cursor = *r + 1;
    if (z < t[(b & 0xFF) + 1]) {
        out = double_to_bits(z) | ((b & 0x100) << 55);
    } else if (!slow_path(b, buf, &cursor, count, t, &out)) {
        return 0;
    }
    buf[*w] = out;
    *w += 1;
    *r = cursor;
    return 1;
}

static void fill_scalar(uint64_t *buf, long count, long *w_io, long *r_io, const double *t) {
    long w = *w_io, r = *r_io;
    while (r < count && one_value(buf, count, &w, &r, t)) {}
    *w_io = w;
    *r_io = r;
}

#if defined(__x86_64__)
// Four candidates from buf[r ..< r + 4]: their signed normals in *z, the lanes inside their
// rectangles as a 4-bit mask.
__attribute__((target("avx2"), always_inline))
static inline int quad(const uint64_t *buf, long r, const double *pairs, __m256i *z_out) {
    const __m256i sign_bit = _mm256_set1_epi64x(0x100);
    const __m256i one = _mm256_set1_epi64x(1);
    const __m256i exponent = _mm256_set1_epi64x(0x4330000000000000LL);  // the bits of 2^52
    const __m256d two52 = _mm256_set1_pd(0x1p52);
    const __m256d scale = _mm256_set1_pd(0x1p-53);
    __m256i b = _mm256_loadu_si256((const __m256i *)(buf + r));
    // Rows (x[i], x[i + 1]) as one 16-byte load each, transposed into x and x-next.
    __m128d p0 = _mm_loadu_pd(pairs + 2 * (buf[r] & 0xFF));
    __m128d p1 = _mm_loadu_pd(pairs + 2 * (buf[r + 1] & 0xFF));
    __m128d p2 = _mm_loadu_pd(pairs + 2 * (buf[r + 2] & 0xFF));
    __m128d p3 = _mm_loadu_pd(pairs + 2 * (buf[r + 3] & 0xFF));
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
    *z_out = _mm256_or_si256(
        _mm256_castpd_si256(z), _mm256_slli_epi64(_mm256_and_si256(b, sign_bit), 55));
    return _mm256_movemask_pd(_mm256_cmp_pd(z, xnext, _CMP_LT_OQ));
}

// Stores the first `lanes` (0...4) values of z at buf[w]. Only those: past them, when w == r,
// lie the values a slow path reads next.
__attribute__((target("avx2"), always_inline))
static inline void store_prefix(uint64_t *buf, long w, __m256i z, int lanes) {
    __m256i mask = _mm256_cmpgt_epi64(_mm256_set1_epi64x(lanes), _mm256_setr_epi64x(0, 1, 2, 3));
    _mm256_maskstore_epi64((long long *)(buf + w), mask, z);
}

__attribute__((target("avx2")))
static void fill_avx2(uint64_t *buf, long count, long *w_io, long *r_io, const double *t,
                      const double *pairs) {
    long w = *w_io, r = *r_io;
    while (r < count) {
        // Eight at a time while all are inside (~89% of octets); no call in this loop, so its
        // constants stay in registers.
        while (count - r >= 8) {
            __m256i za, zb;
            int inside = quad(buf, r, pairs, &za) | (quad(buf, r + 4, pairs, &zb) << 4);
            if (inside != 255) {
                int accepted = __builtin_ctz(~inside);
                store_prefix(buf, w, za, accepted < 4 ? accepted : 4);
                if (accepted > 4) store_prefix(buf, w + 4, zb, accepted - 4);
                w += accepted;
                r += accepted;
                goto slow;
            }
            _mm256_storeu_si256((__m256i *)(buf + w), za);
            _mm256_storeu_si256((__m256i *)(buf + w + 4), zb);
            w += 8;
            r += 8;
        }
        if (count - r >= 4) {
            __m256i za;
            int inside = quad(buf, r, pairs, &za);
            int accepted = inside == 15 ? 4 : __builtin_ctz(~inside);
            store_prefix(buf, w, za, accepted);
            w += accepted;
            r += accepted;
            if (accepted == 4) continue;
        }
    slow:
        // A rejected candidate, or one of the last three values.
        if (r >= count || !one_value(buf, count, &w, &r, t)) break;
    }
    *w_io = w;
    *r_io = r;
}
#endif

void restake_ziggurat_fill(uint64_t *buffer, long count, long *write, long *read,
                           const double *table, const double *pairs, int vector) {
#if defined(__x86_64__)
    if (vector) {
        fill_avx2(buffer, count, write, read, table, pairs);
        return;
    }
#endif
    (void)pairs;
    (void)vector;
    fill_scalar(buffer, count, write, read, table);
}

int restake_has_avx2(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}
