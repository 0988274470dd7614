/* A dynamically linked PIE: the kernel loads it and ld.so (PT_INTERP), ld.so maps libc and libm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    (void)argv;
    const char *words[] = {"pear", "apple", "fig", "banana", "cherry"};
    qsort(words, 5, sizeof words[0], cmp);
    for (int i = 0; i < 5; i++) printf("%s%c", words[i], i < 4 ? ' ' : '\n');
    volatile double x = 2.0;
    printf("argc %d sqrt %.17g cbrt %a lgamma %a\n", argc, sqrt(x), cbrt(x), lgamma(x + 0.5));
    char *p = malloc(1 << 20);
    memset(p, 7, 1 << 20);
    long sum = 0;
    for (int i = 0; i < 1 << 20; i += 4096) sum += p[i];
    printf("malloc sum %ld\n", sum);
    free(p);
    return 3;
}
