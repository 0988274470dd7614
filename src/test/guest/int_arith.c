/* Integer arithmetic: 32/64-bit ops, shifts, division corner cases, __int128 multiply and divide. */
#include <stdint.h>
#include <stdio.h>
#include <limits.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { /* xorshift64* */
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 0x2545F4914F6CDD1Dull;
}

static void print_u128(const char *label, unsigned __int128 v) {
    printf("%s %016llx%016llx\n", label, (unsigned long long)(v >> 64), (unsigned long long)v);
}

/* Keep the compiler from folding the interesting operations away. */
static int64_t __attribute__((noipa)) div64(int64_t a, int64_t b) { return a / b; }
static int64_t __attribute__((noipa)) rem64(int64_t a, int64_t b) { return a % b; }
static int32_t __attribute__((noipa)) div32(int32_t a, int32_t b) { return a / b; }
static uint32_t __attribute__((noipa)) divu32(uint32_t a, uint32_t b) { return a / b; }

int main(void) {
    uint64_t acc = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t a = next(), b = next();
        int64_t sa = (int64_t)a, sb = (int64_t)b | 1;
        acc += a * b;
        acc ^= (a >> (b & 63)) | (a << ((b >> 8) & 63));
        acc += (uint64_t)(sa >> (b & 63));
        acc += (uint64_t)div64(sa, sb) + (uint64_t)rem64(sa, sb);
        acc += a / (b | 1) + a % (b | 1);
        int32_t x = (int32_t)a, y = (int32_t)b | 1;
        acc += (uint64_t)(int64_t)(x * y) + (uint64_t)(int64_t)div32(x, y) + divu32((uint32_t)a, (uint32_t)b | 1);
        acc += (uint64_t)(int64_t)(int32_t)((uint32_t)x << (b & 31));
        acc += __builtin_popcountll(a) + __builtin_clzll(a | 1) + __builtin_ctzll(b | (1ull << 63));
    }
    printf("mix %016llx\n", (unsigned long long)acc);

    /* Division corner cases. Overflow and division by zero are undefined in C but defined by
       RISC-V (no trap: x/0 = -1, x%0 = x, MIN/-1 = MIN, MIN%-1 = 0); noipa keeps the real
       instructions. */
    printf("min/-1 %lld %lld\n", (long long)div64(LLONG_MIN, -1), (long long)rem64(LLONG_MIN, -1));
    printf("x/0 %lld %lld %d %u\n", (long long)div64(12345, 0), (long long)rem64(-12345, 0), div32(77, 0), divu32(77, 0));
    printf("div %lld %lld %lld %lld\n", (long long)div64(-7, 2), (long long)rem64(-7, 2),
           (long long)div64(7, -2), (long long)rem64(7, -2));
    printf("div32 %d %d\n", div32(INT_MIN + 1, -1), div32(-9, 4));

    unsigned __int128 p = 1;
    for (int i = 0; i < 40; i++) {
        unsigned __int128 a = ((unsigned __int128)next() << 64) | next();
        unsigned __int128 b = next() | 1;
        unsigned __int128 q = a / b, r = a % b;
        if (q * b + r != a || r >= b) printf("bad u128 div at %d\n", i);
        p = p * a + q;
        __int128 sa = (__int128)a, sb = -(__int128)(b >> 1) - 1;
        __int128 sq = sa / sb, sr = sa % sb;
        if (sq * sb + sr != sa) printf("bad s128 div at %d\n", i);
        p ^= (unsigned __int128)sq + (unsigned __int128)sr;
    }
    print_u128("u128", p);
    unsigned __int128 m = (unsigned __int128)UINT64_MAX * UINT64_MAX;
    print_u128("maxsq", m);
    print_u128("big/3", (((unsigned __int128)1 << 127) + 12345) / 3);
    long long hi = (long long)(((__int128)INT64_MIN * 3) >> 64);
    printf("mulh %lld\n", hi);
    printf("umulh %llu\n", (unsigned long long)(((unsigned __int128)0xFFFFFFFFFFFFFFFFull * 0xFEDCBA9876543210ull) >> 64));
    return 0;
}
