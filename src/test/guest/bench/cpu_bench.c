/* CPU benchmark for kava: sorting, hashing, a matrix multiply and a branchy interpreter loop.
   Deterministic; prints one checksum per part and a total. Sized for about 1-3 s under qemu. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x123456789ABCDEFull;
static uint64_t next(void) { rng ^= rng << 7; rng ^= rng >> 9; return rng; }

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Part 1: sorting: qsort plus a hand-written merge sort. */
static uint64_t bench_sort(void) {
    enum { N = 200000 };
    uint32_t *a = malloc(N * sizeof *a), *tmp = malloc(N * sizeof *a);
    uint64_t sum = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) a[i] = (uint32_t)next();
        if (round & 1) {
            qsort(a, N, sizeof *a, cmp_u32);
        } else {
            for (int w = 1; w < N; w *= 2) {
                for (int lo = 0; lo < N; lo += 2 * w) {
                    int mid = lo + w < N ? lo + w : N, hi = lo + 2 * w < N ? lo + 2 * w : N;
                    int i = lo, j = mid, k = lo;
                    while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
                    while (i < mid) tmp[k++] = a[i++];
                    while (j < hi) tmp[k++] = a[j++];
                }
                uint32_t *t = a; a = tmp; tmp = t;
            }
        }
        for (int i = 0; i < N; i += 1000) sum = sum * 31 + a[i];
    }
    free(a);
    free(tmp);
    return sum;
}

/* Part 2: hashing: FNV-1a and a CRC-32 over a buffer, many passes. */
static uint64_t bench_hash(void) {
    enum { N = 1 << 18 };
    uint8_t *buf = malloc(N);
    for (int i = 0; i < N; i++) buf[i] = (uint8_t)next();
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint64_t h = 0xcbf29ce484222325ull;
    uint32_t crc = 0xFFFFFFFFu;
    for (int pass = 0; pass < 20; pass++) {
        for (int i = 0; i < N; i++) { h ^= buf[i]; h *= 0x100000001b3ull; }
        for (int i = 0; i < N; i++) crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
        buf[pass] ^= (uint8_t)h;
    }
    free(buf);
    return h ^ crc;
}

/* Part 3: double-precision matrix multiply. */
static uint64_t bench_matmul(void) {
    enum { N = 200 };
    double *a = malloc(N * N * sizeof *a), *b = malloc(N * N * sizeof *b), *c = calloc(N * N, sizeof *c);
    for (int i = 0; i < N * N; i++) { a[i] = (double)(next() % 1000) / 100.0; b[i] = (double)(next() % 1000) / 250.0; }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            double aik = a[i * N + k];
            for (int j = 0; j < N; j++) c[i * N + j] += aik * b[k * N + j];
        }
    double trace = 0;
    for (int i = 0; i < N; i++) trace += c[i * N + i] + c[i * N + (N - 1 - i)];
    free(a); free(b); free(c);
    uint64_t bits;
    memcpy(&bits, &trace, sizeof bits);
    return bits;
}

/* Part 4: a branchy bytecode interpreter (switch dispatch) running a Collatz search. */
enum { OP_LOAD, OP_STORE, OP_ADDI, OP_MUL3, OP_HALVE, OP_JODD, OP_JNE1, OP_JLT, OP_INC, OP_MAX, OP_JMP, OP_HALT };
static uint64_t bench_interp(void) {
    /* r0 = n, r1 = x, r2 = steps, r3 = limit, r4 = best, r5 = total */
    static const int prog[][3] = {
        /* 0 */ {OP_LOAD, 1, 0},        /* x = n */
        /* 1 */ {OP_JNE1, 1, 3},        /* if x != 1 goto 3 */
        /* 2 */ {OP_JMP, 8, 0},
        /* 3 */ {OP_JODD, 1, 6},        /* if x odd goto 6 */
        /* 4 */ {OP_HALVE, 1, 0},
        /* 5 */ {OP_JMP, 7, 0},
        /* 6 */ {OP_MUL3, 1, 0},        /* x = 3x + 1 */
        /* 7 */ {OP_INC, 2, 1},         /* steps++, goto 1 */
        /* 8 */ {OP_MAX, 4, 2},         /* best = max(best, steps); total += steps; steps = 0 */
        /* 9 */ {OP_ADDI, 0, 1},        /* n++ */
        /* 10 */ {OP_JLT, 0, 0},        /* if n < limit goto 0 */
        /* 11 */ {OP_HALT, 0, 0},
    };
    uint64_t r[8] = {1, 0, 0, 250000, 0, 0};
    int pc = 0;
    for (;;) {
        const int *in = prog[pc];
        switch (in[0]) {
            case OP_LOAD: r[in[1]] = r[in[2]]; pc++; break;
            case OP_STORE: r[in[2]] = r[in[1]]; pc++; break;
            case OP_ADDI: r[in[1]] += (uint64_t)in[2]; pc++; break;
            case OP_MUL3: r[in[1]] = 3 * r[in[1]] + 1; pc++; break;
            case OP_HALVE: r[in[1]] >>= 1; pc++; break;
            case OP_JODD: pc = (r[in[1]] & 1) ? in[2] : pc + 1; break;
            case OP_JNE1: pc = r[in[1]] != 1 ? in[2] : pc + 1; break;
            case OP_JLT: pc = r[in[1]] < r[3] ? in[2] : pc + 1; break;
            case OP_INC: r[in[1]]++; pc = in[2]; break;
            case OP_MAX: if (r[in[2]] > r[in[1]]) r[in[1]] = r[in[2]]; r[5] += r[in[2]]; r[in[2]] = 0; pc++; break;
            case OP_JMP: pc = in[1]; break;
            case OP_HALT: return r[4] * 1000003 + r[5];
        }
    }
}

int main(void) {
    uint64_t s = bench_sort(), h = bench_hash(), m = bench_matmul(), i = bench_interp();
    printf("sort   %016llx\nhash   %016llx\nmatmul %016llx\ninterp %016llx\n", (unsigned long long)s,
           (unsigned long long)h, (unsigned long long)m, (unsigned long long)i);
    printf("checksum %016llx\n", (unsigned long long)(s ^ h * 3 ^ m * 5 ^ i * 7));
    return 0;
}
