/* clock_settime, settimeofday and adjtimex's ADJ_SETOFFSET without CAP_SYS_TIME: the program
 * first becomes uid 1000 (and stops if it cannot), so that under qemu the host kernel answers
 * and can never have its clock set. Invalid times are EINVAL before the permission check
 * (do_sys_settimeofday64), clocks without clock_set (CLOCK_PROCESS_CPUTIME_ID included) are
 * EINVAL whoever asks, a clock_getcpuclockid clock is EPERM (posix_cpu_clock_set), and a valid
 * time is EPERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void) {
    /* The raw system calls: qemu-user aborts in glibc's setxid broadcast. */
    if (syscall(SYS_setresgid, 1000, 1000, 1000) != 0 || syscall(SYS_setresuid, 1000, 1000, 1000) != 0) {
        printf("cannot drop root\n");
        return 1;
    }
    if (syscall(SYS_getuid) == 0 || syscall(SYS_geteuid) == 0) return 1;
    /* and no capability is left (CAP_SYS_TIME would let the calls below set the clock); a kernel
     * without capget (kava) has no capabilities but uid 0's */
    struct { unsigned version; int pid; } hdr = {0x20080522, 0}; /* _LINUX_CAPABILITY_VERSION_3 */
    struct { unsigned effective, permitted, inheritable; } data[2];
    if (syscall(SYS_capget, &hdr, data) == 0 && (data[0].effective || data[1].effective)) {
        printf("capabilities left\n");
        return 1;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    show("realtime", clock_settime(CLOCK_REALTIME, &now));
    struct timespec bad = {now.tv_sec, 1000000000};
    show("nsec 1e9", clock_settime(CLOCK_REALTIME, &bad));
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    show("negative", clock_settime(CLOCK_REALTIME, &bad));
    bad.tv_sec = 9223372036LL - 946080000LL; /* TIME_SETTOD_SEC_MAX */
    show("TIME_SETTOD_SEC_MAX", clock_settime(CLOCK_REALTIME, &bad));
    bad.tv_sec -= 1;
    show("TIME_SETTOD_SEC_MAX - 1", clock_settime(CLOCK_REALTIME, &bad));
    show("monotonic", clock_settime(CLOCK_MONOTONIC, &now));
    show("boottime", clock_settime(CLOCK_BOOTTIME, &now));
    show("tai", clock_settime(CLOCK_TAI, &now));
    show("realtime_coarse", clock_settime(CLOCK_REALTIME_COARSE, &now));
    show("process cputime", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &now));
    show("thread cputime", clock_settime(CLOCK_THREAD_CPUTIME_ID, &now));
    show("own process cpu clock", clock_settime(-6 /* MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED) */, &now));
    show("pid 99999999 cpu clock", clock_settime(~99999999 << 3 | 2, &now));
    show("clock 99", clock_settime(99, &now));
    show("bad pointer", syscall(SYS_clock_settime, CLOCK_REALTIME, (void *) 8));
    struct timeval tv = {now.tv_sec, 0};
    show("settimeofday", settimeofday(&tv, NULL));
    tv.tv_usec = 1000000;
    show("settimeofday usec 1e6", settimeofday(&tv, NULL));
    tv.tv_usec = -1;
    show("settimeofday usec -1", settimeofday(&tv, NULL));
    struct timezone tz = {60, 0};
    show("settimeofday tz", syscall(SYS_settimeofday, NULL, &tz));
    /* (settimeofday(NULL, NULL) is left out: qemu-user aborts on it) */
    struct timex t;
    memset(&t, 0, sizeof t);
    t.modes = ADJ_SETOFFSET;
    t.time.tv_sec = 1;
    show("ADJ_SETOFFSET", adjtimex(&t));
    t.time.tv_usec = -1;
    show("ADJ_SETOFFSET usec -1", adjtimex(&t));
    struct timezone got = {1, 1};
    syscall(SYS_gettimeofday, NULL, &got);
    printf("tz %d %d\n", got.tz_minuteswest, got.tz_dsttime);
    return 0;
}
