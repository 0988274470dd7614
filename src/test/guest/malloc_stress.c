/* malloc, calloc, realloc and free over many sizes: small bins, brk growth and mmap'd chunks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s = 88172645463325252ull;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

static void fill(unsigned char *p, size_t n, unsigned tag) { for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(tag + i * 31); }
static int check(const unsigned char *p, size_t n, unsigned tag) {
    for (size_t i = 0; i < n; i++) if (p[i] != (unsigned char)(tag + i * 31)) return 0;
    return 1;
}

int main(void) {
    enum { SLOTS = 500 };
    static unsigned char *ptr[SLOTS];
    static size_t size[SLOTS];
    static unsigned tag[SLOTS];
    unsigned long ops = 0, bad = 0, bytes = 0;
    for (int round = 0; round < 3000; round++) {
        int i = (int)(rnd() % SLOTS);
        uint64_t r = rnd();
        if (ptr[i]) {
            if (!check(ptr[i], size[i], tag[i])) bad++;
            if (r % 3 == 0) {
                /* realloc: grow or shrink, contents must survive */
                size_t ns = (r >> 8) % 4 == 0 ? (r >> 16) % 200000 + 1 : (r >> 16) % 2000 + 1;
                unsigned char *q = realloc(ptr[i], ns);
                if (!q) { printf("realloc failed\n"); return 1; }
                size_t keep = ns < size[i] ? ns : size[i];
                if (!check(q, keep, tag[i])) bad++;
                ptr[i] = q;
                size[i] = ns;
                fill(q, ns, tag[i]);
            } else {
                free(ptr[i]);
                ptr[i] = NULL;
            }
        } else {
            size_t n;
            switch (r % 8) {
                case 0: n = (r >> 8) % 16 + 1; break;
                case 1: case 2: case 3: n = (r >> 8) % 512 + 1; break;
                case 4: case 5: n = (r >> 8) % 8192 + 1; break;
                case 6: n = (r >> 8) % 65536 + 1; break;
                default: n = (r >> 8) % 100000 + 128 * 1024; break; /* above the mmap threshold */
            }
            unsigned char *p = (r >> 40) % 4 == 0 ? calloc(1, n) : malloc(n);
            if (!p) { printf("malloc failed\n"); return 1; }
            if ((r >> 40) % 4 == 0) for (size_t k = 0; k < n; k++) if (p[k]) { bad++; break; }
            ptr[i] = p;
            size[i] = n;
            tag[i] = (unsigned)(r >> 20);
            fill(p, n, tag[i]);
            bytes += n;
        }
        ops++;
    }
    size_t live = 0;
    for (int i = 0; i < SLOTS; i++) if (ptr[i]) { if (!check(ptr[i], size[i], tag[i])) bad++; live += size[i]; free(ptr[i]); }
    printf("ops %lu allocated %lu live-at-end %zu bad %lu\n", ops, bytes, live, bad);

    /* A burst of large blocks, freed in a different order. */
    void *blocks[32];
    for (int i = 0; i < 32; i++) { blocks[i] = malloc((size_t)(i + 1) * 30000); memset(blocks[i], i, (size_t)(i + 1) * 30000); }
    unsigned long sum = 0;
    for (int i = 0; i < 32; i++) sum += ((unsigned char *)blocks[i])[(size_t)(i + 1) * 30000 - 1];
    for (int i = 0; i < 32; i += 2) free(blocks[i]);
    for (int i = 1; i < 32; i += 2) free(blocks[i]);
    printf("large blocks sum %lu\n", sum);

    /* aligned allocation */
    for (size_t al = 16; al <= 65536; al *= 4) {
        void *p = aligned_alloc(al, al * 3);
        printf("aligned %zu ok %d\n", al, ((uintptr_t)p % al) == 0);
        free(p);
    }
    return 0;
}
