// The vDSO's clock_gettime and gettimeofday (libc's calls, which use the vDSO where the kernel
// maps one) agree with the clock_gettime system call: same clock, and never out of order when
// calls alternate. Prints only facts that hold on any Linux, with or without a vDSO.
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static int sys_gettime(clockid_t c, struct timespec *t) { return syscall(SYS_clock_gettime, c, t); }

static void check_clock(const char *name, clockid_t c, int64_t slack) {
    struct timespec a, b, v;
    int bad_order = 0, bad_nsec = 0, rc = 0;
    int64_t maxgap = 0;
    for (int i = 0; i < 20000; i++) {
        rc |= sys_gettime(c, &a);
        rc |= clock_gettime(c, &v);
        rc |= sys_gettime(c, &b);
        if (v.tv_nsec < 0 || v.tv_nsec >= 1000000000) bad_nsec++;
        // Coarse clocks may lag a fine-grained read by one tick; others never go backwards.
        if (ns(v) + slack < ns(a) || ns(b) + slack < ns(v)) bad_order++;
        if (ns(b) - ns(a) > maxgap) maxgap = ns(b) - ns(a);
    }
    printf("%s: rc %d, out of order %d, bad tv_nsec %d, within 1s %d\n", name, rc, bad_order, bad_nsec,
           maxgap < 1000000000);
}

int main(void) {
    check_clock("CLOCK_REALTIME", CLOCK_REALTIME, 0);
    check_clock("CLOCK_MONOTONIC", CLOCK_MONOTONIC, 0);
    check_clock("CLOCK_BOOTTIME", CLOCK_BOOTTIME, 0);
    check_clock("CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW, 0);
    check_clock("CLOCK_TAI", CLOCK_TAI, 0);
    check_clock("CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE, 0);
    check_clock("CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, 0);

    // A long run of vDSO reads alone never goes backwards.
    struct timespec prev, cur;
    int back = 0;
    clock_gettime(CLOCK_MONOTONIC, &prev);
    for (int i = 0; i < 200000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &cur);
        if (ns(cur) < ns(prev)) back++;
        prev = cur;
    }
    printf("monotonic run: backwards %d, advanced %d\n", back, ns(cur) > 0);

    // gettimeofday agrees with CLOCK_REALTIME to the microsecond, in order.
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        struct timespec a, b;
        struct timeval tv;
        sys_gettime(CLOCK_REALTIME, &a);
        gettimeofday(&tv, NULL);
        sys_gettime(CLOCK_REALTIME, &b);
        int64_t us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
        if (us < ns(a) / 1000 || us > ns(b) / 1000 || tv.tv_usec < 0 || tv.tv_usec >= 1000000) bad++;
    }
    struct timezone tz = {123, 456};
    struct timeval tv;
    int rc = gettimeofday(&tv, &tz);
    printf("gettimeofday: bad %d, with tz rc %d tz %d %d\n", bad, rc, tz.tz_minuteswest, tz.tz_dsttime);

    // Clocks the vDSO does not compute still work (they fall back to the system call).
    struct timespec t;
    printf("CLOCK_PROCESS_CPUTIME_ID rc %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t));
    errno = 0;
    int r = clock_gettime((clockid_t)12345, &t);
    printf("bad clock rc %d errno %d\n", r, errno);
    errno = 0;
    r = clock_gettime((clockid_t)-1, &t);
    printf("clock -1 rc %d errno %d\n", r, errno);
    return 0;
}
