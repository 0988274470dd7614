/* Process-level syscalls with deterministic answers: uname, ids, clocks, sleeping, getrandom,
   rlimits, signal masks and actions, kill/tgkill with signal 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-30s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void handler(int sig) { (void)sig; }

int main(void) {
    struct utsname u;
    TRY("uname", uname(&u));
    printf("sysname %s machine %s\n", u.sysname, u.machine);
    printf("pid positive %d, tid == pid %d\n", getpid() > 0, syscall(SYS_gettid) == getpid());
    printf("uid==euid %d gid==egid %d\n", getuid() == geteuid(), getgid() == getegid());
    TRY("uname bad pointer", syscall(SYS_uname, (void *)16));

    struct timespec a, b, res;
    TRY("clock_gettime monotonic", clock_gettime(CLOCK_MONOTONIC, &a));
    TRY("nanosleep 2ms", nanosleep(&(struct timespec){0, 2000000}, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long el = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("slept at least 2ms %d\n", el >= 2000000);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    printf("realtime after 2020 %d\n", rt.tv_sec > 1577836800);
    struct timeval tv;
    TRY("gettimeofday", gettimeofday(&tv, NULL));
    printf("tv close to realtime %d\n", tv.tv_sec - rt.tv_sec <= 1 && tv.tv_usec < 1000000);
    TRY("clock_getres realtime", clock_getres(CLOCK_REALTIME, &res));
    printf("res %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    TRY("clock_getres NULL", clock_getres(CLOCK_MONOTONIC, NULL));
    TRY("clock_gettime bad clock", syscall(SYS_clock_gettime, 12345, &a));
    TRY("clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8));
    TRY("cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
    TRY("nanosleep bad nsec", nanosleep(&(struct timespec){0, 1000000000}, NULL));
    TRY("nanosleep negative", nanosleep(&(struct timespec){-1, 0}, NULL));
    TRY("clock_nanosleep abs past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &(struct timespec){0, 0}, NULL));
    TRY("clock_nanosleep thread cpu", syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &(struct timespec){0, 1}, NULL));

    unsigned char rnd[64];
    TRY("getrandom 64", getrandom(rnd, sizeof rnd, 0));
    TRY("getrandom nonblock", getrandom(rnd, 16, GRND_NONBLOCK));
    TRY("getrandom bad flags", getrandom(rnd, 16, 0x80));
    TRY("getrandom insecure|random", getrandom(rnd, 16, GRND_INSECURE | GRND_RANDOM));
    TRY("getrandom bad buffer", syscall(SYS_getrandom, (void *)8, 16, 0));
    TRY("getrandom 0 bytes", getrandom(rnd, 0, 0));

    struct rlimit rl;
    TRY("getrlimit nofile", getrlimit(RLIMIT_NOFILE, &rl));
    printf("nofile soft<=hard %d\n", rl.rlim_cur <= rl.rlim_max);
    TRY("prlimit bad resource", syscall(SYS_prlimit64, 0, 99, NULL, &rl));
    struct rlimit bad = {10, 5};
    TRY("setrlimit cur>max", setrlimit(RLIMIT_CORE, &bad));
    struct rlimit core = {0, 0};
    TRY("setrlimit core 0", setrlimit(RLIMIT_CORE, &core));
    getrlimit(RLIMIT_CORE, &rl);
    printf("core now %lu/%lu\n", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);

    struct sigaction sa = {0}, old;
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    TRY("sigaction USR1", sigaction(SIGUSR1, &sa, NULL));
    TRY("sigaction read back", sigaction(SIGUSR1, NULL, &old));
    printf("handler same %d restart %d usr2 in mask %d\n", old.sa_handler == handler, !!(old.sa_flags & SA_RESTART),
           sigismember(&old.sa_mask, SIGUSR2));
    TRY("sigaction KILL", sigaction(SIGKILL, &sa, NULL));
    TRY("sigaction 0", sigaction(0, &sa, NULL));
    TRY("sigaction 65", syscall(SYS_rt_sigaction, 65, NULL, &old, 8));
    TRY("rt_sigaction bad size", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4));
    sa.sa_handler = SIG_IGN;
    TRY("ignore USR2", sigaction(SIGUSR2, &sa, NULL));
    TRY("raise ignored USR2", raise(SIGUSR2));

    sigset_t set, oset;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGKILL);
    TRY("block USR1+KILL", sigprocmask(SIG_BLOCK, &set, NULL));
    TRY("read mask", sigprocmask(SIG_BLOCK, NULL, &oset));
    printf("usr1 blocked %d kill blocked %d\n", sigismember(&oset, SIGUSR1), sigismember(&oset, SIGKILL));
    TRY("bad how", sigprocmask(99, &set, NULL));
    TRY("unblock", sigprocmask(SIG_UNBLOCK, &set, NULL));
    TRY("rt_sigprocmask bad size", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16));

    TRY("kill self 0", kill(getpid(), 0));
    TRY("tgkill self 0", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0));
    TRY("tgkill bad tid", syscall(SYS_tgkill, getpid(), -5, 0));
    TRY("kill bad signal", kill(getpid(), 99));
    TRY("tgkill wrong group", syscall(SYS_tgkill, 0, getpid(), 0));
    printf("set_tid_address == tid %d\n", syscall(SYS_set_tid_address, NULL) == syscall(SYS_gettid));
    umask(077);
    TRY("umask", umask(022));
    TRY("umask again", umask(022));
    return 0;
}
