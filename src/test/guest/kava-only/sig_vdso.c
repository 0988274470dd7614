/* The vDSO: AT_SYSINFO_EHDR points at an ELF shared object; glibc's loader accepts it; signal
 * handlers return through its __vdso_rt_sigreturn; the time calls work through it. */
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>

static volatile int got;
static void handler(int sig) { got = sig; }

int main(void) {
    const unsigned char *e = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
    printf("vdso present=%d\n", e != NULL);
    if (e) {
        const Elf64_Ehdr *h = (const Elf64_Ehdr *)e;
        printf("magic ok=%d type=%d machine=%d\n", memcmp(e, ELFMAG, SELFMAG) == 0, h->e_type, h->e_machine);
    }
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    printf("handler ran: %d\n", got);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("monotonic ok=%d realtime>2020=%d res=%ld\n", b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
           tv.tv_sec > 1577836800, res.tv_nsec);
    return 0;
}
