/* Synchronous signals with handlers: SIGSEGV (si_addr, si_code) left with siglongjmp, on an
 * alternate stack; SIGILL and SIGTRAP with si_addr = pc; sigaltstack rules. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile void *want_addr;
static char altstack[65536];
static char *fixme;
static void fix(int sig) { mprotect(fixme, 4096, PROT_READ | PROT_WRITE); }

static void on_segv(int sig, siginfo_t *si, void *uc) {
    stack_t ss;
    sigaltstack(NULL, &ss);
    int local;
    int on_alt = (char *)&local >= altstack && (char *)&local < altstack + sizeof altstack;
    printf("sig=%d code=%d addr_ok=%d on_alt=%d ss_flags=%d\n", sig, si->si_code, si->si_addr == want_addr, on_alt,
           ss.ss_flags);
    /* sigaltstack cannot change the stack while running on it. */
    stack_t n = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    int r = sigaltstack(&n, NULL);
    printf("sigaltstack while on it=%d errno=%d\n", r, r ? errno : 0);
    siglongjmp(env, 1);
}

static void on_ill(int sig, siginfo_t *si, void *uc) {
    printf("sig=%d code=%d addr is pc=%d\n", sig, si->si_code, si->si_addr == want_addr);
    siglongjmp(env, 1);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    printf("sigaltstack=%d\n", sigaltstack(&ss, NULL));
    stack_t small = {.ss_sp = altstack, .ss_size = 1024, .ss_flags = 0};
    int r = sigaltstack(&small, NULL);
    printf("too small=%d errno=%d\n", r, errno);
    stack_t badf = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 7};
    r = sigaltstack(&badf, NULL);
    printf("bad flags=%d errno=%d\n", r, errno);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);

    /* Unmapped: SEGV_MAPERR. */
    want_addr = (void *)0x10;
    if (!sigsetjmp(env, 1)) *(volatile int *)want_addr = 1;
    /* Read-only mapping: SEGV_ACCERR. */
    char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    want_addr = p + 8;
    if (!sigsetjmp(env, 1)) *(volatile char *)(p + 8) = 1;
    /* Without SA_ONSTACK the handler runs on the normal stack. */
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    want_addr = (void *)8;
    if (!sigsetjmp(env, 1)) *(volatile long *)want_addr = 1;
    /* The mask was restored by siglongjmp. */
    sigset_t m;
    sigprocmask(SIG_BLOCK, NULL, &m);
    printf("SEGV blocked after siglongjmp=%d\n", sigismember(&m, SIGSEGV));

    /* Illegal instruction and ebreak. */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_ill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    if (!sigsetjmp(env, 1)) {
        __asm__ volatile("lla t0, 1f\n\t"
                         "sd t0, 0(%0)\n\t"
                         "1: .word 0\n\t" : : "r"(&want_addr) : "t0", "memory");
    }
    if (!sigsetjmp(env, 1)) {
        __asm__ volatile("lla t0, 1f\n\t"
                         "sd t0, 0(%0)\n\t"
                         "1: ebreak\n\t" : : "r"(&want_addr) : "t0", "memory");
    }

    /* A handler that fixes the fault and returns: the instruction is retried. */
    fixme = p;
    signal(SIGSEGV, fix);
    p[8] = 5;
    printf("fixed and retried: %d\n", p[8]);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    sigaltstack(NULL, &ss);
    printf("disabled: ss_flags=%d\n", ss.ss_flags);
    return 0;
}
