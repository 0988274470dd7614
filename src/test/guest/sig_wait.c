/* Blocking and waking: sigsuspend, sigtimedwait, nanosleep interrupted by SIGALRM (EINTR and
 * the time left), SA_RESTART on a pipe read, alarm() and setitimer(). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

static volatile int alrm, wfd = -1;
static void on_alrm(int sig) {
    alrm++;
    if (wfd >= 0 && alrm == 6) write(wfd, "x", 1);
}

static void handle(int sig, int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alrm;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    handle(SIGALRM, 0);

    /* nanosleep cut short by a handler: -1 EINTR, rem about 9.9 s. */
    alarm(1);
    struct timespec req = {10, 0}, rem = {0, 0};
    int r = nanosleep(&req, &rem);
    printf("nanosleep=%d errno=%s alrm=%d rem>8s=%d rem<10s=%d\n", r, r ? strerror(errno) : "-", alrm,
           rem.tv_sec >= 8, rem.tv_sec < 10);

    /* sigsuspend: wait with SIGALRM unblocked, the old mask (with SIGALRM blocked) comes back. */
    sigset_t block, old, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigemptyset(&empty);
    r = sigsuspend(&empty);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsuspend=%d errno=%s alrm=%d ALRM blocked again=%d\n", r, strerror(errno), alrm, sigismember(&now, SIGALRM));

    /* sigtimedwait: a blocked signal is taken without a handler. */
    union sigval v = {.sival_int = 7};
    sigqueue(getpid(), SIGALRM, v);
    siginfo_t si;
    struct timespec zero = {0, 0}, short_ = {0, 50000000};
    r = sigtimedwait(&block, &si, &zero);
    printf("sigtimedwait=%d code=%d value=%d alrm=%d\n", r, si.si_code, si.si_value.sival_int, alrm);
    r = sigtimedwait(&block, &si, &short_);
    printf("sigtimedwait empty=%d errno=%s\n", r, strerror(errno));
    setitimer(ITIMER_REAL, &it, NULL);
    r = sigwaitinfo(&block, &si);
    printf("sigwaitinfo=%d code=%d\n", r, si.si_code);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* A pipe read interrupted: EINTR without SA_RESTART; with it, the read goes on (and the
     * second alarm's handler writes so that it can end). */
    int fds[2];
    pipe(fds);
    char c;
    alarm(1);
    r = read(fds[0], &c, 1);
    printf("read=%d errno=%s alrm=%d\n", r, strerror(errno), alrm);

    handle(SIGALRM, SA_RESTART);
    wfd = fds[1];
    struct itimerval every = {{0, 100000}, {0, 100000}};
    setitimer(ITIMER_REAL, &every, NULL);
    r = read(fds[0], &c, 1);
    memset(&every, 0, sizeof every);
    setitimer(ITIMER_REAL, &every, NULL);
    printf("SA_RESTART read=%d c=%c alrm=%d\n", r, c, alrm);

    /* getitimer reports the interval; setitimer returns the old value. */
    struct itimerval set = {{5, 0}, {100, 0}}, got, prev;
    setitimer(ITIMER_REAL, &set, NULL);
    getitimer(ITIMER_REAL, &got);
    memset(&set, 0, sizeof set);
    setitimer(ITIMER_REAL, &set, &prev);
    printf("interval=%ld.%06ld value>99=%d prev.interval=%ld\n", got.it_interval.tv_sec, got.it_interval.tv_usec,
           got.it_value.tv_sec >= 99, prev.it_interval.tv_sec);
    printf("alarm(0) after alarm(50)=%u\n", (alarm(50), alarm(0)));
    struct itimerval bad = {{0, 1000000}, {0, 0}};
    r = setitimer(ITIMER_REAL, &bad, NULL);
    printf("bad usec=%d errno=%s\n", r, strerror(errno));
    r = setitimer(7, &set, NULL);
    printf("bad which=%d errno=%s\n", r, strerror(errno));
    return 0;
}
