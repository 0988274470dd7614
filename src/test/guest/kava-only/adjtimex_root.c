/* adjtimex settings as root (CAP_SYS_TIME), which the differential adjtimex.c must not make (under
 * qemu they would change the host's clock). adjtimex_root.expected: the bookkeeping modes take
 * effect as process_adjtimex_modes does (ADJ_TIMECONST adds 4 without STA_NANO, ADJ_STATUS keeps
 * the read-only bits, a synchronized status returns TIME_OK, and clearing STA_PLL resets the
 * status, STA_UNSYNC included, since process_adj_status masks it with STA_RONLY); ADJ_SETOFFSET
 * steps CLOCK_REALTIME by the offset (timekeeping_inject_offset) and leaves CLOCK_MONOTONIC;
 * what would slew kava's clock is EOPNOTSUPP, a kava choice (its vDSO's clocks move only by
 * steps), documented in dev.kava.kernel.time.Ntp. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

static long long ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void) {
    struct timex t;
    memset(&t, 0, sizeof t);
    show("read", adjtimex(&t));
    printf("  status=%#x maxerror=%ld constant=%ld\n", t.status, t.maxerror, t.constant);
    memset(&t, 0, sizeof t);
    t.modes = ADJ_MAXERROR | ADJ_ESTERROR | ADJ_TIMECONST;
    t.maxerror = 1000;
    t.esterror = 20;
    t.constant = 3;
    show("set maxerror, esterror, constant", adjtimex(&t));
    printf("  maxerror in [1000,2000]: %d esterror=%ld constant=%ld\n", t.maxerror >= 1000 && t.maxerror <= 2000,
           t.esterror, t.constant);
    memset(&t, 0, sizeof t);
    t.modes = ADJ_STATUS;
    t.status = STA_PLL | STA_CLK;
    show("set status PLL (synchronized)", adjtimex(&t));
    printf("  status=%#x\n", t.status);
    memset(&t, 0, sizeof t);
    t.modes = ADJ_NANO;
    show("ADJ_NANO", adjtimex(&t));
    printf("  STA_NANO=%d time.tv_usec below 1e9: %d\n", !!(t.status & STA_NANO), t.time.tv_usec < 1000000000);
    memset(&t, 0, sizeof t);
    t.modes = ADJ_MICRO;
    adjtimex(&t);
    memset(&t, 0, sizeof t);
    t.modes = ADJ_FREQUENCY;
    t.freq = 100;
    show("ADJ_FREQUENCY", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_SETOFFSET;
    t.time.tv_sec = 1;
    long long r0 = ns(CLOCK_REALTIME), m0 = ns(CLOCK_MONOTONIC);
    show("ADJ_SETOFFSET", adjtimex(&t));
    long long dr = ns(CLOCK_REALTIME) - r0, dm = ns(CLOCK_MONOTONIC) - m0;
    printf("  realtime moved 1 s more than monotonic: %d\n", dr - dm > 900000000LL && dr - dm < 1100000000LL);
    t.modes = ADJ_SETOFFSET | ADJ_NANO;
    t.time.tv_sec = -2;
    t.time.tv_usec = 500000000;
    r0 = ns(CLOCK_REALTIME), m0 = ns(CLOCK_MONOTONIC);
    show("ADJ_SETOFFSET -1.5 s (ADJ_NANO)", adjtimex(&t));
    dr = ns(CLOCK_REALTIME) - r0, dm = ns(CLOCK_MONOTONIC) - m0;
    printf("  realtime moved -1.5 s: %d\n", dr - dm < -1400000000LL && dr - dm > -1600000000LL);
    t.modes = ADJ_SETOFFSET | ADJ_NANO;
    t.time.tv_sec = 0;
    t.time.tv_usec = 1000000000;
    show("ADJ_SETOFFSET nsec 1e9", adjtimex(&t));
    t.modes = ADJ_MICRO;
    adjtimex(&t);
    memset(&t, 0, sizeof t);
    t.modes = ADJ_OFFSET_SINGLESHOT;
    t.offset = 1000;
    show("adjtime slew", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_TICK;
    t.tick = 10000;
    show("ADJ_TICK to the current tick", adjtimex(&t) >= 0 ? 0 : -1);
    t.modes = ADJ_TICK;
    t.tick = 10001;
    show("ADJ_TICK", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_STATUS;
    t.status = STA_PLL | STA_INS;
    show("leap second insertion", adjtimex(&t));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_STATUS;
    t.status = 0;
    show("PLL off", adjtimex(&t));
    printf("  status=%#x\n", t.status);
    return 0;
}
