/* POSIX timers: SIGEV_SIGNAL with si_value, SIGEV_THREAD_ID, SIGEV_NONE, periodic timers,
 * timer_gettime, absolute times, and the errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static volatile int fired, code, value;
static void on_timer(int sig, siginfo_t *si, void *uc) {
    fired++;
    code = si->si_code;
    value = si->si_value.sival_int;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_int = 1234;
    timer_t t;
    printf("create=%d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec its = {{0, 0}, {0, 100000000}};
    printf("settime=%d\n", timer_settime(t, 0, &its, NULL));
    struct itimerspec cur;
    timer_gettime(t, &cur);
    printf("armed: value>0=%d interval=%ld\n", cur.it_value.tv_nsec > 0 || cur.it_value.tv_sec > 0,
           cur.it_interval.tv_nsec);
    while (!fired) {
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
    }
    printf("fired=%d code=%d SI_TIMER=%d value=%d overrun=%d\n", fired, code, code == SI_TIMER, value,
           timer_getoverrun(t));
    timer_gettime(t, &cur);
    printf("after: value=%ld.%09ld\n", cur.it_value.tv_sec, cur.it_value.tv_nsec);

    /* Periodic, waited for with sigwaitinfo while blocked. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct itimerspec per = {{0, 20000000}, {0, 20000000}};
    timer_settime(t, 0, &per, NULL);
    siginfo_t si;
    for (int i = 0; i < 3; i++) {
        int s = sigwaitinfo(&set, &si);
        printf("periodic %d: sig=%d code=%d value=%d\n", i, s - SIGRTMIN, si.si_code, si.si_value.sival_int);
    }
    struct itimerspec off = {{0, 0}, {0, 0}}, old;
    timer_settime(t, 0, &off, &old);
    printf("old interval=%ld\n", old.it_interval.tv_nsec);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    /* SIGEV_THREAD_ID to this thread, absolute CLOCK_REALTIME time. */
    timer_t t2;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_int = 99;
    ev._sigev_un._tid = gettid();
    printf("create thread_id=%d\n", timer_create(CLOCK_REALTIME, &ev, &t2));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec += 50000000;
    if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    struct itimerspec abs = {{0, 0}, now};
    fired = 0;
    printf("settime abs=%d\n", timer_settime(t2, TIMER_ABSTIME, &abs, NULL));
    while (!fired) {
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
    }
    printf("thread timer fired value=%d\n", value);

    /* SIGEV_NONE: no signal; gettime still counts down. */
    timer_t t3;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    printf("create none=%d\n", timer_create(CLOCK_MONOTONIC, &ev, &t3));
    struct itimerspec tensec = {{0, 0}, {10, 0}};
    timer_settime(t3, 0, &tensec, NULL);
    timer_gettime(t3, &cur);
    printf("none value: %d\n", cur.it_value.tv_sec == 9 || cur.it_value.tv_sec == 10);

    /* Errors. */
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 65;
    timer_t bad;
    int r = timer_create(CLOCK_MONOTONIC, &ev, &bad);
    printf("bad signo=%d errno=%s\n", r, strerror(errno));
    ev.sigev_signo = SIGUSR1;
    ev.sigev_notify = 77;
    r = timer_create(CLOCK_MONOTONIC, &ev, &bad);
    printf("bad notify=%d errno=%s\n", r, strerror(errno));
    r = timer_create(99, NULL, &bad);
    printf("bad clock=%d errno=%s\n", r, strerror(errno));
    struct itimerspec badts = {{0, 0}, {0, 1000000000}};
    r = timer_settime(t3, 0, &badts, NULL);
    printf("bad nsec=%d errno=%s\n", r, strerror(errno));
    printf("delete=%d %d %d\n", timer_delete(t), timer_delete(t2), timer_delete(t3));
    r = timer_delete(t);
    printf("delete again=%d errno=%s\n", r, strerror(errno));
    r = syscall(SYS_timer_gettime, 12345, &cur);
    printf("gettime unknown=%d errno=%s\n", r, strerror(errno));
    return 0;
}
