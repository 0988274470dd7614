/* Setting CLOCK_REALTIME as root, which a differential test must not do (under qemu it would set
 * the host's clock). clock_settime.expected follows Linux's semantics (kernel/time/timekeeping.c
 * do_settimeofday64, kernel/time/time.c do_sys_settimeofday64, kernel/time/hrtimer.c
 * clock_was_set, fs/timerfd.c timerfd_clock_was_set): the wall clock moves for the vDSO and the
 * system call, in this process, a forked child and a thread, while CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME do not; absolute CLOCK_REALTIME sleeps and timers fire by the new wall time,
 * relative ones do not move; an armed TFD_TIMER_CANCEL_ON_SET timerfd reads ECANCELED; invalid
 * times are EINVAL before the permission check, and an unprivileged caller gets EPERM (the same
 * answers clock_settime_perm.c checks against the host kernel). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL
#define HOUR (3600 * NS)

static long long vdso_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * NS + ts.tv_nsec;
}

static long long sys_ns(clockid_t c) {
    struct timespec ts;
    syscall(SYS_clock_gettime, c, &ts);
    return ts.tv_sec * NS + ts.tv_nsec;
}

static long long tod_ns(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * NS + tv.tv_usec * 1000LL;
}

static int near(long long d, long long want) {
    return d > want - NS / 2 && d < want + NS / 2;
}

static int set_real(long long t) {
    struct timespec ts = {t / NS, t % NS};
    return clock_settime(CLOCK_REALTIME, &ts);
}

static void show(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static volatile long long thread_saw;
static pthread_barrier_t barrier;

static void *watcher(void *arg) {
    (void) arg;
    long long before = vdso_ns(CLOCK_REALTIME) - vdso_ns(CLOCK_MONOTONIC);
    pthread_barrier_wait(&barrier); /* main sets the clock */
    pthread_barrier_wait(&barrier);
    thread_saw = vdso_ns(CLOCK_REALTIME) - vdso_ns(CLOCK_MONOTONIC) - before;
    return NULL;
}

static long long sleeper_deadline;
static volatile int sleeper_rc = -1;

static void *sleeper(void *arg) {
    (void) arg;
    struct timespec ts = {sleeper_deadline / NS, sleeper_deadline % NS};
    sleeper_rc = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
    return NULL;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int cond_rc = -1;

/* pthread_cond_timedwait on CLOCK_REALTIME: FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME. */
static void *cond_waiter(void *arg) {
    (void) arg;
    struct timespec ts = {sleeper_deadline / NS, sleeper_deadline % NS};
    pthread_mutex_lock(&mu);
    int r;
    do r = pthread_cond_timedwait(&cv, &mu, &ts); while (r == 0);
    cond_rc = r;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static volatile int mq_errno = -1;

/* mq_timedreceive: its timeout is an absolute CLOCK_REALTIME time. */
static void *mq_waiter(void *arg) {
    mqd_t q = *(mqd_t *) arg;
    struct timespec ts = {sleeper_deadline / NS, sleeper_deadline % NS};
    char buf[64];
    mq_errno = mq_timedreceive(q, buf, sizeof buf, NULL, &ts) < 0 ? errno : 0;
    return NULL;
}

static volatile sig_atomic_t timer_fired;

static void on_timer(int sig) {
    (void) sig;
    timer_fired++;
}

int main(void) {
    /* Set forward one hour: every reading of the wall clock moves, the monotonic ones do not. */
    long long r0 = vdso_ns(CLOCK_REALTIME), m0 = vdso_ns(CLOCK_MONOTONIC), b0 = vdso_ns(CLOCK_BOOTTIME);
    long long tai0 = vdso_ns(CLOCK_TAI);
    pthread_t th;
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_create(&th, NULL, watcher, NULL);
    pthread_barrier_wait(&barrier);
    show("clock_settime +1h", set_real(r0 + HOUR));
    pthread_barrier_wait(&barrier);
    pthread_join(th, NULL);
    long long dm = vdso_ns(CLOCK_MONOTONIC) - m0;
    printf("vdso realtime +1h: %d\n", near(vdso_ns(CLOCK_REALTIME) - r0 - dm, HOUR));
    printf("syscall realtime +1h: %d\n", near(sys_ns(CLOCK_REALTIME) - r0 - dm, HOUR));
    printf("gettimeofday +1h: %d\n", near(tod_ns() - r0 - dm, HOUR));
    printf("realtime_coarse +1h: %d\n", near(vdso_ns(CLOCK_REALTIME_COARSE) - r0 - dm, HOUR));
    printf("tai +1h: %d\n", near(vdso_ns(CLOCK_TAI) - tai0 - dm, HOUR));
    printf("monotonic unmoved: %d\n", near(dm, 0));
    printf("boottime unmoved: %d\n", near(vdso_ns(CLOCK_BOOTTIME) - b0, 0));
    printf("thread saw +1h: %d\n", near(thread_saw, HOUR));
    pid_t pid = fork();
    if (pid == 0) _exit(near(vdso_ns(CLOCK_REALTIME) - vdso_ns(CLOCK_MONOTONIC) - (r0 - m0), HOUR) ? 0 : 1);
    int st;
    waitpid(pid, &st, 0);
    printf("child sees +1h: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* A sleep until a wall time an hour away ends when the clock is set past it. */
    long long now = vdso_ns(CLOCK_REALTIME);
    sleeper_deadline = now + HOUR;
    pthread_create(&th, NULL, sleeper, NULL);
    usleep(100000);
    printf("sleeper still asleep: %d\n", sleeper_rc == -1);
    show("clock_settime +2h", set_real(vdso_ns(CLOCK_REALTIME) + 2 * HOUR));
    pthread_join(th, NULL);
    printf("absolute clock_nanosleep returned: %d\n", sleeper_rc);

    /* So does a futex wait with an absolute CLOCK_REALTIME timeout. */
    sleeper_deadline = vdso_ns(CLOCK_REALTIME) + HOUR;
    pthread_create(&th, NULL, cond_waiter, NULL);
    usleep(100000);
    printf("cond waiter still waiting: %d\n", cond_rc == -1);
    show("clock_settime +2h", set_real(vdso_ns(CLOCK_REALTIME) + 2 * HOUR));
    pthread_join(th, NULL);
    printf("pthread_cond_timedwait: %s\n", cond_rc == ETIMEDOUT ? "ETIMEDOUT" : strerror(cond_rc));

    /* And an mq_timedreceive. */
    struct mq_attr attr = {0};
    attr.mq_maxmsg = 1;
    attr.mq_msgsize = 64;
    mqd_t q = mq_open("/clock_settime", O_RDWR | O_CREAT, 0600, &attr);
    mq_unlink("/clock_settime");
    sleeper_deadline = vdso_ns(CLOCK_REALTIME) + HOUR;
    pthread_create(&th, NULL, mq_waiter, &q);
    usleep(100000);
    printf("mq receiver still waiting: %d\n", mq_errno == -1);
    show("clock_settime +2h", set_real(vdso_ns(CLOCK_REALTIME) + 2 * HOUR));
    pthread_join(th, NULL);
    printf("mq_timedreceive: %s\n", mq_errno == ETIMEDOUT ? "ETIMEDOUT" : strerror(mq_errno));
    mq_close(q);

    /* A relative CLOCK_REALTIME sleep does not move when the clock is set back. */
    long long before = vdso_ns(CLOCK_MONOTONIC);
    show("clock_settime -2h", set_real(vdso_ns(CLOCK_REALTIME) - 2 * HOUR));
    struct timespec rel = {0, 50000000};
    clock_nanosleep(CLOCK_REALTIME, 0, &rel, NULL);
    printf("relative sleep took under 1 s: %d\n", vdso_ns(CLOCK_MONOTONIC) - before < NS);

    /* timerfd: CANCEL_ON_SET reads ECANCELED after a set; poll sees it readable first. */
    int tfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    struct itimerspec its = {{0, 0}, {vdso_ns(CLOCK_REALTIME) / NS + 3600, 0}};
    show("timerfd_settime CANCEL_ON_SET", timerfd_settime(tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL));
    uint64_t ticks;
    show("read before set", (int) read(tfd, &ticks, sizeof ticks));
    struct pollfd pfd = {tfd, POLLIN, 0};
    printf("poll before set: %d\n", poll(&pfd, 1, 0));
    show("clock_settime +1s", set_real(vdso_ns(CLOCK_REALTIME) + NS));
    printf("poll after set: %d revents=%#x\n", poll(&pfd, 1, 0), pfd.revents);
    show("read after set", (int) read(tfd, &ticks, sizeof ticks));
    show("read again", (int) read(tfd, &ticks, sizeof ticks));
    /* An absolute timerfd without CANCEL_ON_SET fires when the clock passes its expiry. */
    int tfd2 = timerfd_create(CLOCK_REALTIME, 0);
    struct itimerspec its2 = {{0, 0}, {vdso_ns(CLOCK_REALTIME) / NS + 3600, 0}};
    timerfd_settime(tfd2, TFD_TIMER_ABSTIME, &its2, NULL);
    show("clock_settime +2h", set_real(vdso_ns(CLOCK_REALTIME) + 2 * HOUR));
    ticks = 0;
    show("absolute timerfd read", (int) read(tfd2, &ticks, sizeof ticks));
    printf("  ticks=%llu\n", (unsigned long long) ticks);
    close(tfd);
    close(tfd2);

    /* A POSIX timer armed at an absolute wall time an hour away fires when the clock passes it. */
    signal(SIGALRM, on_timer);
    timer_t tid;
    timer_create(CLOCK_REALTIME, NULL, &tid);
    struct itimerspec pit = {{0, 0}, {vdso_ns(CLOCK_REALTIME) / NS + 3600, 0}};
    timer_settime(tid, TIMER_ABSTIME, &pit, NULL);
    /* and a relative one, 10 s away, which the step must not fire */
    timer_t tid2;
    struct sigevent sev = {0};
    sev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_REALTIME, &sev, &tid2);
    struct itimerspec rit = {{0, 0}, {10, 0}};
    timer_settime(tid2, 0, &rit, NULL);
    printf("timer not yet fired: %d\n", timer_fired == 0);
    show("clock_settime +2h", set_real(vdso_ns(CLOCK_REALTIME) + 2 * HOUR));
    for (int i = 0; i < 200 && !timer_fired; i++) usleep(10000);
    printf("absolute POSIX timer fired: %d\n", timer_fired == 1);
    struct itimerspec left;
    timer_gettime(tid2, &left);
    printf("relative POSIX timer still has 9-10 s: %d\n", left.it_value.tv_sec >= 8 && left.it_value.tv_sec <= 10);

    /* settimeofday: a timeval, and the timezone gettimeofday then returns (the system call:
     * glibc's settimeofday refuses both at once); the first timezone came with a time, so the
     * later timezone-only call does not warp the clock (timekeeping_warp_clock). */
    struct timeval tv;
    gettimeofday(&tv, NULL);
    tv.tv_sec -= 3 * 3600;
    struct timezone tz = {60, 0};
    show("settimeofday tv+tz", syscall(SYS_settimeofday, &tv, &tz));
    struct timezone got;
    syscall(SYS_gettimeofday, &tv, &got); /* glibc's gettimeofday zeroes the timezone itself */
    printf("  tz=%d,%d\n", got.tz_minuteswest, got.tz_dsttime);
    tz.tz_minuteswest = 0;
    long long r1 = vdso_ns(CLOCK_REALTIME);
    show("settimeofday tz only", settimeofday(NULL, &tz));
    syscall(SYS_gettimeofday, &tv, &got);
    printf("  tz=%d,%d not warped: %d\n", got.tz_minuteswest, got.tz_dsttime, near(vdso_ns(CLOCK_REALTIME) - r1, 0));

    /* The errors: bad times are EINVAL (before EPERM), the monotonic clocks cannot be set. */
    struct timespec bad = {0, NS};
    show("nsec 1e9", clock_settime(CLOCK_REALTIME, &bad));
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    show("negative", clock_settime(CLOCK_REALTIME, &bad));
    bad.tv_sec = 0;
    show("before boot (0)", clock_settime(CLOCK_REALTIME, &bad));
    struct timespec ok = {vdso_ns(CLOCK_REALTIME) / NS, 0};
    show("CLOCK_MONOTONIC", clock_settime(CLOCK_MONOTONIC, &ok));
    show("CLOCK_BOOTTIME", clock_settime(CLOCK_BOOTTIME, &ok));
    show("CLOCK_TAI", clock_settime(CLOCK_TAI, &ok));
    show("CLOCK_PROCESS_CPUTIME_ID", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ok));
    tv.tv_sec = 1000;
    tv.tv_usec = 1000001;
    show("settimeofday usec 1000001", settimeofday(&tv, NULL));
    tz.tz_minuteswest = 15 * 60 + 1;
    show("settimeofday tz 15h1m", settimeofday(NULL, &tz));

    /* Put the clock back near where it was, then give up root. */
    show("clock_settime back", set_real(vdso_ns(CLOCK_MONOTONIC) - m0 + r0));
    if (setuid(1000) != 0) perror("setuid");
    show("unprivileged clock_settime", clock_settime(CLOCK_REALTIME, &ok));
    tv.tv_usec = 0;
    show("unprivileged settimeofday", settimeofday(&tv, NULL));
    bad.tv_nsec = NS;
    show("unprivileged nsec 1e9", clock_settime(CLOCK_REALTIME, &bad));
    return 0;
}
