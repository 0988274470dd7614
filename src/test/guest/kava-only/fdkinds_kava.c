/* What qemu-user cannot show of signalfd, timerfd and pidfds; fdkinds_kava.expected holds real
 * Linux's behaviour, from the kernel sources named below:
 * - signalfd4 with a sizemask other than sizeof(sigset_t) is EINVAL (fs/signalfd.c; qemu-user
 *   ignores the size);
 * - TFD_IOC_SET_TICKS sets the ticks a read returns, and 0 is EINVAL (fs/timerfd.c,
 *   CONFIG_CHECKPOINT_RESTORE; qemu-user has no translation for the ioctl);
 * - an alarm-clock timerfd needs CAP_WAKE_ALARM, which root has (fs/timerfd.c);
 * - clone3 with CLONE_PIDFD stores a close-on-exec pidfd (kernel/fork.c; qemu-user refuses the
 *   flag); with CLONE_THREAD it is a thread pidfd (O_EXCL, PIDFD_THREAD);
 * - waitid clears *infop even when it fails (sys_waitid in kernel/exit.c; qemu-user leaves it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    show("signalfd4 sizemask 4", syscall(SYS_signalfd4, -1, &m, 4, 0));
    show("signalfd4 sizemask 16", syscall(SYS_signalfd4, -1, &m, 16, 0));

    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    uint64_t v = 5;
    show("TFD_IOC_SET_TICKS 5", ioctl(tfd, TFD_IOC_SET_TICKS, &v));
    struct pollfd p = {tfd, POLLIN, 0};
    printf("poll: %d\n", poll(&p, 1, 0));
    show("read", read(tfd, &v, 8));
    printf("ticks=%llu\n", (unsigned long long)v);
    v = 0;
    show("TFD_IOC_SET_TICKS 0", ioctl(tfd, TFD_IOC_SET_TICKS, &v));
    show("TFD_IOC_SET_TICKS bad pointer", ioctl(tfd, TFD_IOC_SET_TICKS, (void *)8));
    show("other ioctl", ioctl(tfd, FIONREAD, &v));
    int a1 = timerfd_create(CLOCK_REALTIME_ALARM, 0), a2 = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
    printf("alarm clocks as root: %d %d\n", a1 >= 0, a2 >= 0);

    int pidfd = -1;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)&pidfd;
    args.exit_signal = SIGCHLD;
    pid_t c = syscall(SYS_clone3, &args, sizeof args);
    if (c == 0) _exit(7);
    printf("clone3 pidfd ok=%d cloexec=%d\n", pidfd >= 0, fcntl(pidfd, F_GETFD) & FD_CLOEXEC);
    p.fd = pidfd;
    printf("child exit poll: %d revents=%#x\n", poll(&p, 1, 5000), p.revents);
    siginfo_t wi;
    memset(&wi, 0, sizeof wi);
    show("waitid clone3 child", waitid(P_PIDFD, pidfd, &wi, WEXITED));
    printf("  pid_is_child=%d code=%d status=%d\n", wi.si_pid == c, wi.si_code, wi.si_status);
    memset(&wi, 0x55, sizeof wi);
    show("waitid reaped", waitid(P_PIDFD, pidfd, &wi, WEXITED));
    printf("  infop cleared: signo=%d pid=%d\n", wi.si_signo, wi.si_pid);

    struct clone_args bad;
    memset(&bad, 0, sizeof bad);
    bad.flags = CLONE_PIDFD | CLONE_PARENT_SETTID;
    bad.pidfd = bad.parent_tid = (uint64_t)(uintptr_t)&pidfd;
    bad.exit_signal = SIGCHLD;
    show("clone3 pidfd == parent_tid", syscall(SYS_clone3, &bad, sizeof bad));
    bad.flags = CLONE_PIDFD;
    bad.pidfd = 8;
    show("clone3 pidfd bad pointer", syscall(SYS_clone3, &bad, sizeof bad));
    return 0;
}
