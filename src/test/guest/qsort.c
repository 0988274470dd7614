/* qsort and bsearch on integers, doubles, strings and structs built from a fixed seed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 1; }

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct rec { int key; char name[12]; double score; };
static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
    return strcmp(x->name, y->name);
}

int main(void) {
    enum { N = 20000 };
    static int ints[N];
    static double dbls[N];
    for (int i = 0; i < N; i++) { ints[i] = (int)(rnd() % 100000) - 50000; dbls[i] = (double)rnd() / 7.0 - 1e8; }
    qsort(ints, N, sizeof ints[0], cmp_int);
    qsort(dbls, N, sizeof dbls[0], cmp_dbl);
    long long sum = 0;
    int sorted = 1;
    for (int i = 0; i < N; i++) { sum += (long long)ints[i] * (i % 97); if (i && ints[i - 1] > ints[i]) sorted = 0; }
    for (int i = 1; i < N; i++) if (dbls[i - 1] > dbls[i]) sorted = 0;
    printf("ints sorted=%d min=%d max=%d median=%d weighted=%lld\n", sorted, ints[0], ints[N - 1], ints[N / 2], sum);
    printf("dbls min=%.6f max=%.6f\n", dbls[0], dbls[N - 1]);
    for (int k = -50000; k <= 50000; k += 12500) {
        int *hit = bsearch(&k, ints, N, sizeof ints[0], cmp_int);
        printf("bsearch %d: %s\n", k, hit ? "found" : "absent");
    }

    enum { S = 3000 };
    static char storage[S][16];
    static char *strs[S];
    for (int i = 0; i < S; i++) {
        int len = 1 + rnd() % 14;
        for (int j = 0; j < len; j++) storage[i][j] = 'a' + rnd() % 26;
        storage[i][len] = 0;
        strs[i] = storage[i];
    }
    qsort(strs, S, sizeof strs[0], cmp_str);
    printf("strings: first=%s last=%s mid=%s\n", strs[0], strs[S - 1], strs[S / 2]);
    unsigned h = 0;
    for (int i = 0; i < S; i++) for (const char *p = strs[i]; *p; p++) h = h * 31 + (unsigned char)*p;
    printf("strings hash %08x\n", h);

    enum { R = 5000 };
    static struct rec recs[R];
    for (int i = 0; i < R; i++) {
        recs[i].key = rnd() % 100;
        snprintf(recs[i].name, sizeof recs[i].name, "n%06u", rnd() % 1000000);
        recs[i].score = (rnd() % 10000) / 100.0;
    }
    qsort(recs, R, sizeof recs[0], cmp_rec);
    double total = 0;
    for (int i = 0; i < R; i += 500) printf("rec %d: %d %s %.2f\n", i, recs[i].key, recs[i].name, recs[i].score);
    for (int i = 0; i < R; i++) total += recs[i].score * (i & 7);
    printf("rec total %.2f\n", total);
    return 0;
}
