/* Timers: alarm (return values, delivery), setitimer ITIMER_REAL with an interval (3 ticks) and
   getitimer, ITIMER_PROF on CPU time, POSIX timers (SIGEV_SIGNAL with si_value and SI_TIMER,
   SIGEV_THREAD_ID to one thread, timer_gettime, overruns, errors), clock_nanosleep TIMER_ABSTIME,
   sigtimedwait with a timeout (EAGAIN) and with a pending signal. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static volatile sig_atomic_t ticks;
static volatile int last_code, last_val, max_overrun;
static void on_tick(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    ticks++;
    last_code = si->si_code;
    last_val = si->si_value.sival_int;
    if (si->si_code == SI_TIMER && si->si_overrun > max_overrun) max_overrun = si->si_overrun;
}

static void install(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_tick;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(sig, &sa, NULL);
}

static long ms_since(struct timespec *a) {
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static _Atomic pid_t worker_tid;
static atomic_int worker_got, worker_code, worker_val;
static void *worker(void *arg) {
    (void)arg;
    worker_tid = gettid();
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    siginfo_t si;
    struct timespec to = {10, 0};
    int r = sigtimedwait(&s, &si, &to);
    worker_got = r;
    worker_code = si.si_code;
    worker_val = si.si_value.sival_int;
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    install(SIGALRM);

    /* alarm */
    unsigned a = alarm(5);
    unsigned b = alarm(3);
    unsigned c = alarm(0);
    printf("alarm returns: %u %u %u\n", a, b, c);
    ticks = 0;
    alarm(1);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!ticks) pause();
    long el = ms_since(&t0);
    printf("alarm(1) fired: code %s, after ~1 s %s\n", last_code == SI_KERNEL ? "SI_KERNEL" : "other", el >= 990 && el < 3000 ? "yes" : "no");

    /* setitimer with an interval: three ticks, then disarm; getitimer reads it back. */
    struct itimerval it = {{0, 20000}, {0, 20000}}, cur;
    ticks = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &cur);
    printf("getitimer armed: interval %ld us, value in (0, 20 ms] %s\n", (long)cur.it_interval.tv_usec,
           cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 20000 ? "yes" : "no");
    while (ticks < 3) pause();
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &cur);
    printf("ITIMER_REAL interval: %d ticks, old interval %ld us\n", ticks, (long)cur.it_interval.tv_usec);
    getitimer(ITIMER_REAL, &cur);
    printf("disarmed: %s\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 ? "yes" : "no");
    int r = setitimer(7, &it, NULL);
    printf("setitimer bad which: %s\n", ERR(r));
    struct itimerval badv = {{0, 0}, {0, 1000000}};
    r = setitimer(ITIMER_REAL, &badv, NULL);
    printf("setitimer usec 1e6: %s\n", ERR(r));

    /* ITIMER_PROF counts CPU time. */
    install(SIGPROF);
    ticks = 0;
    struct itimerval prof = {{0, 0}, {0, 10000}};
    setitimer(ITIMER_PROF, &prof, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    volatile unsigned long spin = 0;
    while (!ticks && ms_since(&t0) < 10000) spin++;
    printf("ITIMER_PROF fired on CPU time: %s\n", ticks ? "yes" : "no");

    /* POSIX timer, SIGEV_SIGNAL with a value. */
    install(SIGUSR1);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 77;
    timer_t tid;
    r = timer_create(CLOCK_MONOTONIC, &sev, &tid);
    printf("timer_create: %s\n", ERR(r));
    struct itimerspec its, got;
    timer_gettime(tid, &got);
    printf("new timer disarmed: %s\n", got.it_value.tv_sec == 0 && got.it_value.tv_nsec == 0 ? "yes" : "no");
    its = (struct itimerspec){{0, 10000000}, {0, 10000000}};
    ticks = 0;
    timer_settime(tid, 0, &its, NULL);
    while (ticks < 3) pause();
    printf("SIGEV_SIGNAL: 3 ticks, code %s value %d\n", last_code == SI_TIMER ? "SI_TIMER" : "other", last_val);
    its = (struct itimerspec){{0, 0}, {10, 0}};
    timer_settime(tid, 0, &its, &got);
    printf("old setting returned: interval %ld ns\n", got.it_interval.tv_nsec);
    timer_gettime(tid, &got);
    printf("one-shot 10 s remaining in (9, 10] s: %s\n",
           (got.it_value.tv_sec == 9 && got.it_value.tv_nsec > 0) || (got.it_value.tv_sec == 10 && got.it_value.tv_nsec == 0) ? "yes" : "no");

    /* Overruns: expirations while the signal is blocked. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    its = (struct itimerspec){{0, 1000000}, {0, 1000000}};
    timer_settime(tid, 0, &its, NULL);
    struct timespec nap = {0, 60000000};
    nanosleep(&nap, NULL);
    ticks = 0;
    max_overrun = 0;
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    its = (struct itimerspec){{0, 0}, {0, 0}};
    timer_settime(tid, 0, &its, NULL);
    int ov = timer_getoverrun(tid);
    printf("blocked periodic timer: delivered %s, si_overrun > 10 %s, timer_getoverrun >= 0 %s\n", ticks >= 1 ? "yes" : "no",
           max_overrun > 10 ? "yes" : "no", ov >= 0 ? "yes" : "no");
    r = timer_delete(tid);
    printf("timer_delete: %s\n", ERR(r));
    r = timer_delete(tid);
    printf("timer_delete again: %s\n", ERR(r));
    r = syscall(SYS_timer_gettime, 12345, &got);
    printf("timer_gettime bad id: %s\n", ERR(r));
    r = timer_create(99, &sev, &tid);
    printf("timer_create bad clock: %s\n", ERR(r));
    sev.sigev_notify = 99;
    r = timer_create(CLOCK_MONOTONIC, &sev, &tid);
    printf("timer_create bad notify: %s\n", ERR(r));

    /* SIGEV_THREAD_ID: the signal goes to one thread, which takes it with sigtimedwait. */
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    while (!worker_tid) { struct timespec ts = {0, 1000000}; nanosleep(&ts, NULL); }
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGUSR2;
    sev.sigev_value.sival_int = 88;
    sev._sigev_un._tid = worker_tid;
    r = timer_create(CLOCK_REALTIME, &sev, &tid);
    its = (struct itimerspec){{0, 0}, {0, 20000000}};
    timer_settime(tid, 0, &its, NULL);
    pthread_join(th, NULL);
    printf("SIGEV_THREAD_ID: create %s, thread got %s code %s value %d\n", ERR(r), worker_got == SIGUSR2 ? "SIGUSR2" : "nothing",
           worker_code == SI_TIMER ? "SI_TIMER" : "other", worker_val);
    timer_delete(tid);
    sev._sigev_un._tid = 999999;
    r = timer_create(CLOCK_REALTIME, &sev, &tid);
    printf("SIGEV_THREAD_ID to a missing thread: %s\n", ERR(r));

    /* clock_nanosleep. */
    struct timespec target;
    clock_gettime(CLOCK_MONOTONIC, &target);
    target.tv_nsec += 50000000;
    if (target.tv_nsec >= 1000000000) { target.tv_sec++; target.tv_nsec -= 1000000000; }
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("TIMER_ABSTIME: %s, woke at or after target %s\n", r ? strerrorname_np(r) : "ok",
           now.tv_sec > target.tv_sec || (now.tv_sec == target.tv_sec && now.tv_nsec >= target.tv_nsec) ? "yes" : "no");
    struct timespec past = {1, 0};
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
    printf("TIMER_ABSTIME in the past: %d\n", r);
    r = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &past, NULL);
    printf("clock_nanosleep THREAD_CPUTIME: %s\n", strerrorname_np(r));
    r = clock_nanosleep(99, 0, &past, NULL);
    printf("clock_nanosleep bad clock: %s\n", strerrorname_np(r));
    struct timespec badts = {0, 1000000000};
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &badts, NULL);
    printf("clock_nanosleep nsec 1e9: %s\n", strerrorname_np(r));

    /* sigtimedwait. */
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct timespec to = {0, 30000000};
    siginfo_t si;
    r = sigtimedwait(&s, &si, &to);
    printf("sigtimedwait nothing pending: %s\n", ERR(r));
    union sigval v = {.sival_int = 5};
    sigqueue(getpid(), SIGUSR1, v);
    r = sigtimedwait(&s, &si, &to);
    printf("sigtimedwait pending: %s code %s value %d\n", r == SIGUSR1 ? "SIGUSR1" : ERR(r), si.si_code == SI_QUEUE ? "SI_QUEUE" : "other", si.si_value.sival_int);
    struct timespec zero = {0, 0};
    r = sigtimedwait(&s, &si, &zero);
    printf("sigtimedwait zero timeout: %s\n", ERR(r));
    to.tv_nsec = 1000000000;
    r = sigtimedwait(&s, &si, &to);
    printf("sigtimedwait nsec 1e9: %s\n", ERR(r));
    return 0;
}
