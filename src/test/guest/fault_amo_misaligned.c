/* An AMO on a misaligned address: Linux does not emulate those, the process dies by SIGBUS (status 135). */
#include <stdint.h>
#include <stdio.h>

static uint64_t words[4];

int main(void) {
    printf("amoadd.w on a misaligned address\n");
    fflush(stdout);
    volatile uint32_t *p = (volatile uint32_t *)((char *)words + 2);
    uint32_t old;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(1) : "memory");
    printf("not reached %u\n", old);
    return 0;
}
