/* RLIMIT_CPU (kernel/time/posix-cpu-timers.c check_process_timers): at the soft limit SIGXCPU,
   again every CPU second after it (the soft limit moves on by one second each time, as
   getrlimit shows); at the hard limit SIGKILL. Each case runs in a child that burns CPU in a
   loop without system calls: `ulimit -t 1; while :; do :; done` in busybox sh hung under kava.
   Limits of 0 and 1 seconds keep the CPU burnt small (kava counts one ns per instruction). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t xcpu;
static volatile rlim_t soft_seen[4];
static volatile int code_seen;

static void on_xcpu(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    struct rlimit rl;
    getrlimit(RLIMIT_CPU, &rl);
    if (xcpu < 4) soft_seen[xcpu] = rl.rlim_cur;
    code_seen = si->si_code;
    xcpu++;
}

static void burn_until(int n) {
    while (xcpu < n) {
    }
}

/* Runs fn in a child and reports how it ended. */
static void run(const char *name, void (*fn)(void)) {
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        fn();
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    if (WIFSIGNALED(st)) printf("%s: killed by %s\n", name, sigabbrev_np(WTERMSIG(st)));
    else printf("%s: exit %d\n", name, WEXITSTATUS(st));
}

static void set(rlim_t cur, rlim_t max) {
    struct rlimit rl = {cur, max};
    if (setrlimit(RLIMIT_CPU, &rl) != 0) printf("setrlimit: %s\n", strerrorname_np(errno));
}

/* No handler: SIGXCPU's default action ends the process. */
static void xcpu_default(void) {
    set(0, RLIM_INFINITY);
    for (;;) {
    }
}

/* soft == hard: SIGKILL comes first. */
static void hard_only(void) {
    struct sigaction sa = {.sa_sigaction = on_xcpu, .sa_flags = SA_SIGINFO};
    sigaction(SIGXCPU, &sa, NULL);
    set(0, 0);
    for (;;) {
    }
}

/* Two SIGXCPUs a CPU second apart, the soft limit read back moving 0 -> 1 -> 2, then SIGKILL at the hard limit. */
static void soft_then_hard(void) {
    struct sigaction sa = {.sa_sigaction = on_xcpu, .sa_flags = SA_SIGINFO};
    sigaction(SIGXCPU, &sa, NULL);
    set(0, 1);
    burn_until(1);
    printf("first SIGXCPU: soft now %lld, si_code %s\n", (long long)soft_seen[0], code_seen == SI_KERNEL ? "SI_KERNEL" : "other");
    fflush(stdout);
    burn_until(2);
    printf("not reached\n");
}

/* A fork inherits the limit; the child's CPU time starts at zero (its own signal_struct). */
static void inherited(void) {
    /* In the parent the limit is past at once (soft 0): SIGXCPU is blocked first and stays pending. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGXCPU);
    sigprocmask(SIG_BLOCK, &s, NULL);
    set(0, RLIM_INFINITY);
    pid_t p = fork();
    if (p == 0) {
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        for (;;) {
        }
    }
    int st;
    waitpid(p, &st, 0);
    printf("forked child: %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "exited");
    _exit(3);
}

/* Raising the soft limit to infinity turns the check off. */
static void unlimited_again(void) {
    struct sigaction sa = {.sa_sigaction = on_xcpu, .sa_flags = SA_SIGINFO};
    sigaction(SIGXCPU, &sa, NULL);
    set(0, RLIM_INFINITY);
    burn_until(1);
    set(RLIM_INFINITY, RLIM_INFINITY);
    for (volatile long i = 0; i < 20000000; i++) {
    }
    printf("after RLIM_INFINITY: %d SIGXCPU\n", (int)xcpu);
    fflush(stdout);
    _exit(5);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    run("SIGXCPU default action", xcpu_default);
    run("soft == hard == 0", hard_only);
    run("soft 0 hard 1", soft_then_hard);
    run("inherited", inherited);
    run("back to unlimited", unlimited_again);
    return 0;
}
