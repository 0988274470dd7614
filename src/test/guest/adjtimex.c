/* adjtimex and clock_adjtime (kernel/time/ntp.c, timekeeping.c): reading the state is allowed
 * to anyone and returns the clock state (TIME_ERROR exactly when STA_UNSYNC or another error
 * status is set), struct timex's fixed fields, the TAI offset CLOCK_TAI uses, and the time;
 * invalid settings are EINVAL before anything changes, and an unprivileged process gets EPERM
 * for any setting. No valid setting is made: under qemu it would change the host's clock. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int cadj(clockid_t c, struct timex *t) { return syscall(SYS_clock_adjtime, c, t); }

static void read_state(const char *who) {
    struct timex t;
    memset(&t, 0, sizeof t);
    int r = adjtimex(&t);
    int err = (t.status & (STA_UNSYNC | STA_CLOCKERR)) != 0;
    printf("%s: ret ok=%d (TIME_ERROR iff error status: %d)\n", who, r >= 0,
           (r == TIME_ERROR) == err || (!err && r != TIME_ERROR));
    printf("  modes=%u precision=%ld tolerance=%ld tick=%ld ppsfreq=%ld jitter=%ld shift=%d stabil=%ld\n", t.modes,
           t.precision, t.tolerance, t.tick, t.ppsfreq, t.jitter, t.shift, t.stabil);
    printf("  maxerror in [0,16000000]: %d esterror in range: %d constant in [0,10]: %d\n",
           t.maxerror >= 0 && t.maxerror <= 16000000, t.esterror >= 0 && t.esterror <= 16000000,
           t.constant >= 0 && t.constant <= 10);
    struct timespec real, tai;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_TAI, &tai);
    long diff = tai.tv_sec - real.tv_sec;
    printf("  tai matches CLOCK_TAI - CLOCK_REALTIME: %d\n", t.tai == diff || t.tai == diff + 1 || t.tai == diff - 1);
    long unit = (t.status & STA_NANO) ? 1000000000L : 1000000L;
    printf("  time near now: %d usec in range: %d\n", t.time.tv_sec - real.tv_sec <= 1 && real.tv_sec - t.time.tv_sec <= 1,
           t.time.tv_usec >= 0 && t.time.tv_usec < unit);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("sizeof(struct timex)=%zu\n", sizeof(struct timex));
    read_state("root read");
    struct timex t;
    memset(&t, 0, sizeof t);
    int a = adjtimex(&t);
    memset(&t, 0, sizeof t);
    int b = cadj(CLOCK_REALTIME, &t);
    printf("clock_adjtime(CLOCK_REALTIME) same state as adjtimex: %d\n", a == b);
    show("clock_adjtime(CLOCK_MONOTONIC)", cadj(CLOCK_MONOTONIC, &t));
    show("clock_adjtime(CLOCK_BOOTTIME)", cadj(CLOCK_BOOTTIME, &t));
    show("clock_adjtime(CLOCK_TAI)", cadj(CLOCK_TAI, &t));
    show("clock_adjtime(99)", cadj(99, &t));
    show("clock_adjtime bad pointer", cadj(CLOCK_REALTIME, (void *)8));
    show("adjtimex bad pointer", syscall(SYS_clock_adjtime, CLOCK_REALTIME, (void *)16));

    /* Invalid settings: refused before anything changes. */
    memset(&t, 0, sizeof t);
    t.modes = ADJ_TICK;
    t.tick = 100;
    show("root ADJ_TICK too small", adjtimex(&t));
    t.tick = 20000;
    show("root ADJ_TICK too large", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_SETOFFSET;
    t.time.tv_usec = -1;
    show("root ADJ_SETOFFSET negative usec", adjtimex(&t));
    t.time.tv_usec = 1000000;
    show("root ADJ_SETOFFSET usec too large", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_FREQUENCY;
    t.freq = 1L << 62;
    show("root ADJ_FREQUENCY overflow", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = 0x8000; /* ADJ_ADJTIME without singleshot */
    show("root ADJ_ADJTIME alone", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_OFFSET_SS_READ;
    show("root adjtime read-only", adjtimex(&t) >= 0 ? 0 : -1);
    printf("  offset=%ld\n", t.offset);

    pid_t c = fork();
    if (c == 0) {
        if (setuid(1000) != 0) _exit(1);
        read_state("user read");
        memset(&t, 0, sizeof t);
        t.modes = ADJ_MAXERROR;
        show("user ADJ_MAXERROR", adjtimex(&t));
        t.modes = ADJ_STATUS;
        show("user ADJ_STATUS", adjtimex(&t));
        t.modes = ADJ_OFFSET_SINGLESHOT;
        show("user adjtime", adjtimex(&t));
        t.modes = ADJ_OFFSET_SS_READ;
        show("user adjtime read-only", adjtimex(&t) >= 0 ? 0 : -1);
        t.modes = ADJ_SETOFFSET;
        show("user ADJ_SETOFFSET", adjtimex(&t));
        t.modes = ADJ_TICK;
        t.tick = 100;
        show("user ADJ_TICK invalid", adjtimex(&t));
        show("user clock_adjtime(CLOCK_MONOTONIC)", cadj(CLOCK_MONOTONIC, &t));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}
