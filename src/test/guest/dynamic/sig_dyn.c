/* A dynamically linked program: ld.so parses the vDSO (where the kernel provides one), signal
 * handlers return through the kernel's sigreturn path, and the time calls work. */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static volatile int got;
static void handler(int sig, siginfo_t *si, void *uc) { got = si->si_signo; }

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("handler ran: %d\n", got);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("monotonic ok=%d realtime>2020=%d\n", b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
           tv.tv_sec > 1577836800);
    return 0;
}
