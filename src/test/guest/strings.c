/* String and memory functions across every alignment and many lengths (glibc's optimized paths). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static uint32_t h = 2166136261u;
static void mix(uint64_t v) { for (int i = 0; i < 8; i++) { h ^= (uint8_t)(v >> (8 * i)); h *= 16777619u; } }

int main(void) {
    static char src[512], dst[600], big[70000];
    for (int i = 0; i < (int)sizeof src; i++) src[i] = (char)('A' + (i * 7) % 57);
    for (int sa = 0; sa < 8; sa++)
        for (int da = 0; da < 8; da++)
            for (int n = 0; n < 200; n += (n < 40 ? 1 : 13)) {
                memset(dst, '#', sizeof dst);
                memcpy(dst + da, src + sa, n);
                mix(dst[da + n]);
                for (int i = 0; i < n; i++) if (dst[da + i] != src[sa + i]) { printf("memcpy bad %d %d %d\n", sa, da, n); return 1; }
                dst[da + n] = 0;
                mix(strlen(dst + da));
                mix((uint64_t)(memcmp(dst + da, src + sa, n) == 0));
                memmove(dst + da + 3, dst + da, n);
                mix((uint64_t)(unsigned char)dst[da + n + 2]);
                memset(dst + da, sa * 8 + da, n);
                mix((uint64_t)(unsigned char)dst[da + (n ? n - 1 : 0)]);
            }
    printf("memops %08x\n", h);

    char a[300], b[300];
    for (int off = 0; off < 16; off++) {
        for (int n = 1; n < 280 - off; n += 7) {
            memset(a, 'x', sizeof a); memset(b, 'x', sizeof b);
            a[off + n] = 0; b[n] = 0;
            int c1 = strcmp(a + off, b);
            b[n / 2] = 'y';
            int c2 = strcmp(a + off, b);
            int c3 = strncmp(a + off, b, n / 2);
            int c4 = strncmp(a + off, b, n / 2 + 1);
            mix((uint64_t)((c1 > 0) - (c1 < 0)) * 1 + (uint64_t)((c2 > 0) - (c2 < 0)) * 3 +
                (uint64_t)((c3 > 0) - (c3 < 0)) * 9 + (uint64_t)((c4 > 0) - (c4 < 0)) * 27);
            a[off + n / 3] = 'q';
            char *p = strchr(a + off, 'q'), *r = strrchr(a + off, 'x'), *z = memchr(a + off, 0, 300 - off);
            mix((uint64_t)(p ? p - a : -1) ^ (uint64_t)(r ? r - a : -1) << 16 ^ (uint64_t)(z ? z - a : -1) << 32);
        }
    }
    printf("cmp/chr %08x\n", h);

    const char *hay = "the quick brown fox jumps over the lazy dog; the end of the quick test";
    const char *needles[] = {"the", "quick", "fox j", "dog;", "test", "xyz", "", "e e", "the end"};
    for (unsigned i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        const char *p = strstr(hay, needles[i]);
        printf("strstr(%s) = %ld\n", needles[i], p ? (long)(p - hay) : -1L);
    }
    char buf[64];
    strcpy(buf, "hello");
    strcat(buf, ", world");
    strncat(buf, "!!!!!", 2);
    printf("%s %zu %zu %zu\n", buf, strlen(buf), strspn(buf, "helo"), strcspn(buf, ",!"));
    printf("casecmp %d %d\n", strcasecmp("HeLLo", "hello") == 0, strncasecmp("ABCd", "abce", 3) == 0);
    char tok[] = "a,b,,c;d";
    char *save;
    for (char *t = strtok_r(tok, ",;", &save); t; t = strtok_r(NULL, ",;", &save)) printf("tok %s\n", t);

    for (int i = 0; i < (int)sizeof big; i++) big[i] = (char)(1 + i % 251);
    big[sizeof big - 1] = 0;
    printf("big strlen %zu\n", strlen(big));
    memmove(big + 1, big, sizeof big - 2);
    memmove(big, big + 3, sizeof big - 10);
    h = 2166136261u;
    for (int i = 0; i < (int)sizeof big; i++) mix((uint8_t)big[i]);
    printf("big %08x\n", h);
    return 0;
}
